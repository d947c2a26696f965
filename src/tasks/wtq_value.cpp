#include "tasks/wtq_value.h"

#include <unicode/uchar.h>

#include <cmath>
#include <cstdlib>

#include "tasks/wtq_normalize.h"

namespace sg::tasks::wtq {
namespace {

// What Python's int() and float() see: _PyUnicode_TransformDecimalAndSpaceToASCII (non-ASCII
// decimal digits become ASCII digits, non-ASCII whitespace a space, any other non-ASCII
// character makes the text unparseable; ASCII passes through) and then a strip of ASCII
// whitespace only (so U+001F, whitespace to str.isspace(), still refuses "5\x1f").
std::optional<std::string> AsciiNumberText(std::string_view text) {
  std::string out;
  for (char32_t c : ToUtf32(text)) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (u_charType(static_cast<UChar32>(c)) == U_DECIMAL_DIGIT_NUMBER) {
      out.push_back(static_cast<char>('0' + u_charDigitValue(static_cast<UChar32>(c))));
    } else if (IsPythonSpace(c)) {
      out.push_back(' ');
    } else {
      return std::nullopt;
    }
  }
  const char* kAsciiSpace = " \t\n\r\v\f";
  size_t begin = out.find_first_not_of(kAsciiSpace);
  if (begin == std::string::npos) return std::string();
  size_t end = out.find_last_not_of(kAsciiSpace);
  return out.substr(begin, end - begin + 1);
}

constexpr double kInt128Bound = 1.7e38;  // below 2^127

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Digits with single underscores between them (PEP 515); underscores removed into `out`.
// Returns the number of characters consumed (0 when no digit is there).
size_t ScanDigits(std::string_view s, size_t pos, std::string& out) {
  size_t start = pos;
  if (pos >= s.size() || !IsDigit(s[pos])) return 0;
  while (pos < s.size()) {
    if (IsDigit(s[pos])) {
      out.push_back(s[pos++]);
    } else if (s[pos] == '_' && pos + 1 < s.size() && IsDigit(s[pos + 1])) {
      ++pos;
    } else {
      break;
    }
  }
  return pos - start;
}

// Python int(s) in base 10 on stripped ASCII text: sign, digits, underscores between digits.
std::optional<Number> ParsePythonInt(std::string_view s) {
  size_t pos = 0;
  std::string digits;
  if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) digits.push_back(s[pos++]);
  size_t n = ScanDigits(s, pos, digits);
  if (n == 0 || pos + n != s.size()) return std::nullopt;
  Number number;
  // Accumulate exactly while the magnitude stays below 2^126.
  constexpr __int128 kLimit = static_cast<__int128>(1) << 126;
  __int128 magnitude = 0;
  bool exact = true;
  for (char c : digits) {
    if (!IsDigit(c)) continue;
    if (magnitude > (kLimit - 9) / 10) {
      exact = false;
      break;
    }
    magnitude = magnitude * 10 + (c - '0');
  }
  if (exact) {
    number.is_integer = true;
    number.integer = digits[0] == '-' ? -magnitude : magnitude;
    number.real = static_cast<double>(number.integer);
  } else {
    number.real = std::strtod(digits.c_str(), nullptr);
    if (std::isinf(number.real)) return std::nullopt;  // Python would fail to compare it
  }
  return number;
}

// Python float(s) on stripped ASCII text, finite values only.
std::optional<double> ParsePythonFloat(std::string_view s) {
  size_t pos = 0;
  std::string clean;
  if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) clean.push_back(s[pos++]);
  size_t int_digits = ScanDigits(s, pos, clean);
  pos += int_digits;
  size_t frac_digits = 0;
  if (pos < s.size() && s[pos] == '.') {
    clean.push_back('.');
    ++pos;
    frac_digits = ScanDigits(s, pos, clean);
    pos += frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return std::nullopt;  // also rejects inf/nan
  if (pos < s.size() && (s[pos] == 'e' || s[pos] == 'E')) {
    clean.push_back('e');
    ++pos;
    if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) clean.push_back(s[pos++]);
    size_t exp_digits = ScanDigits(s, pos, clean);
    if (exp_digits == 0) return std::nullopt;
    pos += exp_digits;
  }
  if (pos != s.size()) return std::nullopt;
  double v = std::strtod(clean.c_str(), nullptr);
  if (!std::isfinite(v)) return std::nullopt;
  return v;
}

// NumberValue.__init__: an amount within 1e-6 of an integer becomes int(amount), which
// truncates toward zero.
Number MakeAmount(Number parsed) {
  if (parsed.is_integer) return parsed;
  double x = parsed.real;
  if (std::fabs(x - std::nearbyint(x)) < 1e-6) {
    double truncated = std::trunc(x);
    Number n;
    n.real = truncated;
    if (std::fabs(truncated) < kInt128Bound) {
      n.is_integer = true;
      n.integer = static_cast<__int128>(truncated);
    }
    return n;
  }
  return parsed;
}

// Python int/float equality (exact, across types).
bool AmountsEqual(const Number& a, const Number& b) {
  if (a.is_integer && b.is_integer) return a.integer == b.integer;
  if (a.is_integer != b.is_integer) {
    const Number& i = a.is_integer ? a : b;
    const Number& f = a.is_integer ? b : a;
    return std::trunc(f.real) == f.real && std::fabs(f.real) < kInt128Bound &&
           static_cast<__int128>(f.real) == i.integer;
  }
  return a.real == b.real;
}

bool AmountsClose(const Number& a, const Number& b) {
  if (a.is_integer && b.is_integer) return a.integer == b.integer;
  return std::fabs(a.real - b.real) < 1e-6;
}

std::string Int128ToString(__int128 v) {
  if (v == 0) return "0";
  bool negative = v < 0;
  unsigned __int128 m = negative ? -static_cast<unsigned __int128>(v) : v;
  std::string digits;
  while (m) {
    digits.push_back(static_cast<char>('0' + static_cast<int>(m % 10)));
    m /= 10;
  }
  if (negative) digits.push_back('-');
  return std::string(digits.rbegin(), digits.rend());
}

// Python 2's unicode(amount), used when a number has no original string.
std::string FormatAmount(const Number& n) {
  if (n.is_integer) return Int128ToString(n.integer);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.12g", n.real);
  return buf;
}

std::optional<int64_t> ParseDateField(std::string_view field) {
  auto ascii = AsciiNumberText(field);
  if (!ascii) return std::nullopt;
  auto n = ParsePythonInt(*ascii);
  if (!n || !n->is_integer || n->integer > INT64_MAX || n->integer < INT64_MIN) {
    return std::nullopt;
  }
  return static_cast<int64_t>(n->integer);
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::optional<Number> ParseNumber(std::string_view text) {
  auto ascii = AsciiNumberText(text);
  if (!ascii) return std::nullopt;
  if (auto i = ParsePythonInt(*ascii)) return i;
  if (auto f = ParsePythonFloat(*ascii)) {
    Number n;
    n.real = *f;
    return n;
  }
  return std::nullopt;
}

std::optional<Value> ParseDate(std::string_view text) {
  // text.lower().split('-'): only ASCII letters matter for "xx", digits are unaffected.
  std::string lower = AsciiLower(text);
  std::vector<std::string_view> parts;
  std::string_view rest = lower;
  while (true) {
    size_t dash = rest.find('-');
    parts.push_back(rest.substr(0, dash));
    if (dash == std::string_view::npos) break;
    rest.remove_prefix(dash + 1);
  }
  if (parts.size() != 3) return std::nullopt;
  Value v;
  v.kind = ValueKind::kDate;
  int64_t fields[3];
  for (int i = 0; i < 3; ++i) {
    if (parts[i] == "xx" || (i == 0 && parts[i] == "xxxx")) {
      fields[i] = -1;
      continue;
    }
    auto f = ParseDateField(parts[i]);
    if (!f) return std::nullopt;
    fields[i] = *f;
  }
  if (fields[0] == -1 && fields[1] == -1 && fields[2] == -1) return std::nullopt;
  if (!(fields[1] == -1 || (fields[1] >= 1 && fields[1] <= 12))) return std::nullopt;
  if (!(fields[2] == -1 || (fields[2] >= 1 && fields[2] <= 31))) return std::nullopt;
  if (fields[0] < INT32_MIN || fields[0] > INT32_MAX) return std::nullopt;
  v.year = static_cast<int>(fields[0]);
  v.month = static_cast<int>(fields[1]);
  v.day = static_cast<int>(fields[2]);
  return v;
}

Value ToValue(std::string_view original, std::string_view canon) {
  std::string_view parsed_text = canon.empty() ? original : canon;
  if (auto amount = ParseNumber(parsed_text)) {
    Value v;
    v.kind = ValueKind::kNumber;
    v.number = MakeAmount(*amount);
    v.normalized = original.empty() ? FormatAmount(v.number) : Normalize(original);
    return v;
  }
  if (auto date = ParseDate(parsed_text)) {
    Value v = *date;
    if (v.month == -1 && v.day == -1) {
      v.kind = ValueKind::kNumber;
      v.number.is_integer = true;
      v.number.integer = v.year;
      v.number.real = v.year;
      v.normalized = original.empty() ? FormatAmount(v.number) : Normalize(original);
    } else if (original.empty()) {
      // The evaluator's own rendering, including its unknown day printed as -1.
      v.normalized = (v.year == -1 ? std::string("xx") : std::to_string(v.year)) + "-" +
                     (v.month == -1 ? std::string("xx") : std::to_string(v.month)) + "-" +
                     std::to_string(v.day);
    } else {
      v.normalized = Normalize(original);
    }
    return v;
  }
  Value v;
  v.kind = ValueKind::kString;
  v.normalized = Normalize(original);
  return v;
}

std::vector<Value> ToValueList(const std::vector<std::string>& originals,
                               const std::vector<std::string>* canon) {
  std::vector<Value> values;
  for (size_t i = 0; i < originals.size(); ++i) {
    std::string_view c = canon && i < canon->size() ? std::string_view((*canon)[i]) : "";
    Value v = ToValue(originals[i], c);
    bool duplicate = false;
    for (const Value& kept : values) duplicate = duplicate || kept.SameAs(v);
    if (!duplicate) values.push_back(std::move(v));
  }
  return values;
}

bool Value::SameAs(const Value& other) const {
  if (kind != other.kind) return false;
  switch (kind) {
    case ValueKind::kString:
      return normalized == other.normalized;
    case ValueKind::kNumber:
      return AmountsEqual(number, other.number);
    case ValueKind::kDate:
      return year == other.year && month == other.month && day == other.day;
  }
  return false;
}

bool Value::Matches(const Value& prediction) const {
  if (normalized == prediction.normalized) return true;
  if (kind == ValueKind::kNumber && prediction.kind == ValueKind::kNumber) {
    return AmountsClose(number, prediction.number);
  }
  if (kind == ValueKind::kDate && prediction.kind == ValueKind::kDate) {
    return year == prediction.year && month == prediction.month && day == prediction.day;
  }
  return false;
}

std::string Value::Describe() const {
  auto field = [](int f) { return f == -1 ? std::string("xx") : std::to_string(f); };
  switch (kind) {
    case ValueKind::kString:
      return "S \"" + normalized + "\"";
    case ValueKind::kNumber:
      return "N(" + FormatAmount(number) + ") \"" + normalized + "\"";
    case ValueKind::kDate:
      return "D(" + field(year) + "," + field(month) + "," + field(day) + ") \"" + normalized +
             "\"";
  }
  return normalized;
}

bool CheckDenotation(const std::vector<Value>& targets, const std::vector<Value>& predictions) {
  if (targets.size() != predictions.size()) return false;
  for (const Value& target : targets) {
    bool matched = false;
    for (const Value& prediction : predictions) matched = matched || target.Matches(prediction);
    if (!matched) return false;
  }
  return true;
}

namespace {
std::string ReplaceAll(std::string s, std::string_view from, std::string_view to) {
  size_t pos = 0;
  while ((pos = s.find(from, pos)) != std::string::npos) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
  return s;
}
}  // namespace

std::string TsvUnescape(std::string_view text) {
  std::string s = ReplaceAll(std::string(text), "\\n", "\n");
  s = ReplaceAll(std::move(s), "\\p", "|");
  return ReplaceAll(std::move(s), "\\\\", "\\");
}

std::vector<std::string> TsvUnescapeList(std::string_view text) {
  std::vector<std::string> items;
  while (true) {
    size_t bar = text.find('|');
    items.push_back(TsvUnescape(text.substr(0, bar)));
    if (bar == std::string_view::npos) break;
    text.remove_prefix(bar + 1);
  }
  return items;
}

}  // namespace sg::tasks::wtq
