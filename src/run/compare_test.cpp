// skillgrad compare's library (run/compare.h) on eval summaries written as eval.cpp writes
// them: the side resolution from a run, eval folder or file; the refusals; the figures of a
// one-rollout pair (Wilson, exact McNemar) and of a several-rollout pair (bootstrap,
// permutation) against values worked by hand.
#include "run/compare.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/testing.h"

namespace sg::run {
namespace {
namespace fs = std::filesystem;

// A summary.json with one entry per task: pass for one rollout, pass_rate with `rollouts`.
Json Summary(const std::vector<std::pair<std::string, double>>& tasks, int rollouts = 1,
             const std::string& grader = "skillgrad") {
  Json per_task = Json::array();
  for (const auto& [id, rate] : tasks) {
    Json t = {{"task_id", id}};
    if (rollouts == 1) {
      t["pass"] = rate >= 1.0;
    } else {
      t["pass_rate"] = rate;
      t["rollouts"] = rollouts;
    }
    per_task.push_back(t);
  }
  return {{"grader", grader}, {"per_task", per_task}};
}

class CompareTest : public ::testing::Test {
 protected:
  fs::path Write(const std::string& rel, const Json& summary) {
    const fs::path file = dir_.path() / rel;
    fs::create_directories(file.parent_path());
    EXPECT_TRUE(WriteJsonFile(file, summary).ok());
    return file;
  }
  EvalSide Load(const fs::path& path) {
    auto side = LoadEvalSide(path);
    EXPECT_TRUE(side.ok()) << side.error().ToString();
    return side.ok() ? *side : EvalSide{};
  }
  sg::testing::TempDir dir_;
};

TEST_F(CompareTest, ASideIsARunAnEvalFolderOrTheFile) {
  const Json s = Summary({{"t1", 1}, {"t2", 0}});
  Write("runs/r/eval/summary.json", s);
  EXPECT_EQ(Load(dir_.path() / "runs/r").task_ids, (std::vector<std::string>{"t1", "t2"}));
  EXPECT_EQ(Load(dir_.path() / "runs/r/eval").task_ids.size(), 2u);
  EXPECT_EQ(Load(dir_.path() / "runs/r/eval/summary.json").pass_rate.at("t1"), 1.0);
  auto missing = LoadEvalSide(dir_.path() / "nowhere");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("nowhere"), std::string::npos);
  auto bad = LoadEvalSide(Write("bad.json", Json{{"per_task", {{{"task_id", "x"}}}}}));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("per_task[0]"), std::string::npos) << bad.error().message;
}

TEST_F(CompareTest, OneRolloutUsesWilsonAndExactMcNemar) {
  // A passes t1..t9 and t10 fails; B passes only t1; A better on 8 tasks, B on none.
  std::vector<std::pair<std::string, double>> a, b;
  for (int i = 1; i <= 10; ++i) {
    a.emplace_back("t" + std::to_string(i), i <= 9 ? 1.0 : 0.0);
    b.emplace_back("t" + std::to_string(i), i == 1 ? 1.0 : 0.0);
  }
  auto c = CompareEvals(Load(Write("a.json", Summary(a))), Load(Write("b.json", Summary(b))), {});
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_DOUBLE_EQ((*c)["a"]["accuracy"].get<double>(), 0.9);
  EXPECT_EQ((*c)["a"]["interval_method"], "wilson");
  EXPECT_NEAR((*c)["b"]["interval"][0].get<double>(), 0.0179, 1e-4);  // Wilson 1 of 10
  EXPECT_DOUBLE_EQ((*c)["difference"].get<double>(), 0.8);
  EXPECT_EQ((*c)["test"]["name"], "exact McNemar");
  EXPECT_EQ((*c)["test"]["a_better"], 8);
  EXPECT_EQ((*c)["test"]["b_better"], 0);
  EXPECT_NEAR((*c)["test"]["p_value"].get<double>(), 2.0 / 256, 1e-15);
  const double low = (*c)["difference_interval"][0].get<double>();
  EXPECT_GT(low, 0.3);
  EXPECT_LE((*c)["difference_interval"][1].get<double>(), 1.0);
  const std::string text = FormatComparison(*c);
  EXPECT_NE(text.find("A - B: +0.800"), std::string::npos) << text;
  EXPECT_NE(text.find("exact McNemar p = 0.007813"), std::string::npos) << text;
}

TEST_F(CompareTest, SeveralRolloutsUseTheBootstrapAndThePermutationTest) {
  auto a = Load(Write("a.json", Summary({{"t1", 1.0}, {"t2", 2.0 / 3}, {"t3", 1.0}}, 3)));
  auto b = Load(Write("b.json", Summary({{"t1", 1.0 / 3}, {"t2", 2.0 / 3}, {"t3", 0.0}}, 3)));
  auto c = CompareEvals(a, b, {});
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ((*c)["a"]["rollouts"], 3);
  EXPECT_EQ((*c)["a"]["interval_method"], "bootstrap over tasks");
  EXPECT_EQ((*c)["test"]["name"], "paired sign-flip permutation over tasks");
  // Differences {2/3, 0, 1}: only the patterns with both non-zero ones positive or both
  // negative reach the observed |mean|: 4 of 8.
  EXPECT_DOUBLE_EQ((*c)["test"]["p_value"].get<double>(), 0.5);
  EXPECT_NEAR((*c)["difference"].get<double>(), 5.0 / 9, 1e-12);
  auto again = CompareEvals(a, b, {});
  EXPECT_EQ((*c)["difference_interval"], (*again)["difference_interval"]);
}

TEST_F(CompareTest, DifferentTaskSetsOrGradersAreRefusedNamingThem) {
  auto a = Load(Write("a.json", Summary({{"t1", 1}, {"t2", 0}})));
  auto b = Load(Write("b.json", Summary({{"t1", 1}, {"t3", 0}})));
  auto c = CompareEvals(a, b, {});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("only in the first: t2"), std::string::npos)
      << c.error().message;
  EXPECT_NE(c.error().message.find("only in the second: t3"), std::string::npos);
  auto official = Load(Write("o.json", Summary({{"t1", 1}, {"t2", 0}}, 1, "official")));
  auto g = CompareEvals(a, official, {});
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.error().message.find("--grader official"), std::string::npos) << g.error().message;
}

}  // namespace
}  // namespace sg::run
