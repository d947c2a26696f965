// Interrupted runs end to end: the --max-cost-usd stop and its resume, and kill -9 during
// execute, diagnose, patch and momentum, each resumed with --resume to the same final skill and
// eval summary as an uninterrupted run. A kill is triggered by an observable event, not a sleep: a
// scenario rule stalls one request of the stage, the test waits until the mock has matched it (the
// process is then blocked inside that stage) and sends SIGKILL.
#include <cmath>

#include "tests/e2e/e2e_harness.h"

namespace sg::e2e {
namespace {

const fs::path kRun = fs::path("runs") / kRunId;

// What an uninterrupted or resumed run ends with, times left out.
struct Final {
  std::map<std::string, std::string> final_skill;
  Json eval_summary;
  Json training;  // training_results.json without the wall-clock seconds
};

double Rounded(const Json& cost) {
  return cost.is_number() ? std::round(cost.get<double>() * 1e9) / 1e9 : -1;
}

// training_results.json without wall-clock figures and costs: a call answered by the mock
// but not yet recorded when the process was killed is paid again on resume.
Json WithoutSeconds(Json training) { return TrainingWithoutTimesOrCosts(std::move(training)); }

Final Finish(const mock::MockServer& mock, const fs::path& work, const fs::path& results) {
  Final f;
  f.final_skill = TreeContents(results / kRun / "train/final_skill");
  f.training = WithoutSeconds(ReadJson(results / kRun / "train/training_results.json"));
  Outcome eval = RunSkillgrad(mock, work, EvalArgs(results, kRunId));
  EXPECT_EQ(eval.exit_code, 0) << eval.output;
  Json summary = WithoutTimes(ReadJson(results / kRun / "eval/summary.json"));
  summary.erase("skills_dir");  // an absolute path under each run's own results root
  summary["cost"] = Rounded(summary["cost"]["cost_usd"]);
  f.eval_summary = summary;
  return f;
}

void ExpectSameFinal(const Final& got, const Final& want) {
  EXPECT_EQ(got.final_skill, want.final_skill);
  EXPECT_EQ(got.eval_summary, want.eval_summary);
  EXPECT_EQ(got.training, want.training);
}

TEST(E2eResume, BudgetStopThenResumeWithAHigherBudget) {
  testing::TempDir work;
  const fs::path results = work.path() / "results";
  auto mock = StartMock();
  ASSERT_NE(mock, nullptr);
  // Each call costs $0.0021 (gpt-4o-mini, 10000 input and 1000 output tokens): collect's 18
  // calls cost $0.0378. The hard cap admits a call while spent + held + its worst case (its
  // input at 3 bytes a token, 4,096 output tokens: about $0.0026) fits $0.05, so 5 of the
  // first batch's 6 executor calls run ($0.0483) and the 6th is refused unsent.
  Outcome stopped =
      RunSkillgrad(*mock, work.path(), TrainArgs(results, {"--max-cost-usd", "0.05"}));
  EXPECT_EQ(stopped.exit_code, 3) << stopped.output;
  EXPECT_NE(stopped.output.find("status: budget_exhausted"), std::string::npos) << stopped.output;
  EXPECT_NE(stopped.output.find("--max-cost-usd"), std::string::npos) << stopped.output;
  // train found no base trajectories and ran collect itself, inside the run's budget.
  EXPECT_NE(stopped.output.find("running collect first"), std::string::npos) << stopped.output;
  const int64_t before_resume = mock->counters().requests;
  EXPECT_EQ(before_resume, 18 + 5);
  EXPECT_LE(LedgerCost(results / kRun / "ledger.jsonl"), 0.05);
  EXPECT_NE(stopped.output.find("the cost cap --max-cost-usd 0.050000 is reached"),
            std::string::npos)
      << stopped.output;
  Json state = ReadJson(results / kRun / "train/state.json");
  EXPECT_EQ(state["status"], "budget_exhausted") << state.dump();
  EXPECT_EQ(state["iteration"], 1);
  EXPECT_EQ(state["completed_stage"], "none");  // execute stopped inside, its 5 tasks kept
  EXPECT_EQ(ReadJson(results / "manifest.json")["runs"][kRunId]["status"], "budget_exhausted");
  EXPECT_FALSE(fs::exists(results / kRun / "train/final_skill"));

  // Resuming with the same budget is refused at once, without a call: what the ledger holds
  // plus the cost plan's low figure for the rest is above the cap (train exits 1).
  Outcome again =
      RunSkillgrad(*mock, work.path(), TrainArgs(results, {"--max-cost-usd", "0.05", "--resume"}));
  EXPECT_EQ(again.exit_code, 1) << again.output;
  EXPECT_NE(again.output.find("of it spent already"), std::string::npos) << again.output;
  EXPECT_EQ(mock->counters().requests, before_resume);
  // With --force it runs into the hard cap at once: status budget_exhausted again, exit 3.
  Outcome forced = RunSkillgrad(
      *mock, work.path(), TrainArgs(results, {"--max-cost-usd", "0.05", "--resume", "--force"}));
  EXPECT_EQ(forced.exit_code, 3) << forced.output;
  EXPECT_EQ(mock->counters().requests, before_resume);

  // Resuming with other schedule flags is refused before any call.
  Outcome other =
      RunSkillgrad(*mock, work.path(),
                   TrainArgs(results, {"--max-cost-usd", "1", "--resume", "--n-train", "2"}));
  EXPECT_EQ(other.exit_code, 1) << other.output;
  EXPECT_NE(other.output.find("train_set.json holds other batches"), std::string::npos)
      << other.output;
  EXPECT_EQ(mock->counters().requests, before_resume);

  Outcome resumed =
      RunSkillgrad(*mock, work.path(), TrainArgs(results, {"--max-cost-usd", "1", "--resume"}));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  // The budget stop's reason does not outlive it.
  EXPECT_NE(resumed.output.find("status: completed (all iterations done)"), std::string::npos)
      << resumed.output;
  // Nothing already paid for is asked again: the rest of an uninterrupted run's 18 + 22.
  EXPECT_EQ(mock->counters().requests, 18 + 22);
  EXPECT_EQ(ReadText(results / kRun / "train/final_skill/table-qa/SKILL.md"),
            ReadText(Expected("SKILL.v2.md")));
  EXPECT_EQ(ReadJson(results / "manifest.json")["runs"][kRunId]["status"], "completed");
}

// The crash loop's find: a kill after the final checkpoint but before the manifest update
// left manifest.json saying "running" for good, since a resume found the run complete and
// returned at once.
TEST(E2eResume, AManifestLeftBehindByAKillCatchesUpOnResume) {
  testing::TempDir work;
  const fs::path results = work.path() / "results";
  auto mock = StartMock();
  ASSERT_NE(mock, nullptr);
  Outcome train = RunSkillgrad(*mock, work.path(), TrainArgs(results));
  ASSERT_EQ(train.exit_code, 0) << train.output;
  const int64_t requests = mock->counters().requests;

  Json manifest = ReadJson(results / "manifest.json");
  manifest["runs"][kRunId]["status"] = "running";
  ASSERT_TRUE(WriteJsonFile(results / "manifest.json", manifest).ok());
  Outcome resumed = RunSkillgrad(*mock, work.path(), TrainArgs(results, {"--resume"}));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("already complete"), std::string::npos) << resumed.output;
  EXPECT_EQ(mock->counters().requests, requests);
  const std::string caught_up = ReadText(results / "manifest.json");
  EXPECT_EQ(ReadJson(results / "manifest.json")["runs"][kRunId]["status"], "completed");

  // An index that already agrees is left as it is, updated_at included.
  Outcome again = RunSkillgrad(*mock, work.path(), TrainArgs(results, {"--resume"}));
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(ReadText(results / "manifest.json"), caught_up);
}

struct KillPoint {
  const char* scenario;
  const char* stage;  // the stage the process was killed in
};

TEST(E2eResume, KillNineDuringEachStageResumesToTheSameResult) {
  Final want;
  {
    testing::TempDir work;
    auto mock = StartMock();
    ASSERT_NE(mock, nullptr);
    const fs::path results = work.path() / "results";
    Outcome train = RunSkillgrad(*mock, work.path(), TrainArgs(results));
    ASSERT_EQ(train.exit_code, 0) << train.output;
    want = Finish(*mock, work.path(), results);
    ASSERT_EQ(want.final_skill["table-qa/SKILL.md"], ReadText(Expected("SKILL.v2.md")));
  }

  for (const KillPoint& point :
       {KillPoint{"kill_execute.json", "execute"}, KillPoint{"kill_diagnose.json", "diagnose"},
        KillPoint{"kill_patch.json", "patch"}, KillPoint{"kill_momentum.json", "momentum"}}) {
    SCOPED_TRACE(point.scenario);
    testing::TempDir work;
    const fs::path results = work.path() / "results";
    {
      auto mock = StartMock({point.scenario});
      ASSERT_NE(mock, nullptr);
      Process process(*mock, work.path(), TrainArgs(results));
      ASSERT_TRUE(WaitForRule(*mock, "stall")) << process.Kill().output;
      Outcome killed = process.Kill();
      EXPECT_EQ(killed.exit_code, -1) << killed.output;
      Json state = ReadJson(results / kRun / "train/state.json");
      EXPECT_EQ(state["status"], "running") << state.dump();
      // The momentum stall is in iteration 2 (iteration 1 bootstraps after the patch).
      EXPECT_EQ(state["iteration"], std::string(point.stage) == "momentum" ? 2 : 1);
      EXPECT_FALSE(fs::exists(results / kRun / "train/final_skill"));
      if (std::string(point.stage) == "patch") {
        // Killed after the patcher's write: the half-done patch is on disk.
        EXPECT_EQ(ReadText(results / kRun / "train/iter_1/patched_skills/table-qa/SKILL.md"),
                  ReadText(Expected("SKILL.v1.md")));
        EXPECT_EQ(state["completed_stage"], "diagnose");
      }
    }
    auto mock = StartMock();
    ASSERT_NE(mock, nullptr);
    Outcome resumed = RunSkillgrad(*mock, work.path(), TrainArgs(results, {"--resume"}));
    ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
    EXPECT_NE(resumed.output.find("resuming"), std::string::npos) << resumed.output;
    ExpectSameFinal(Finish(*mock, work.path(), results), want);
  }
}

}  // namespace
}  // namespace sg::e2e
