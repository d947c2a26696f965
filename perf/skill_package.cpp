// The skill package's per-iteration costs in the optimizer: loading and linting a skill
// (run after every patch), and diffing two versions of it (saved as patch.diff), on the
// bundled spreadsheet seed skill and on a synthetic large reference file (5,000 lines,
// 50 scattered edits) and on a file rewritten completely. Targets: load + lint of the seed
// skill <= 2 ms (median), diff of the large file <= 50 ms (median), full rewrite <= 1 s.
// Exits non-zero on a miss.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "skill/lint.h"
#include "skill/unified_diff.h"

namespace {

using Clock = std::chrono::steady_clock;

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

}  // namespace

int main() {
  namespace fs = std::filesystem;
  const fs::path seed = fs::path(SKILLGRAD_SOURCE_DIR) / "examples" / "skills" / "spreadsheet";

  std::vector<double> lint_ms;
  size_t violations = 0;
  for (int i = 0; i < 200; ++i) {
    auto start = Clock::now();
    auto result = sg::skill::LintSkillDir(seed);
    lint_ms.push_back(Ms(Clock::now() - start));
    if (!result.ok()) {
      std::printf("lint failed: %s\n", result.error().ToString().c_str());
      return 1;
    }
    violations = result->size();
  }

  std::mt19937 rng(5);
  std::string old_text, new_text;
  for (int i = 0; i < 5000; ++i) {
    std::string line =
        "line " + std::to_string(i) + ": " + std::string(40 + rng() % 40, 'x') + "\n";
    old_text += line;
    if (rng() % 100 == 0) {
      new_text += "edited " + line;  // about 50 replaced lines
    } else {
      new_text += line;
    }
  }
  std::vector<double> diff_ms;
  size_t diff_bytes = 0;
  for (int i = 0; i < 20; ++i) {
    auto start = Clock::now();
    std::string diff =
        sg::skill::UnifiedDiff(old_text, new_text, "a/references/big.md", "b/references/big.md");
    diff_ms.push_back(Ms(Clock::now() - start));
    diff_bytes = diff.size();
  }

  // Worst case: a file rewritten completely (edit distance 4,000, the search's cap).
  std::string before, after;
  for (int i = 0; i < 2000; ++i) {
    before += "old " + std::to_string(i) + "\n";
    after += "new " + std::to_string(i) + "\n";
  }
  auto start = Clock::now();
  std::string rewrite = sg::skill::UnifiedDiff(before, after, "a/f", "b/f");
  double rewrite_ms = Ms(Clock::now() - start);

  double lint_median = Median(lint_ms);
  double diff_median = Median(diff_ms);
  std::printf("load + lint of the seed skill: median %.3f ms over 200 runs (%zu violations)\n",
              lint_median, violations);
  std::printf("diff of a 5000-line file with ~50 edits: median %.2f ms over 20 runs (%zu bytes)\n",
              diff_median, diff_bytes);
  std::printf("diff of a 2000-line file rewritten completely: %.1f ms (%zu bytes)\n", rewrite_ms,
              rewrite.size());
  bool ok = lint_median <= 2.0 && diff_median <= 50.0 && rewrite_ms <= 1000.0 && violations == 0;
  std::printf("targets: lint <= 2 ms, diff <= 50 ms, full rewrite <= 1 s, seed skill clean: %s\n",
              ok ? "met" : "MISSED");
  return ok ? 0 : 1;
}
