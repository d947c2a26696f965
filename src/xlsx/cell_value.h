// A cell's value as openpyxl returns it when it loads a workbook with data_only=True:
// the cached result of a formula, never the formula. Numbers whose style has a date or
// time format become datetimes, times or timedeltas, as openpyxl types them.
#pragma once

#include <cstdint>
#include <string>

namespace sg::xlsx {

enum class ValueKind {
  kEmpty,      // None
  kNumber,     // int or float
  kString,     // str (shared, inline, or a formula's string result)
  kBool,       // bool
  kError,      // an error value such as "#N/A" (openpyxl gives it as a str)
  kDateTime,   // datetime.datetime
  kDate,       // datetime.date (only from ISO 8601 cells, t="d")
  kTime,       // datetime.time
  kTimedelta,  // datetime.timedelta (duration formats such as [h]:mm:ss)
};

struct DateTimeFields {
  int year = 1900, month = 1, day = 1;
  int hour = 0, minute = 0, second = 0, microsecond = 0;
  bool operator==(const DateTimeFields&) const = default;
};

struct CellValue {
  ValueKind kind = ValueKind::kEmpty;
  double number = 0.0;   // kNumber
  bool boolean = false;  // kBool
  std::string text;      // kString, kError
  DateTimeFields when;   // kDateTime, kDate, kTime
  // kTimedelta as Python's timedelta holds it: whole days (floored) and the microseconds
  // into the last day, 0 <= timedelta_us < 86400 * 10^6. Python's range of +-999999999 days
  // does not fit in 64-bit microseconds.
  std::int64_t timedelta_days = 0;
  std::int64_t timedelta_us = 0;

  // A duration of `total_us` microseconds (any sign), split as above.
  static CellValue Duration(std::int64_t total_us);

  static CellValue Number(double v) {
    CellValue c;
    c.kind = ValueKind::kNumber;
    c.number = v;
    return c;
  }
  static CellValue String(std::string s) {
    CellValue c;
    c.kind = ValueKind::kString;
    c.text = std::move(s);
    return c;
  }
  static CellValue Bool(bool b) {
    CellValue c;
    c.kind = ValueKind::kBool;
    c.boolean = b;
    return c;
  }
  static CellValue ErrorValue(std::string s) {
    CellValue c;
    c.kind = ValueKind::kError;
    c.text = std::move(s);
    return c;
  }

  bool empty() const { return kind == ValueKind::kEmpty; }
  // What Python's str() prints for the value openpyxl returns ("None" for empty).
  std::string ToPythonStr() const;
  // Short type name as Python would say it: NoneType, float, str, bool, datetime, ...
  const char* PythonTypeName() const;
};

// Python's repr of a float: the shortest string that reads back to the same double.
std::string PythonFloatRepr(double v);

}  // namespace sg::xlsx
