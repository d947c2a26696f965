#include "tasks/openpyxl_range.h"

#include <algorithm>
#include <optional>

namespace sg::tasks {
namespace {

constexpr std::int64_t kOpenpyxlMaxRow = 1048576;  // rows past it raise when a cell is made
constexpr std::int64_t kHugeRow = 1'000'000'000'000;

bool IsAsciiLetter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
// Python's str.strip() over ASCII text.
bool IsPythonSpace(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\x1c' && c <= '\x1f');
}

// One corner of openpyxl's range expression: [$]?LETTERS{1,3}?[$]?DIGITS?
struct Corner {
  std::optional<int> column;
  std::optional<std::int64_t> row;
};

Corner ReadCorner(std::string_view s, std::size_t& i) {
  Corner corner;
  if (i < s.size() && s[i] == '$') ++i;
  std::size_t start = i;
  while (i < s.size() && i - start < 3 && IsAsciiLetter(s[i])) ++i;
  if (i > start) {
    int column = 0;
    for (std::size_t k = start; k < i; ++k) {
      column = column * 26 + (((s[k] >= 'a') ? s[k] - 'a' : s[k] - 'A') + 1);
    }
    corner.column = column;
  }
  if (i < s.size() && s[i] == '$') ++i;
  start = i;
  while (i < s.size() && IsDigit(s[i])) ++i;
  if (i > start) {
    std::int64_t row = 0;
    for (std::size_t k = start; k < i; ++k) row = std::min(kHugeRow, row * 10 + (s[k] - '0'));
    corner.row = row;
  }
  return corner;
}

OpenpyxlRegion Rows(std::int64_t first, std::int64_t last, int first_column, int last_column) {
  OpenpyxlRegion region;
  region.readable = true;
  region.first_column = first_column;
  region.last_column = last_column;
  region.first_row = static_cast<int>(std::min(first, kHugeRow));
  if (last > kOpenpyxlMaxRow && first <= last && first_column <= last_column) {
    region.readable = false;  // the cell past the last row raises as it is created
    return region;
  }
  region.last_row = static_cast<int>(std::min<std::int64_t>(last, kOpenpyxlMaxRow + 1));
  return region;
}

}  // namespace

std::uint64_t OpenpyxlRegion::CellCount() const {
  if (!readable || empty()) return 0;
  return static_cast<std::uint64_t>(last_row - first_row + 1) *
         static_cast<std::uint64_t>(last_column - first_column + 1);
}

OpenpyxlRegion ReadOpenpyxlRange(std::string_view text, int max_row, int max_column) {
  std::string_view s = text;
  if (!s.empty() && s.back() == '\n') s.remove_suffix(1);  // Python's "$" matches before it
  std::size_t i = 0;
  const Corner a = ReadCorner(s, i);
  bool colon = false;
  Corner b;
  if (i < s.size() && s[i] == ':') {
    colon = true;
    ++i;
    b = ReadCorner(s, i);
  }
  if (i != s.size()) return {};
  if (colon) {  // both corners whole (cells), or both columns only, or both rows only
    const bool cells = a.column && a.row && b.column && b.row;
    const bool columns = a.column && b.column && !a.row && !b.row;
    const bool rows = a.row && b.row && !a.column && !b.column;
    if (!cells && !columns && !rows) return {};
  }
  // A missing end corner repeats the start; in what follows a zero row is Python-falsy.
  const std::optional<int> col_lo = a.column;
  const std::optional<int> col_hi = b.column ? b.column : a.column;
  const std::optional<std::int64_t> row_lo = a.row;
  const std::optional<std::int64_t> row_hi = b.row ? b.row : a.row;
  if (!col_lo && !col_hi && row_lo.value_or(0) == 0 && row_hi.value_or(0) == 0) return {};
  if (!row_lo) {  // whole columns over rows 1..max_row
    OpenpyxlRegion region = Rows(1, max_row, *col_lo, *col_hi);
    region.by_column = true;
    return region;
  }
  const std::int64_t first = *row_lo == 0 ? 1 : *row_lo;
  const std::int64_t last = *row_hi == 0 ? max_row : *row_hi;
  if (!col_lo) return Rows(first, last, 1, max_column);  // whole rows over 1..max_column
  if (!colon) {                                          // one cell: row 0 raises
    if (*row_lo < 1 || *row_lo > kOpenpyxlMaxRow) return {};
    return Rows(*row_lo, *row_lo, *col_lo, *col_lo);
  }
  return Rows(first, last, *col_lo, *col_hi);
}

std::vector<MethodPositionPart> SplitPositionAsTheMethod(std::string_view text) {
  std::vector<std::string> pieces;
  std::string current;
  bool quoted = false;
  for (char c : text) {
    if (c == '\'') quoted = !quoted;
    if (c == ',' && !quoted) {
      pieces.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) pieces.push_back(std::move(current));
  auto strip = [](std::string_view s, auto is_stripped) {
    while (!s.empty() && is_stripped(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_stripped(s.back())) s.remove_suffix(1);
    return std::string(s);
  };
  auto is_quote = [](char c) { return c == '\''; };
  std::vector<MethodPositionPart> parts;
  for (const std::string& piece : pieces) {
    const std::string part = strip(piece, IsPythonSpace);
    const std::size_t bang = part.find('!');
    if (bang == std::string::npos) {
      parts.push_back({"", part});
    } else {
      parts.push_back({strip(std::string_view(part).substr(0, bang), is_quote),
                       strip(std::string_view(part).substr(bang + 1), is_quote)});
    }
  }
  return parts;
}

}  // namespace sg::tasks
