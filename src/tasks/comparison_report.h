// What a diagnoser is shown of a task's grading, in the shape the SkillGrad method gives it:
// an accuracy line, then per output workbook the first kShownCellLimit expected cells, the
// first kShownCellLimit actual cells, a summary line and the first kShownMismatchLimit
// mismatches, each list saying how many it leaves out. A grader without cells (WTQ, an
// external grader) keeps its own comparison text, cut at kFallbackLineLimit lines, and the
// accuracy line says that there are no cells to count.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"
#include "tasks/spreadsheetbench_grader.h"

namespace sg::tasks {

inline constexpr std::size_t kShownMismatchLimit = 20;
inline constexpr std::size_t kFallbackLineLimit = 100;

struct GradingReport {
  // Set when the grader counts cells (summed over test cases); accuracy in [0, 1].
  std::optional<std::uint64_t> match_count, total_count;
  std::optional<double> accuracy;
  std::string accuracy_line;         // "Accuracy: 40/60 cells match (66.7%)" or why there is none
  std::string comparison;            // the capped comparison, one block per test case
  std::vector<std::string> outputs;  // the graded output files, relative to the workspace
};

// `assessment` is a task's assessment.json (run/task_runner.cpp): its verdict's
// details.test_cases (each a WorkbookComparison::ToJson with "test_case" and "output"), its
// cell counts and, for other graders, the verdict's comparison text.
GradingReport ReportGrading(const Json& assessment);

// One output workbook's comparison (WorkbookComparison::ToJson) in the capped form. Without
// its "shown" cells (an assessment from before they were recorded) the cell lists say so.
std::string FormatWorkbookComparison(const Json& comparison);

// A cell value (CellValueToJson) as the diagnoser reads it: "<empty>" for no value, integral
// numbers without a decimal point, other numbers with six significant digits.
std::string DisplayCellValue(const Json& value);

// "66.7%": a fraction in [0, 1] as a percentage with one decimal.
std::string FormatPercent(double fraction);

}  // namespace sg::tasks
