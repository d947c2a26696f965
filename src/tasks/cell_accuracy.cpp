#include "tasks/cell_accuracy.h"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tasks/cell_compare.h"
#include "tasks/openpyxl_range.h"
#include "xlsx/cell_ref.h"
#include "xlsx/workbook.h"

namespace sg::tasks {
namespace {

namespace fs = std::filesystem;

const xlsx::CellValue kNoValue;

// One part of the answer_position as one workbook reads it.
struct PartReading {
  std::string prefix;                      // of its keys: "Data!" or ""
  std::string sheet_name;                  // the sheet named, or the workbook's first
  std::string range;                       // as written after the quotes went
  const xlsx::Worksheet* sheet = nullptr;  // null: one entry keyed by the text, no value
  OpenpyxlRegion region;                   // the cells, when `sheet` is set
  // A text key that is also a cell's coordinate ("Gone!A1") is the same key as that cell's.
  std::optional<xlsx::CellRef> text_cell;

  bool Holds(xlsx::CellRef ref) const {
    return sheet != nullptr ? region.Covers(ref.row, ref.column) : text_cell == ref;
  }
};

std::optional<xlsx::CellRef> CanonicalCell(const std::string& text) {
  const xlsx::CellRef ref = xlsx::ParseCellRef(text);
  if (ref.row == 0 || xlsx::CellName(ref) != text) return std::nullopt;
  return ref;
}

// Reads every part on `wb`, extending each sheet's extent by the cells each read creates, as
// openpyxl does. `notes` gets the parts that read as one valueless entry.
Result<std::vector<PartReading>> ReadParts(xlsx::Workbook& wb,
                                           const std::vector<MethodPositionPart>& parts,
                                           std::string_view which,
                                           std::vector<std::string>* notes) {
  std::map<std::string, std::pair<int, int>> extent;
  std::vector<PartReading> out;
  for (const MethodPositionPart& part : parts) {
    PartReading r;
    r.prefix = part.key_prefix();
    r.range = part.range;
    const std::string shown = r.prefix + part.range;
    if (part.sheet.empty() && !wb.sheet_names().empty()) r.sheet_name = wb.sheet_names().front();
    if (!part.sheet.empty()) r.sheet_name = part.sheet;
    if (!wb.HasSheet(r.sheet_name)) {
      notes->push_back(std::string(which) + " workbook has no sheet '" + r.sheet_name + "': '" +
                       shown + "' counts as one cell with no value");
    } else {
      SG_ASSIGN_OR_RETURN(const xlsx::Worksheet* ws, wb.Sheet(r.sheet_name));
      if (ws->is_chartsheet()) {
        notes->push_back("sheet '" + r.sheet_name + "' of the " + std::string(which) +
                         " workbook is a chart sheet: '" + shown +
                         "' counts as one cell with no value");
      } else {
        auto [it, inserted] = extent.try_emplace(r.sheet_name, ws->max_row(), ws->max_column());
        r.region = ReadOpenpyxlRange(part.range, it->second.first, it->second.second);
        if (!r.region.readable) {
          if (which == "the golden") {
            notes->push_back("openpyxl cannot read the range '" + part.range +
                             "': it counts as one cell with no value");
          }
        } else {
          r.sheet = ws;
          if (!r.region.empty()) {
            it->second.first = std::max(it->second.first, r.region.last_row);
            it->second.second = std::max(it->second.second, r.region.last_column);
          }
        }
      }
    }
    if (r.sheet == nullptr) r.text_cell = CanonicalCell(r.range);
    out.push_back(std::move(r));
  }
  return out;
}

// Visits each distinct expected key once, in the order openpyxl returns the cells:
// visit(part index, the cell (nullopt for a text key), its value).
template <typename Visit>
void ForEachExpectedEntry(const std::vector<PartReading>& parts, Visit visit) {
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const PartReading& p = parts[i];
    std::vector<std::size_t> earlier;  // parts before this one with the same key prefix
    for (std::size_t j = 0; j < i; ++j) {
      if (parts[j].prefix == p.prefix) earlier.push_back(j);
    }
    auto seen = [&](xlsx::CellRef ref) {
      for (std::size_t j : earlier) {
        if (parts[j].Holds(ref)) return true;
      }
      return false;
    };
    if (p.sheet == nullptr) {
      if (p.text_cell) {
        if (!seen(*p.text_cell)) visit(i, p.text_cell, kNoValue);
        continue;
      }
      bool repeated = false;
      for (std::size_t j : earlier) {
        repeated = repeated || (parts[j].sheet == nullptr && parts[j].range == p.range);
      }
      if (!repeated) visit(i, std::nullopt, kNoValue);
      continue;
    }
    const OpenpyxlRegion& g = p.region;
    if (g.empty()) continue;
    const int outer_first = g.by_column ? g.first_column : g.first_row;
    const int outer_last = g.by_column ? g.last_column : g.last_row;
    const int inner_first = g.by_column ? g.first_row : g.first_column;
    const int inner_last = g.by_column ? g.last_row : g.last_column;
    for (int outer = outer_first; outer <= outer_last; ++outer) {
      for (int inner = inner_first; inner <= inner_last; ++inner) {
        const xlsx::CellRef ref =
            g.by_column ? xlsx::CellRef{inner, outer} : xlsx::CellRef{outer, inner};
        if (!seen(ref)) visit(i, ref, p.sheet->Get(ref));
      }
    }
  }
}

// The output's value under a cell key: the last part of that prefix holding the cell.
const xlsx::CellValue& ActualValue(const std::vector<PartReading>& actual,
                                   const std::string& prefix, xlsx::CellRef ref) {
  for (auto it = actual.rbegin(); it != actual.rend(); ++it) {
    if (it->prefix != prefix || !it->Holds(ref)) continue;
    return it->sheet != nullptr ? it->sheet->Get(ref) : kNoValue;
  }
  return kNoValue;
}

// Every entry one workbook's reading gives, the first kShownCellLimit kept (the
// diagnoser's view); returns how many there are.
std::uint64_t ShowEntries(const std::vector<PartReading>& parts, ShownCells* shown) {
  ForEachExpectedEntry(
      parts, [&](std::size_t i, std::optional<xlsx::CellRef> ref, const xlsx::CellValue& value) {
        if (ref) {
          shown->Add(parts[i].sheet_name, *ref, value);
        } else {
          shown->AddText(parts[i].sheet_name, parts[i].range);
        }
      });
  return shown->total;
}

void Compare(const std::vector<PartReading>& expected, const std::vector<PartReading>& actual,
             WorkbookComparison* result) {
  ForEachExpectedEntry(
      expected, [&](std::size_t i, std::optional<xlsx::CellRef> ref, const xlsx::CellValue& want) {
        ++result->total_count;
        const PartReading& part = expected[i];
        const xlsx::CellValue& got = ref ? ActualValue(actual, part.prefix, *ref) : kNoValue;
        if (CellValuesMatch(want, got)) {
          ++result->match_count;
        } else {
          result->diffs.push_back(
              {part.sheet_name, ref ? xlsx::CellName(*ref) : part.range, want, got});
        }
      });
  result->cells_compared = result->total_count;
}

// The workbook to grade: the recalculated copy, or the output itself when recalculation
// failed (noted), as the method grades it then.
Result<fs::path> GradedOutput(const fs::path& output, const GradeOptions& options,
                              WorkbookComparison* result) {
  if (!options.recalc) return output;
  Result<fs::path> recalculated = xlsx::RecalculateWorkbook(output, options.recalc_options);
  if (recalculated.ok()) {
    result->graded_output = *recalculated;
    return *recalculated;
  }
  if (recalculated.error().code == ErrorCode::kNotFound) return recalculated.error();
  result->notes.push_back("recalculation failed (" + recalculated.error().message +
                          "); the output is graded as saved");
  return output;
}

}  // namespace

Result<WorkbookComparison> MeasureCellAccuracy(const fs::path& golden, const fs::path& output,
                                               std::string_view answer_position,
                                               const GradeOptions& options) {
  Result<std::unique_ptr<xlsx::Workbook>> golden_wb = xlsx::Workbook::Open(golden);
  if (!golden_wb.ok()) return golden_wb.error().WithContext("golden workbook");
  WorkbookComparison result;
  result.grader = "skillgrad";
  const std::vector<MethodPositionPart> parts = SplitPositionAsTheMethod(answer_position);
  Result<std::vector<PartReading>> expected =
      ReadParts(**golden_wb, parts, "the golden", &result.notes);
  if (!expected.ok()) return expected.error().WithContext("golden workbook");
  std::uint64_t cells = 0;
  for (const PartReading& p : *expected) cells += p.sheet != nullptr ? p.region.CellCount() : 1;
  if (cells > options.max_cells) {
    result.problems.push_back("answer_position '" + std::string(answer_position) + "' covers " +
                              std::to_string(cells) + " cells, more than the limit of " +
                              std::to_string(options.max_cells));
    return result;
  }
  std::error_code ec;
  if (!fs::exists(output, ec)) {
    result.problems.push_back("output workbook " + output.string() + " does not exist");
    result.output_missing = true;
    result.total_count = ShowEntries(*expected, &result.shown_expected);
    return result;
  }
  SG_ASSIGN_OR_RETURN(fs::path graded, GradedOutput(output, options, &result));
  Result<std::unique_ptr<xlsx::Workbook>> output_wb = xlsx::Workbook::Open(graded);
  Result<std::vector<PartReading>> actual =
      output_wb.ok() ? ReadParts(**output_wb, parts, "the output", &result.notes)
                     : Result<std::vector<PartReading>>(output_wb.error());
  if (!actual.ok()) {
    result.problems.push_back("output workbook unreadable: " + actual.error().message);
    result.total_count = ShowEntries(*expected, &result.shown_expected);
    return result;
  }
  ShowEntries(*expected, &result.shown_expected);
  ShowEntries(*actual, &result.shown_actual);
  Compare(*expected, *actual, &result);
  result.pass = result.match_count == result.total_count;
  return result;
}

}  // namespace sg::tasks
