#include "tools/glob.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace sg::tools {
namespace {

TEST(GlobTest, StarsQuestionMarksAndClasses) {
  EXPECT_TRUE(GlobMatch("*.md", "a.md"));
  EXPECT_FALSE(GlobMatch("*.md", "dir/a.md"));
  EXPECT_TRUE(GlobMatch("**/*.md", "a.md"));
  EXPECT_TRUE(GlobMatch("**/*.md", "x/y/a.md"));
  EXPECT_TRUE(GlobMatch("x/**", "x/y/z"));
  EXPECT_TRUE(GlobMatch("file?.txt", "file1.txt"));
  EXPECT_FALSE(GlobMatch("file?.txt", "file10.txt"));
  EXPECT_TRUE(GlobMatch("[ab]*.csv", "b1.csv"));
  EXPECT_FALSE(GlobMatch("[!ab]*.csv", "b1.csv"));
  EXPECT_TRUE(GlobMatch("[0-9].txt", "7.txt"));
}

TEST(GlobTest, EdgeCasesOfSeparatorsAndBrackets) {
  EXPECT_TRUE(GlobMatch("", ""));
  EXPECT_FALSE(GlobMatch("", "a"));
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("**", "a/b/c"));
  EXPECT_TRUE(GlobMatch("a/**/b", "a/b"));
  EXPECT_TRUE(GlobMatch("a/**/b", "a/x/y/b"));
  EXPECT_FALSE(GlobMatch("a/*/b", "a/x/y/b"));
  EXPECT_FALSE(GlobMatch("?", "/"));
  EXPECT_FALSE(GlobMatch("[/]", "/"));
  EXPECT_TRUE(GlobMatch("[]]", "]"));
  EXPECT_TRUE(GlobMatch("[!]]", "a"));
  EXPECT_TRUE(GlobMatch("a[b", "a[b"));  // no closing ']': a literal '['
  EXPECT_TRUE(GlobMatch("**a*b", "xa/ab"));
  EXPECT_FALSE(GlobMatch("*a*b", "xa/ab"));
  EXPECT_TRUE(GlobMatch("**/", "b/"));
  EXPECT_FALSE(GlobMatch("**/", "b/]"));  // "**/" skips zero components only where it starts
}

TEST(GlobTest, ManyStarsOnALongNameAnswerAtOnce) {
  // The old backtracking matcher took minutes on this; the answer is what is checked.
  std::string name(200, 'a');
  EXPECT_FALSE(GlobMatch("*a*a*a*a*a*b", name));
  EXPECT_TRUE(GlobMatch("*a*a*a*a*a*b", name + "b"));
  EXPECT_FALSE(GlobMatch("**a**a**a**a**a**b", name));
  EXPECT_TRUE(GlobMatch("**a**a**a**a**a**b", name + "/b"));
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "a/";
  EXPECT_FALSE(GlobMatch("**/a*a/**/a*a/**/a*b", deep + "c"));
}

// The previous, backtracking matcher: the definition the automaton must agree with.
// Exponential in the number of stars, so it only ever sees short inputs here.
bool ReferenceClass(std::string_view pattern, size_t p, char c, size_t& end, bool& valid) {
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

bool Reference(std::string_view pat, size_t p, std::string_view path, size_t s) {
  while (p < pat.size()) {
    char pc = pat[p];
    if (pc == '*') {
      if (p + 1 < pat.size() && pat[p + 1] == '*') {
        size_t next = p + 2;
        if (next < pat.size() && pat[next] == '/' && Reference(pat, next + 1, path, s)) {
          return true;
        }
        for (size_t k = s; k <= path.size(); ++k) {
          if (Reference(pat, next, path, k)) return true;
        }
        return false;
      }
      for (size_t k = s; k <= path.size(); ++k) {
        if (Reference(pat, p + 1, path, k)) return true;
        if (k < path.size() && path[k] == '/') break;
      }
      return false;
    }
    if (s >= path.size()) return false;
    if (pc == '?') {
      if (path[s] == '/') return false;
    } else if (pc == '[') {
      size_t end = 0;
      bool valid = false;
      bool ok = ReferenceClass(pat, p, path[s], end, valid);
      if (valid) {
        if (!ok || path[s] == '/') return false;
        p = end;
        ++s;
        continue;
      }
      if (path[s] != '[') return false;
    } else if (pc != path[s]) {
      return false;
    }
    ++p;
    ++s;
  }
  return s == path.size();
}

TEST(GlobTest, AgreesWithTheBacktrackingDefinitionOnRandomInputs) {
  std::mt19937 rng(12345);  // fixed seed: the same cases every run
  const std::string pattern_chars = "ab/*?[]!-";
  const std::string path_chars = "ab/[]-";
  auto pick = [&](const std::string& from, size_t max_len) {
    std::string s(std::uniform_int_distribution<size_t>(0, max_len)(rng), ' ');
    for (char& c : s) c = from[std::uniform_int_distribution<size_t>(0, from.size() - 1)(rng)];
    return s;
  };
  for (int i = 0; i < 200'000; ++i) {
    std::string pattern = pick(pattern_chars, 8);
    std::string path = pick(path_chars, 8);
    ASSERT_EQ(GlobMatch(pattern, path), Reference(pattern, 0, path, 0))
        << "pattern '" << pattern << "' path '" << path << "'";
  }
}

}  // namespace
}  // namespace sg::tools
