#include "xlsx/cell_value.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdio>

namespace sg::xlsx {
namespace {

std::string Two(int v) { return fmt::format("{:02d}", v); }

std::string TimeStr(const DateTimeFields& t) {
  std::string s = Two(t.hour) + ":" + Two(t.minute) + ":" + Two(t.second);
  if (t.microsecond != 0) s += fmt::format(".{:06d}", t.microsecond);
  return s;
}

std::string DateStr(const DateTimeFields& t) {
  return fmt::format("{:04d}-{:02d}-{:02d}", t.year, t.month, t.day);
}

// datetime.timedelta.__str__: "[-]D day[s], H:MM:SS[.ffffff]".
constexpr std::int64_t kDayUs = 86400LL * 1000000LL;

// Python's str(timedelta): "[-]N day[s], H:MM:SS[.ffffff]" from floored days.
std::string TimedeltaStr(std::int64_t days, std::int64_t rest) {
  std::int64_t secs = rest / 1000000, us = rest % 1000000;
  std::string s;
  if (days != 0) s = fmt::format("{} day{}, ", days, (days == 1 || days == -1) ? "" : "s");
  s += fmt::format("{}:{:02d}:{:02d}", secs / 3600, (secs / 60) % 60, secs % 60);
  if (us != 0) s += fmt::format(".{:06d}", us);
  return s;
}

}  // namespace

CellValue CellValue::Duration(std::int64_t total_us) {
  CellValue c;
  c.kind = ValueKind::kTimedelta;
  c.timedelta_days = total_us / kDayUs;
  c.timedelta_us = total_us % kDayUs;
  if (c.timedelta_us < 0) {
    c.timedelta_us += kDayUs;
    c.timedelta_days -= 1;
  }
  return c;
}

std::string PythonFloatRepr(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  std::string s(buf, res.ptr);
  // Python switches to exponent notation below 1e-4 and from 1e16; to_chars' shortest
  // form picks by length, so render through the digits and exponent instead.
  char sci[64];
  auto r2 = std::to_chars(sci, sci + sizeof sci, v, std::chars_format::scientific);
  std::string e(sci, r2.ptr);
  std::size_t epos = e.find('e');
  int exponent = std::stoi(e.substr(epos + 1));
  std::string mantissa = e.substr(0, epos);
  bool negative = mantissa[0] == '-';
  if (negative) mantissa.erase(0, 1);
  std::string digits;
  for (char c : mantissa) {
    if (c != '.') digits += c;
  }
  std::string out;
  if (exponent >= -5 && exponent < 16) {
    if (exponent < 0) {
      out = "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
    } else if (static_cast<int>(digits.size()) <= exponent + 1) {
      out =
          digits + std::string(static_cast<std::size_t>(exponent + 1 - digits.size()), '0') + ".0";
    } else {
      out = digits.substr(0, exponent + 1) + "." + digits.substr(exponent + 1);
    }
  } else {
    out = digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    out += fmt::format("e{}{:02d}", exponent < 0 ? "-" : "+", std::abs(exponent));
  }
  return negative ? "-" + out : out;
}

std::string CellValue::ToPythonStr() const {
  switch (kind) {
    case ValueKind::kEmpty:
      return "None";
    case ValueKind::kNumber:
      if (number == std::floor(number) && std::fabs(number) < 1e16) {
        return fmt::format("{:.0f}", number);  // openpyxl gives integral cells as int
      }
      return PythonFloatRepr(number);
    case ValueKind::kString:
    case ValueKind::kError:
      return text;
    case ValueKind::kBool:
      return boolean ? "True" : "False";
    case ValueKind::kDateTime:
      return DateStr(when) + " " + TimeStr(when);
    case ValueKind::kDate:
      return DateStr(when);
    case ValueKind::kTime:
      return TimeStr(when);
    case ValueKind::kTimedelta:
      return TimedeltaStr(timedelta_days, timedelta_us);
  }
  return "";
}

const char* CellValue::PythonTypeName() const {
  switch (kind) {
    case ValueKind::kEmpty:
      return "NoneType";
    case ValueKind::kNumber:
      return "number";
    case ValueKind::kString:
      return "str";
    case ValueKind::kError:
      return "error";
    case ValueKind::kBool:
      return "bool";
    case ValueKind::kDateTime:
      return "datetime";
    case ValueKind::kDate:
      return "date";
    case ValueKind::kTime:
      return "time";
    case ValueKind::kTimedelta:
      return "timedelta";
  }
  return "";
}

}  // namespace sg::xlsx
