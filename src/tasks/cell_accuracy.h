// The SkillGrad method's SpreadsheetBench grading (`--grader skillgrad`): per output, the cell
// accuracy = expected cells the output matches / expected cells, and a pass only at 1.0 (also
// when no cell is expected). It reads the answer_position as openpyxl does
// (tasks/openpyxl_range.h), each workbook on its own:
//   - a part without a sheet is a range of each workbook's own first sheet; a sheet the
//     workbook lacks, a chart sheet, or a range openpyxl refuses is one entry keyed by the
//     part's text, with no value;
//   - cells are keyed by "<sheet>!" (only for a part naming its sheet) and coordinate, so a
//     cell named twice counts once;
//   - an expected entry matches when the output's entry of the same key (none when absent)
//     is equal under the official value semantics (tasks/cell_compare.h);
//   - a missing output file matches none of the expected cells; a recalculation that fails
//     leaves the output as it is, graded without it.
// It differs from the official evaluator where the official one fails an output outright
// (a sheet missing from the output reads as empty cells here) and where openpyxl reads a
// range differently from the official expansion (reversed corners cover nothing here).
#pragma once

#include <filesystem>
#include <string_view>

#include "core/error.h"
#include "tasks/spreadsheetbench_grader.h"

namespace sg::tasks {

// An Error only when the golden workbook cannot be read or LibreOffice is missing for a
// requested recalculation; everything wrong with the output is in the counts and problems.
Result<WorkbookComparison> MeasureCellAccuracy(const std::filesystem::path& golden,
                                               const std::filesystem::path& output,
                                               std::string_view answer_position,
                                               const GradeOptions& options = {});

}  // namespace sg::tasks
