#include "optim/train_state.h"

#include <gtest/gtest.h>

#include "core/file_util.h"
#include "core/testing.h"
#include "run/run_layout.h"

namespace sg::optim {
namespace {

TEST(TrainState, RoundTripsThroughTheCheckpointFile) {
  testing::TempDir dir;
  TrainState state;
  state.iteration = 3;
  state.completed_stage = Stage::kPatch;
  state.all_correct_streak = 2;
  state.status = RunStatus::kBudgetExhausted;
  ASSERT_TRUE(SaveTrainState(dir.path() / "state.json", state).ok());
  auto loaded = LoadTrainState(dir.path() / "state.json");
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->iteration, 3);
  EXPECT_EQ(loaded->completed_stage, Stage::kPatch);
  EXPECT_EQ(loaded->all_correct_streak, 2);
  EXPECT_EQ(loaded->status, RunStatus::kBudgetExhausted);
}

TEST(TrainState, DamagedCheckpointNamesTheFile) {
  testing::TempDir dir;
  auto path = dir.path() / "state.json";
  ASSERT_TRUE(WriteFileAtomic(path, R"({"status": "running", "iteration": 2})").ok());
  auto loaded = LoadTrainState(path);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message.find(path.string()), std::string::npos);
  ASSERT_TRUE(WriteFileAtomic(path, R"({"status": "paused", "iteration": 2,
                                        "completed_stage": "none"})")
                  .ok());
  loaded = LoadTrainState(path);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message.find("paused"), std::string::npos);
}

TEST(RunLayout, MatchesTheResultsLayout) {
  run::ResultsLayout results("/r");
  EXPECT_EQ(results.SplitFile(0, 42), "/r/splits/master_0_heldout_42/split.json");
  EXPECT_EQ(results.BaseDir(0, 42, "org/model:7b"),
            "/r/base_trajectories/master_0_heldout_42/org-model-7b");
  EXPECT_EQ(run::MakeRunId("skillgrad", "gpt-4o", ""), "skillgrad_gpt-4o");
  EXPECT_EQ(run::MakeRunId("skillgrad", "gpt-4o", "bs8"), "skillgrad_gpt-4o_bs8");
  run::RunLayout run(results.RunDir("skillgrad_gpt-4o"));
  EXPECT_EQ(run.IterDir(2), "/r/runs/skillgrad_gpt-4o/train/iter_2");
  EXPECT_EQ(run.SnapshotDir(1), "/r/runs/skillgrad_gpt-4o/train/snapshots/iter_1");
  EXPECT_EQ(run.EvalSummary(), "/r/runs/skillgrad_gpt-4o/eval/summary.json");
}

}  // namespace
}  // namespace sg::optim
