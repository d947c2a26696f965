#include "tasks/cell_compare.h"

#include <cmath>

#include "xlsx/excel_date.h"
#include "xlsx/python_number.h"

namespace sg::tasks {

using xlsx::CellValue;
using xlsx::ValueKind;

ComparableValue TransformCellValue(const CellValue& value) {
  ComparableValue out;
  using Kind = ComparableValue::Kind;
  switch (value.kind) {
    case ValueKind::kEmpty:
      return out;
    case ValueKind::kNumber:
      out.kind = Kind::kFloat;
      out.number = xlsx::PythonRound(value.number, 2);
      return out;
    case ValueKind::kBool:
      out.kind = Kind::kFloat;
      out.number = value.boolean ? 1.0 : 0.0;
      return out;
    case ValueKind::kTime: {
      std::string s = value.ToPythonStr();
      out.kind = Kind::kStr;
      out.owned = s.substr(0, s.size() - 3);
      return out;
    }
    case ValueKind::kDateTime: {
      // (dt - 1899-12-30): whole days and the seconds of the day; microseconds ignored.
      std::int64_t days = xlsx::DaysFromCivil(value.when.year, value.when.month, value.when.day) -
                          xlsx::DaysFromCivil(1899, 12, 30);
      int seconds = value.when.hour * 3600 + value.when.minute * 60 + value.when.second;
      out.kind = Kind::kFloat;
      out.number = std::nearbyint(static_cast<double>(days) + seconds / 86400.0);
      return out;
    }
    case ValueKind::kString:
    case ValueKind::kError: {
      if (std::optional<double> number = xlsx::ParsePythonFloat(value.text)) {
        out.kind = Kind::kFloat;
        out.number = xlsx::PythonRound(*number, 2);
      } else {
        out.kind = Kind::kStr;
        out.borrowed = &value.text;
      }
      return out;
    }
    case ValueKind::kDate:
      out.kind = Kind::kOther;
      out.owned = "date:" + value.ToPythonStr();
      return out;
    case ValueKind::kTimedelta:
      out.kind = Kind::kOther;
      out.owned = "timedelta:" + std::to_string(value.timedelta_days) + ":" +
                  std::to_string(value.timedelta_us);
      return out;
  }
  return out;
}

bool CellValuesMatch(const CellValue& expected, const CellValue& actual) {
  using Kind = ComparableValue::Kind;
  ComparableValue a = TransformCellValue(expected);
  ComparableValue b = TransformCellValue(actual);
  auto empty_string = [](const ComparableValue& v) {
    return v.kind == Kind::kStr && v.text().empty();
  };
  if ((empty_string(a) && b.kind == Kind::kNone) || (a.kind == Kind::kNone && empty_string(b))) {
    return true;
  }
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case Kind::kNone:
      return true;
    case Kind::kFloat:
      return a.number == b.number;
    case Kind::kStr:
    case Kind::kOther:
      return a.text() == b.text();
  }
  return false;
}

Json CellValueToJson(const CellValue& value) {
  switch (value.kind) {
    case ValueKind::kEmpty:
      return nullptr;
    case ValueKind::kNumber:
      if (!std::isfinite(value.number)) return xlsx::PythonFloatRepr(value.number);
      return value.number;
    case ValueKind::kBool:
      return value.boolean;
    case ValueKind::kString:
    case ValueKind::kError:
      return value.text;
    default:
      return value.ToPythonStr();
  }
}

std::string CellValueToText(const CellValue& value) {
  switch (value.kind) {
    case ValueKind::kEmpty:
      return "empty";
    case ValueKind::kString:
      return Json(value.text).dump(-1, ' ', false, Json::error_handler_t::replace);
    case ValueKind::kBool:
      return value.boolean ? "TRUE" : "FALSE";
    case ValueKind::kNumber:
    case ValueKind::kError:
      return value.ToPythonStr();
    default:
      return value.ToPythonStr() + " (" + value.PythonTypeName() + ")";
  }
}

}  // namespace sg::tasks
