#include "xlsx/excel_date.h"

#include <cmath>
#include <cstdlib>
#include <string>

namespace sg::xlsx {
namespace {

constexpr std::int64_t kMsPerDay = 86400000;
constexpr std::int64_t kUsPerDay = 86400000000LL;
constexpr std::int64_t kMaxTimedeltaDays = 999999999;

CellValue ValueError() { return CellValue::ErrorValue("#VALUE!"); }

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// Python's round() of a float to an integer: half to even on the exact value.
double RoundHalfEven(double v) { return std::nearbyint(v); }

CellValue Timedelta(double serial) {
  if (!std::isfinite(serial) || std::fabs(serial) > static_cast<double>(kMaxTimedeltaDays)) {
    return ValueError();
  }
  double whole_days;
  double day_fraction = std::modf(serial, &whole_days);
  double whole_seconds;
  double second_fraction = std::modf(day_fraction * 86400.0, &whole_seconds);
  double micro = RoundHalfEven(second_fraction * 1e6);
  // 128 bits: 999999999 days are 8.6e19 microseconds, beyond 64 bits.
  using Wide = __int128;
  Wide total = static_cast<Wide>(static_cast<std::int64_t>(whole_days)) * kUsPerDay +
               static_cast<std::int64_t>(whole_seconds) * 1000000 +
               static_cast<std::int64_t>(micro);
  auto floor_div = [](Wide a, Wide b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); };
  auto us_part = static_cast<std::int64_t>(total - floor_div(total, 1000000) * 1000000);
  if (us_part != 0) {
    // openpyxl rounds a duration to milliseconds: floor of the seconds (a float, as
    // Python's total_seconds() is) plus the microseconds rounded half-even to thousands.
    double total_seconds = static_cast<double>(total) / 1e6;
    auto seconds = static_cast<std::int64_t>(std::floor(total_seconds));
    std::int64_t ms = us_part / 1000, rem = us_part % 1000;
    if (rem > 500 || (rem == 500 && ms % 2 == 1)) ++ms;
    total = static_cast<Wide>(seconds) * 1000000 + ms * 1000;
  }
  CellValue v;
  v.kind = ValueKind::kTimedelta;
  v.timedelta_days = static_cast<std::int64_t>(floor_div(total, kUsPerDay));
  v.timedelta_us = static_cast<std::int64_t>(total - floor_div(total, kUsPerDay) * kUsPerDay);
  return v;
}

}  // namespace

std::int64_t DaysFromCivil(int year, int month, int day) {
  std::int64_t y = year - (month <= 2 ? 1 : 0);
  std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  std::int64_t yoe = y - era * 400;
  std::int64_t mp = (month + 9) % 12;
  std::int64_t doy = (153 * mp + 2) / 5 + day - 1;
  std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(std::int64_t days, int& year, int& month, int& day) {
  days += 719468;
  std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  std::int64_t doe = days - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = yoe + era * 400;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  year = static_cast<int>(y + (month <= 2 ? 1 : 0));
}

CellValue FromExcelSerial(double serial, bool epoch_1904, bool duration) {
  if (duration) return Timedelta(serial);
  if (!std::isfinite(serial) || std::fabs(serial) > 4e6) return ValueError();
  double day = std::floor(serial);
  double fraction = serial - day;
  auto ms = static_cast<std::int64_t>(RoundHalfEven(fraction * 86400.0 * 1000.0));
  CellValue v;
  if (serial >= 0 && serial < 1 && ms < kMsPerDay) {
    v.kind = ValueKind::kTime;
    std::int64_t secs = ms / 1000;
    v.when = {1900,
              1,
              1,
              static_cast<int>(secs / 3600),
              static_cast<int>((secs / 60) % 60),
              static_cast<int>(secs % 60),
              static_cast<int>((ms % 1000) * 1000)};
    return v;
  }
  if (!epoch_1904 && serial > 0 && serial < 60) day += 1;
  std::int64_t epoch_days = epoch_1904 ? DaysFromCivil(1904, 1, 1) : DaysFromCivil(1899, 12, 30);
  std::int64_t total_ms = (epoch_days + static_cast<std::int64_t>(day)) * kMsPerDay + ms;
  std::int64_t days = FloorDiv(total_ms, kMsPerDay);
  std::int64_t ms_of_day = total_ms - days * kMsPerDay;
  v.kind = ValueKind::kDateTime;
  CivilFromDays(days, v.when.year, v.when.month, v.when.day);
  if (v.when.year < 1 || v.when.year > 9999) return ValueError();
  std::int64_t secs = ms_of_day / 1000;
  v.when.hour = static_cast<int>(secs / 3600);
  v.when.minute = static_cast<int>((secs / 60) % 60);
  v.when.second = static_cast<int>(secs % 60);
  v.when.microsecond = static_cast<int>((ms_of_day % 1000) * 1000);
  return v;
}

Result<CellValue> FromIso8601(std::string_view text) {
  auto digits = [&](std::size_t pos, std::size_t n, int& out) {
    if (pos + n > text.size()) return false;
    out = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  CellValue v;
  std::size_t pos = 0;
  bool has_date = false, has_time = false;
  if (digits(0, 4, v.when.year) && text.size() >= 10 && text[4] == '-' &&
      digits(5, 2, v.when.month) && text[7] == '-' && digits(8, 2, v.when.day)) {
    has_date = true;
    pos = 10;
  }
  if (pos < text.size() && text[pos] == 'T') ++pos;
  if (digits(pos, 2, v.when.hour) && pos + 2 < text.size() && text[pos + 2] == ':' &&
      digits(pos + 3, 2, v.when.minute)) {
    has_time = true;
    pos += 5;
    if (pos < text.size() && text[pos] == ':' && digits(pos + 1, 2, v.when.second)) {
      pos += 3;
      if (pos < text.size() && text[pos] == '.') {
        std::size_t end = pos + 1;
        while (end < text.size() && end < pos + 4 && text[end] >= '0' && text[end] <= '9') ++end;
        std::string frac(text.substr(pos, end - pos));
        v.when.microsecond = static_cast<int>(std::strtod(frac.c_str(), nullptr) * 1000000);
      }
    }
  }
  auto bad = [&] {
    return ParseError("date cell value '" + std::string(text) + "' is not an ISO 8601 date/time");
  };
  if (!has_date && !has_time) return bad();
  if (has_date && (v.when.month < 1 || v.when.month > 12 || v.when.day < 1 || v.when.day > 31 ||
                   v.when.year < 1)) {
    return bad();
  }
  if (v.when.hour > 23 || v.when.minute > 59 || v.when.second > 59) return bad();
  v.kind = !has_date ? ValueKind::kTime : (!has_time ? ValueKind::kDate : ValueKind::kDateTime);
  return v;
}

}  // namespace sg::xlsx
