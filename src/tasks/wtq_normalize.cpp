#include "tasks/wtq_normalize.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <vector>

namespace sg::tasks::wtq {
namespace {

icu::UnicodeString ToIcu(std::u32string_view s) {
  return icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(s.data()),
                                       static_cast<int32_t>(s.size()));
}

std::u32string FromIcu(const icu::UnicodeString& s) {
  std::u32string out;
  out.reserve(static_cast<size_t>(s.length()));
  for (int32_t i = 0; i < s.length();) {
    UChar32 c = s.char32At(i);
    out.push_back(static_cast<char32_t>(c));
    i += U16_LENGTH(c);
  }
  return out;
}

// NFKD without nonspacing marks.
// The NFKD instance, made once. ICU's own once-init is thread-safe, but uninstrumented; a
// function-local static puts the first call under a guard every thread sees (graders run
// in parallel, and ThreadSanitizer reported the lazy construction as a race).
const icu::Normalizer2* NfkdInstance() {
  static const icu::Normalizer2* const instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* made = icu::Normalizer2::getNFKDInstance(status);
    return U_SUCCESS(status) ? made : nullptr;
  }();
  return instance;
}

std::u32string RemoveDiacritics(std::u32string_view s) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkd = NfkdInstance();
  std::u32string decomposed(s);
  if (nfkd != nullptr) {
    icu::UnicodeString out = nfkd->normalize(ToIcu(s), status);
    if (U_SUCCESS(status)) decomposed = FromIcu(out);
  }
  std::u32string kept;
  kept.reserve(decomposed.size());
  for (char32_t c : decomposed) {
    if (u_charType(static_cast<UChar32>(c)) != U_NON_SPACING_MARK) kept.push_back(c);
  }
  return kept;
}

char32_t FoldQuoteOrDash(char32_t c) {
  switch (c) {
    case U'\u2018':
    case U'\u2019':
    case U'\u00B4':
    case U'`':
      return U'\'';
    case U'\u201C':
    case U'\u201D':
      return U'"';
    case U'\u2010':
    case U'\u2011':
    case U'\u2012':
    case U'\u2013':
    case U'\u2014':
    case U'\u2212':
      return U'-';
    default:
      return c;
  }
}

bool IsCitationMark(char32_t c) {
  return c == U'\u2022' || c == U'\u2666' || c == U'\u2020' || c == U'\u2021' || c == U'*' ||
         c == U'#' || c == U'+';
}

bool IsDecimalDigit(char32_t c) {
  return u_charType(static_cast<UChar32>(c)) == U_DECIMAL_DIGIT_NUMBER;
}

// re.sub(r"((?<!^)\[[^\]]*\]|\[\d+\]|[•♦†‡*#+])*$", "", x): the leftmost start from which the
// rest of the string is a sequence of citations, and the string cut there.
std::u32string RemoveCitations(const std::u32string& x) {
  const size_t n = x.size();
  std::vector<char> tail_ok(n + 1, 0);
  tail_ok[n] = 1;
  for (size_t p = n; p-- > 0;) {
    bool ok = IsCitationMark(x[p]) && tail_ok[p + 1];
    if (!ok && x[p] == U'[') {
      size_t close = x.find(U']', p + 1);
      if (close != std::u32string::npos && tail_ok[close + 1]) {
        bool all_digits = close > p + 1;
        for (size_t i = p + 1; i < close && all_digits; ++i) all_digits = IsDecimalDigit(x[i]);
        ok = p > 0 || all_digits;  // "[...]" may not start the string; "[12]" may
      }
    }
    tail_ok[p] = ok;
  }
  for (size_t p = 0; p <= n; ++p) {
    if (tail_ok[p]) return x.substr(0, p);
  }
  return x;
}

// re.sub(r"(?<!^)( \([^)]*\))*$", "", x): trailing " (...)" groups, never from position 0.
std::u32string RemoveParentheticals(const std::u32string& x) {
  const size_t n = x.size();
  std::vector<char> tail_ok(n + 1, 0);
  tail_ok[n] = 1;
  for (size_t p = n; p-- > 0;) {
    if (x[p] == U' ' && p + 1 < n && x[p + 1] == U'(') {
      size_t close = x.find(U')', p + 2);
      tail_ok[p] = close != std::u32string::npos && tail_ok[close + 1];
    }
  }
  for (size_t p = 1; p <= n; ++p) {
    if (tail_ok[p]) return x.substr(0, p);
  }
  return x;
}

// re.sub(r'^"([^"]*)"$', r'\1', x)
std::u32string RemoveOuterQuotes(const std::u32string& x) {
  if (x.size() >= 2 && x.front() == U'"' && x.back() == U'"' && x.find(U'"', 1) == x.size() - 1) {
    return x.substr(1, x.size() - 2);
  }
  return x;
}

std::u32string CollapseSpaces(const std::u32string& x) {
  std::u32string out;
  out.reserve(x.size());
  bool in_space = false;
  for (char32_t c : x) {
    if (IsPythonSpace(c)) {
      if (!in_space) out.push_back(U' ');
      in_space = true;
    } else {
      out.push_back(c);
      in_space = false;
    }
  }
  return out;
}

std::u32string LowerPython(const std::u32string& x) {
  icu::UnicodeString s = ToIcu(x);
  s.toLower(icu::Locale::getRoot());
  return FromIcu(s);
}

}  // namespace

bool IsPythonSpace(char32_t c) {
  return (c >= 0x1C && c <= 0x1F) || u_isUWhiteSpace(static_cast<UChar32>(c));
}

std::u32string StripPython(std::u32string_view s) {
  size_t begin = 0, end = s.size();
  while (begin < end && IsPythonSpace(s[begin])) ++begin;
  while (end > begin && IsPythonSpace(s[end - 1])) --end;
  return std::u32string(s.substr(begin, end - begin));
}

std::u32string ToUtf32(std::string_view utf8) {
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  return FromIcu(s);
}

std::string ToUtf8(std::u32string_view text) {
  std::string out;
  ToIcu(text).toUTF8String(out);
  return out;
}

std::string Normalize(std::string_view utf8) {
  std::u32string x = RemoveDiacritics(ToUtf32(utf8));
  for (char32_t& c : x) c = FoldQuoteOrDash(c);
  while (true) {
    std::u32string old_x = x;
    x = RemoveCitations(StripPython(x));
    x = RemoveParentheticals(StripPython(x));
    x = RemoveOuterQuotes(StripPython(x));
    if (x == old_x) break;
  }
  if (!x.empty() && x.back() == U'.') x.pop_back();
  return ToUtf8(StripPython(LowerPython(CollapseSpaces(x))));
}

}  // namespace sg::tasks::wtq
