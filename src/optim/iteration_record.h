// The human-readable records of training (the authors' iteration log and per-iteration page):
// train/iteration_log.md, one paragraph per iteration, and train/iter_<t>/summary.md, one page
// per iteration. Both are rendered from the entries of train/training_results.json alone, so a
// resumed RECORD rewrites them to the same bytes.
#pragma once

#include <string>
#include <string_view>

#include "core/json.h"
#include "optim/iteration_context.h"

namespace sg::optim {

// The text after "LABEL:" on the first line that starts with it (leading spaces and markdown
// emphasis aside); "" when the diagnosis has no such line.
std::string DiagnosisLabel(std::string_view diagnosis);

// [{task_id, class, label}] in outcome order, for each outcome whose task folder holds a
// diagnosis (iter_<t>/<task>/diagnosis.md); an early-stopped batch has none.
Json DiagnosisLabels(const IterationContext& it, const Json& outcomes);

// iteration_log.md: a heading, then per entry (in iteration order) the batch, the result with
// the pass count and mean score, the diagnosis labels and each task's cell counts.
std::string RenderIterationLog(const Json& entries);

// iter_<t>/summary.md: the entry's batch, result, counts, duration, time and cost per stage,
// and the diagnosis labels.
std::string RenderIterationSummary(const Json& entry);

}  // namespace sg::optim
