// Black-box test of `skillgrad demo`: the whole pipeline against the bundled scenario, run
// twice into separate results roots. The trained skill must beat the seed on the test split,
// every stage's artifacts must exist, and the two runs must agree apart from timestamps and
// durations.
#include <gtest/gtest.h>

#include "core/file_util.h"
#include "core/json.h"
#include "core/testing.h"

namespace sg::cli {
namespace {
namespace fs = std::filesystem;

constexpr const char* kRun = "runs/demo_scripted-demo-model";

testing::CommandResult RunDemo(const fs::path& root) {
  return testing::RunCommand(testing::SkillgradCommand() + " demo --results-root '" +
                             root.string() + "' 2>&1");
}

// The eval summary without what legitimately differs between runs.
Json StableSummary(const fs::path& file) {
  Json summary = ReadJsonFile(file).value_or(Json());
  summary.erase("seconds");
  summary.erase("skills_dir");
  if (summary["cost"].is_object()) summary["cost"].erase("latency_ms");
  return summary;
}

std::map<std::string, std::string> FilesUnder(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) {
      files[fs::relative(entry.path(), dir).string()] = ReadFile(entry.path()).value_or("");
    }
  }
  return files;
}

TEST(DemoCommand, ImprovesTheSkillAndIsReproducible) {
  testing::TempDir dir;
  const fs::path first = dir.path() / "first";
  const fs::path second = dir.path() / "second";

  testing::CommandResult run = RunDemo(first);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("scripted model"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("test accuracy (hard) before: 0.40  after: 1.00"), std::string::npos)
      << run.output;
  // Three rollouts of each of five test tasks: the accuracies with their bootstrap intervals
  // (the scripted model answers every rollout alike, so each task's pass rate is 0 or 1).
  EXPECT_NE(run.output.find("over 5 tasks x 3 rollouts: before 0.400 [0.000, 0.800]  after "
                            "1.000 [1.000, 1.000]"),
            std::string::npos)
      << run.output;
  // Three tasks gained: an honest demo says that is not significant (of the 2^5 sign patterns,
  // the 8 that give the three gains one sign are as extreme: p = 8/32).
  EXPECT_NE(run.output.find("after - before: +0.60, 95% interval [+0.20, +1.00], paired "
                            "sign-flip permutation over tasks p = 0.25"),
            std::string::npos)
      << run.output;

  const fs::path run_dir = first / kRun;
  EXPECT_TRUE(fs::is_directory(run_dir / "eval" / "rollout_3"));
  EXPECT_TRUE(fs::is_directory(run_dir / "eval_seed" / "rollout_3"));
  for (const char* artifact :
       {"config.json", "ledger.jsonl", "report.html", "train/state.json",
        "train/training_results.json", "train/iter_1/patch.diff", "train/iter_1/batch_diagnoses.md",
        "train/iter_1/momentum_memory.json", "train/iter_2/momentum_overlay.json",
        "train/final_skill/table-qa/SKILL.md", "eval/summary.json", "eval_seed/summary.json"}) {
    EXPECT_TRUE(fs::exists(run_dir / artifact)) << artifact;
  }
  Json state = ReadJsonFile(run_dir / "train/state.json").value_or(Json());
  EXPECT_EQ(state.value("status", ""), "completed");
  EXPECT_GT(ReadFile(run_dir / "train/iter_1/patch.diff").value_or("").size(), 0u);

  testing::CommandResult again = RunDemo(second);
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(FilesUnder(first / kRun / "train/final_skill"),
            FilesUnder(second / kRun / "train/final_skill"));
  EXPECT_EQ(StableSummary(first / kRun / "eval/summary.json"),
            StableSummary(second / kRun / "eval/summary.json"));
  EXPECT_EQ(StableSummary(first / kRun / "eval_seed/summary.json"),
            StableSummary(second / kRun / "eval_seed/summary.json"));
}

TEST(DemoCommand, RefusesToOverwriteARunWithoutResume) {
  testing::TempDir dir;
  ASSERT_EQ(RunDemo(dir.path()).exit_code, 0);
  testing::CommandResult again = RunDemo(dir.path());
  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE(again.output.find("--resume"), std::string::npos) << again.output;
  testing::CommandResult resumed =
      testing::RunCommand(testing::SkillgradCommand() + " demo --resume --results-root '" +
                          dir.path().string() + "' 2>&1");
  EXPECT_EQ(resumed.exit_code, 0) << resumed.output;
}

}  // namespace
}  // namespace sg::cli
