// The method's stages in process (optim/skillgrad_stages.h): EXECUTE, DIAGNOSE, MOMENTUM and
// PATCH over a scripted model and an in-memory benchmark (optim/testing_stage_world.h). For
// each: Run fills its part of IterationWork and writes the files that mark it done; Reload
// then gives the same result without a model call; Reload on an empty folder says "not
// done". A folder a stage needs that was moved away is an error value, from the stage and
// from the driver.
#include "optim/skillgrad_stages.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/file_util.h"
#include "core/json.h"
#include "optim/iteration_layout.h"
#include "optim/iteration_stage.h"
#include "optim/momentum.h"
#include "optim/stage_driver.h"
#include "optim/testing_stage_world.h"

namespace sg::optim {
namespace {
namespace fs = std::filesystem;
using sg::testing::StageWorld;

class StagesTest : public ::testing::Test {
 protected:
  // Iteration t with EXECUTE done on disk (t1 failed, t2 passed) and read back.
  IterationWork Executed(int t) {
    world_.WriteBaseRun();
    IterationWork work = world_.Work(t);
    world_.WriteExecuted(work);
    auto reloaded = MakeExecuteStage(world_.services)->Reload(work);
    EXPECT_TRUE(reloaded.ok() && *reloaded);
    return work;
  }

  // EXECUTE and DIAGNOSE done (DIAGNOSE run by the scripted model), calls forgotten.
  IterationWork Diagnosed(int t) {
    IterationWork work = Executed(t);
    Status ran = MakeDiagnoseStage(world_.services)->Run(work);
    EXPECT_TRUE(ran.ok()) << ran.error().ToString();
    world_.client.ClearCalls();
    return work;
  }

  StageWorld world_;
};

MomentumRecord RecordAt(int t) {
  auto record = ParseMomentumRecord(sg::testing::ScriptedRecord(t));
  EXPECT_TRUE(record.ok()) << record.error().ToString();
  return record.ok() ? *record : MomentumRecord{};
}

// ---- EXECUTE ----

TEST_F(StagesTest, ExecuteReloadOnAnEmptyFolderIsNotDone) {
  IterationWork work = world_.Work(1);
  auto stage = MakeExecuteStage(world_.services);
  EXPECT_EQ(stage->id(), Stage::kExecute);
  auto reloaded = stage->Reload(work);
  ASSERT_TRUE(reloaded.ok()) << reloaded.error().ToString();
  EXPECT_FALSE(*reloaded);
  EXPECT_FALSE(work.executed.has_value());
  EXPECT_EQ(world_.client.call_count(), 0u);
}

TEST_F(StagesTest, ExecuteRunsAndClassifiesThenReloadsWithoutACall) {
  IterationWork work = world_.Work(1);
  Status ran = MakeExecuteStage(world_.services)->Run(work);
  ASSERT_TRUE(ran.ok()) << ran.error().ToString();
  ASSERT_TRUE(work.executed.has_value());
  EXPECT_EQ(work.outcomes.at("t1"), Signal::kFailure);  // answered "wrong" without kRule
  EXPECT_EQ(work.outcomes.at("t2"), Signal::kSuccess);  // always right
  EXPECT_FALSE(work.all_correct);
  EXPECT_DOUBLE_EQ(work.executed->hard_accuracy, 0.5);
  for (const char* id : {"t1", "t2"}) {
    EXPECT_TRUE(fs::exists(work.context.TaskDir(id) / "assessment.json")) << id;
    EXPECT_TRUE(fs::exists(work.context.TaskDir(id) / "trajectory.json")) << id;
  }
  // The answer file reached the disk and was graded from it.
  EXPECT_EQ(ReadFile(work.context.TaskDir("t1") / "workspace" / "answer.txt").value_or(""),
            "wrong\n");
  // t1: activate_skill, write_file, "done"; t2: activate_skill, submit_answer (terminal).
  EXPECT_EQ(world_.client.CallsInStage("execute"), 5u);
  EXPECT_EQ(world_.client.CallsOfRole("executor"), 5u);
  EXPECT_EQ(world_.benchmark.graded(), 2);

  const size_t calls = world_.client.call_count();
  IterationWork again = world_.Work(1);
  auto reloaded = MakeExecuteStage(world_.services)->Reload(again);
  ASSERT_TRUE(reloaded.ok() && *reloaded);
  EXPECT_EQ(again.outcomes, work.outcomes);
  EXPECT_EQ(again.all_correct, work.all_correct);
  EXPECT_DOUBLE_EQ(again.executed->hard_accuracy, work.executed->hard_accuracy);
  EXPECT_EQ(world_.client.call_count(), calls);
  EXPECT_EQ(world_.benchmark.graded(), 2);
}

TEST_F(StagesTest, ExecuteRunsAgentCodeInTheSandboxAndGradesWhatItWrote) {
  // t1's executor answers through the shell tool: a real sandboxed python3 writes the answer
  // file, and the grader reads it from the workspace.
  world_.intercept = [](const llm::ChatRequest& request,
                        const llm::CallContext& c) -> std::optional<Result<llm::ChatResponse>> {
    if (c.task_id != "t1" || sg::testing::TurnOf(request) != 1) return std::nullopt;
    return Result<llm::ChatResponse>(sg::testing::ToolReply(
        "shell", {{"commands", Json::array({"python3 - <<'PY'\n"
                                            "q = open('question.txt').read()\n"
                                            "open('answer.txt', 'w').write(str(2 + 3) if '2 + 3' "
                                            "in q else 'no')\n"
                                            "print('wrote', q.strip())\nPY"})}}));
  };
  IterationWork work = world_.Work(1, {"t1"});
  Status ran = MakeExecuteStage(world_.services)->Run(work);
  ASSERT_TRUE(ran.ok()) << ran.error().ToString();
  EXPECT_EQ(work.outcomes.at("t1"), Signal::kSuccess);
  EXPECT_TRUE(work.all_correct);
  EXPECT_EQ(ReadFile(work.context.TaskDir("t1") / "workspace" / "answer.txt").value_or(""), "5");
  // The tool's output went back to the model.
  const auto calls = world_.client.calls();
  ASSERT_EQ(calls.size(), 3u);
  const llm::Message* result = sg::testing::LastMessageOf(calls[2].request, llm::Role::kTool);
  ASSERT_NE(result, nullptr);
  EXPECT_NE(result->content.find("wrote What is 2 + 3?"), std::string::npos) << result->content;
}

TEST_F(StagesTest, ExecuteWithAProviderFailureIsAnErrorAndLeavesTheStageUndone) {
  world_.intercept = [](const llm::ChatRequest&,
                        const llm::CallContext& c) -> std::optional<Result<llm::ChatResponse>> {
    if (c.task_id == "t1") return Result<llm::ChatResponse>(Error(ErrorCode::kProvider, "down"));
    return std::nullopt;
  };
  IterationWork work = world_.Work(1);
  Status ran = MakeExecuteStage(world_.services)->Run(work);
  ASSERT_FALSE(ran.ok());
  EXPECT_EQ(ran.error().code, ErrorCode::kProvider);
  // t2 finished and is kept; t1 is not graded, so the stage is not done.
  EXPECT_TRUE(fs::exists(work.context.TaskDir("t2") / "assessment.json"));
  EXPECT_FALSE(fs::exists(work.context.TaskDir("t1") / "assessment.json"));
  auto reloaded = MakeExecuteStage(world_.services)->Reload(work);
  ASSERT_TRUE(reloaded.ok());
  EXPECT_FALSE(*reloaded);
}

// ---- DIAGNOSE ----

TEST_F(StagesTest, DiagnoseReloadOnAnEmptyFolderIsNotDone) {
  IterationWork work = Executed(1);
  auto reloaded = MakeDiagnoseStage(world_.services)->Reload(work);
  ASSERT_TRUE(reloaded.ok());
  EXPECT_FALSE(*reloaded);
  EXPECT_FALSE(work.diagnoses.has_value());
}

TEST_F(StagesTest, DiagnoseRunsOneDiagnosisPerTaskThenReloadsWithoutACall) {
  IterationWork work = Executed(1);
  auto stage = MakeDiagnoseStage(world_.services);
  EXPECT_EQ(stage->id(), Stage::kDiagnose);
  Status ran = stage->Run(work);
  ASSERT_TRUE(ran.ok()) << ran.error().ToString();
  ASSERT_TRUE(work.diagnoses.has_value());
  // Batch order; the failed task gets a failure diagnosis, the passing one a contrastive one.
  const size_t t1 = work.diagnoses->find("## Task t1");
  const size_t t2 = work.diagnoses->find("## Task t2");
  ASSERT_NE(t1, std::string::npos);
  ASSERT_NE(t2, std::string::npos);
  EXPECT_LT(t1, t2);
  EXPECT_NE(work.diagnoses->find("failure_diagnoser read task t1"), std::string::npos);
  EXPECT_NE(work.diagnoses->find("contrastive_diagnoser read task t2"), std::string::npos);
  EXPECT_EQ(world_.client.CallsOfRole("failure_diagnoser"), 1u);
  EXPECT_EQ(world_.client.CallsOfRole("contrastive_diagnoser"), 1u);
  EXPECT_EQ(world_.client.CallsInStage("diagnose"), 2u);
  EXPECT_EQ(ReadFile(IterationLayout(work.context.iter_dir).BatchDiagnoses()).value_or(""),
            *work.diagnoses);
  for (const char* id : {"t1", "t2"}) {
    EXPECT_TRUE(fs::exists(IterationLayout::Diagnosis(work.context.TaskDir(id)))) << id;
  }

  const size_t calls = world_.client.call_count();
  IterationWork again = Executed(1);
  auto reloaded = MakeDiagnoseStage(world_.services)->Reload(again);
  ASSERT_TRUE(reloaded.ok() && *reloaded);
  EXPECT_EQ(again.diagnoses, work.diagnoses);
  EXPECT_EQ(world_.client.call_count(), calls);
}

TEST_F(StagesTest, DiagnoseWithoutTheBaseRunsTaskFolderIsAnError) {
  IterationWork work = Executed(1);
  fs::remove_all(world_.BaseDir() / "t2");  // t2 passed: its contrastive diagnosis needs it
  Status ran = MakeDiagnoseStage(world_.services)->Run(work);
  ASSERT_FALSE(ran.ok());
  EXPECT_NE(ran.error().message.find("t2"), std::string::npos) << ran.error().message;
  EXPECT_NE(ran.error().message.find("base run"), std::string::npos) << ran.error().message;
  EXPECT_FALSE(fs::exists(IterationLayout(work.context.iter_dir).BatchDiagnoses()));

  // The driver returns the same error and checkpoints nothing past EXECUTE.
  IterationWork driven = world_.Work(1);
  StageList stages;
  stages.push_back(MakeExecuteStage(world_.services));
  stages.push_back(MakeDiagnoseStage(world_.services));
  StageDriver driver(world_.StateFile(), Budget{});
  auto ended = driver.Run(stages, driven);
  ASSERT_FALSE(ended.ok());
  EXPECT_NE(ended.error().message.find("base run"), std::string::npos) << ended.error().message;
  EXPECT_FALSE(fs::exists(world_.StateFile()));  // EXECUTE was reloaded, not run: no checkpoint
}

TEST_F(StagesTest, DiagnoseWithoutTheIterationsTaskFolderIsAnError) {
  IterationWork work = Executed(1);
  fs::remove_all(work.context.TaskDir("t1"));
  Status ran = MakeDiagnoseStage(world_.services)->Run(work);
  ASSERT_FALSE(ran.ok());
  EXPECT_NE(ran.error().message.find("t1"), std::string::npos) << ran.error().message;
}

// ---- MOMENTUM ----

TEST_F(StagesTest, MomentumInstancesApplyToTheirIterations) {
  IterationWork first = world_.Work(1);
  IterationWork second = world_.Work(2);
  auto before_patch = MakeMomentumStage(world_.services, /*bootstrap=*/false);
  auto bootstrap = MakeMomentumStage(world_.services, /*bootstrap=*/true);
  EXPECT_EQ(before_patch->id(), Stage::kMomentum);
  EXPECT_FALSE(before_patch->AppliesTo(first));
  EXPECT_TRUE(before_patch->AppliesTo(second));
  EXPECT_TRUE(bootstrap->AppliesTo(first));
  EXPECT_FALSE(bootstrap->AppliesTo(second));
}

TEST_F(StagesTest, MomentumReloadOnAnEmptyFolderIsNotDone) {
  IterationWork work = Diagnosed(2);
  auto reloaded = MakeMomentumStage(world_.services, false)->Reload(work);
  ASSERT_TRUE(reloaded.ok());
  EXPECT_FALSE(*reloaded);
  EXPECT_FALSE(work.momentum.has_value());
}

TEST_F(StagesTest, MomentumRunsThenReloadsWithoutACall) {
  IterationWork work = Diagnosed(2);
  work.previous = RecordAt(1);
  Status ran = MakeMomentumStage(world_.services, false)->Run(work);
  ASSERT_TRUE(ran.ok()) << ran.error().ToString();
  ASSERT_TRUE(work.momentum.has_value());
  EXPECT_TRUE(work.momentum->accepted) << ::testing::PrintToString(work.momentum->violations);
  ASSERT_EQ(work.momentum->record.patterns.size(), 1u);
  EXPECT_EQ(work.momentum->record.patterns[0].appeared_in, (std::vector<int>{1, 2}));
  EXPECT_EQ(work.momentum->overlay.entries.size(), 2u);
  EXPECT_EQ(world_.client.CallsInStage("momentum"), 1u);
  const IterationLayout layout(work.context.iter_dir);
  for (const fs::path& file : {layout.MomentumStage(), layout.MomentumMemory(),
                               layout.MomentumOverlay(), layout.MomentumTrajectory()}) {
    EXPECT_TRUE(fs::exists(file)) << file;
  }
  // The prompt held the diagnoses and the batch with its signals.
  const auto calls = world_.client.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_TRUE(sg::testing::AnyMessageContains(calls[0].request, "t1 (failure), t2 (success)"));
  EXPECT_TRUE(sg::testing::AnyMessageContains(calls[0].request, "## Task t1"));

  IterationWork again = world_.Work(2);
  auto reloaded = MakeMomentumStage(world_.services, false)->Reload(again);
  ASSERT_TRUE(reloaded.ok() && *reloaded);
  EXPECT_EQ(ToJson(again.momentum->record), ToJson(work.momentum->record));
  EXPECT_EQ(ToJson(again.momentum->overlay), ToJson(work.momentum->overlay));
  EXPECT_EQ(again.momentum->accepted, work.momentum->accepted);
  EXPECT_EQ(world_.client.call_count(), 1u);
}

TEST_F(StagesTest, MomentumBootstrapWithoutThePatchIsAnErrorNotACrash) {
  IterationWork work = Diagnosed(1);
  Status ran = MakeMomentumStage(world_.services, /*bootstrap=*/true)->Run(work);
  ASSERT_FALSE(ran.ok());
  EXPECT_EQ(ran.error().code, ErrorCode::kInternal);
  EXPECT_EQ(world_.client.call_count(), 0u);
}

TEST_F(StagesTest, MomentumWithoutTheSnapshotIsAnError) {
  IterationWork work = Diagnosed(2);
  work.previous = RecordAt(1);
  fs::remove_all(work.context.skill_dir);
  Status ran = MakeMomentumStage(world_.services, false)->Run(work);
  ASSERT_FALSE(ran.ok());
  EXPECT_NE(ran.error().message.find("snapshot"), std::string::npos) << ran.error().message;
  EXPECT_FALSE(fs::exists(IterationLayout(work.context.iter_dir).MomentumStage()));
  EXPECT_EQ(world_.client.call_count(), 0u);

  StageList stages;
  stages.push_back(MakeExecuteStage(world_.services));
  stages.push_back(MakeDiagnoseStage(world_.services));
  stages.push_back(MakeMomentumStage(world_.services, false));
  StageDriver driver(world_.StateFile(), Budget{});
  IterationWork driven;
  driven.state = &world_.state;
  driven.context = work.context;
  driven.previous = work.previous;
  auto ended = driver.Run(stages, driven);
  ASSERT_FALSE(ended.ok());
  EXPECT_NE(ended.error().message.find("snapshot"), std::string::npos) << ended.error().message;
}

// ---- PATCH ----

TEST_F(StagesTest, PatchReloadOnAnEmptyFolderIsNotDone) {
  IterationWork work = Diagnosed(1);
  auto reloaded = MakePatchStage(world_.services)->Reload(work);
  ASSERT_TRUE(reloaded.ok());
  EXPECT_FALSE(*reloaded);
  EXPECT_FALSE(work.patch.has_value());
}

TEST_F(StagesTest, PatchRunsThenReloadsWithoutACall) {
  IterationWork work = Diagnosed(1);
  auto stage = MakePatchStage(world_.services);
  EXPECT_EQ(stage->id(), Stage::kPatch);
  Status ran = stage->Run(work);
  ASSERT_TRUE(ran.ok()) << ran.error().ToString();
  ASSERT_TRUE(work.patch.has_value());
  const PatchStageResult& patch = *work.patch;
  EXPECT_TRUE(patch.reported);
  EXPECT_FALSE(patch.repaired);
  EXPECT_TRUE(patch.lint_violations.empty()) << ::testing::PrintToString(patch.lint_violations);
  ASSERT_EQ(patch.report.changes.size(), 1u);
  EXPECT_EQ(patch.report.changes[0].pattern, sg::testing::kSlug);  // "new:" stripped
  EXPECT_EQ(ReadFile(patch.skills_after / sg::testing::kSkillName / "SKILL.md").value_or(""),
            sg::testing::SeedSkillAt(2));
  EXPECT_NE(patch.diff.find(sg::testing::kRule), std::string::npos) << patch.diff;
  // S_t is a snapshot: the patch never writes it.
  EXPECT_EQ(ReadFile(work.context.skill_dir / sg::testing::kSkillName / "SKILL.md").value_or(""),
            sg::testing::SeedSkill());
  EXPECT_EQ(world_.client.CallsInStage("patch"), 2u);  // write_file, submit_patch_report
  const IterationLayout layout(work.context.iter_dir);
  for (const fs::path& file :
       {layout.PatchResult(), layout.PatchReport(), layout.PatchDiff(), layout.PatchTrajectory()}) {
    EXPECT_TRUE(fs::exists(file)) << file;
  }

  IterationWork again = world_.Work(1);
  auto reloaded = MakePatchStage(world_.services)->Reload(again);
  ASSERT_TRUE(reloaded.ok() && *reloaded);
  EXPECT_EQ(again.patch->skills_after, patch.skills_after);
  EXPECT_EQ(ToJson(again.patch->report), ToJson(patch.report));
  EXPECT_EQ(again.patch->reported, patch.reported);
  EXPECT_EQ(again.patch->repaired, patch.repaired);
  EXPECT_EQ(again.patch->lint_violations, patch.lint_violations);
  EXPECT_EQ(again.patch->diff, patch.diff);
  EXPECT_EQ(world_.client.call_count(), 2u);
}

TEST_F(StagesTest, PatchWithoutTheSnapshotIsAnError) {
  IterationWork work = Diagnosed(1);
  fs::remove_all(work.context.skill_dir);
  Status ran = MakePatchStage(world_.services)->Run(work);
  ASSERT_FALSE(ran.ok());
  EXPECT_NE(ran.error().message.find(work.context.skill_dir.string()), std::string::npos)
      << ran.error().message;
  EXPECT_FALSE(fs::exists(IterationLayout(work.context.iter_dir).PatchResult()));
  EXPECT_EQ(world_.client.call_count(), 0u);

  StageList stages;
  stages.push_back(MakePatchStage(world_.services));
  StageDriver driver(world_.StateFile(), Budget{});
  auto ended = driver.Run(stages, work);
  ASSERT_FALSE(ended.ok());
  EXPECT_EQ(ended.error().code, ran.error().code);
}

// ---- the bootstrap after the patch, t == 1 ----

TEST_F(StagesTest, MomentumBootstrapReadsThePatchThenReloads) {
  IterationWork work = Diagnosed(1);
  ASSERT_TRUE(MakePatchStage(world_.services)->Run(work).ok());
  world_.client.ClearCalls();
  Status ran = MakeMomentumStage(world_.services, /*bootstrap=*/true)->Run(work);
  ASSERT_TRUE(ran.ok()) << ran.error().ToString();
  ASSERT_TRUE(work.momentum.has_value());
  EXPECT_TRUE(work.momentum->accepted) << ::testing::PrintToString(work.momentum->violations);
  const auto calls = world_.client.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].context.role, "momentum");
  EXPECT_EQ(calls[0].context.iteration, 1);
  EXPECT_TRUE(sg::testing::AnyMessageContains(calls[0].request, "Patch report of this iteration"));

  IterationWork again = world_.Work(1);
  auto reloaded = MakeMomentumStage(world_.services, true)->Reload(again);
  ASSERT_TRUE(reloaded.ok() && *reloaded);
  EXPECT_EQ(ToJson(again.momentum->record), ToJson(work.momentum->record));
  EXPECT_EQ(world_.client.call_count(), 1u);
}

}  // namespace
}  // namespace sg::optim
