// How openpyxl (3.1) reads `ws[text]` and the position splitting of the SkillGrad method's
// grader (tasks/cell_accuracy.h), which takes ranges as openpyxl returns them rather than as
// the official evaluator expands them. The differences that matter: reversed corners
// ("B2:A1", "C:A", "3:1") cover no cell; a row 0 reads as row 1 at the start of a range and
// as the sheet's last row at its end; surrounding spaces, a corner without a column
// ("BD2:308") and any other text openpyxl refuses make the whole part unreadable; whole
// columns and rows span the sheet's extent at the time of the read, which the cells that
// earlier reads created extend.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sg::tasks {

// The cells openpyxl returns for one range, given the sheet's current max_row/max_column.
struct OpenpyxlRegion {
  bool readable = false;   // false: openpyxl raises on this text
  bool by_column = false;  // whole columns come column by column, everything else by row
  int first_row = 0, last_row = -1;
  int first_column = 0, last_column = -1;

  bool empty() const { return last_row < first_row || last_column < first_column; }
  std::uint64_t CellCount() const;
  bool Covers(int row, int column) const {
    return readable && row >= first_row && row <= last_row && column >= first_column &&
           column <= last_column;
  }
};

OpenpyxlRegion ReadOpenpyxlRange(std::string_view text, int max_row, int max_column);

// One part of an answer_position as the method splits it: on commas outside single quotes;
// a part holding "!" is split at the first one into sheet and range, each losing every
// leading and trailing quote; spaces around the part go, spaces inside it stay.
struct MethodPositionPart {
  std::string sheet;  // "" when the part names none: each workbook's own first sheet
  std::string range;
  std::string key_prefix() const { return sheet.empty() ? std::string() : sheet + "!"; }
};

std::vector<MethodPositionPart> SplitPositionAsTheMethod(std::string_view text);

}  // namespace sg::tasks
