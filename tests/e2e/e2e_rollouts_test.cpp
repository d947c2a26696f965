// eval --rollouts K end to end: each test task runs K times with cache keys of its own, the
// mock's seeded `probability` rule makes the rollouts of a total question differ (each
// rollout's requests name its own task folder, so each draws afresh), and the
// summary's per-task pass rates and accuracy are recomputed here from the rollouts' own
// assessment.json files. The same seed gives the same rollouts again.
#include <cmath>

#include "tests/e2e/e2e_harness.h"

namespace sg::e2e {
namespace {

const char* kEvalRun = "eval_gpt-4o-mini";

std::vector<std::string> EvalWithRollouts(const fs::path& results, const char* k) {
  std::vector<std::string> args = CommonArgs(results);
  args.insert(args.begin(), "eval");
  args.push_back("--rollouts");
  args.push_back(k);
  return args;
}

// task id -> pass rate, as summary.json gives it.
std::map<std::string, double> PassRates(const Json& summary) {
  std::map<std::string, double> rates;
  for (const Json& task : summary["per_task"]) rates[task["task_id"]] = task["pass_rate"];
  return rates;
}

TEST(E2eRollouts, EachTaskRunsKTimesAndTheSummaryIsRecomputedFromTheRolloutFiles) {
  testing::TempDir work;
  auto mock = StartMock({"flaky_total.json"});
  ASSERT_NE(mock, nullptr);
  const fs::path results = work.path() / "results";
  Outcome eval = RunSkillgrad(*mock, work.path(), EvalWithRollouts(results, "3"));
  ASSERT_EQ(eval.exit_code, 0) << eval.output;
  EXPECT_NE(eval.output.find("x 3 rollouts, 95% interval"), std::string::npos) << eval.output;
  EXPECT_NE(eval.output.find("(bootstrap over tasks)"), std::string::npos) << eval.output;

  const fs::path eval_dir = results / "runs" / kEvalRun / "eval";
  const Json summary = ReadJson(eval_dir / "summary.json");
  ASSERT_TRUE(summary["per_task"].is_array());
  const size_t tasks = summary["per_task"].size();
  ASSERT_GT(tasks, 0u);
  // Three conversations of three calls per task: no rollout was answered from the cache.
  EXPECT_EQ(mock->counters().requests, static_cast<int64_t>(tasks * 3 * 3));

  double passes = 0;
  int varied = 0;
  for (const Json& task : summary["per_task"]) {
    const std::string id = task["task_id"];
    int n = 0;
    Json flags = Json::array();
    for (const fs::path dir : {eval_dir, eval_dir / "rollout_2", eval_dir / "rollout_3"}) {
      const bool pass = ReadJson(dir / id / "assessment.json")["pass"];
      flags.push_back(pass);
      n += pass ? 1 : 0;
    }
    EXPECT_EQ(task["rollouts"], 3) << id;
    EXPECT_EQ(task["passes"], n) << id;
    EXPECT_DOUBLE_EQ(task["pass_rate"].get<double>(), n / 3.0) << id;
    EXPECT_EQ(task["rollout_passes"], flags) << id;
    passes += n;
    if (n > 0 && n < 3) ++varied;
  }
  EXPECT_GT(varied, 0) << "no task's rollouts differed: " << summary["per_task"].dump();
  const Json& accuracy = summary["accuracy"];
  EXPECT_DOUBLE_EQ(accuracy["accuracy"].get<double>(), passes / (3.0 * tasks));
  EXPECT_EQ(accuracy["interval_method"], "bootstrap over tasks");
  EXPECT_EQ(accuracy["rollouts"], 3);
  EXPECT_LE(accuracy["interval"][0].get<double>(), accuracy["accuracy"].get<double>());
  EXPECT_GE(accuracy["interval"][1].get<double>(), accuracy["accuracy"].get<double>());
  EXPECT_EQ(summary["rollouts"]["k"], 3);
  EXPECT_EQ(summary["rollouts"]["per_rollout_accuracy"].size(), 3u);

  // The ledger names the later rollouts.
  std::string ledger = ReadText(results / "runs" / kEvalRun / "ledger.jsonl");
  EXPECT_NE(ledger.find("\"rollout\":1"), std::string::npos);
  EXPECT_NE(ledger.find("\"rollout\":2"), std::string::npos);

  // A fresh mock with the same seed plays the same rollouts to the same requests (the task
  // folders' paths are in them: the results root is made again in the same place).
  fs::remove_all(results);
  auto again_mock = StartMock({"flaky_total.json"});
  ASSERT_NE(again_mock, nullptr);
  ASSERT_EQ(RunSkillgrad(*again_mock, work.path(), EvalWithRollouts(results, "3")).exit_code, 0);
  EXPECT_EQ(PassRates(ReadJson(eval_dir / "summary.json")), PassRates(summary));
}

TEST(E2eRollouts, OneRolloutKeepsTheSingleEvalAndAWilsonInterval) {
  testing::TempDir work;
  auto mock = StartMock();
  ASSERT_NE(mock, nullptr);
  const fs::path results = work.path() / "results";
  Outcome eval = RunSkillgrad(*mock, work.path(), EvalWithRollouts(results, "1"));
  ASSERT_EQ(eval.exit_code, 0) << eval.output;
  const fs::path eval_dir = results / "runs" / kEvalRun / "eval";
  const Json summary = ReadJson(eval_dir / "summary.json");
  EXPECT_FALSE(summary.contains("rollouts"));
  EXPECT_FALSE(fs::exists(eval_dir / "rollout_2"));
  EXPECT_EQ(summary["accuracy"]["interval_method"], "wilson");
  EXPECT_DOUBLE_EQ(summary["accuracy"]["accuracy"].get<double>(),
                   summary["mean_hard"].get<double>());
  Outcome bad = RunSkillgrad(*mock, work.path(), EvalWithRollouts(results, "0"));
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_NE(bad.output.find("--rollouts 0"), std::string::npos) << bad.output;
}

}  // namespace
}  // namespace sg::e2e
