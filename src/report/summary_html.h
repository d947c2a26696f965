// The summary page (`skillgrad summarize ... --format html`): the study's table over training
// seeds (run/summarize.h) as one self-contained HTML file in the run report's style, with a
// bar chart per benchmark: each method and backbone's mean test accuracy with its 95% t
// interval as an error bar, beside the seed skill's mean. For a sweep it is the sweep's
// comparison page. Every string is escaped; no script, no network.
#pragma once

#include <string>
#include <vector>

#include "run/summarize.h"

namespace sg::report {

std::string RenderSummaryHtml(const std::vector<run::SummaryGroup>& groups,
                              const std::string& title);

}  // namespace sg::report
