// The stage driver (optim/stage_driver.h) over test stages that keep a marker file: a failed
// stage stops the iteration with its error and the checkpoint names the last stage that
// completed; a second run reloads the stages already done (their Run is not called again)
// and resumes at the failed one; the budget stops the run before a stage spends once
// Budget::spent_usd reaches max_cost_usd; timings.json gets one entry per stage that ran.
#include "optim/stage_driver.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/file_util.h"
#include "core/json.h"
#include "core/testing.h"
#include "optim/iteration_layout.h"
#include "optim/iteration_stage.h"
#include "optim/train_state.h"

namespace sg::optim {
namespace {
namespace fs = std::filesystem;

// What the test stages share: how often each was reloaded and run, and the spend.
struct Ledger {
  std::map<Stage, int> runs;
  std::map<Stage, int> reloads;
  std::vector<Stage> order;  // Run calls, in order
  double spent = 0;
};

// Done when <iter_dir>/<name>.done exists. Run costs `cost`; it fails its first
// `failures` runs (writing nothing).
class MarkerStage final : public IterationStage {
 public:
  MarkerStage(Stage id, Ledger& ledger, double cost = 0, int failures = 0)
      : id_(id), ledger_(ledger), cost_(cost), failures_(failures) {}
  Stage id() const override { return id_; }

  Result<bool> Reload(IterationWork& work) override {
    ++ledger_.reloads[id_];
    return fs::exists(Marker(work));
  }

  Status Run(IterationWork& work) override {
    ++ledger_.runs[id_];
    ledger_.order.push_back(id_);
    ledger_.spent += cost_;
    if (failures_ > 0) {
      --failures_;
      return IoError(std::string("stage ") + StageName(id_) + " failed on purpose");
    }
    return WriteFileAtomic(Marker(work), "done\n");
  }

 private:
  fs::path Marker(const IterationWork& work) const {
    return work.context.iter_dir / (std::string(StageName(id_)) + ".done");
  }
  Stage id_;
  Ledger& ledger_;
  double cost_;
  int failures_;
};

// Moves the state to the next iteration, like RECORD.
class AdvanceStage final : public IterationStage {
 public:
  explicit AdvanceStage(Ledger& ledger) : ledger_(ledger) {}
  Stage id() const override { return Stage::kRecord; }
  Result<bool> Reload(IterationWork&) override { return false; }
  Status Run(IterationWork& work) override {
    ++ledger_.runs[Stage::kRecord];
    ledger_.order.push_back(Stage::kRecord);
    work.state->iteration = work.context.iteration + 1;
    return Ok();
  }

 private:
  Ledger& ledger_;
};

// Never applies.
class SkippedStage final : public IterationStage {
 public:
  explicit SkippedStage(Ledger& ledger) : ledger_(ledger) {}
  Stage id() const override { return Stage::kMomentum; }
  bool AppliesTo(const IterationWork&) const override { return false; }
  Result<bool> Reload(IterationWork&) override {
    ++ledger_.reloads[Stage::kMomentum];
    return false;
  }
  Status Run(IterationWork&) override {
    ++ledger_.runs[Stage::kMomentum];
    return Ok();
  }

 private:
  Ledger& ledger_;
};

class StageDriverTest : public ::testing::Test {
 protected:
  StageDriverTest() {
    work_.state = &state_;
    work_.context.iteration = 1;
    work_.context.batch = {"t1"};
    work_.context.iter_dir = dir_.path() / "train" / "iter_1";
    EXPECT_TRUE(MakeDirs(work_.context.iter_dir).ok());
  }

  // EXECUTE, DIAGNOSE (failing its first `diagnose_failures` runs), a stage that does not
  // apply, PATCH, RECORD; each marker stage costs `cost`.
  StageList Stages(int diagnose_failures, double cost = 0) {
    StageList stages;
    stages.push_back(std::make_unique<MarkerStage>(Stage::kExecute, ledger_, cost));
    stages.push_back(
        std::make_unique<MarkerStage>(Stage::kDiagnose, ledger_, cost, diagnose_failures));
    stages.push_back(std::make_unique<SkippedStage>(ledger_));
    stages.push_back(std::make_unique<MarkerStage>(Stage::kPatch, ledger_, cost));
    stages.push_back(std::make_unique<AdvanceStage>(ledger_));
    return stages;
  }

  fs::path StateFile() const { return dir_.path() / "train" / "state.json"; }
  TrainState Saved() {
    auto state = LoadTrainState(StateFile());
    EXPECT_TRUE(state.ok()) << (state.ok() ? "" : state.error().ToString());
    return state.ok() ? *state : TrainState{};
  }
  Budget BudgetOf(double max) {
    return Budget{max, [this] { return ledger_.spent; }};
  }

  sg::testing::TempDir dir_;
  Ledger ledger_;
  TrainState state_;
  IterationWork work_;
};

TEST_F(StageDriverTest, RunsEveryStageThatAppliesInOrderAndCheckpointsEach) {
  StageList stages = Stages(0);
  StageDriver driver(StateFile(), Budget{});
  auto ended = driver.Run(stages, work_);
  ASSERT_TRUE(ended.ok()) << ended.error().ToString();
  EXPECT_EQ(*ended, IterationEnd::kFinished);
  EXPECT_EQ(ledger_.order,
            (std::vector<Stage>{Stage::kExecute, Stage::kDiagnose, Stage::kPatch, Stage::kRecord}));
  EXPECT_EQ(ledger_.runs[Stage::kMomentum], 0);
  EXPECT_EQ(ledger_.reloads[Stage::kMomentum], 0);  // not even asked: it does not apply
  // RECORD moved the run to iteration 2, so nothing of it is completed yet.
  TrainState saved = Saved();
  EXPECT_EQ(saved.iteration, 2);
  EXPECT_EQ(saved.completed_stage, Stage::kNone);
  // One timing per stage that ran.
  auto timings = ReadJsonFile(IterationLayout(work_.context.iter_dir).Timings());
  ASSERT_TRUE(timings.ok());
  for (Stage s : {Stage::kExecute, Stage::kDiagnose, Stage::kPatch, Stage::kRecord}) {
    EXPECT_TRUE((*timings)[StageName(s)].is_number()) << StageName(s);
  }
  EXPECT_FALSE(timings->contains(StageName(Stage::kMomentum)));
}

TEST_F(StageDriverTest, AFailedStageStopsTheIterationAndAResumeReloadsWhatWasDone) {
  {
    StageList stages = Stages(/*diagnose_failures=*/1);
    StageDriver driver(StateFile(), Budget{});
    auto ended = driver.Run(stages, work_);
    ASSERT_FALSE(ended.ok());
    EXPECT_EQ(ended.error().code, ErrorCode::kIo);
    EXPECT_NE(ended.error().message.find("diagnose failed on purpose"), std::string::npos);
    EXPECT_EQ(ledger_.order, (std::vector<Stage>{Stage::kExecute, Stage::kDiagnose}));
    // The checkpoint names the last stage that completed.
    TrainState saved = Saved();
    EXPECT_EQ(saved.iteration, 1);
    EXPECT_EQ(saved.completed_stage, Stage::kExecute);
  }

  // A second driver over fresh stages, as a resumed process would build them: EXECUTE is
  // reloaded from its marker, DIAGNOSE runs again, the rest runs once.
  ledger_.order.clear();
  StageList stages = Stages(0);
  IterationWork resumed;
  resumed.state = &state_;
  resumed.context = work_.context;
  StageDriver driver(StateFile(), Budget{});
  auto ended = driver.Run(stages, resumed);
  ASSERT_TRUE(ended.ok()) << ended.error().ToString();
  EXPECT_EQ(*ended, IterationEnd::kFinished);
  EXPECT_EQ(ledger_.order, (std::vector<Stage>{Stage::kDiagnose, Stage::kPatch, Stage::kRecord}));
  EXPECT_EQ(ledger_.runs[Stage::kExecute], 1);   // once, in the first run
  EXPECT_EQ(ledger_.runs[Stage::kDiagnose], 2);  // failed once, then done
  EXPECT_EQ(ledger_.runs[Stage::kPatch], 1);
  EXPECT_EQ(ledger_.reloads[Stage::kExecute], 2);
  EXPECT_EQ(Saved().iteration, 2);

  // A third run of the same iteration reruns only the stage that keeps no files.
  ledger_.order.clear();
  state_.iteration = 1;
  StageList again = Stages(0);
  ASSERT_TRUE(StageDriver(StateFile(), Budget{}).Run(again, resumed).ok());
  EXPECT_EQ(ledger_.order, (std::vector<Stage>{Stage::kRecord}));
}

TEST_F(StageDriverTest, TheCheckpointNamesEachCompletedStageInTurn) {
  // A stage that reads state.json when it runs sees the previous stage's checkpoint.
  class Probe final : public IterationStage {
   public:
    Probe(fs::path file, std::vector<Stage>& seen) : file_(std::move(file)), seen_(seen) {}
    Stage id() const override { return Stage::kValidate; }
    Result<bool> Reload(IterationWork&) override { return false; }
    Status Run(IterationWork&) override {
      SG_ASSIGN_OR_RETURN(TrainState saved, LoadTrainState(file_));
      seen_.push_back(saved.completed_stage);
      return Ok();
    }

   private:
    fs::path file_;
    std::vector<Stage>& seen_;
  };
  std::vector<Stage> seen;
  StageList stages;
  stages.push_back(std::make_unique<MarkerStage>(Stage::kExecute, ledger_));
  stages.push_back(std::make_unique<Probe>(StateFile(), seen));
  stages.push_back(std::make_unique<MarkerStage>(Stage::kPatch, ledger_));
  stages.push_back(std::make_unique<Probe>(StateFile(), seen));
  ASSERT_TRUE(StageDriver(StateFile(), Budget{}).Run(stages, work_).ok());
  EXPECT_EQ(seen, (std::vector<Stage>{Stage::kExecute, Stage::kPatch}));
  EXPECT_EQ(Saved().completed_stage, Stage::kValidate);
}

TEST_F(StageDriverTest, TheBudgetStopsTheRunBeforeTheStageThatWouldSpendPastIt) {
  // Each stage costs 0.4: after EXECUTE and DIAGNOSE 0.8 is spent, under 1.0, so PATCH runs;
  // then 1.2 >= 1.0 stops the run before RECORD.
  StageList stages = Stages(0, /*cost=*/0.4);
  StageDriver driver(StateFile(), BudgetOf(1.0));
  auto ended = driver.Run(stages, work_);
  ASSERT_TRUE(ended.ok()) << ended.error().ToString();
  EXPECT_EQ(*ended, IterationEnd::kBudgetExhausted);
  EXPECT_EQ(ledger_.order, (std::vector<Stage>{Stage::kExecute, Stage::kDiagnose, Stage::kPatch}));
  EXPECT_EQ(state_.status, RunStatus::kBudgetExhausted);
  EXPECT_NE(state_.stop_reason.find("--max-cost-usd"), std::string::npos) << state_.stop_reason;
  TrainState saved = Saved();
  EXPECT_EQ(saved.status, RunStatus::kBudgetExhausted);
  EXPECT_EQ(saved.completed_stage, Stage::kPatch);
  EXPECT_EQ(saved.iteration, 1);

  // Resumed with the same cap: the spend is already at it, so no stage runs (no call is
  // made); finished stages are still reloaded first.
  ledger_.order.clear();
  StageList same = Stages(0, 0.4);
  auto again = StageDriver(StateFile(), BudgetOf(1.0)).Run(same, work_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, IterationEnd::kBudgetExhausted);
  EXPECT_TRUE(ledger_.order.empty());

  // With a higher cap the run finishes the iteration.
  StageList higher = Stages(0, 0.4);
  auto finished = StageDriver(StateFile(), BudgetOf(5.0)).Run(higher, work_);
  ASSERT_TRUE(finished.ok());
  EXPECT_EQ(*finished, IterationEnd::kFinished);
  EXPECT_EQ(ledger_.order, (std::vector<Stage>{Stage::kRecord}));
}

TEST_F(StageDriverTest, ASpendExactlyAtTheCapStops) {
  ledger_.spent = 1.0;
  StageDriver driver(StateFile(), BudgetOf(1.0));
  EXPECT_TRUE(driver.OverBudget(state_));
  StageDriver unlimited(StateFile(), BudgetOf(0));  // 0: no limit
  TrainState fresh;
  EXPECT_FALSE(unlimited.OverBudget(fresh));
  EXPECT_EQ(fresh.status, RunStatus::kRunning);
}

}  // namespace
}  // namespace sg::optim
