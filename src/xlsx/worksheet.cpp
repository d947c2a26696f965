#include "xlsx/worksheet.h"

#include <algorithm>
#include <pugixml.hpp>

#include "xlsx/excel_date.h"
#include "xlsx/python_number.h"
#include "xlsx/xml_util.h"

namespace sg::xlsx {
namespace {

const CellValue& EmptyValue() {
  static const CellValue kEmpty;
  return kEmpty;
}

}  // namespace

Worksheet Worksheet::Chartsheet(std::string_view name) {
  Worksheet ws;
  ws.name_ = name;
  ws.chartsheet_ = true;
  return ws;
}

void Worksheet::Extend(int row, int column) {
  max_row_ = std::max(max_row_, row);
  max_column_ = std::max(max_column_, column);
}

void Worksheet::AddExtentRefs(const std::vector<CellRef>& refs) {
  for (CellRef r : refs) Extend(r.row, r.column);
}

bool Worksheet::HiddenByMerge(CellRef ref) const {
  if (merges_.empty()) return false;
  if (ref.row < merge_box_.top || ref.row > merge_box_.bottom || ref.column < merge_box_.left ||
      ref.column > merge_box_.right) {
    return false;
  }
  for (const Merge& m : merges_) {  // sorted by top row
    if (m.top > ref.row) break;
    if (ref.row >= m.top && ref.row <= m.bottom && ref.column >= m.left && ref.column <= m.right) {
      return !(ref.row == m.top && ref.column == m.left);
    }
  }
  return false;
}

void Worksheet::BuildIndex() {
  keys_.resize(cells_.size());
  for (std::size_t i = 0; i < cells_.size(); ++i) keys_[i] = cells_[i].key;
  int last_row = cells_.empty() ? 0 : static_cast<int>(cells_.back().key >> 16);
  row_start_.assign(static_cast<std::size_t>(last_row) + 2, 0);
  std::size_t i = 0;
  for (int row = 0; row <= last_row + 1; ++row) {
    while (i < keys_.size() && static_cast<int>(keys_[i] >> 16) < row) ++i;
    row_start_[static_cast<std::size_t>(row)] = static_cast<std::uint32_t>(i);
  }
}

const CellValue& Worksheet::Get(CellRef ref) const {
  if (HiddenByMerge(ref)) return EmptyValue();
  if (ref.row < 0 || static_cast<std::size_t>(ref.row) + 1 >= row_start_.size()) {
    return EmptyValue();
  }
  std::uint64_t key = Key(ref.row, ref.column);
  auto begin = keys_.begin() + row_start_[static_cast<std::size_t>(ref.row)];
  auto end = keys_.begin() + row_start_[static_cast<std::size_t>(ref.row) + 1];
  auto it = std::lower_bound(begin, end, key);
  if (it == end || *it != key) return EmptyValue();
  return cells_[static_cast<std::size_t>(it - keys_.begin())].value;
}

Result<Worksheet> Worksheet::Parse(std::string_view name, std::string_view xml,
                                   const SheetContext& context) {
  pugi::xml_document doc;
  pugi::xml_parse_result parsed =
      doc.load_buffer(xml.data(), xml.size(), pugi::parse_default | pugi::parse_ws_pcdata_single);
  if (!parsed) {
    return ParseError(context.what + ": the sheet XML is malformed (" + parsed.description() +
                      " at byte " + std::to_string(parsed.offset) + ")");
  }
  Worksheet ws;
  ws.name_ = name;
  ws.cells_.reserve(std::min<std::size_t>(
      xml.size() / 48, std::size_t{1} << 20));  // a cell element takes some 30-60 bytes of XML
  pugi::xml_node root = doc.document_element();
  auto bad_cell = [&](std::string_view ref, const std::string& why) {
    return ParseError(context.what + ": cell " + std::string(ref) + " " + why);
  };
  const auto& strings = *context.shared_strings;
  const auto& styles = *context.style_kinds;
  for (pugi::xml_node section : root.children()) {
    std::string_view section_name = LocalName(section);
    if (section_name == "sheetData") {
      int row_counter = 0;
      for (pugi::xml_node row : section.children()) {
        if (LocalName(row) != "row") continue;
        if (pugi::xml_attribute r = row.attribute("r")) {
          row_counter = r.as_int();
          if (row_counter < 1 || row_counter > kMaxRow) {
            return ParseError(context.what + ": row number '" + r.value() + "' is out of range");
          }
        } else {
          ++row_counter;
        }
        int column_counter = 0;
        for (pugi::xml_node c : row.children()) {
          if (LocalName(c) != "c") continue;
          CellRef ref;
          const char* r = c.attribute("r").value();
          if (*r != '\0') {
            ref = ParseCellRef(r);
            if (ref.row == 0) return bad_cell(r, "has a malformed reference");
            column_counter = ref.column;
          } else {
            ref = {row_counter, ++column_counter};
            if (ref.column > kMaxColumn) return bad_cell("?", "lies past column XFD");
          }
          std::string_view type = c.attribute("t").value();
          if (type.empty()) type = "n";
          int style = c.attribute("s").as_int(0);
          pugi::xml_node v_node, is_node;
          for (pugi::xml_node child : c.children()) {
            std::string_view cn = LocalName(child);
            if (cn == "v")
              v_node = child;
            else if (cn == "is")
              is_node = child;
          }
          std::string_view v = v_node ? v_node.child_value() : "";
          CellValue value;
          if (type == "inlineStr") {
            if (is_node) value = CellValue::String(RichTextContent(is_node));
          } else if (!v.empty()) {
            if (type == "n") {
              bool is_float = v.find_first_of(".eE") != std::string_view::npos;
              std::optional<double> number = is_float ? ParsePythonFloat(v) : ParsePythonInt(v);
              if (!number)
                return bad_cell(CellName(ref),
                                "holds '" + std::string(v) + "', which is not a number");
              std::uint8_t kind = style >= 0 && static_cast<std::size_t>(style) < styles.size()
                                      ? styles[style]
                                      : std::uint8_t{kPlainStyle};
              if (kind == kPlainStyle) {
                value = CellValue::Number(*number);
              } else {
                value = FromExcelSerial(*number, context.epoch_1904, kind == kDurationStyle);
              }
            } else if (type == "s") {
              std::optional<double> index = ParsePythonInt(v);
              if (!index || *index < 0 || *index >= static_cast<double>(strings.size())) {
                return bad_cell(CellName(ref), "refers to shared string " + std::string(v) +
                                                   ", which the workbook does not have");
              }
              value = CellValue::String(strings[static_cast<std::size_t>(*index)]);
            } else if (type == "b") {
              std::optional<double> flag = ParsePythonInt(v);
              if (!flag) return bad_cell(CellName(ref), "holds a malformed boolean");
              value = CellValue::Bool(*flag != 0);
            } else if (type == "e") {
              value = CellValue::ErrorValue(std::string(v));
            } else if (type == "d") {
              Result<CellValue> when = FromIso8601(v);
              if (!when.ok())
                return when.error().WithContext(context.what + ": cell " + CellName(ref));
              value = *when;
            } else {  // "str" and anything unknown: the text as is
              value = CellValue::String(std::string(v));
            }
          }
          ws.Extend(ref.row, ref.column);
          ws.cells_.push_back({Key(ref.row, ref.column), std::move(value)});
        }
      }
    } else if (section_name == "mergeCells") {
      for (pugi::xml_node m : section.children()) {
        if (LocalName(m) != "mergeCell") continue;
        Result<CellRange> range = ParseCellRange(m.attribute("ref").value());
        if (!range.ok() || range->whole_columns() || range->whole_rows()) {
          return ParseError(context.what + ": merged range '" +
                            std::string(m.attribute("ref").value()) + "' is malformed");
        }
        Merge merge{range->first_row, range->first_column, range->last_row, range->last_column};
        if (merge.top == merge.bottom && merge.left == merge.right) continue;
        ws.merges_.push_back(merge);
        ws.Extend(merge.bottom, merge.right);
      }
    } else if (section_name == "hyperlinks") {
      for (pugi::xml_node h : section.children()) {
        if (LocalName(h) != "hyperlink") continue;
        Result<CellRange> range = ParseCellRange(h.attribute("ref").value());
        if (range.ok() && !range->whole_columns() && !range->whole_rows()) {
          ws.Extend(range->last_row, range->last_column);
        }
      }
    }
  }
  if (!ws.merges_.empty()) {
    std::sort(ws.merges_.begin(), ws.merges_.end(),
              [](const Merge& a, const Merge& b) { return a.top < b.top; });
    ws.merge_box_ = ws.merges_.front();
    for (const Merge& m : ws.merges_) {
      ws.merge_box_.top = std::min(ws.merge_box_.top, m.top);
      ws.merge_box_.left = std::min(ws.merge_box_.left, m.left);
      ws.merge_box_.bottom = std::max(ws.merge_box_.bottom, m.bottom);
      ws.merge_box_.right = std::max(ws.merge_box_.right, m.right);
    }
  }
  // Files are normally in order; when not, sort and keep the last element written for a
  // coordinate, as openpyxl's cell dictionary does.
  if (!std::is_sorted(ws.cells_.begin(), ws.cells_.end(),
                      [](const Entry& a, const Entry& b) { return a.key < b.key; }) ||
      std::adjacent_find(ws.cells_.begin(), ws.cells_.end(), [](const Entry& a, const Entry& b) {
        return a.key == b.key;
      }) != ws.cells_.end()) {
    std::stable_sort(ws.cells_.begin(), ws.cells_.end(),
                     [](const Entry& a, const Entry& b) { return a.key < b.key; });
    std::vector<Entry> unique;
    unique.reserve(ws.cells_.size());
    for (Entry& e : ws.cells_) {
      if (!unique.empty() && unique.back().key == e.key) {
        unique.back() = std::move(e);
      } else {
        unique.push_back(std::move(e));
      }
    }
    ws.cells_ = std::move(unique);
  }
  ws.BuildIndex();
  return ws;
}

}  // namespace sg::xlsx
