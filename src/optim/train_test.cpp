// train in process (optim/train.h) over the engine's test seams (run/engine.h
// LlmSettings::test_benchmark and test_client): the in-memory benchmark and the scripted
// model of optim/testing_stage_world.h, the real stages, sandbox, ledger and driver. Two
// iterations with --accept validate; a crash in PATCH resumed with --resume, which redoes
// only that stage; the budget stopping the run and a resume with a higher cap finishing it.
#include "optim/train.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/file_util.h"
#include "core/json.h"
#include "llm/ledger_totals.h"
#include "optim/testing_stage_world.h"
#include "optim/train_options.h"
#include "optim/train_state.h"
#include "run/engine.h"
#include "run/run_layout.h"
#include "tasks/split.h"

namespace sg::optim {
namespace {
namespace fs = std::filesystem;
using sg::testing::StageWorld;

std::vector<sg::testing::MemoryTask> TrainTasks() {
  return {
      {"t1", "What is 2 + 3?", "5", false},
      {"t2", "What is the capital of France?", "Paris", true},
      {"t3", "What is 10 - 4?", "6", false},
      {"t4", "Which planet is red?", "Mars", true},
      {"v1", "What is 3 + 4?", "7", false},
      {"v2", "What colour is the sky?", "blue", true},
  };
}

class TrainTest : public ::testing::Test {
 protected:
  TrainTest() : world_(TrainTasks()) {
    world_.always_right.clear();  // every task fails under the seed: all four are trained on
    EXPECT_TRUE(MakeDirs(DataDir()).ok());
    tasks::Split split;
    split.n_valid_tasks = 6;
    split.evolution_ids = {"t1", "t2", "t3", "t4"};
    split.val_ids = {"v1"};
    split.test_ids = {"v2"};
    split.test_pool_ids = {"v2"};
    EXPECT_TRUE(tasks::WriteSplit(ResultsRoot(), split).ok());

    options_.common.benchmark = "memory";
    options_.common.data_dir = DataDir();
    options_.common.skills_dir = world_.SeedDir() / sg::testing::kSkillName;
    options_.common.results_root = ResultsRoot();
    options_.common.concurrency = 2;
    options_.common.max_turns = 6;
    options_.common.collect_max_turns = 6;
    options_.n_train = 4;
    options_.batch_size = 2;
    options_.accept = AcceptMode::kValidate;

    llm::ProviderConfig provider;
    provider.api_key = "sk-train-test-not-a-key-0123456789";
    provider.base_url = "http://127.0.0.1:9/v1";  // never reached: the test client answers
    provider.model = sg::testing::kModel;
    llm_.provider = provider;
    llm_.test_benchmark = [] {
      return std::make_unique<sg::testing::MemoryBenchmark>(TrainTasks());
    };
    llm_.test_client = [this] {
      return std::make_unique<sg::testing::ForwardingChatClient>(world_.client);
    };
  }

  fs::path DataDir() const { return world_.root() / "data"; }
  fs::path ResultsRoot() const { return world_.root() / "results"; }
  run::RunLayout Run() const {
    return run::RunLayout(ResultsRoot() / "runs" /
                          ("skillgrad_" + std::string(sg::testing::kModel)));
  }
  Json TrainingResults() const {
    auto json = ReadJsonFile(Run().TrainingResults());
    EXPECT_TRUE(json.ok()) << (json.ok() ? "" : json.error().ToString());
    return json.ok() ? *json : Json::array();
  }
  TrainState SavedState() const {
    auto state = LoadTrainState(Run().TrainState());
    EXPECT_TRUE(state.ok()) << (state.ok() ? "" : state.error().ToString());
    return state.ok() ? *state : TrainState{};
  }

  StageWorld world_;
  TrainOptions options_;
  run::LlmSettings llm_;
};

// The authors' early stop: with a limit of 1, iteration 2's all-correct batch ends the run at
// EXECUTE; nothing is diagnosed or patched, and the final skill is the one that batch ran.
TEST_F(TrainTest, AnAllCorrectBatchAtTheLimitStopsBeforeDiagnosisAndPatch) {
  options_.early_stop_after = 1;
  auto result = RunTrain(options_, llm_);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->state.status, RunStatus::kCompleted);
  EXPECT_NE(result->state.stop_reason.find("early stop"), std::string::npos)
      << result->state.stop_reason;
  Json entries = TrainingResults();
  ASSERT_EQ(entries.size(), 2u) << entries.dump(2);
  EXPECT_EQ(entries[0]["result"], "patched");
  EXPECT_EQ(entries[0]["n_failed"], 2);
  EXPECT_EQ(entries[1]["result"], "all_correct");
  EXPECT_EQ(entries[1]["n_failed"], 0);
  EXPECT_EQ(entries[1]["n_contrastive"], 2);
  EXPECT_TRUE(entries[1]["patch"].is_null());
  // Only iteration 1 was diagnosed (two failures) and patched.
  EXPECT_EQ(world_.client.CallsOfRole("failure_diagnoser"), 2u);
  EXPECT_EQ(world_.client.CallsOfRole("contrastive_diagnoser"), 0u);
  EXPECT_FALSE(fs::exists(Run().IterDir(2) / "batch_diagnoses.md"));
  EXPECT_EQ(
      ReadFile(result->final_skills / sg::testing::kSkillName / "SKILL.md").value_or("(missing)"),
      sg::testing::SeedSkillAt(2));
  EXPECT_EQ(SavedState().all_correct_streak, 1);
}

TEST_F(TrainTest, TwoIterationsWithValidationEndWithThePatchedSkill) {
  auto result = RunTrain(options_, llm_);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->state.status, RunStatus::kCompleted);
  EXPECT_EQ(result->state.iteration, 3);
  EXPECT_EQ(result->run_dir, Run().dir());

  // collect ran the seed on the evolution pool (every task failed): t1 and t3 take three
  // calls (activate_skill, write_file, "done"), t2 and t4 two (activate_skill, submit_answer).
  EXPECT_EQ(world_.client.CallsInStage("collect"), 10u);
  Json entries = TrainingResults();
  ASSERT_EQ(entries.size(), 2u) << entries.dump(2);
  // Iteration 1 runs S_1 (the seed): both tasks failed. The patch adds kRule, validation
  // keeps it (0 -> 1); iteration 2 runs S_2 and both tasks are contrastive.
  EXPECT_DOUBLE_EQ(entries[0]["batch_pass_rate"].get<double>(), 0.0);
  EXPECT_EQ(entries[0]["outcomes"][0]["class"], "failed");
  EXPECT_DOUBLE_EQ(entries[0]["validation"]["before_hard_accuracy"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(entries[0]["validation"]["after_hard_accuracy"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(entries[1]["batch_pass_rate"].get<double>(), 1.0);
  EXPECT_EQ(entries[1]["outcomes"][0]["class"], "contrastive");
  EXPECT_EQ(entries[1]["all_correct"], true);
  // Iteration 2 took S_2's score from the state instead of measuring it again.
  EXPECT_DOUBLE_EQ(entries[1]["validation"]["before_hard_accuracy"].get<double>(), 1.0);
  for (const Json& entry : entries) {
    EXPECT_EQ(entry["momentum"]["accepted"], true) << entry["momentum"].dump();
    EXPECT_EQ(entry["accepted"], true);
    EXPECT_TRUE(entry["cost_by_stage"].contains("execute")) << entry["cost_by_stage"].dump();
  }
  EXPECT_EQ(world_.client.CallsOfRole("failure_diagnoser"), 2u);
  EXPECT_EQ(world_.client.CallsOfRole("contrastive_diagnoser"), 2u);
  EXPECT_EQ(world_.client.CallsOfRole("momentum"), 2u);

  // The final skill is S_3: the rule of iteration 1 and the pitfall of iteration 2.
  EXPECT_EQ(
      ReadFile(result->final_skills / sg::testing::kSkillName / "SKILL.md").value_or("(missing)"),
      sg::testing::SeedSkillAt(3));
  // The remedy log of the pattern holds both iterations' patches.
  auto memory = ReadJsonFile(Run().TrainDir() / "iter_2" / "momentum_memory.json");
  ASSERT_TRUE(memory.ok());
  EXPECT_EQ((*memory)["patterns"][0]["remedy_log"].size(), 2u) << memory->dump(2);

  // Every call, collect's included, is in the run's ledger, and the result's cost is its total.
  auto summary = llm::SummarizeLedger(Run().Ledger());
  ASSERT_TRUE(summary.ok()) << summary.error().ToString();
  EXPECT_EQ(summary->total.calls, static_cast<int64_t>(world_.client.call_count()));
  EXPECT_NEAR(result->cost_usd, world_.client.spent_usd(), 1e-9);

  // A completed run is not trained again.
  const size_t calls = world_.client.call_count();
  options_.resume = true;
  auto again = RunTrain(options_, llm_);
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(again->state.status, RunStatus::kCompleted);
  EXPECT_EQ(world_.client.call_count(), calls);
}

TEST_F(TrainTest, AResumeAfterACrashInPatchRedoesOnlyPatchAndWhatFollows) {
  bool patcher_down = true;
  world_.intercept = [&](const llm::ChatRequest&,
                         const llm::CallContext& c) -> std::optional<Result<llm::ChatResponse>> {
    if (patcher_down && c.role == "patcher" && c.iteration == 2) {
      return Result<llm::ChatResponse>(Error(ErrorCode::kProvider, "the provider is down"));
    }
    return std::nullopt;
  };
  auto failed = RunTrain(options_, llm_);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message.find("the provider is down"), std::string::npos)
      << failed.error().message;
  TrainState crashed = SavedState();
  EXPECT_EQ(crashed.status, RunStatus::kFailed);
  EXPECT_EQ(crashed.iteration, 2);
  EXPECT_EQ(crashed.completed_stage, Stage::kMomentum);  // t >= 2: MOMENTUM comes before PATCH

  patcher_down = false;
  world_.client.ClearCalls();
  options_.resume = true;
  auto resumed = RunTrain(options_, llm_);
  ASSERT_TRUE(resumed.ok()) << resumed.error().ToString();
  EXPECT_EQ(resumed->state.status, RunStatus::kCompleted);
  // Only PATCH and VALIDATE called the model; collect, EXECUTE, DIAGNOSE and MOMENTUM were
  // read back from their files.
  EXPECT_EQ(world_.client.CallsInStage("collect"), 0u);
  EXPECT_EQ(world_.client.CallsInStage("execute"), 0u);
  EXPECT_EQ(world_.client.CallsInStage("diagnose"), 0u);
  EXPECT_EQ(world_.client.CallsInStage("momentum"), 0u);
  EXPECT_EQ(world_.client.CallsInStage("patch"), 2u);
  EXPECT_GT(world_.client.CallsInStage("validate"), 0u);
  EXPECT_EQ(world_.client.call_count(),
            world_.client.CallsInStage("patch") + world_.client.CallsInStage("validate"));
  EXPECT_EQ(TrainingResults().size(), 2u);
}

TEST_F(TrainTest, TheBudgetStopsTheRunAndAHigherCapFinishesIt) {
  world_.client.SetCostPerCall(0.01);
  // A cap needs every role's model priced (run/run_inputs.h); the test client still sets
  // each call's cost itself.
  const fs::path prices = world_.root() / "prices.json";
  ASSERT_TRUE(WriteFileAtomic(prices, R"({"fake-model": {"input": 1, "output": 1}})").ok());
  llm_.prices_file = prices;
  options_.common.max_cost_usd = 0.05;  // collect alone spends more
  auto stopped = RunTrain(options_, llm_);
  ASSERT_TRUE(stopped.ok()) << stopped.error().ToString();
  EXPECT_EQ(stopped->state.status, RunStatus::kBudgetExhausted);
  EXPECT_NE(stopped->state.stop_reason.find("--max-cost-usd"), std::string::npos);
  EXPECT_EQ(SavedState().status, RunStatus::kBudgetExhausted);
  // Checked before each stage spends: no stage of iteration 1 ran.
  EXPECT_EQ(world_.client.call_count(), world_.client.CallsInStage("collect"));
  EXPECT_FALSE(fs::exists(Run().TrainingResults()));

  // The same cap again: the spend (read back from the ledger) is over it, nothing is called.
  const size_t calls = world_.client.call_count();
  options_.resume = true;
  auto still = RunTrain(options_, llm_);
  ASSERT_TRUE(still.ok()) << still.error().ToString();
  EXPECT_EQ(still->state.status, RunStatus::kBudgetExhausted);
  EXPECT_EQ(world_.client.call_count(), calls);

  options_.common.max_cost_usd = 100;
  auto finished = RunTrain(options_, llm_);
  ASSERT_TRUE(finished.ok()) << finished.error().ToString();
  EXPECT_EQ(finished->state.status, RunStatus::kCompleted);
  EXPECT_EQ(TrainingResults().size(), 2u);
  EXPECT_NEAR(finished->cost_usd, world_.client.spent_usd(), 1e-9);
}

}  // namespace
}  // namespace sg::optim
