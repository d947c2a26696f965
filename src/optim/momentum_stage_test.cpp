// The MOMENTUM stage over the scripted model (optim/testing_stage_world.h), asserting on
// what the agent receives: the rounds of submit_momentum (one bad entry goes back alone,
// and is dropped and recorded after the last round), the skill folder it is shown (the
// patched skill at the bootstrap, S_t later) and its turn cap.
#include "optim/momentum_stage.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/file_util.h"
#include "core/json.h"
#include "llm/message.h"
#include "optim/iteration_layout.h"
#include "optim/iteration_stage.h"
#include "optim/momentum.h"
#include "optim/skillgrad_stages.h"
#include "optim/testing_stage_world.h"
#include "run/role_runner.h"

namespace sg::optim {
namespace {
namespace fs = std::filesystem;
using sg::testing::StageWorld;

constexpr const char* kNewSection = "## Separator Rules";

class MomentumStageTest : public ::testing::Test {
 protected:
  // EXECUTE (t1 failed, t2 passed) and DIAGNOSE of iteration t done, calls forgotten.
  IterationWork Diagnosed(int t) {
    world_.WriteBaseRun();
    IterationWork work = world_.Work(t);
    world_.WriteExecuted(work);
    auto reloaded = MakeExecuteStage(world_.services)->Reload(work);
    EXPECT_TRUE(reloaded.ok() && *reloaded);
    Status ran = MakeDiagnoseStage(world_.services)->Run(work);
    EXPECT_TRUE(ran.ok()) << ran.error().ToString();
    world_.client.ClearCalls();
    return work;
  }

  std::vector<sg::testing::RecordedCall> MomentumCalls() const {
    std::vector<sg::testing::RecordedCall> out;
    for (const auto& call : world_.client.calls()) {
      if (call.context.role == "momentum") out.push_back(call);
    }
    return out;
  }

  StageWorld world_;
};

Json Entry(const std::string& task, const std::string& signal) {
  return {{"task_id", task},
          {"signal", signal},
          {"pattern", sg::testing::kSlug},
          {"anchor", "handing-in"},
          {"gap", "the skill does not ask for a check"},
          {"proposed_change", "add a check rule to Handing in"}};
}

Json Submit(Json patterns, Json entries, int t = 2) {
  return {
      {"record", {{"iteration", t}, {"patterns", std::move(patterns)}}},
      {"overlay",
       {{"iteration", t}, {"entries", std::move(entries)}, {"workflow_themes", Json::array()}}}};
}

// Iteration 2's agent: first the full submission with t2 (which passed) marked a failure,
// then, on each later turn, `resubmit(turn)`.
void ScriptMomentum(StageWorld& world, std::function<Json(int)> resubmit) {
  world.intercept =
      [resubmit](const llm::ChatRequest& request,
                 const llm::CallContext& context) -> std::optional<Result<llm::ChatResponse>> {
    if (context.role != "momentum") return std::nullopt;
    const int turn = sg::testing::TurnOf(request);
    if (turn == 0) {
      Json patterns = sg::testing::ScriptedRecord(2)["patterns"];
      return sg::testing::ToolReply(
          "submit_momentum",
          Submit(patterns, Json::array({Entry("t1", "failure"), Entry("t2", "failure")})));
    }
    return sg::testing::ToolReply("submit_momentum", resubmit(turn));
  };
}

MomentumRecord RecordAt(int t) {
  auto record = ParseMomentumRecord(sg::testing::ScriptedRecord(t));
  EXPECT_TRUE(record.ok()) << record.error().ToString();
  return record.ok() ? *record : MomentumRecord{};
}

TEST_F(MomentumStageTest, OneBadEntryGoesBackAloneWhileTheOthersAreKept) {
  IterationWork work = Diagnosed(2);
  work.previous = RecordAt(1);
  ScriptMomentum(world_,
                 [](int) { return Submit(Json::array(), Json::array({Entry("t2", "success")})); });
  Status ran = MakeMomentumStage(world_.services, false)->Run(work);
  ASSERT_TRUE(ran.ok()) << ran.error().ToString();

  const auto calls = MomentumCalls();
  ASSERT_EQ(calls.size(), 2u);
  const llm::Message* answer = sg::testing::LastMessageOf(calls[1].request, llm::Role::kTool);
  ASSERT_NE(answer, nullptr);
  EXPECT_NE(answer->content.find("overlay entry of task \"t2\""), std::string::npos)
      << answer->content;
  EXPECT_NE(answer->content.find("was graded a success"), std::string::npos) << answer->content;
  EXPECT_EQ(answer->content.find("\"t1\""), std::string::npos) << answer->content;

  ASSERT_TRUE(work.momentum.has_value());
  EXPECT_TRUE(work.momentum->accepted);
  EXPECT_TRUE(work.momentum->dropped.empty());
  EXPECT_TRUE(work.momentum->violations.empty());
  ASSERT_EQ(work.momentum->overlay.entries.size(), 2u);
  EXPECT_EQ(work.momentum->overlay.FindTask("t2")->signal, Signal::kSuccess);
  EXPECT_EQ(work.momentum->record.Find(sg::testing::kSlug)->appeared_in, (std::vector<int>{1, 2}));
  Json dropped = *ReadJsonFile(IterationLayout(work.context.iter_dir).MomentumDropped());
  EXPECT_EQ(dropped["dropped"], Json::array());
}

TEST_F(MomentumStageTest, AnEntryWrongInEveryRoundIsDroppedAndRecordedWithItsReason) {
  IterationWork work = Diagnosed(2);
  work.previous = RecordAt(1);
  ScriptMomentum(world_,
                 [](int) { return Submit(Json::array(), Json::array({Entry("t2", "failure")})); });
  Status ran = MakeMomentumStage(world_.services, false)->Run(work);
  ASSERT_TRUE(ran.ok()) << ran.error().ToString();

  EXPECT_EQ(MomentumCalls().size(), 1u + kMomentumResubmissions);
  ASSERT_TRUE(work.momentum.has_value());
  EXPECT_TRUE(work.momentum->accepted);  // the record and t1's entry stand
  EXPECT_EQ(work.momentum->record.Find(sg::testing::kSlug)->appeared_in, (std::vector<int>{1, 2}));
  ASSERT_EQ(work.momentum->overlay.entries.size(), 1u);
  EXPECT_EQ(work.momentum->overlay.entries[0].task_id, "t1");
  ASSERT_EQ(work.momentum->violations.size(), 1u);
  EXPECT_NE(work.momentum->violations[0].find("t2"), std::string::npos);

  // Recorded in the iteration folder, and read back by a resumed run.
  Json file = *ReadJsonFile(IterationLayout(work.context.iter_dir).MomentumDropped());
  ASSERT_EQ(file["dropped"].size(), 1u) << file.dump();
  EXPECT_EQ(file["dropped"][0]["key"], "entry:t2");
  EXPECT_EQ(file["dropped"][0]["submitted"], Entry("t2", "failure"));
  EXPECT_NE(file["dropped"][0]["reasons"].dump().find("was graded a success"), std::string::npos)
      << file.dump();
  IterationWork again = world_.Work(2);
  ASSERT_TRUE(*MakeMomentumStage(world_.services, false)->Reload(again));
  ASSERT_EQ(again.momentum->dropped.size(), 1u);
  EXPECT_EQ(again.momentum->dropped[0].key, "entry:t2");
}

// The skill folder of the task message, between the backquotes after its label.
std::string SkillFolderOf(const llm::ChatRequest& request) {
  const llm::Message* user = sg::testing::LastMessageOf(request, llm::Role::kUser);
  if (!user) return "";
  const std::string head = "Skill folder (read-only): `";
  size_t at = user->content.find(head);
  if (at == std::string::npos) return "";
  at += head.size();
  return user->content.substr(at, user->content.find('`', at) - at);
}

TEST_F(MomentumStageTest, TheBootstrapReadsTheSkillThePatchLeft) {
  IterationWork work = Diagnosed(1);
  const std::string patched = sg::testing::SeedSkill() + "\n" + kNewSection +
                              "\n\nStrip thousands separators before adding.\n";
  world_.intercept =
      [&](const llm::ChatRequest& request,
          const llm::CallContext& context) -> std::optional<Result<llm::ChatResponse>> {
    const int turn = sg::testing::TurnOf(request);
    if (context.role == "patcher" && turn == 0) {
      return sg::testing::ToolReply(
          "write_file",
          {{"path", std::string(sg::testing::kSkillName) + "/SKILL.md"}, {"content", patched}});
    }
    if (context.role == "momentum" && turn == 0) {
      const fs::path skill =
          fs::path(SkillFolderOf(request)) / sg::testing::kSkillName / "SKILL.md";
      return sg::testing::ToolReply("read_file", {{"path", skill.string()}});
    }
    return std::nullopt;
  };
  ASSERT_TRUE(MakePatchStage(world_.services)->Run(work).ok());
  world_.client.ClearCalls();
  Status ran = MakeMomentumStage(world_.services, /*bootstrap=*/true)->Run(work);
  ASSERT_TRUE(ran.ok()) << ran.error().ToString();

  const auto calls = MomentumCalls();
  ASSERT_GE(calls.size(), 2u);
  EXPECT_EQ(fs::path(SkillFolderOf(calls[0].request)),
            fs::canonical(IterationLayout(work.context.iter_dir).PatchedSkills()));
  // S_1 lacks the section; what the agent read has it.
  EXPECT_EQ(
      ReadFile(work.context.skill_dir / sg::testing::kSkillName / "SKILL.md")->find(kNewSection),
      std::string::npos);
  const llm::Message* read = sg::testing::LastMessageOf(calls[1].request, llm::Role::kTool);
  ASSERT_NE(read, nullptr);
  EXPECT_NE(read->content.find(kNewSection), std::string::npos) << read->content;
  EXPECT_TRUE(work.momentum->accepted);
}

TEST_F(MomentumStageTest, LaterIterationsReadTheSkillTheBatchRanWith) {
  IterationWork work = Diagnosed(2);
  work.previous = RecordAt(1);
  ASSERT_TRUE(MakeMomentumStage(world_.services, false)->Run(work).ok());
  const auto calls = MomentumCalls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(fs::path(SkillFolderOf(calls[0].request)), fs::canonical(work.context.skill_dir));
}

TEST_F(MomentumStageTest, TheAgentGetsFifteenTurns) {
  EXPECT_EQ(run::RoleEnv{}.momentum_max_turns, 15);
  IterationWork work = Diagnosed(2);
  work.previous = RecordAt(1);
  // An agent that keeps reading and never submits.
  world_.intercept =
      [](const llm::ChatRequest&,
         const llm::CallContext& context) -> std::optional<Result<llm::ChatResponse>> {
    if (context.role != "momentum") return std::nullopt;
    return sg::testing::ToolReply("read_file", {{"path", "batch_diagnoses.md"}});
  };
  ASSERT_TRUE(MakeMomentumStage(world_.services, false)->Run(work).ok());
  EXPECT_EQ(MomentumCalls().size(), 15u);
  EXPECT_FALSE(work.momentum->accepted);
  ASSERT_EQ(work.momentum->violations.size(), 1u);
  EXPECT_NE(work.momentum->violations[0].find("without calling submit_momentum"),
            std::string::npos);
  EXPECT_EQ(work.momentum->record.patterns.size(), 1u);
}

}  // namespace
}  // namespace sg::optim
