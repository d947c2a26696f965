// The run report: one self-contained HTML file (inline CSS and SVG, no script, no network)
// with accuracy per iteration, test accuracy before and after, cost and time per stage
// and per role, a pass/fail grid, each iteration's skill diff and the momentum patterns.
// docs/report.md lists the sections and where each number comes from.
#pragma once

#include <filesystem>
#include <string>

#include "core/error.h"
#include "report/report_data.h"

namespace sg::report {

// The report's style sheet, shared by the other pages in its style (summary_html.h).
const char* ReportStyle();

// The report's HTML. Every string from the artifacts is escaped.
std::string RenderReportHtml(const ReportData& data);

// Loads RUN_DIR and writes the report to `out` (RUN_DIR/report.html when empty).
// Returns the path written.
Result<std::filesystem::path> WriteRunReport(const std::filesystem::path& run_dir,
                                             const std::filesystem::path& out = {});

}  // namespace sg::report
