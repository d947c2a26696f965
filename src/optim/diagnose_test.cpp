// DIAGNOSE as the method runs it (optim/diagnose.h), over the scripted model of
// testing_stage_world.h: what each diagnoser receives (the accuracy line, the capped
// comparison of a real 60-cell grading, the evidence paths), the <diagnosis> block taken
// from the reply, batch_diagnoses.md with failures first under their status headers, and a
// diagnoser that stops without a diagnosis recorded while the stage finishes.
#include "optim/diagnose.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/file_util.h"
#include "core/json.h"
#include "optim/iteration_layout.h"
#include "optim/iteration_record.h"
#include "optim/skillgrad_stages.h"
#include "optim/testing_stage_world.h"
#include "tasks/cell_accuracy.h"
#include "tasks/testing_column_workbook.h"

namespace sg::optim {
namespace {
namespace fs = std::filesystem;
using sg::testing::StageWorld;

constexpr const char* kOutput = "1_t1_output.xlsx";

std::size_t Occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

class DiagnoseTest : public ::testing::Test {
 protected:
  // Iteration 1 over `batch` with EXECUTE done on disk: t2 passed, t1 failed with a real
  // grading of 60 expected cells of which rows 31..60 are wrong.
  IterationWork Executed(std::vector<std::string> batch = {"t1", "t2"}) {
    world_.WriteBaseRun();
    IterationWork work = world_.Work(1, std::move(batch));
    world_.WriteExecuted(work);
    const fs::path task = work.context.TaskDir("t1");
    const fs::path golden = world_.root() / "golden.xlsx";
    EXPECT_TRUE(tasks_testing::WriteColumnWorkbook(golden, tasks_testing::Counting(60)));
    EXPECT_TRUE(tasks_testing::WriteColumnWorkbook(task / "workspace" / kOutput,
                                                   tasks_testing::Counting(60, 31)));
    auto cmp = tasks::MeasureCellAccuracy(golden, task / "workspace" / kOutput, "A1:A60");
    EXPECT_TRUE(cmp.ok());
    Json entry = cmp->ToJson();
    entry["test_case"] = 1;
    entry["output"] = kOutput;
    StageWorld::Check(WriteJsonFile(task / "assessment.json",
                                    Json{{"task_id", "t1"},
                                         {"pass", false},
                                         {"score", 0.5},
                                         {"graded", true},
                                         {"cell_accuracy", 0.5},
                                         {"match_count", cmp->match_count},
                                         {"total_count", cmp->total_count},
                                         {"verdict",
                                          {{"pass", false},
                                           {"score", 0.5},
                                           {"details", {{"test_cases", Json::array({entry})}}},
                                           {"comparison", cmp->ToText()}}},
                                         {"error", ""},
                                         {"stop_reason", "finished"}}));
    auto reloaded = MakeExecuteStage(world_.services)->Reload(work);
    EXPECT_TRUE(reloaded.ok() && *reloaded);
    return work;
  }

  Status Diagnose(IterationWork& work) { return MakeDiagnoseStage(world_.services)->Run(work); }

  // The first request of `role`: {system prompt, task message}.
  std::pair<std::string, std::string> Received(const std::string& role) {
    for (const auto& call : world_.client.calls()) {
      if (call.context.role != role) continue;
      const auto& m = call.request.messages;
      EXPECT_GE(m.size(), 2u);
      return {m[0].content, m[1].content};
    }
    ADD_FAILURE() << "no call of " << role;
    return {};
  }

  StageWorld world_;
};

TEST_F(DiagnoseTest, TheFailureDiagnoserReceivesTheAccuracyTheCappedComparisonAndThePaths) {
  IterationWork work = Executed();
  Status ran = Diagnose(work);
  ASSERT_TRUE(ran.ok()) << ran.error().ToString();
  auto [system, message] = Received("failure_diagnoser");
  EXPECT_EQ(system.rfind("You are the failure diagnoser", 0), 0u) << system;
  EXPECT_NE(system.find("<diagnosis>"), std::string::npos);
  EXPECT_NE(message.find("Accuracy: 30/60 cells match (50.0%)"), std::string::npos) << message;
  EXPECT_NE(message.find("Expected cells (50 of 60 shown):"), std::string::npos) << message;
  EXPECT_NE(message.find("Sheet1!A50: 50\n"), std::string::npos) << message;
  EXPECT_EQ(message.find("Sheet1!A51"), std::string::npos) << message;  // the 51st cell
  EXPECT_NE(message.find("Summary: 30/60 cells match (50.0% accuracy)"), std::string::npos);
  EXPECT_EQ(Occurrences(message, ": expected \""), 20u) << message;
  const fs::path task = fs::canonical(work.context.TaskDir("t1"));
  EXPECT_NE(message.find((task / "trajectory.json").string()), std::string::npos) << message;
  EXPECT_NE(message.find((task / "workspace" / kOutput).string()), std::string::npos) << message;
  EXPECT_NE(message.find(fs::canonical(work.context.skill_dir).string()), std::string::npos);
}

TEST_F(DiagnoseTest, TheContrastiveDiagnoserReceivesTheBaseComparisonAndBothTraces) {
  IterationWork work = Executed();
  ASSERT_TRUE(Diagnose(work).ok());
  auto [system, message] = Received("contrastive_diagnoser");
  EXPECT_EQ(system.rfind("You are the contrastive diagnoser", 0), 0u) << system;
  // The base run's comparison (StageWorld writes it as grader text without cells).
  EXPECT_NE(message.find("expected 'x', got 'y'"), std::string::npos) << message;
  const fs::path base = fs::canonical(world_.BaseDir() / "t2");
  const fs::path now = fs::canonical(work.context.TaskDir("t2"));
  EXPECT_NE(message.find((base / "trajectory.json").string()), std::string::npos) << message;
  EXPECT_NE(message.find((now / "trajectory.json").string()), std::string::npos) << message;
}

TEST_F(DiagnoseTest, BatchDiagnosesPutFailuresFirstUnderTheirStatusWithTheEvidence) {
  IterationWork work = Executed({"t2", "t1"});  // the success comes first in the batch
  ASSERT_TRUE(Diagnose(work).ok());
  const std::string batch =
      ReadFile(IterationLayout(work.context.iter_dir).BatchDiagnoses()).value_or("");
  EXPECT_EQ(batch, work.diagnoses.value_or(""));
  const size_t failed = batch.find("## Task t1 (failed, accuracy 50.0%)\n");
  const size_t succeeded = batch.find("## Task t2 (previously failed, now succeeds)\n");
  ASSERT_NE(failed, std::string::npos) << batch;
  ASSERT_NE(succeeded, std::string::npos) << batch;
  EXPECT_LT(failed, succeeded);
  const fs::path t1 = fs::canonical(work.context.TaskDir("t1"));
  const fs::path base_t2 = fs::canonical(world_.BaseDir() / "t2");
  EXPECT_NE(batch.find("- trace: " + (t1 / "trajectory.json").string()), std::string::npos)
      << batch;
  EXPECT_NE(batch.find("- output: " + (t1 / "workspace" / kOutput).string()), std::string::npos);
  EXPECT_NE(batch.find("- trace (base run, failed): " + (base_t2 / "trajectory.json").string()),
            std::string::npos)
      << batch;
}

TEST_F(DiagnoseTest, TheDiagnosisBlockIsWhatIsKept) {
  world_.intercept = [](const llm::ChatRequest&,
                        const llm::CallContext& c) -> std::optional<Result<llm::ChatResponse>> {
    if (c.role != "failure_diagnoser") return std::nullopt;
    return sg::testing::TextReply(
        "I read the trace first.\n<diagnosis>\nLABEL: Values shifted past the range\n\nThe "
        "agent wrote from the wrong row.\n</diagnosis>\nDone.");
  };
  IterationWork work = Executed();
  ASSERT_TRUE(Diagnose(work).ok());
  const std::string kept =
      ReadFile(IterationLayout::Diagnosis(work.context.TaskDir("t1"))).value_or("");
  EXPECT_EQ(kept, "LABEL: Values shifted past the range\n\nThe agent wrote from the wrong row.\n");
  EXPECT_EQ(DiagnosisLabel(kept), "Values shifted past the range");
  EXPECT_EQ(work.diagnoses->find("I read the trace first"), std::string::npos);
  EXPECT_EQ(ExtractDiagnosis("  LABEL: no block\n"), "LABEL: no block");
}

TEST_F(DiagnoseTest, ADiagnoserThatStopsWithoutADiagnosisIsRecordedAndTheStageFinishes) {
  world_.roles.diagnoser_max_turns = 2;
  world_.intercept = [](const llm::ChatRequest&,
                        const llm::CallContext& c) -> std::optional<Result<llm::ChatResponse>> {
    if (c.role == "failure_diagnoser") {  // reads forever: the turn cap stops it
      return sg::testing::ToolReply("list_files", Json::object());
    }
    if (c.role == "contrastive_diagnoser") return sg::testing::TextReply("");
    return std::nullopt;
  };
  IterationWork work = Executed();
  Status ran = Diagnose(work);
  ASSERT_TRUE(ran.ok()) << ran.error().ToString();
  const std::string capped =
      ReadFile(IterationLayout::Diagnosis(work.context.TaskDir("t1"))).value_or("");
  EXPECT_NE(capped.find("[diagnosis error]"), std::string::npos) << capped;
  EXPECT_NE(capped.find("turn_cap"), std::string::npos) << capped;
  const std::string empty =
      ReadFile(IterationLayout::Diagnosis(work.context.TaskDir("t2"))).value_or("");
  EXPECT_NE(empty.find("[diagnosis error]"), std::string::npos) << empty;
  ASSERT_TRUE(work.diagnoses.has_value());
  EXPECT_NE(work.diagnoses->find("## Task t1 (failed, accuracy 50.0%)"), std::string::npos);
  EXPECT_NE(work.diagnoses->find("## Task t2 (previously failed, now succeeds)"),
            std::string::npos);
  EXPECT_TRUE(fs::exists(IterationLayout(work.context.iter_dir).BatchDiagnoses()));
}

TEST_F(DiagnoseTest, AProviderFailureStopsTheStageToBeResumed) {
  world_.intercept = [](const llm::ChatRequest&,
                        const llm::CallContext& c) -> std::optional<Result<llm::ChatResponse>> {
    if (c.role != "failure_diagnoser") return std::nullopt;
    return Result<llm::ChatResponse>(Error(ErrorCode::kProvider, "connection reset"));
  };
  IterationWork work = Executed();
  Status ran = Diagnose(work);
  ASSERT_FALSE(ran.ok());
  EXPECT_NE(ran.error().message.find("t1"), std::string::npos) << ran.error().message;
  EXPECT_FALSE(fs::exists(IterationLayout(work.context.iter_dir).BatchDiagnoses()));
  EXPECT_FALSE(fs::exists(IterationLayout::Diagnosis(work.context.TaskDir("t1"))));
}

}  // namespace
}  // namespace sg::optim
