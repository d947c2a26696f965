// String normalization of the official WikiTableQuestions evaluator (evaluator.py 1.0.2),
// with Python 3 string semantics:
//   1. Unicode NFKD, then drop every nonspacing mark (category Mn): "é" -> "e".
//   2. Smart quotes ‘ ’ ´ ` -> ', “ ” -> ", dashes ‐ ‑ ‒ – — − -> -.
//   3. Until nothing changes: strip whitespace; drop a trailing run of citations ([...] not
//      at the very start, [digits], or • ♦ † ‡ * # +); drop a trailing run of
//      " (...)" details (not at the very start); remove one pair of outer double quotes
//      around a string with no other double quote.
//   4. Drop one final '.'; collapse whitespace runs to one space; lowercase; strip.
// NFKD, the Mn category and lowercasing come from ICU (Debian's libicu-dev), the same
// Unicode tables Python's unicodedata and str.lower() are built from (version may differ).
#pragma once

#include <string>
#include <string_view>

namespace sg::tasks::wtq {

std::string Normalize(std::string_view utf8);

// Python's str.isspace() for one code point (Unicode White_Space plus U+001C..U+001F).
bool IsPythonSpace(char32_t c);
// Python's str.strip() over code points.
std::u32string StripPython(std::u32string_view s);

std::u32string ToUtf32(std::string_view utf8);  // invalid bytes become U+FFFD
std::string ToUtf8(std::u32string_view text);

}  // namespace sg::tasks::wtq
