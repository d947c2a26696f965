// SpreadsheetBench's cell comparison with the official evaluator's Python semantics.
// Each value is first transformed: numbers and booleans (Python bools are ints) to
// round(float(v), 2); a time to str(t)[:-3] ("HH:MM" for whole seconds); a datetime to its
// Excel serial (days + seconds/86400 since 1899-12-30) rounded to a whole day; a string
// that Python's float() accepts to round(float(s), 2); anything else is kept. Then: ""
// equals an empty cell, two empties are equal, values of different types differ, and
// values of the same type compare with ==  (so NaN never matches).
#pragma once

#include <string>

#include "core/json.h"
#include "xlsx/cell_value.h"

namespace sg::tasks {

struct ComparableValue {
  enum class Kind { kNone, kFloat, kStr, kOther };
  Kind kind = Kind::kNone;
  double number = 0.0;  // kFloat
  // kStr, and for kOther a type-tagged rendering compared with ==: either the source
  // cell's own text (borrowed, valid while the cell value lives) or an owned string.
  const std::string* borrowed = nullptr;
  std::string owned;
  std::string_view text() const { return borrowed != nullptr ? *borrowed : owned; }
};

ComparableValue TransformCellValue(const xlsx::CellValue& value);
bool CellValuesMatch(const xlsx::CellValue& expected, const xlsx::CellValue& actual);

// "Sheet1"!B3 style rendering helpers for reports: the value as JSON (numbers, strings,
// booleans, null; dates and times as their Python str()).
Json CellValueToJson(const xlsx::CellValue& value);
// A short human rendering: 12.5, "text", TRUE, empty, 2024-01-31 00:00:00.
std::string CellValueToText(const xlsx::CellValue& value);

}  // namespace sg::tasks
