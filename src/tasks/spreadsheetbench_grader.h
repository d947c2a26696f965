// Grades one output workbook against its golden workbook over an answer_position, with
// the official SpreadsheetBench evaluator's semantics (see cell_compare.h and
// answer_position.h), listing every differing cell instead of stopping at the first.
// Whole columns (A:G) span rows 1..max_row of the golden sheet and whole rows span its
// columns 1..max_column, max_row/max_column as openpyxl counts them, which is what
// openpyxl's ws["A:G"] covers.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/json.h"
#include "xlsx/cell_ref.h"
#include "xlsx/cell_value.h"
#include "xlsx/recalc.h"

namespace sg::tasks {

struct CellDiff {
  std::string sheet;
  std::string cell;  // "B7"
  xlsx::CellValue expected;
  xlsx::CellValue actual;
};

// How many expected and how many actual cells a comparison keeps for the diagnoser, as the
// SkillGrad method shows them (tasks/comparison_report.h renders them).
inline constexpr std::size_t kShownCellLimit = 50;

// The first cells one workbook gives for the answer_position, in reading order, keyed
// "<sheet>!<cell>": at most kShownCellLimit kept, every one counted in `total`.
struct ShownCells {
  std::vector<std::pair<std::string, xlsx::CellValue>> cells;
  std::uint64_t total = 0;

  void Add(const std::string& sheet, xlsx::CellRef ref, const xlsx::CellValue& value);
  // An entry with no cell behind it (a sheet the workbook lacks, a range openpyxl refuses),
  // keyed by the part's text.
  void AddText(const std::string& sheet, const std::string& range);
  Json ToJson() const;  // {"cells": [{"cell", "value"}], "total"}
};

struct WorkbookComparison {
  bool pass = false;
  std::vector<CellDiff> diffs;
  // Why the output fails besides cell values: output missing or unreadable, a sheet
  // missing from the output, a malformed answer_position.
  std::vector<std::string> problems;
  // Readings of the answer_position that a user should know of but that fail nothing, e.g. a
  // part that covers no cell in the official reading.
  std::vector<std::string> notes;
  std::uint64_t cells_compared = 0;
  // Expected cells and those the output matches. The skillgrad grader (cell_accuracy.h)
  // counts them as the method does; the official grader counts the cells it compared.
  std::uint64_t match_count = 0, total_count = 0;
  bool output_missing = false;          // the output file does not exist
  std::filesystem::path graded_output;  // the recalculated copy when recalculation ran
  std::string grader = "official";      // "official" or "skillgrad"
  // The golden's and the output's cells over the answer_position, capped (see ShownCells);
  // `shown_actual` is empty when the output is missing or unreadable.
  ShownCells shown_expected, shown_actual;

  // match_count / total_count; 1.0 when no cell is expected.
  double cell_accuracy() const;
  // {"pass", "grader", "match_count", "total_count", "cell_accuracy", "diffs": [...],
  // "problems", "cells_compared", "output_missing", "shown": {"expected", "actual"}}, "notes" if
  // any.
  Json ToJson() const;
  std::string ToText() const;  // one line per problem and per differing cell
};

// Which comparison decides: the SkillGrad method's cell accuracy (`skillgrad`, the default
// of runs) or the official SpreadsheetBench evaluator's all-or-nothing verdict (`official`).
enum class GraderKind { kSkillgrad, kOfficial };
const char* GraderName(GraderKind kind);
// "skillgrad" or "official"; the error names `flag` and both choices.
Result<GraderKind> ParseGraderKind(std::string_view text, std::string_view flag);

struct GradeOptions {
  GraderKind grader = GraderKind::kOfficial;  // of CompareWorkbooks; runs pass kSkillgrad
  bool recalc = false;  // recalculate the output with LibreOffice before comparing
  xlsx::RecalcOptions recalc_options;
  std::uint64_t max_cells = 5'000'000;  // per comparison; larger ranges fail as malformed
};

// An Error only when the grader cannot run: the golden workbook is unreadable, or
// recalculation was asked for and LibreOffice is not installed. Everything wrong with
// the output is a failing comparison that says why.
Result<WorkbookComparison> CompareWorkbookFiles(const std::filesystem::path& golden,
                                                const std::filesystem::path& output,
                                                std::string_view answer_position,
                                                const GradeOptions& options = {});

// The comparison `options.grader` names: MeasureCellAccuracy or CompareWorkbookFiles.
Result<WorkbookComparison> CompareWorkbooks(const std::filesystem::path& golden,
                                            const std::filesystem::path& output,
                                            std::string_view answer_position,
                                            const GradeOptions& options);

// One request of `grade spreadsheetbench --batch`: {"golden", "output", "answer_position",
// optional "recalc"} -> the comparison's JSON (by `defaults.grader`), or {"error": "..."} naming
// the field or file at fault. `defaults` supplies the recalculation settings.
Json GradeRequest(const Json& request, const GradeOptions& defaults);

}  // namespace sg::tasks
