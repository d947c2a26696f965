// VALIDATE and RECORD in process (optim/validate_stage.cpp, optim/record_stage.cpp) over the
// scripted model and the in-memory benchmark: VALIDATE measures S_t and S_{t+1} on the
// validation split and keeps its decision in validation.json; RECORD writes the iteration's
// entry and moves the state on. The regression of a resume between VALIDATE's checkpoint and
// RECORD: the entry keeps the scores VALIDATE measured, not the state's.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/file_util.h"
#include "core/json.h"
#include "optim/iteration_layout.h"
#include "optim/iteration_stage.h"
#include "optim/skillgrad_stages.h"
#include "optim/stage_driver.h"
#include "optim/testing_stage_world.h"
#include "optim/train_state.h"

namespace sg::optim {
namespace {
namespace fs = std::filesystem;
using sg::testing::StageWorld;

class ValidateRecordTest : public ::testing::Test {
 protected:
  // Iteration t with EXECUTE (t1 failed, t2 passed) and DIAGNOSE done on disk, and PATCH and
  // the t == 1 MOMENTUM run by the scripted model; calls forgotten.
  IterationWork Patched(int t = 1) {
    world_.WriteBaseRun();
    IterationWork work = world_.Work(t);
    world_.WriteExecuted(work);
    EXPECT_TRUE(WriteFileAtomic(IterationLayout(work.context.iter_dir).BatchDiagnoses(),
                                "## Task t1\n\nLABEL: x\n")
                    .ok());
    EXPECT_TRUE(MakeExecuteStage(world_.services)->Reload(work).value_or(false));
    EXPECT_TRUE(MakeDiagnoseStage(world_.services)->Reload(work).value_or(false));
    Status patched = MakePatchStage(world_.services)->Run(work);
    EXPECT_TRUE(patched.ok()) << patched.error().ToString();
    Status momentum = MakeMomentumStage(world_.services, /*bootstrap=*/true)->Run(work);
    EXPECT_TRUE(momentum.ok()) << momentum.error().ToString();
    world_.client.ClearCalls();
    return work;
  }

  // The entries of training_results.json.
  Json Entries() {
    auto json = ReadJsonFile(world_.services.training_results);
    EXPECT_TRUE(json.ok()) << (json.ok() ? "" : json.error().ToString());
    return json.ok() ? *json : Json::array();
  }

  StageWorld world_;
};

// ---- VALIDATE ----

TEST_F(ValidateRecordTest, ValidateReloadOnAnEmptyFolderIsNotDone) {
  IterationWork work = Patched();
  auto stage = MakeValidateStage(world_.services);
  EXPECT_EQ(stage->id(), Stage::kValidate);
  auto reloaded = stage->Reload(work);
  ASSERT_TRUE(reloaded.ok());
  EXPECT_FALSE(*reloaded);
  EXPECT_FALSE(work.validation.has_value());
}

TEST_F(ValidateRecordTest, ValidateMeasuresBothSkillsThenReloadsWithoutACall) {
  IterationWork work = Patched();
  world_.state.current_val_hard = -1;  // S_t not measured yet
  Status ran = MakeValidateStage(world_.services)->Run(work);
  ASSERT_TRUE(ran.ok()) << ran.error().ToString();
  ASSERT_TRUE(work.validation.has_value());
  // Without kRule the executor answers v1 and v2 wrong; the patched skill holds it.
  EXPECT_DOUBLE_EQ(work.validation->before_hard, 0.0);
  EXPECT_DOUBLE_EQ(work.validation->after_hard, 1.0);
  EXPECT_DOUBLE_EQ(work.validation->after_soft, 1.0);
  EXPECT_TRUE(work.validation->kept);
  const IterationLayout layout(work.context.iter_dir);
  EXPECT_TRUE(fs::exists(layout.ValidateBefore() / "v1" / "assessment.json"));
  EXPECT_TRUE(fs::exists(layout.ValidateAfter() / "v2" / "assessment.json"));
  EXPECT_GT(world_.client.CallsInStage("validate"), 0u);
  EXPECT_EQ(world_.client.call_count(), world_.client.CallsInStage("validate"));
  // The stage leaves the state alone: RECORD carries the score forward.
  EXPECT_DOUBLE_EQ(world_.state.current_val_hard, -1);

  auto file = ReadJsonFile(layout.Validation());
  ASSERT_TRUE(file.ok());
  EXPECT_EQ((*file)["decision"], "kept");

  const size_t calls = world_.client.call_count();
  IterationWork again = world_.Work(1);
  auto reloaded = MakeValidateStage(world_.services)->Reload(again);
  ASSERT_TRUE(reloaded.ok() && *reloaded);
  EXPECT_DOUBLE_EQ(again.validation->before_hard, work.validation->before_hard);
  EXPECT_DOUBLE_EQ(again.validation->after_hard, work.validation->after_hard);
  EXPECT_DOUBLE_EQ(again.validation->after_soft, work.validation->after_soft);
  EXPECT_EQ(again.validation->kept, work.validation->kept);
  EXPECT_EQ(world_.client.call_count(), calls);
}

TEST_F(ValidateRecordTest, ValidateTakesAMeasuredBeforeScoreFromTheState) {
  IterationWork work = Patched();
  world_.state.current_val_hard = 0.5;
  ASSERT_TRUE(MakeValidateStage(world_.services)->Run(work).ok());
  EXPECT_DOUBLE_EQ(work.validation->before_hard, 0.5);
  EXPECT_DOUBLE_EQ(work.validation->after_hard, 1.0);
  EXPECT_FALSE(fs::exists(IterationLayout(work.context.iter_dir).ValidateBefore()));
  EXPECT_EQ(world_.client.CallsOfRole("executor"), world_.client.call_count());
}

TEST_F(ValidateRecordTest, ValidateWithoutThePatchIsAnErrorNotACrash) {
  world_.WriteBaseRun();
  IterationWork work = world_.Work(1);
  Status ran = MakeValidateStage(world_.services)->Run(work);
  ASSERT_FALSE(ran.ok());
  EXPECT_EQ(ran.error().code, ErrorCode::kInternal);
  EXPECT_EQ(world_.client.call_count(), 0u);
}

TEST_F(ValidateRecordTest, AMalformedValidationFileIsAnErrorNamingIt) {
  IterationWork work = Patched();
  const fs::path file = IterationLayout(work.context.iter_dir).Validation();
  ASSERT_TRUE(WriteJsonFile(file, Json{{"decision", "maybe"}}).ok());
  auto reloaded = MakeValidateStage(world_.services)->Reload(work);
  ASSERT_FALSE(reloaded.ok());
  EXPECT_NE(reloaded.error().message.find(file.string()), std::string::npos);
}

// ---- RECORD ----

TEST_F(ValidateRecordTest, RecordIsNeverReloaded) {
  IterationWork work = world_.Work(1);
  auto stage = MakeRecordStage(world_.services);
  EXPECT_EQ(stage->id(), Stage::kRecord);
  auto reloaded = stage->Reload(work);
  ASSERT_TRUE(reloaded.ok());
  EXPECT_FALSE(*reloaded);
}

TEST_F(ValidateRecordTest, RecordWithoutEarlierResultsIsAnErrorNotACrash) {
  IterationWork work = world_.Work(1);
  Status ran = MakeRecordStage(world_.services)->Run(work);
  ASSERT_FALSE(ran.ok());
  EXPECT_EQ(ran.error().code, ErrorCode::kInternal);
}

TEST_F(ValidateRecordTest, RecordWritesTheEntryAndMovesTheStateOnOnceOnRerun) {
  IterationWork work = Patched();
  const fs::path patched = fs::absolute(work.patch->skills_after).lexically_normal();
  for (int pass = 0; pass < 2; ++pass) {  // the second run is a resumed RECORD
    SCOPED_TRACE(pass);
    world_.state.iteration = 1;
    ASSERT_TRUE(MakeRecordStage(world_.services)->Run(work).ok());
    Json entries = Entries();
    ASSERT_EQ(entries.size(), 1u) << entries.dump(2);
    const Json& entry = entries[0];
    EXPECT_EQ(entry["iteration"], 1);
    EXPECT_EQ(entry["batch"], Json({"t1", "t2"}));
    ASSERT_EQ(entry["outcomes"].size(), 2u);
    EXPECT_EQ(entry["outcomes"][0]["class"], "failed");
    EXPECT_EQ(entry["outcomes"][1]["class"], "contrastive");
    EXPECT_DOUBLE_EQ(entry["batch_pass_rate"].get<double>(), 0.5);
    EXPECT_EQ(entry["momentum"]["accepted"], true);
    EXPECT_EQ(entry["patch"]["changes"].size(), 1u);
    EXPECT_TRUE(entry["validation"].is_null());
    EXPECT_EQ(entry["accepted"], true);
    EXPECT_EQ(world_.state.iteration, 2);
    EXPECT_EQ(world_.state.current_skills, patched.string());
    EXPECT_EQ(world_.state.all_correct_streak, 0);
    EXPECT_FALSE(work.stop);
  }
  EXPECT_TRUE(fs::exists(IterationLayout(work.context.iter_dir).MomentumMemory()));
  EXPECT_EQ(world_.client.call_count(), 0u);
}

// The authors' per-iteration record: the pass count and mean score before the patch, each
// task's cell counts, the diagnosis labels, the duration and cost; and from the entries the
// iteration log and the iteration's one-page summary, the same bytes when RECORD reruns.
TEST_F(ValidateRecordTest, RecordKeepsCountsLabelsAndRendersTheLogAndSummary) {
  IterationWork work = Patched();
  Json& t1 = work.executed->assessments[0].json;
  t1.update(
      Json{{"status", "graded"}, {"cell_accuracy", 0.25}, {"match_count", 1}, {"total_count", 4}});
  ASSERT_TRUE(WriteFileAtomic(IterationLayout::Diagnosis(work.context.TaskDir("t1")),
                              "LABEL: totals summed over the header row\n\nWhat happened ...\n")
                  .ok());
  ASSERT_TRUE(WriteFileAtomic(IterationLayout::Diagnosis(work.context.TaskDir("t2")),
                              "  **LABEL:** re-read the written output\n")
                  .ok());
  std::string log_before, summary_before;
  for (int pass = 0; pass < 2; ++pass) {
    SCOPED_TRACE(pass);
    ASSERT_TRUE(MakeRecordStage(world_.services)->Run(work).ok());
    const Json entry = Entries().at(0);
    EXPECT_EQ(entry["pre_correct"], 1);
    EXPECT_DOUBLE_EQ(entry["pre_soft_accuracy"].get<double>(), 0.5);
    EXPECT_EQ(entry["outcomes"][0]["match_count"], 1);
    EXPECT_EQ(entry["outcomes"][0]["total_count"], 4);
    EXPECT_DOUBLE_EQ(entry["outcomes"][0]["cell_accuracy"].get<double>(), 0.25);
    EXPECT_TRUE(entry["outcomes"][1]["total_count"].is_null());
    EXPECT_EQ(entry["diagnosis_labels"], Json::parse(R"([{"task_id": "t1", "class": "failed",
                               "label": "totals summed over the header row"},
                              {"task_id": "t2", "class": "contrastive",
                               "label": "re-read the written output"}])"));
    EXPECT_TRUE(entry["duration_s"].is_number());
    EXPECT_TRUE(entry["cost_usd"].is_number());
    auto log = ReadFile(world_.services.iteration_log);
    auto summary = ReadFile(IterationLayout(work.context.iter_dir).Summary());
    ASSERT_TRUE(log.ok() && summary.ok());
    EXPECT_NE(log->find("## Iteration 1"), std::string::npos) << *log;
    EXPECT_NE(log->find("1 of 2 passed, mean score 0.500"), std::string::npos) << *log;
    EXPECT_NE(log->find("- t1 (failed): totals summed over the header row"), std::string::npos)
        << *log;
    EXPECT_NE(log->find("- t1: fail, cell accuracy 0.250 (1/4 cells)"), std::string::npos) << *log;
    EXPECT_NE(log->find("- t2: pass, score 1.000"), std::string::npos) << *log;
    EXPECT_NE(summary->find("## Diagnosis labels"), std::string::npos) << *summary;
    EXPECT_NE(summary->find("- t2 (contrastive): re-read the written output"), std::string::npos)
        << *summary;
    if (pass == 1) {
      EXPECT_EQ(*log, log_before);
      EXPECT_EQ(*summary, summary_before);
    }
    log_before = *log;
    summary_before = *summary;
    world_.state.iteration = 1;
  }
}

TEST_F(ValidateRecordTest, RecordRollsBackToTheSnapshotWhenValidationSaysSo) {
  IterationWork work = Patched();
  ValidationOutcome rolled_back{0.75, 0.25, 0.25, false};
  ASSERT_TRUE(
      WriteJsonFile(IterationLayout(work.context.iter_dir).Validation(), rolled_back.ToJson())
          .ok());
  ASSERT_TRUE(MakeValidateStage(world_.services)->Reload(work).value_or(false));
  ASSERT_TRUE(MakeRecordStage(world_.services)->Run(work).ok());
  EXPECT_EQ(world_.state.current_skills,
            fs::absolute(work.context.skill_dir).lexically_normal().string());
  EXPECT_DOUBLE_EQ(world_.state.current_val_hard, 0.75);
  Json entry = Entries().at(0);
  EXPECT_EQ(entry["accepted"], false);
  EXPECT_EQ(entry["validation"]["decision"], "rolled_back");
}

// The authors' early stop: the all-correct batch that brings the streak to the limit ends the
// run at EXECUTE; no stage after it applies, and RECORD keeps S_t and M_{t-1}.
TEST_F(ValidateRecordTest, AnAllCorrectBatchReachingTheLimitIsRecordedWithoutAPatch) {
  world_.WriteBaseRun();
  IterationWork work = world_.Work(1);
  world_.WriteExecuted(work, {"t1", "t2"});
  world_.services.early_stop_after = 2;
  world_.state.all_correct_streak = 1;
  ASSERT_TRUE(MakeExecuteStage(world_.services)->Reload(work).value_or(false));
  EXPECT_TRUE(work.all_correct);
  EXPECT_TRUE(work.early_stop);
  EXPECT_FALSE(MakeDiagnoseStage(world_.services)->AppliesTo(work));
  EXPECT_FALSE(MakeMomentumStage(world_.services, false)->AppliesTo(work));
  EXPECT_FALSE(MakeMomentumStage(world_.services, true)->AppliesTo(work));
  EXPECT_FALSE(MakePatchStage(world_.services)->AppliesTo(work));
  EXPECT_FALSE(MakeValidateStage(world_.services)->AppliesTo(work));
  ASSERT_TRUE(MakeRecordStage(world_.services)->Run(work).ok());
  EXPECT_EQ(world_.state.all_correct_streak, 2);
  EXPECT_EQ(world_.state.iteration, 2);
  EXPECT_TRUE(work.stop);
  EXPECT_NE(world_.state.stop_reason.find("early stop"), std::string::npos);
  EXPECT_EQ(world_.state.current_skills,
            fs::absolute(work.context.skill_dir).lexically_normal().string());
  Json entry = Entries().at(0);
  EXPECT_EQ(entry["result"], "all_correct");
  EXPECT_EQ(entry["n_failed"], 0);
  EXPECT_EQ(entry["n_contrastive"], 2);
  EXPECT_TRUE(entry["patch"].is_null());
  EXPECT_TRUE(fs::exists(IterationLayout(work.context.iter_dir).MomentumMemory()));
  EXPECT_EQ(world_.client.call_count(), 0u);
}

// Below the limit an all-correct batch is diagnosed (every task contrastive) and patched.
TEST_F(ValidateRecordTest, BelowTheLimitAnAllCorrectBatchStillPatches) {
  world_.WriteBaseRun();
  IterationWork work = world_.Work(1);
  world_.WriteExecuted(work, {"t1", "t2"});
  world_.services.early_stop_after = 4;
  world_.state.all_correct_streak = 2;
  ASSERT_TRUE(MakeExecuteStage(world_.services)->Reload(work).value_or(false));
  EXPECT_TRUE(work.all_correct);
  EXPECT_FALSE(work.early_stop);
  EXPECT_TRUE(MakeDiagnoseStage(world_.services)->AppliesTo(work));
  EXPECT_TRUE(MakePatchStage(world_.services)->AppliesTo(work));
  ASSERT_TRUE(MakePatchStage(world_.services)->Run(work).ok());
  ASSERT_TRUE(MakeMomentumStage(world_.services, true)->Run(work).ok());
  ASSERT_TRUE(MakeRecordStage(world_.services)->Run(work).ok());
  EXPECT_EQ(world_.state.all_correct_streak, 3);
  EXPECT_FALSE(work.stop);
  EXPECT_EQ(Entries().at(0)["result"], "patched");
  EXPECT_EQ(Entries().at(0)["n_contrastive"], 2);
}

// The regression: a run crashed after VALIDATE's checkpoint and before RECORD, with S_t's
// score (0.5) in validation.json and an older one in the state. Resumed, VALIDATE reloads its
// decision and RECORD records before 0.5 / after 0.75, not the after score twice; the state
// then carries 0.75.
TEST_F(ValidateRecordTest, ResumeAfterValidateRecordsTheScoresValidateMeasured) {
  IterationWork work = Patched();
  world_.state.iteration = 1;
  world_.state.completed_stage = Stage::kValidate;
  world_.state.current_val_hard = 0.25;  // an old value, from before this iteration
  ASSERT_TRUE(SaveTrainState(world_.StateFile(), world_.state).ok());
  ValidationOutcome left{0.5, 0.75, 0.8, true};
  ASSERT_TRUE(
      WriteJsonFile(IterationLayout(work.context.iter_dir).Validation(), left.ToJson()).ok());

  StageList stages;
  stages.push_back(MakeValidateStage(world_.services));
  stages.push_back(MakeRecordStage(world_.services));
  StageDriver driver(world_.StateFile(), Budget{});
  auto ended = driver.Run(stages, work);
  ASSERT_TRUE(ended.ok()) << ended.error().ToString();
  EXPECT_EQ(*ended, IterationEnd::kFinished);
  EXPECT_EQ(world_.client.call_count(), 0u);  // VALIDATE was reloaded

  Json entries = Entries();
  ASSERT_EQ(entries.size(), 1u);
  const Json& validation = entries[0]["validation"];
  EXPECT_DOUBLE_EQ(validation["before_hard_accuracy"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(validation["after_hard_accuracy"].get<double>(), 0.75);
  EXPECT_EQ(validation["decision"], "kept");
  EXPECT_EQ(entries[0]["accepted"], true);
  EXPECT_DOUBLE_EQ(world_.state.current_val_hard, 0.75);

  auto saved = LoadTrainState(world_.StateFile());
  ASSERT_TRUE(saved.ok()) << saved.error().ToString();
  EXPECT_DOUBLE_EQ(saved->current_val_hard, 0.75);
  EXPECT_EQ(saved->iteration, 2);
  EXPECT_EQ(saved->completed_stage, Stage::kNone);  // RECORD moved the run to iteration 2
}

}  // namespace
}  // namespace sg::optim
