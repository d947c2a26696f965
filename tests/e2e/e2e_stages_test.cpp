// The optimizer's guard rails end to end, each against base.json plus one test case's rules:
// the momentum validation (replies that leave out a batch task), the lint repair round (a patch
// that leaves an orphan reference the seed did not have; none with --projection off) and
// --accept validate (a harmful patch rolled back).
#include "tests/e2e/e2e_harness.h"

namespace sg::e2e {
namespace {

const fs::path kRun = fs::path("runs") / kRunId;

// The calls of `tool` in a trajectory: the tool calls of its assistant messages with that
// name (the tool list of the header, which names every tool offered, is not counted).
int CountToolCalls(const Json& trajectory, const std::string& tool) {
  int n = 0;
  for (const Json& message : trajectory.at("messages")) {
    if (message.value("role", "") != "assistant" || !message.contains("tool_calls")) continue;
    for (const Json& call : message["tool_calls"]) n += call.value("name", "") == tool ? 1 : 0;
  }
  return n;
}

// Momentum validation keeps what validates: the missing entry goes back alone (up to two
// rounds), and what is still missing after them is dropped and recorded; the rest stands.
TEST(E2eStages, MomentumViolationGoesBackThenOnlyTheBadItemIsDropped) {
  testing::TempDir work;
  const fs::path results = work.path() / "results";
  auto mock = StartMock({"momentum_violation.json"});
  ASSERT_NE(mock, nullptr);
  Outcome train = RunSkillgrad(*mock, work.path(), TrainArgs(results));
  ASSERT_EQ(train.exit_code, 0) << train.output;
  auto uses = mock->counters().rule_uses;
  EXPECT_EQ(uses["momentum-1-drops-task"], 1);
  EXPECT_EQ(uses["momentum-1-corrected"], 1);
  EXPECT_EQ(uses["momentum-2-drops-task"], 3);  // the first reply and two more rounds

  const fs::path train_dir = results / kRun / "train";
  Json training = ReadJson(train_dir / "training_results.json");
  ASSERT_EQ(training.size(), 2u) << training.dump();

  // Iteration 1: the first reply lacked a task, the agent was told, the second had it.
  Json stage1 = ReadJson(train_dir / "iter_1/momentum_stage.json");
  EXPECT_EQ(stage1["accepted"], true) << stage1.dump();
  EXPECT_EQ(stage1["violations"], Json::array());
  std::string trajectory1 = ReadText(train_dir / "iter_1/momentum_trajectory.json");
  EXPECT_NE(trajectory1.find("of the batch has no entry"), std::string::npos);
  EXPECT_EQ(training[0]["momentum"]["accepted"], true);
  EXPECT_EQ(ReadJson(train_dir / "iter_1/momentum_overlay.json")["entries"].size(), 2u);
  EXPECT_EQ(ReadJson(train_dir / "iter_1/momentum_dropped.json")["dropped"], Json::array());

  // Iteration 2: every reply lacked the same task. The pattern update and the other entry
  // are kept; the missing entry is dropped and recorded with its reason.
  const std::string missing = training[1]["batch"][1].get<std::string>();
  Json stage2 = ReadJson(train_dir / "iter_2/momentum_stage.json");
  EXPECT_EQ(stage2["accepted"], true) << stage2.dump();
  ASSERT_EQ(stage2["violations"].size(), 1u) << stage2.dump();
  EXPECT_NE(stage2["violations"].dump().find(missing), std::string::npos) << stage2.dump();
  EXPECT_EQ(training[1]["momentum"]["violations"], stage2["violations"]);
  EXPECT_EQ(training[1]["momentum"]["dropped"], 1);
  Json dropped = ReadJson(train_dir / "iter_2/momentum_dropped.json");
  ASSERT_EQ(dropped["dropped"].size(), 1u) << dropped.dump();
  EXPECT_EQ(dropped["dropped"][0]["key"], "entry:" + missing);
  EXPECT_NE(dropped["dropped"][0]["reasons"].dump().find("of the batch has no entry"),
            std::string::npos);
  Json overlay2 = ReadJson(train_dir / "iter_2/momentum_overlay.json");
  ASSERT_EQ(overlay2["entries"].size(), 1u);
  EXPECT_EQ(overlay2["entries"][0]["task_id"], training[1]["batch"][0]);
  EXPECT_EQ(
      CountToolCalls(ReadJson(train_dir / "iter_1/momentum_trajectory.json"), "submit_momentum"),
      2);
  EXPECT_EQ(
      CountToolCalls(ReadJson(train_dir / "iter_2/momentum_trajectory.json"), "submit_momentum"),
      3);
  // The record grew: the pattern appeared at iteration 2 and its remedy log has the patch.
  Json memory2 = ReadJson(train_dir / "iter_2/momentum_memory.json");
  ASSERT_EQ(memory2["patterns"].size(), 1u);
  EXPECT_EQ(memory2["patterns"][0]["appeared_in"], Json({1, 2})) << memory2.dump();
  EXPECT_EQ(memory2["patterns"][0]["remedy_log"].size(), 2u) << memory2.dump();
  // The patch still ran: the final skill is the same as without the violations.
  EXPECT_EQ(ReadText(train_dir / "final_skill/table-qa/SKILL.md"),
            ReadText(Expected("SKILL.v2.md")));
}

TEST(E2eStages, LintRepairRoundFixesAnOrphanReference) {
  testing::TempDir work;
  const fs::path results = work.path() / "results";
  auto mock = StartMock({"lint_repair.json"});
  ASSERT_NE(mock, nullptr);
  Outcome train = RunSkillgrad(*mock, work.path(), TrainArgs(results, {"--n-iterations", "1"}));
  ASSERT_EQ(train.exit_code, 0) << train.output;
  auto uses = mock->counters().rule_uses;
  EXPECT_EQ(uses["patch-1-orphan"], 1);
  EXPECT_EQ(uses["repair-write"], 1);
  EXPECT_EQ(uses["repair-report"], 1);

  const fs::path train_dir = results / kRun / "train";
  const fs::path iter = train_dir / "iter_1";
  Json training = ReadJson(train_dir / "training_results.json");
  ASSERT_EQ(training.size(), 1u);
  EXPECT_EQ(training[0]["patch"]["repaired"], true) << training.dump();
  EXPECT_EQ(training[0]["patch"]["lint_violations"], Json::array());
  // The repair prompt named the violation.
  std::string repair = ReadText(iter / "patch_repair_trajectory.json");
  EXPECT_NE(repair.find("orphan-reference"), std::string::npos);
  EXPECT_NE(repair.find("references/separators.md"), std::string::npos);
  Json report = ReadJson(iter / "patch_report.json");
  EXPECT_EQ(report["changes"].size(), 1u) << report.dump();  // the repair adds no change
  EXPECT_NE(report["notes"].get<std::string>().find("lint repair: orphan-reference"),
            std::string::npos)
      << report.dump();

  const fs::path final_skill = train_dir / "final_skill/table-qa";
  auto files = TreeContents(final_skill);
  EXPECT_EQ(files.size(), 2u);
  EXPECT_EQ(files["SKILL.md"], ReadText(Expected("SKILL.repaired.md")));
  EXPECT_TRUE(files.count("references/separators.md"));
  Outcome lint = RunSkillgrad(*mock, work.path(), {"lint", final_skill.string()});
  EXPECT_EQ(lint.exit_code, 0) << lint.output;
  std::string diff = ReadText(iter / "patch.diff");
  EXPECT_NE(diff.find("references/separators.md"), std::string::npos) << diff;
}

// --projection off is the authors' loop: the same orphan stays, recorded, and no repair
// round runs; config.json says so. A value other than on or off is refused by name.
TEST(E2eStages, ProjectionOffRunsNoRepairRoundAndRecordsTheOrphan) {
  testing::TempDir work;
  const fs::path results = work.path() / "results";
  auto mock = StartMock({"lint_repair.json"});
  ASSERT_NE(mock, nullptr);
  Outcome bad = RunSkillgrad(*mock, work.path(), TrainArgs(results, {"--projection", "sometimes"}));
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.output.find("--projection sometimes"), std::string::npos) << bad.output;
  Outcome train = RunSkillgrad(*mock, work.path(),
                               TrainArgs(results, {"--n-iterations", "1", "--projection", "off"}));
  ASSERT_EQ(train.exit_code, 0) << train.output;
  auto uses = mock->counters().rule_uses;
  EXPECT_EQ(uses["patch-1-orphan"], 1);
  EXPECT_EQ(uses["repair-write"], 0);
  EXPECT_EQ(uses["repair-report"], 0);
  EXPECT_EQ(ReadJson(results / kRun / "config.json")["projection"], "off");
  const fs::path train_dir = results / kRun / "train";
  Json training = ReadJson(train_dir / "training_results.json");
  ASSERT_EQ(training.size(), 1u);
  EXPECT_EQ(training[0]["patch"]["repaired"], false) << training.dump();
  EXPECT_NE(training[0]["patch"]["lint_violations"].dump().find("orphan-reference"),
            std::string::npos)
      << training.dump();
  EXPECT_FALSE(fs::exists(train_dir / "iter_1" / "patch_repair_trajectory.json"));
  EXPECT_EQ(ReadText(train_dir / "final_skill/table-qa/SKILL.md"),
            ReadText(Expected("SKILL.v1.md")));
}

const std::vector<std::string> kValidateArgs = {"--n-iterations", "1", "--accept", "validate"};

// The run of harmful_patch.json with --accept validate: the patch was rolled back.
void ExpectRolledBack(const fs::path& results) {
  const fs::path train_dir = results / kRun / "train";
  const fs::path iter = train_dir / "iter_1";
  Json validation = ReadJson(iter / "validation.json");
  EXPECT_EQ(validation["before_hard_accuracy"], 1.0) << validation.dump();
  EXPECT_EQ(validation["after_hard_accuracy"], 0.0);
  EXPECT_EQ(validation["decision"], "rolled_back");
  Json training = ReadJson(train_dir / "training_results.json");
  ASSERT_EQ(training.size(), 1u);
  EXPECT_EQ(training[0]["validation"], validation);
  EXPECT_EQ(training[0]["accepted"], false);
  // The validation runs are kept: the seed passed the lookup, the harmful skill did not.
  EXPECT_EQ(ReadJson(iter / "validate/before/nu-5/assessment.json")["pass"], true);
  EXPECT_EQ(ReadJson(iter / "validate/after/nu-5/assessment.json")["pass"], false);
  // The harmful patch is on record, and the final skill is the snapshot it started from.
  EXPECT_EQ(ReadText(iter / "patched_skills/table-qa/SKILL.md"),
            ReadText(Expected("SKILL.harmful.md")));
  EXPECT_EQ(TreeContents(train_dir / "final_skill"), TreeContents(train_dir / "snapshots/iter_1"));
  EXPECT_EQ(ReadText(train_dir / "final_skill/table-qa/SKILL.md"),
            ReadText(SeedSkills() / "table-qa/SKILL.md"));
}

TEST(E2eStages, AcceptValidateRollsBackAHarmfulPatch) {
  testing::TempDir work;
  const fs::path results = work.path() / "results";
  auto mock = StartMock({"harmful_patch.json"});
  ASSERT_NE(mock, nullptr);
  Outcome train = RunSkillgrad(*mock, work.path(), TrainArgs(results, kValidateArgs));
  ASSERT_EQ(train.exit_code, 0) << train.output;
  EXPECT_EQ(mock->counters().rule_uses["patch-1-harmful"], 1);
  EXPECT_EQ(mock->counters().rule_uses["exec-lookup-first-row"], 1);  // the validation task
  ExpectRolledBack(results);
}

TEST(E2eStages, KillNineDuringValidationResumesToTheSameDecision) {
  testing::TempDir work;
  const fs::path results = work.path() / "results";
  {
    auto mock = StartMock({"kill_validate.json", "harmful_patch.json"});
    ASSERT_NE(mock, nullptr);
    Process process(*mock, work.path(), TrainArgs(results, kValidateArgs));
    ASSERT_TRUE(WaitForRule(*mock, "stall")) << process.Kill().output;
    EXPECT_EQ(process.Kill().exit_code, -1);
    Json state = ReadJson(results / kRun / "train/state.json");
    EXPECT_EQ(state["completed_stage"], "momentum") << state.dump();
    EXPECT_FALSE(fs::exists(results / kRun / "train/iter_1/validation.json"));
  }
  auto mock = StartMock({"harmful_patch.json"});
  ASSERT_NE(mock, nullptr);
  Outcome resumed =
      RunSkillgrad(*mock, work.path(),
                   TrainArgs(results, {"--n-iterations", "1", "--accept", "validate", "--resume"}));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  // Only the stalled validation task runs again.
  EXPECT_EQ(mock->counters().rule_uses["exec-lookup-first-row"], 1);
  EXPECT_EQ(mock->counters().rule_uses["patch-1-harmful"], 0);
  ExpectRolledBack(results);
}

}  // namespace
}  // namespace sg::e2e

namespace sg::e2e {
namespace {

// --accept-rule: the paired test decides. The validation split is one lookup task (nu-5).
TEST(E2eStages, AcceptRuleNotWorseKeepsAPatchTheEvidenceDoesNotCondemn) {
  testing::TempDir work;
  const fs::path results = work.path() / "results";
  auto mock = StartMock({"harmful_patch.json"});
  ASSERT_NE(mock, nullptr);
  std::vector<std::string> args = kValidateArgs;
  for (const char* a : {"--accept-rule", "not-worse", "--alpha", "0.05"}) args.push_back(a);
  Outcome train = RunSkillgrad(*mock, work.path(), TrainArgs(results, args));
  ASSERT_EQ(train.exit_code, 0) << train.output;
  const Json validation = ReadJson(results / kRun / "train/iter_1/validation.json");
  // 1.0 -> 0.0 on one task: one discordant task, McNemar p = 1, not below 0.05: kept.
  EXPECT_EQ(validation["before_hard_accuracy"], 1.0) << validation.dump();
  EXPECT_EQ(validation["after_hard_accuracy"], 0.0);
  EXPECT_EQ(validation["test"]["rule"], "not-worse");
  EXPECT_EQ(validation["test"]["name"], "exact McNemar");
  EXPECT_EQ(validation["test"]["p_value"], 1.0);
  EXPECT_EQ(validation["test"]["difference"], -1.0);
  EXPECT_EQ(validation["decision"], "kept");
  EXPECT_EQ(ReadText(results / kRun / "train/final_skill/table-qa/SKILL.md"),
            ReadText(Expected("SKILL.harmful.md")));
  EXPECT_EQ(ReadJson(results / kRun / "config.json")["accept_rule"], "not-worse");
}

TEST(E2eStages, AcceptRuleBetterWithRolloutsRejectsAPatchWithoutEvidence) {
  testing::TempDir work;
  const fs::path results = work.path() / "results";
  auto mock = StartMock();
  ASSERT_NE(mock, nullptr);
  std::vector<std::string> args = kValidateArgs;
  for (const char* a : {"--accept-rule", "better", "--val-rollouts", "2"}) args.push_back(a);
  Outcome train = RunSkillgrad(*mock, work.path(), TrainArgs(results, args));
  ASSERT_EQ(train.exit_code, 0) << train.output;
  const fs::path iter = results / kRun / "train/iter_1";
  const Json validation = ReadJson(iter / "validation.json");
  // The patch leaves lookups as they were: no better, so rolled back (the gate at work).
  EXPECT_EQ(validation["before_hard_accuracy"], 1.0) << validation.dump();
  EXPECT_EQ(validation["after_hard_accuracy"], 1.0);
  EXPECT_EQ(validation["test"]["rule"], "better");
  EXPECT_EQ(validation["test"]["rollouts"], 2);
  EXPECT_EQ(validation["test"]["name"], "paired sign-flip permutation over tasks");
  EXPECT_EQ(validation["decision"], "rolled_back");
  // S_t stays, and its validation results are carried for the next iteration's test.
  EXPECT_EQ(ReadJson(results / kRun / "train/state.json")["current_val_dir"],
            validation["before_dir"]);
  for (const char* side : {"before", "after"}) {
    for (const char* rollout : {"", "rollout_2/"}) {
      EXPECT_TRUE(fs::exists(iter / "validate" / side / (std::string(rollout) + "nu-5") /
                             "assessment.json"))
          << side << " " << rollout;
    }
  }
  EXPECT_EQ(ReadText(results / kRun / "train/final_skill/table-qa/SKILL.md"),
            ReadText(SeedSkills() / "table-qa/SKILL.md"));
  Outcome bad = RunSkillgrad(*mock, work.path(),
                             TrainArgs(work.path() / "other", {"--accept-rule", "better"}));
  EXPECT_EQ(bad.exit_code, 1) << bad.output;  // train's flag errors exit 1 (README)
  EXPECT_NE(bad.output.find("add --accept validate"), std::string::npos) << bad.output;
}

}  // namespace
}  // namespace sg::e2e
