// Values and denotation matching of the official WikiTableQuestions evaluator
// (evaluator.py 1.0.2, Python 3 semantics). A target or predicted item becomes:
//   - a number when Python's int() or float() accepts it (NaN and infinities refused);
//     an amount within 1e-6 of an integer is truncated to an integer, as int(amount) does;
//   - else a date when it reads "yyyy-mm-dd" with "xx" (or "xxxx" for the year) for unknown
//     fields; a date with only a year is the number of that year;
//   - else a string.
// A target matches a prediction when their normalized strings are equal, or both are
// numbers less than 1e-6 apart, or both are dates with the same three fields. A denotation
// (a list of items, duplicates merged as Python's set() merges them) is correct when it has
// as many items as the target's and every target item matches some predicted item.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sg::tasks::wtq {

enum class ValueKind { kString, kNumber, kDate };

struct Number {
  // Python ints are exact: integers up to 2^127 are kept exactly (beyond that, as doubles).
  bool is_integer = false;
  __int128 integer = 0;  // when is_integer
  double real = 0.0;     // always set; `integer` rounded to a double when is_integer
};

struct Value {
  ValueKind kind = ValueKind::kString;
  std::string normalized;               // Normalize(original string)
  Number number;                        // kNumber
  int year = -1, month = -1, day = -1;  // kDate; -1 for an unknown field

  bool Matches(const Value& prediction) const;  // evaluator's target.match(prediction)
  bool SameAs(const Value& other) const;        // Python __eq__, used to merge duplicates
  std::string Describe() const;                 // e.g. N(5) "5 m", D(xx,1,12) "jan 12"
};

// NumberValue.parse: Python's int(text), else float(text) when finite.
std::optional<Number> ParseNumber(std::string_view text);
// DateValue.parse: (year, month, day) with -1 for "xx".
std::optional<Value> ParseDate(std::string_view text);

// to_value: `canon` (the CoreNLP value of a target, "targetCanon") is parsed when not
// empty; the normalized string always comes from `original`.
Value ToValue(std::string_view original, std::string_view canon = {});
// to_value_list: duplicates merged. `canon`, when given, has one entry per original.
std::vector<Value> ToValueList(const std::vector<std::string>& originals,
                               const std::vector<std::string>* canon = nullptr);
bool CheckDenotation(const std::vector<Value>& targets, const std::vector<Value>& predictions);

// tsv_unescape: "\n" -> newline, "\p" -> "|", "\\" -> "\", applied one after the other as
// the evaluator's chained str.replace calls are.
std::string TsvUnescape(std::string_view text);
// Splits on '|' and unescapes each item.
std::vector<std::string> TsvUnescapeList(std::string_view text);

}  // namespace sg::tasks::wtq
