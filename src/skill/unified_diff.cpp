#include "skill/unified_diff.h"

#include <fmt/format.h>

#include <unordered_map>

namespace sg::skill {
namespace {

// Myers' greedy forward search over a[0..n) and b[0..m) given as line ids. Returns false
// when the distance exceeds max_cost. `edits` receives the script in order.
bool Myers(const std::vector<int>& a, const std::vector<int>& b, int a_base, int b_base,
           int max_cost, std::vector<LineEdit>& edits) {
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  const int max_d = std::min(n + m, max_cost);
  const int offset = max_d + 1;
  std::vector<int> v(2 * max_d + 3, 0);
  // trace[d] holds v[-d..d] as it was before round d (the furthest x on each diagonal).
  std::vector<std::vector<int>> trace;
  int final_d = -1;
  for (int d = 0; d <= max_d && final_d < 0; ++d) {
    trace.emplace_back(v.begin() + offset - d, v.begin() + offset + d + 1);
    for (int k = -d; k <= d; k += 2) {
      int x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]))
                  ? v[offset + k + 1]
                  : v[offset + k - 1] + 1;
      int y = x - k;
      while (x < n && y < m && a[x] == b[y]) {
        ++x;
        ++y;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        final_d = d;
        break;
      }
    }
  }
  if (final_d < 0) return false;

  std::vector<LineEdit> reversed;
  int x = n, y = m;
  for (int d = final_d; d >= 0; --d) {
    const std::vector<int>& prev = trace[d];  // index k + d
    int k = x - y;
    auto at = [&](int kk) { return prev[kk + d]; };
    int prev_k = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1;
    int prev_x = d == 0 ? 0 : at(prev_k);
    int prev_y = prev_x - prev_k;
    if (d == 0) prev_y = 0;
    while (x > prev_x && y > prev_y) {
      --x;
      --y;
      reversed.push_back({EditKind::kEqual, a_base + x, b_base + y});
    }
    if (d == 0) break;
    if (x == prev_x) {
      --y;
      reversed.push_back({EditKind::kInsert, a_base + x, b_base + y});
    } else {
      --x;
      reversed.push_back({EditKind::kDelete, a_base + x, b_base + y});
    }
  }
  edits.insert(edits.end(), reversed.rbegin(), reversed.rend());
  return true;
}

std::string HunkRange(int start, int count) {
  // GNU diff: "l,s", "l" alone when s == 1, and for an empty side the line before.
  int shown = count == 0 ? start : start + 1;
  if (count == 1) return std::to_string(shown);
  return std::to_string(shown) + "," + std::to_string(count);
}

void AppendLine(std::string& out, char prefix, std::string_view line) {
  out.push_back(prefix);
  out.append(line);
  if (line.empty() || line.back() != '\n') out.append("\n\\ No newline at end of file\n");
}

}  // namespace

std::vector<std::string_view> SplitLinesKeepEnds(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    lines.push_back(text.substr(pos, end - pos));
    pos = end;
  }
  return lines;
}

std::vector<LineEdit> DiffLines(const std::vector<std::string_view>& old_lines,
                                const std::vector<std::string_view>& new_lines, int max_cost) {
  const int n = static_cast<int>(old_lines.size());
  const int m = static_cast<int>(new_lines.size());
  std::vector<LineEdit> edits;
  int prefix = 0;
  while (prefix < n && prefix < m && old_lines[prefix] == new_lines[prefix]) {
    edits.push_back({EditKind::kEqual, prefix, prefix});
    ++prefix;
  }
  int suffix = 0;
  while (suffix < n - prefix && suffix < m - prefix &&
         old_lines[n - 1 - suffix] == new_lines[m - 1 - suffix]) {
    ++suffix;
  }
  // Lines become small integers so that the search compares ints, not strings.
  std::unordered_map<std::string_view, int> ids;
  std::vector<int> a, b;
  for (int i = prefix; i < n - suffix; ++i)
    a.push_back(ids.emplace(old_lines[i], ids.size()).first->second);
  for (int j = prefix; j < m - suffix; ++j)
    b.push_back(ids.emplace(new_lines[j], ids.size()).first->second);
  if (!Myers(a, b, prefix, prefix, max_cost, edits)) {
    for (int i = prefix; i < n - suffix; ++i) edits.push_back({EditKind::kDelete, i, prefix});
    for (int j = prefix; j < m - suffix; ++j) edits.push_back({EditKind::kInsert, n - suffix, j});
  }
  for (int s = suffix; s > 0; --s) edits.push_back({EditKind::kEqual, n - s, m - s});
  return edits;
}

bool LooksBinary(std::string_view text) {
  return text.substr(0, 8000).find('\0') != std::string_view::npos;
}

std::string UnifiedDiff(std::string_view old_text, std::string_view new_text,
                        std::string_view old_label, std::string_view new_label, int context,
                        DiffCounts* counts) {
  if (counts) *counts = {};
  if (old_text == new_text) return "";
  if (LooksBinary(old_text) || LooksBinary(new_text)) {
    return fmt::format("Binary files {} and {} differ\n", old_label, new_label);
  }
  std::vector<std::string_view> a = SplitLinesKeepEnds(old_text);
  std::vector<std::string_view> b = SplitLinesKeepEnds(new_text);
  std::vector<LineEdit> edits = DiffLines(a, b);

  std::vector<size_t> changes;
  for (size_t i = 0; i < edits.size(); ++i) {
    if (edits[i].kind != EditKind::kEqual) changes.push_back(i);
  }
  if (changes.empty()) return "";
  std::string out = fmt::format("--- {}\n+++ {}\n", old_label, new_label);
  const size_t ctx = static_cast<size_t>(std::max(context, 0));
  size_t c = 0;
  while (c < changes.size()) {
    size_t first = changes[c];
    size_t last = first;
    while (c + 1 < changes.size() && changes[c + 1] - last <= 2 * ctx + 1) last = changes[++c];
    ++c;
    size_t begin = first >= ctx ? first - ctx : 0;
    size_t end = std::min(edits.size(), last + ctx + 1);
    int old_start = edits[begin].old_index;
    int new_start = edits[begin].new_index;
    int old_count = 0, new_count = 0;
    for (size_t i = begin; i < end; ++i) {
      old_count += edits[i].kind != EditKind::kInsert;
      new_count += edits[i].kind != EditKind::kDelete;
    }
    out +=
        "@@ -" + HunkRange(old_start, old_count) + " +" + HunkRange(new_start, new_count) + " @@\n";
    for (size_t i = begin; i < end; ++i) {
      const LineEdit& e = edits[i];
      switch (e.kind) {
        case EditKind::kEqual:
          AppendLine(out, ' ', a[e.old_index]);
          break;
        case EditKind::kDelete:
          AppendLine(out, '-', a[e.old_index]);
          if (counts) ++counts->removed;
          break;
        case EditKind::kInsert:
          AppendLine(out, '+', b[e.new_index]);
          if (counts) ++counts->added;
          break;
      }
    }
  }
  return out;
}

}  // namespace sg::skill
