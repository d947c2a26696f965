// collect, eval and exec in process (run/commands.h) over the run context's test seams
// (LlmSettings::test_benchmark and test_client): the in-memory benchmark, the scripted
// executor of run/testing_executor.h, and the real task runner, sandbox, graders of the
// benchmark, layout and ledger. Each command's artifacts, its ledger rows, and the phase an
// error leaves it in (checking inputs: nothing written; writing) are checked.
#include "run/commands.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/file_util.h"
#include "core/json.h"
#include "core/testing.h"
#include "llm/ledger_totals.h"
#include "llm/testing_chat_client.h"
#include "run/collect.h"
#include "run/run_layout.h"
#include "run/run_manifest.h"
#include "run/testing_executor.h"
#include "tasks/split.h"
#include "tasks/testing_benchmark.h"

namespace sg::run {
namespace {
namespace fs = std::filesystem;
using sg::testing::MemoryTask;

constexpr const char* kSkill = "answers";
constexpr const char* kRule = "Check the answer once more before handing it in.";
constexpr const char* kModel = "fake-model";

std::vector<MemoryTask> Tasks() {
  return {
      {"t1", "What is 2 + 3?", "5", false},
      {"t2", "What is the capital of France?", "Paris", true},
      {"v1", "What is 3 + 4?", "7", false},
      {"x1", "What is 6 - 1?", "5", false},
      {"x2", "Which planet is red?", "Mars", true},
  };
}

std::string SkillText(bool with_rule) {
  return std::string("---\nname: ") + kSkill +
         "\ndescription: Answer a short question and hand the answer in.\n---\n# Answers\n\n"
         "Read question.txt, work the answer out and hand it in as the task asks.\n" +
         (with_rule ? std::string(kRule) + "\n" : "");
}

class CommandsTest : public ::testing::Test {
 protected:
  CommandsTest()
      : benchmark_(Tasks()),
        client_([this](const llm::ChatRequest& request, const llm::CallContext& context) {
          return sg::testing::ScriptedExecutorReply(benchmark_, always_right_, kSkill, kRule,
                                                    request, context);
        }) {
    EXPECT_TRUE(MakeDirs(Root() / "data").ok());
    WriteSkill(Root() / "seed" / kSkill, false);
    WriteSkill(Root() / "ruled" / kSkill, true);
    tasks::Split split;
    split.n_valid_tasks = 5;
    split.evolution_ids = {"t1", "t2"};
    split.val_ids = {"v1"};
    split.test_ids = {"x1", "x2"};
    split.test_pool_ids = {"x1", "x2"};
    EXPECT_TRUE(tasks::WriteSplit(ResultsRoot(), split).ok());

    options_.benchmark = "memory";
    options_.data_dir = Root() / "data";
    options_.skills_dir = Root() / "seed" / kSkill;
    options_.results_root = ResultsRoot();
    options_.concurrency = 2;
    options_.max_turns = 6;
    options_.collect_max_turns = 6;

    llm::ProviderConfig provider;
    provider.api_key = "sk-commands-test-not-a-key-0123456789";
    provider.base_url = "http://127.0.0.1:9/v1";  // never reached: the test client answers
    provider.model = kModel;
    llm_.provider = provider;
    llm_.cache_mode = llm::CacheMode::kOff;
    llm_.test_benchmark = [] { return std::make_unique<sg::testing::MemoryBenchmark>(Tasks()); };
    llm_.test_client = [this] {
      return std::make_unique<sg::testing::ForwardingChatClient>(client_);
    };
  }

  static void WriteSkill(const fs::path& dir, bool with_rule) {
    EXPECT_TRUE(MakeDirs(dir).ok());
    EXPECT_TRUE(WriteFileAtomic(dir / "SKILL.md", SkillText(with_rule)).ok());
  }
  fs::path Root() const { return dir_.path(); }
  fs::path ResultsRoot() const { return Root() / "results"; }
  ResultsLayout Layout() const { return ResultsLayout(ResultsRoot()); }
  size_t LedgerCalls(const fs::path& ledger) const {
    auto summary = llm::SummarizeLedger(ledger);
    EXPECT_TRUE(summary.ok()) << ledger;
    return summary.ok() ? static_cast<size_t>(summary->total.calls) : 0;
  }

  sg::testing::TempDir dir_;
  sg::testing::MemoryBenchmark benchmark_;
  std::set<std::string> always_right_ = {"t2", "x2"};
  sg::testing::ScriptedChatClient client_;
  CommonOptions options_;
  LlmSettings llm_;
  CommandPhase phase_ = CommandPhase::kCheckingInputs;
};

TEST_F(CommandsTest, CollectRunsTheSeedOnTheEvolutionPoolAndKeepsItsFailures) {
  auto result = CollectCommand(options_, llm_, &phase_);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(phase_, CommandPhase::kWriting);
  EXPECT_EQ(options_.models.executor, kModel);  // filled from the provider's MODEL
  EXPECT_EQ(result->evolution_ids, (std::vector<std::string>{"t1", "t2"}));
  EXPECT_EQ(result->failure_pool, std::vector<std::string>{"t1"});
  EXPECT_DOUBLE_EQ(result->hard_accuracy, 0.5);
  EXPECT_EQ(result->base_dir, Layout().BaseDir(0, 42, kModel));
  for (const char* id : {"t1", "t2"}) {
    EXPECT_TRUE(fs::exists(result->base_dir / id / "assessment.json")) << id;
    EXPECT_TRUE(fs::exists(result->base_dir / id / "trajectory.json")) << id;
  }
  // t1: activate_skill, write_file, "done"; t2: activate_skill, submit_answer.
  EXPECT_EQ(client_.CallsInStage("collect"), 5u);
  EXPECT_EQ(LedgerCalls(Layout().BaseLedger(0, 42, kModel)), 5u);
  auto t1 = ReadJsonFile(result->base_dir / "t1" / "assessment.json");
  ASSERT_TRUE(t1.ok());
  EXPECT_EQ((*t1)["status"], "graded");
  EXPECT_EQ((*t1)["hard_score"], 0.0);
  EXPECT_TRUE((*t1)["cell_accuracy"].is_null());  // the in-memory grader counts no cells
  auto loaded = LoadCollectResult(result->base_dir, options_.skills_dir);
  ASSERT_TRUE(loaded.ok() && loaded->has_value());
  EXPECT_EQ((*loaded)->failure_pool, result->failure_pool);
}

TEST_F(CommandsTest, ACollectionOfAnotherSeedSkillIsRefusedNotReused) {
  ASSERT_TRUE(CollectCommand(options_, llm_, &phase_).ok());
  const size_t calls = client_.CallsInStage("collect");
  options_.skills_dir = Root() / "ruled" / kSkill;
  auto result = CollectCommand(options_, llm_, &phase_);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("another seed skill"), std::string::npos)
      << result.error().message;
  EXPECT_NE(result.error().message.find("--base-trajectories-dir"), std::string::npos);
  EXPECT_EQ(client_.CallsInStage("collect"), calls);
}

TEST_F(CommandsTest, CollectIdsRunsOnlyThoseTasksAgain) {
  ASSERT_TRUE(CollectCommand(options_, llm_, &phase_).ok());
  const size_t calls = client_.CallsInStage("collect");
  options_.collect_ids = {"t1"};
  auto result = CollectCommand(options_, llm_, &phase_);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(client_.CallsInStage("collect"), calls + 3);  // t1 only: activate, write, done
  EXPECT_EQ(result->failure_pool, std::vector<std::string>{"t1"});
  EXPECT_TRUE(fs::exists(result->base_dir / "failure_pool.json"));
}

TEST_F(CommandsTest, CollectIdsOutsideTheEvolutionPoolAreNamed) {
  options_.collect_ids = {"v1"};
  auto result = CollectCommand(options_, llm_, &phase_);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("--ids"), std::string::npos) << result.error().message;
  EXPECT_NE(result.error().message.find("'v1'"), std::string::npos);
  EXPECT_EQ(client_.CallsInStage("collect"), 0u);
}

TEST_F(CommandsTest, BaseTrajectoriesDirIsWhereTheCollectionGoes) {
  options_.base_trajectories_dir = Root() / "shared_collection";
  auto result = CollectCommand(options_, llm_, &phase_);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->base_dir, options_.base_trajectories_dir);
  EXPECT_TRUE(fs::exists(FailurePoolFile(options_.base_trajectories_dir)));
  EXPECT_EQ(LedgerCalls(BaseLedgerIn(options_.base_trajectories_dir)), 5u);
  EXPECT_FALSE(fs::exists(Layout().BaseDir(0, 42, kModel)));
}

TEST_F(CommandsTest, AStoredSplitMadeWithTheOtherExcludeChoiceIsRefusedBeforeAnyCall) {
  options_.honor_exclude = true;
  auto result = CollectCommand(options_, llm_, &phase_);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("--honor-exclude"), std::string::npos)
      << result.error().message;
  EXPECT_NE(result.error().message.find("split.json"), std::string::npos);
  EXPECT_EQ(client_.CallsInStage("collect"), 0u);
}

TEST_F(CommandsTest, ASplitMadeHereRecordsWhereItsTasksCameFrom) {
  fs::remove_all(ResultsRoot() / "splits");
  auto split = LoadOrMakeSplit(benchmark_, options_);
  ASSERT_TRUE(split.ok()) << split.error().ToString();
  EXPECT_EQ(split->n_valid_tasks, 5u);
  auto written = tasks::ReadSplit(Layout().SplitFile(0, 42));
  ASSERT_TRUE(written.ok()) << written.error().ToString();
  EXPECT_EQ(written->data_dir, options_.data_dir.string());
  EXPECT_FALSE(written->honor_exclude);
  EXPECT_EQ(written->evolution_indices.size(), written->evolution_ids.size());
  // Without data positions (the in-memory benchmark), a task's index in tasks() stands in.
  const auto& all = benchmark_.tasks();
  for (size_t i = 0; i < written->test_ids.size(); ++i) {
    EXPECT_EQ(all[written->test_indices[i]].id, written->test_ids[i]);
  }
}

TEST_F(CommandsTest, EvalOfASkillsDirIsARunOfItsOwnWithASummary) {
  options_.skills_dir = Root() / "ruled" / kSkill;
  auto result = EvalCommand(options_, llm_, "", &phase_);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->tasks, 2);
  EXPECT_DOUBLE_EQ(result->hard_accuracy, 1.0);  // the rule makes x1 right as well
  const RunLayout run(Layout().RunDir(std::string("eval_") + kModel));
  EXPECT_EQ(result->summary_path, run.EvalSummary());
  auto summary = ReadJsonFile(run.EvalSummary());
  ASSERT_TRUE(summary.ok()) << summary.error().ToString();
  EXPECT_DOUBLE_EQ((*summary)["hard_accuracy"].get<double>(), 1.0) << summary->dump(2);
  EXPECT_EQ((*summary)["n_total"], 2);
  EXPECT_EQ((*summary)["n_graded"], 2);
  EXPECT_DOUBLE_EQ((*summary)["mean_hard_graded"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ((*summary)["mean_hard"].get<double>(), 1.0);
  EXPECT_TRUE((*summary)["mean_cell_accuracy"].is_null());  // no cells in this benchmark
  EXPECT_EQ((*summary)["grader"], "skillgrad");
  EXPECT_EQ(LedgerCalls(run.Ledger()), client_.call_count());
  EXPECT_EQ(client_.call_count(), 5u);
}

TEST_F(CommandsTest, EvalOfTheSeedScoresWhatTheSeedGetsRight) {
  auto result = EvalCommand(options_, llm_, "", &phase_);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_DOUBLE_EQ(result->hard_accuracy, 0.5);  // x2 only
}

// As the authors record them, an eval's figures go back into the run: its config.json (kept
// otherwise) and its manifest entry (whose training status stays).
TEST_F(CommandsTest, EvalOfARunWritesItsFiguresBackIntoConfigAndManifest) {
  const RunLayout run(Layout().RunDir("trained"));
  WriteSkill(run.FinalSkillsDir() / kSkill, true);
  ASSERT_TRUE(
      WriteJsonFile(run.Config(), Json{{"run_id", "trained"}, {"method", "skillgrad"}}).ok());
  ASSERT_TRUE(UpdateManifest(Layout(), "trained", "train", Json{{"status", "completed"}}).ok());
  // The seed's eval on the same tasks: x2 only.
  ASSERT_TRUE(WriteJsonFile(EvalSummaryFile(run.SeedEvalDir()),
                            Json::parse(R"({"grader": "skillgrad", "per_task": [
                                {"task_id": "x1", "pass": false}, {"task_id": "x2", "pass": true}]})"))
                  .ok());
  options_.skills_dir.clear();  // the run's final skill, which holds the rule
  auto result = EvalCommand(options_, llm_, "trained", &phase_);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const Json versus = ReadJsonFile(run.EvalSummary()).value_or(Json())["versus_seed"];
  EXPECT_DOUBLE_EQ(versus["difference"].get<double>(), 0.5) << versus.dump(2);
  EXPECT_EQ(versus["test"]["name"], "exact McNemar");
  EXPECT_EQ(versus["test"]["a_better"], 1);
  EXPECT_DOUBLE_EQ(versus["test"]["p_value"].get<double>(), 1.0);
  auto config = ReadJsonFile(run.Config());
  auto manifest = ReadJsonFile(Layout().Manifest());
  ASSERT_TRUE(config.ok() && manifest.ok());
  EXPECT_EQ((*config)["run_id"], "trained");
  EXPECT_EQ((*config)["method"], "skillgrad");
  const Json& metrics = (*config)["metrics"];
  EXPECT_DOUBLE_EQ(metrics["test_hard"].get<double>(), 1.0) << config->dump(2);
  EXPECT_EQ(metrics["eval_n_graded"], 2);
  EXPECT_EQ(metrics["eval_n_total"], 2);
  EXPECT_EQ(metrics["eval_grader"], "skillgrad");
  EXPECT_TRUE(metrics["test_cell_acc"].is_null());  // this benchmark counts no cells
  EXPECT_TRUE(metrics["eval_completed"].is_string());
  EXPECT_DOUBLE_EQ(metrics["test_hard_minus_seed"].get<double>(), 0.5);
  const Json& entry = (*manifest)["runs"]["trained"];
  EXPECT_EQ(entry["status"], "completed") << manifest->dump(2);
  EXPECT_EQ(entry["metrics"], metrics);
  // A later checkpoint of the run keeps the figures in the index.
  ASSERT_TRUE(UpdateManifest(Layout(), "trained", "train", Json{{"status", "completed"}}).ok());
  manifest = ReadJsonFile(Layout().Manifest());
  ASSERT_TRUE(manifest.ok());
  EXPECT_EQ((*manifest)["runs"]["trained"]["metrics"], metrics);
}

TEST_F(CommandsTest, EvalOfASkillsDirIndexesItsFigures) {
  auto result = EvalCommand(options_, llm_, "", &phase_);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  auto manifest = ReadJsonFile(Layout().Manifest());
  ASSERT_TRUE(manifest.ok());
  const Json& entry = (*manifest)["runs"][std::string("eval_") + kModel];
  EXPECT_EQ(entry["command"], "eval") << manifest->dump(2);
  EXPECT_DOUBLE_EQ(entry["metrics"]["test_hard"].get<double>(), 0.5);
  EXPECT_FALSE(fs::exists(Layout().RunDir(std::string("eval_") + kModel) / "config.json"));
}

TEST_F(CommandsTest, EvalOfAMissingRunIsRefusedBeforeAnythingIsWritten) {
  auto result = EvalCommand(options_, llm_, "no_such_run", &phase_);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kNotFound);
  EXPECT_NE(result.error().message.find("--run no_such_run"), std::string::npos)
      << result.error().message;
  EXPECT_EQ(phase_, CommandPhase::kCheckingInputs);
  EXPECT_FALSE(fs::exists(ResultsRoot() / "runs"));
  EXPECT_EQ(client_.call_count(), 0u);
}

TEST_F(CommandsTest, ExecRunsOneTaskIntoItsFolder) {
  auto result = ExecCommand(options_, llm_, "x2", {}, &phase_);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->task_dir, Layout().ExecTaskDir(kModel, "x2"));
  EXPECT_TRUE(result->assessment.pass);
  EXPECT_TRUE(fs::exists(result->task_dir / "assessment.json"));
  EXPECT_EQ(LedgerCalls(result->task_dir.parent_path() / "ledger.jsonl"), 2u);
}

TEST_F(CommandsTest, ExecOfAnUnknownTaskIsAnInputError) {
  auto result = ExecCommand(options_, llm_, "nope", {}, &phase_);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(phase_, CommandPhase::kCheckingInputs);
  EXPECT_EQ(client_.call_count(), 0u);
}

TEST_F(CommandsTest, ABadOptionIsNamedBeforeAnyCallOrWrite) {
  options_.skills_dir = Root() / "missing";
  auto result = CollectCommand(options_, llm_, &phase_);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(result.error().message.find("--skills-dir"), std::string::npos)
      << result.error().message;
  EXPECT_EQ(phase_, CommandPhase::kCheckingInputs);
  EXPECT_FALSE(fs::exists(ResultsRoot() / "base_trajectories"));
  EXPECT_EQ(client_.call_count(), 0u);

  options_.skills_dir = Root() / "seed" / kSkill;
  llm_.llm_attempts = 0;
  result = CollectCommand(options_, llm_, &phase_);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("--llm-attempts"), std::string::npos);
}

}  // namespace
}  // namespace sg::run
