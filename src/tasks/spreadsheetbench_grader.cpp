#include "tasks/spreadsheetbench_grader.h"

#include <algorithm>
#include <string_view>

#include "tasks/answer_position.h"
#include "tasks/cell_accuracy.h"
#include "tasks/cell_compare.h"
#include "xlsx/cell_ref.h"
#include "xlsx/workbook.h"

namespace sg::tasks {
namespace {

struct Extent {
  int max_row = 0, max_column = 0;
};

// A range whose start is a cell and whose end has a row but no column ("BD2:308", task 73-45
// of SpreadsheetBench Verified). The official evaluator reads the missing column as 0, so the
// columns BD..0 are none and the part covers no cell: every output passes it. Read the same
// way here; refusing the range instead would fail every output, the golden one included.
bool EndCornerHasNoColumn(std::string_view range) {
  const std::size_t colon = range.find(':');
  if (colon == std::string_view::npos) return false;
  auto strip = [](std::string_view s) {
    std::string out;
    for (char c : s) {
      if (c != '$') out += c;
    }
    return out;
  };
  const std::string start = strip(range.substr(0, colon));
  const std::string end = strip(range.substr(colon + 1));
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  auto is_letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
  const std::size_t letters =
      std::find_if_not(start.begin(), start.end(), is_letter) - start.begin();
  const bool start_is_cell = letters > 0 && letters < start.size() &&
                             std::all_of(start.begin() + letters, start.end(), is_digit);
  return start_is_cell && !end.empty() && std::all_of(end.begin(), end.end(), is_digit);
}

}  // namespace

const char* GraderName(GraderKind kind) {
  return kind == GraderKind::kSkillgrad ? "skillgrad" : "official";
}

Result<GraderKind> ParseGraderKind(std::string_view text, std::string_view flag) {
  if (text == "skillgrad") return GraderKind::kSkillgrad;
  if (text == "official") return GraderKind::kOfficial;
  return InvalidArgument(std::string(flag) + ": unknown grader '" + std::string(text) +
                         "'; choose skillgrad (the SkillGrad method's cell accuracy) or official "
                         "(SpreadsheetBench's evaluation.py)");
}

void ShownCells::Add(const std::string& sheet, xlsx::CellRef ref, const xlsx::CellValue& value) {
  if (cells.size() < kShownCellLimit) cells.emplace_back(sheet + "!" + xlsx::CellName(ref), value);
  ++total;
}

void ShownCells::AddText(const std::string& sheet, const std::string& range) {
  if (cells.size() < kShownCellLimit) cells.emplace_back(sheet + "!" + range, xlsx::CellValue());
  ++total;
}

Json ShownCells::ToJson() const {
  Json list = Json::array();
  for (const auto& [key, value] : cells) {
    list.push_back({{"cell", key}, {"value", CellValueToJson(value)}});
  }
  return {{"cells", std::move(list)}, {"total", total}};
}

double WorkbookComparison::cell_accuracy() const {
  if (total_count == 0) return 1.0;
  return static_cast<double>(match_count) / static_cast<double>(total_count);
}

Json WorkbookComparison::ToJson() const {
  Json out;
  out["pass"] = pass;
  out["grader"] = grader;
  out["match_count"] = match_count;
  out["total_count"] = total_count;
  out["cell_accuracy"] = cell_accuracy();
  Json list = Json::array();
  for (const CellDiff& d : diffs) {
    list.push_back({{"sheet", d.sheet},
                    {"cell", d.cell},
                    {"expected", CellValueToJson(d.expected)},
                    {"actual", CellValueToJson(d.actual)},
                    {"expected_type", d.expected.PythonTypeName()},
                    {"actual_type", d.actual.PythonTypeName()}});
  }
  out["diffs"] = std::move(list);
  out["problems"] = problems;
  if (!notes.empty()) out["notes"] = notes;
  out["cells_compared"] = cells_compared;
  out["output_missing"] = output_missing;
  out["shown"] = {{"expected", shown_expected.ToJson()}, {"actual", shown_actual.ToJson()}};
  if (!graded_output.empty()) out["graded_output"] = graded_output.string();
  return out;
}

std::string WorkbookComparison::ToText() const {
  std::string text;
  const std::string accuracy =
      std::to_string(match_count) + "/" + std::to_string(total_count) + " cells match";
  if (pass) return "PASS: " + accuracy + "\n";
  text = "FAIL: " + accuracy;
  if (!diffs.empty()) text += " (" + std::to_string(diffs.size()) + " differ)";
  text += "\n";
  for (const std::string& n : notes) text += "  note: " + n + "\n";
  for (const std::string& p : problems) text += "  " + p + "\n";
  for (const CellDiff& d : diffs) {
    text += "  '" + d.sheet + "'!" + d.cell + ": expected " + CellValueToText(d.expected) +
            ", actual " + CellValueToText(d.actual) + "\n";
  }
  return text;
}

Result<WorkbookComparison> CompareWorkbookFiles(const std::filesystem::path& golden,
                                                const std::filesystem::path& output,
                                                std::string_view answer_position,
                                                const GradeOptions& options) {
  Result<std::unique_ptr<xlsx::Workbook>> golden_wb = xlsx::Workbook::Open(golden);
  if (!golden_wb.ok()) return golden_wb.error().WithContext("golden workbook");
  xlsx::Workbook& gt = **golden_wb;

  WorkbookComparison result;
  std::error_code ec;
  if (!std::filesystem::exists(output, ec)) {
    result.problems.push_back("output workbook " + output.string() + " does not exist");
    result.output_missing = true;
    return result;
  }
  std::filesystem::path graded = output;
  if (options.recalc) {
    Result<std::filesystem::path> recalculated =
        xlsx::RecalculateWorkbook(output, options.recalc_options);
    if (!recalculated.ok()) {
      if (recalculated.error().code == ErrorCode::kNotFound) return recalculated.error();
      result.problems.push_back("recalculation failed: " + recalculated.error().message);
      return result;
    }
    graded = *recalculated;
    result.graded_output = graded;
  }
  Result<std::unique_ptr<xlsx::Workbook>> output_wb = xlsx::Workbook::Open(graded);
  if (!output_wb.ok()) {
    result.problems.push_back("output workbook unreadable: " + output_wb.error().message);
    return result;
  }
  xlsx::Workbook& proc = **output_wb;

  Result<std::vector<AnswerRange>> ranges = ParseAnswerPosition(answer_position);
  if (!ranges.ok()) {
    result.problems.push_back(ranges.error().message);
    return result;
  }
  // Cells the comparison has looked at on each golden sheet: openpyxl creates them when
  // the evaluator indexes them, so they extend a later whole-column range on that sheet.
  std::map<std::string, Extent> touched;
  std::vector<xlsx::CellRef> diff_refs;  // parallel to result.diffs, for ordering
  bool all_ok = true;
  for (const AnswerRange& ar : *ranges) {
    std::string sheet = ar.sheet ? *ar.sheet : gt.sheet_names().front();
    if (!proc.HasSheet(sheet)) {
      std::string known;
      for (const std::string& n : proc.sheet_names())
        known += (known.empty() ? "'" : ", '") + n + "'";
      result.problems.push_back("sheet '" + sheet + "' (answer_position part '" + ar.source +
                                "') is not in the output workbook (its sheets: " + known + ")");
      all_ok = false;
      continue;
    }
    Result<const xlsx::Worksheet*> gt_sheet = gt.Sheet(sheet);
    if (!gt_sheet.ok()) {
      result.problems.push_back("golden workbook: " + gt_sheet.error().message);
      all_ok = false;
      continue;
    }
    Result<const xlsx::Worksheet*> proc_sheet = proc.Sheet(sheet);
    if (!proc_sheet.ok()) {
      result.problems.push_back("output workbook unreadable: " + proc_sheet.error().message);
      all_ok = false;
      continue;
    }
    if ((*gt_sheet)->is_chartsheet() || (*proc_sheet)->is_chartsheet()) {
      result.problems.push_back("sheet '" + sheet + "' is a chart sheet and has no cells");
      all_ok = false;
      continue;
    }
    if (EndCornerHasNoColumn(ar.range)) {
      result.notes.push_back("answer_position part '" + ar.source +
                             "' ends without a column; as in the official evaluator it covers "
                             "no cell");
      continue;
    }
    Result<xlsx::CellRange> parsed = xlsx::ParseCellRange(ar.range);
    if (!parsed.ok()) {
      result.problems.push_back("answer_position part '" + ar.source +
                                "': " + parsed.error().message);
      all_ok = false;
      continue;
    }
    const xlsx::Worksheet& ws_gt = **gt_sheet;
    const xlsx::Worksheet& ws_proc = **proc_sheet;
    Extent& seen = touched[sheet];
    xlsx::CellRange range = parsed->Bounded(std::max(ws_gt.max_row(), seen.max_row),
                                            std::max(ws_gt.max_column(), seen.max_column));
    if (range.CellCount() > options.max_cells) {
      result.problems.push_back(
          "answer_position part '" + ar.source + "' covers " + std::to_string(range.CellCount()) +
          " cells, more than the limit of " + std::to_string(options.max_cells));
      all_ok = false;
      continue;
    }
    // Row by row, the order cells are stored in (far fewer cache misses); the differences
    // are then listed column by column, top to bottom, as the official evaluator visits them.
    std::size_t first_diff = result.diffs.size();
    for (int row = range.first_row; row <= range.last_row; ++row) {
      for (int col = range.first_column; col <= range.last_column; ++col) {
        xlsx::CellRef ref{row, col};
        const xlsx::CellValue& expected = ws_gt.Get(ref);
        const xlsx::CellValue& actual = ws_proc.Get(ref);
        result.shown_expected.Add(sheet, ref, expected);
        result.shown_actual.Add(sheet, ref, actual);
        if (!CellValuesMatch(expected, actual)) {
          result.diffs.push_back({sheet, xlsx::CellName(ref), expected, actual});
          diff_refs.push_back(ref);
        }
      }
    }
    result.cells_compared += range.CellCount();
    std::vector<std::size_t> order(result.diffs.size() - first_diff);
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = first_diff + k;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return diff_refs[a].column < diff_refs[b].column;
    });
    std::vector<CellDiff> sorted;
    sorted.reserve(order.size());
    for (std::size_t k : order) sorted.push_back(std::move(result.diffs[k]));
    std::move(sorted.begin(), sorted.end(),
              result.diffs.begin() + static_cast<std::ptrdiff_t>(first_diff));
    for (std::size_t k = 0; k < order.size(); ++k) diff_refs[first_diff + k] = {};
    seen.max_row = std::max(seen.max_row, range.last_row);
    seen.max_column = std::max(seen.max_column, range.last_column);
  }
  result.pass = all_ok && result.diffs.empty();
  result.total_count = result.cells_compared;
  result.match_count = result.cells_compared - result.diffs.size();
  return result;
}

Result<WorkbookComparison> CompareWorkbooks(const std::filesystem::path& golden,
                                            const std::filesystem::path& output,
                                            std::string_view answer_position,
                                            const GradeOptions& options) {
  if (options.grader == GraderKind::kSkillgrad) {
    return MeasureCellAccuracy(golden, output, answer_position, options);
  }
  return CompareWorkbookFiles(golden, output, answer_position, options);
}

Json GradeRequest(const Json& request, const GradeOptions& defaults) {
  if (!request.is_object()) {
    return {{"error", "the line is not a JSON object with golden, output and answer_position"}};
  }
  for (const char* field : {"golden", "output", "answer_position"}) {
    if (!request.contains(field) || !request[field].is_string()) {
      return {{"error", std::string("missing string field \"") + field + "\""}};
    }
  }
  GradeOptions options = defaults;
  if (request.contains("recalc")) {
    if (!request["recalc"].is_boolean()) return {{"error", "field \"recalc\" must be a boolean"}};
    options.recalc = request["recalc"].get<bool>();
  }
  Result<WorkbookComparison> result =
      CompareWorkbooks(request["golden"].get<std::string>(), request["output"].get<std::string>(),
                       request["answer_position"].get<std::string>(), options);
  if (!result.ok()) return {{"error", result.error().message}};
  return result->ToJson();
}

}  // namespace sg::tasks
