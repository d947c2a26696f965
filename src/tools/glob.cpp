#include "tools/glob.h"

#include <vector>

namespace sg::tools {
namespace {

// Matches one bracket expression at pattern[p] ('[' ...) against c; sets `end` past it.
// `valid` is false when the expression has no closing ']' (then '[' is a literal); it does
// not depend on c.
bool MatchClass(std::string_view pattern, size_t p, char c, size_t& end, bool& valid) {
  size_t i = p + 1;
  bool negate = i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^');
  if (negate) ++i;
  bool matched = false;
  bool first = true;
  while (i < pattern.size() && (first || pattern[i] != ']')) {
    first = false;
    char lo = pattern[i];
    char hi = lo;
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
      hi = pattern[i + 2];
      i += 2;
    }
    if (lo <= c && c <= hi) matched = true;
    ++i;
  }
  valid = i < pattern.size();
  end = i + 1;
  return matched != negate;
}

// One element of a compiled pattern.
struct Token {
  enum class Kind { kLiteral, kAny, kClass, kStar, kGlobStar } kind;
  char literal = 0;  // kLiteral
  size_t at = 0;     // kClass: offset of its '[' in the pattern
};

std::vector<Token> Compile(std::string_view pat) {
  std::vector<Token> tokens;
  for (size_t p = 0; p < pat.size();) {
    char pc = pat[p];
    if (pc == '*') {
      bool globstar = p + 1 < pat.size() && pat[p + 1] == '*';
      tokens.push_back({globstar ? Token::Kind::kGlobStar : Token::Kind::kStar});
      p += globstar ? 2 : 1;
    } else if (pc == '?') {
      tokens.push_back({Token::Kind::kAny});
      ++p;
    } else if (pc == '[') {
      size_t end = 0;
      bool valid = false;
      MatchClass(pat, p, 0, end, valid);
      if (valid) {
        tokens.push_back({Token::Kind::kClass, 0, p});
        p = end;
      } else {
        tokens.push_back({Token::Kind::kLiteral, '['});
        ++p;
      }
    } else {
      tokens.push_back({Token::Kind::kLiteral, pc});
      ++p;
    }
  }
  return tokens;
}

bool IsSlash(const Token& t) { return t.kind == Token::Kind::kLiteral && t.literal == '/'; }

// A state is a position in the token list, with how it was reached: kEntered at the start of
// token i (nothing of it consumed yet), kInStar inside a star that has consumed characters.
// "**/" may match zero components only from kEntered: "**/" against "b/]" must fail.
constexpr char kEntered = 1;
constexpr char kInStar = 2;

// Adds the states reachable without consuming a character. Every such move goes forward
// (a star may match nothing; "**/" may match zero components), so one forward pass suffices.
void Close(const std::vector<Token>& tokens, std::vector<char>& states) {
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (!states[i]) continue;
    Token::Kind kind = tokens[i].kind;
    if (kind != Token::Kind::kStar && kind != Token::Kind::kGlobStar) continue;
    states[i + 1] |= kEntered;
    if (kind == Token::Kind::kGlobStar && (states[i] & kEntered) && i + 1 < tokens.size() &&
        IsSlash(tokens[i + 1])) {
      states[i + 2] |= kEntered;
    }
  }
}

}  // namespace

// Runs the pattern as an automaton over the set of positions it can be at (state i: tokens
// [0, i) have matched the characters read so far), one character at a time. That is
// O(|pattern| * |path|) time and O(|pattern|) memory whatever the pattern, unlike trying
// each split of each star in turn, which is exponential in the number of stars.
bool GlobMatch(std::string_view pattern, std::string_view path) {
  std::vector<Token> tokens = Compile(pattern);
  std::vector<char> states(tokens.size() + 1, 0);
  std::vector<char> next(tokens.size() + 1, 0);
  states[0] = kEntered;
  Close(tokens, states);
  for (char c : path) {
    std::fill(next.begin(), next.end(), 0);
    bool any = false;
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (!states[i]) continue;
      const Token& t = tokens[i];
      bool stay = false;     // consumes c and stays on token i (a star)
      bool advance = false;  // consumes c and moves on to token i + 1
      switch (t.kind) {
        case Token::Kind::kStar:  // any run of characters within one path component
          stay = c != '/';
          break;
        case Token::Kind::kGlobStar:  // any run of characters, '/' included
          stay = true;
          break;
        case Token::Kind::kAny:
          advance = c != '/';
          break;
        case Token::Kind::kClass: {
          size_t end = 0;
          bool valid = false;
          advance = c != '/' && MatchClass(pattern, t.at, c, end, valid);
          break;
        }
        case Token::Kind::kLiteral:
          advance = c == t.literal;
          break;
      }
      if (stay) next[i] |= kInStar;
      if (advance) next[i + 1] |= kEntered;
      any = any || stay || advance;
    }
    if (!any) return false;
    Close(tokens, next);
    states.swap(next);
  }
  return states[tokens.size()] != 0;
}

}  // namespace sg::tools
