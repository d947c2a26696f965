// PATCH as the patcher sees it (optim/patch_stage.h), over the scripted model of
// optim/testing_stage_world.h: the tools it is offered read the iteration's evidence and
// write only the skill copy; its task message names the evidence; the lint projection sends
// back what the patch broke and nothing the input skill already had, and --projection off
// sends nothing back.
#include "optim/patch_stage.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/file_util.h"
#include "llm/message.h"
#include "llm/testing_chat_client.h"
#include "optim/iteration_layout.h"
#include "optim/momentum.h"
#include "optim/testing_stage_world.h"

namespace sg::optim {
namespace {
namespace fs = std::filesystem;
using sg::testing::kSkillName;
using sg::testing::StageWorld;
using sg::testing::ToolReply;
using sg::testing::TurnOf;

// A seed whose description has two sentences: the commonest lint finding on public skills.
std::string TwoSentenceSeed() {
  std::string text = sg::testing::SeedSkill();
  const std::string one = "hand in the answer.\n";
  text.replace(text.find(one), one.size(), "hand in the answer. Use it for short answers.\n");
  return text;
}

class PatchStageTest : public ::testing::Test {
 protected:
  // Iteration 1 with EXECUTE and DIAGNOSE on disk, S_t made from `seed`.
  IterationWork Prepared(const std::string& seed = sg::testing::SeedSkill()) {
    StageWorld::Check(WriteFileAtomic(world_.SeedDir() / kSkillName / "SKILL.md", seed));
    world_.WriteBaseRun();
    IterationWork work = world_.Work(1);
    world_.WriteExecuted(work);
    StageWorld::Check(
        WriteFileAtomic(work.context.TaskDir("t1") / "trajectory.json", "TRACE-OF-T1\n"));
    StageWorld::Check(WriteFileAtomic(IterationLayout(work.context.iter_dir).BatchDiagnoses(),
                                      "## t1\nLABEL: answer handed in unchecked\n"));
    return work;
  }

  Result<PatchStageResult> Patch(const IterationWork& work, bool projection = true) {
    PatchStageInput input;
    input.iteration = &work.context;
    input.diagnoses = "## t1\nLABEL: answer handed in unchecked\n";
    input.record = &empty_;
    input.projection = projection;
    return RunPatchStage(world_.roles, input);
  }

  // The patcher's first turn (the patch, not the repair) answers with `calls`.
  void FirstPatchTurn(std::vector<std::pair<std::string, Json>> calls) {
    world_.intercept =
        [calls](const llm::ChatRequest& request,
                const llm::CallContext& context) -> std::optional<Result<llm::ChatResponse>> {
      if (context.role != "patcher" || TurnOf(request) != 0) return std::nullopt;
      if (!sg::testing::AnyMessageContains(request, "Patch the skill for iteration")) {
        return std::nullopt;
      }
      return Result<llm::ChatResponse>(ToolReply(calls));
    };
  }

  std::vector<sg::testing::RecordedCall> PatcherCalls() const {
    std::vector<sg::testing::RecordedCall> out;
    for (auto& call : world_.client.calls()) {
      if (call.context.role == "patcher") out.push_back(call);
    }
    return out;
  }

  static std::vector<const llm::Message*> ToolResults(const llm::ChatRequest& request) {
    std::vector<const llm::Message*> out;
    for (const auto& m : request.messages) {
      if (m.role == llm::Role::kTool) out.push_back(&m);
    }
    return out;
  }

  StageWorld world_;
  MomentumRecord empty_;
};

TEST_F(PatchStageTest, PatcherReadsATraceOfTheIterationAndWritesOnlyItsSkillCopy) {
  IterationWork work = Prepared();
  const fs::path iter = fs::canonical(work.context.iter_dir);
  const fs::path diagnoses = IterationLayout(iter).BatchDiagnoses();
  FirstPatchTurn({
      {"read_file", {{"path", (iter / "t1" / "trajectory.json").string()}}},
      {"write_file", {{"path", (iter / "t1" / "planted.txt").string()}, {"content", "x"}}},
      {"write_file", {{"path", diagnoses.string()}, {"content", "overwritten"}}},
      {"write_file", {{"path", (world_.root() / "outside.txt").string()}, {"content", "x"}}},
      {"write_file", {{"path", "../t1/planted.txt"}, {"content", "x"}}},
      {"write_file",
       {{"path", std::string(kSkillName) + "/SKILL.md"}, {"content", sg::testing::SeedSkillAt(2)}}},
  });
  auto patch = Patch(work);
  ASSERT_TRUE(patch.ok()) << patch.error().ToString();

  const auto calls = PatcherCalls();
  ASSERT_GE(calls.size(), 2u);
  std::vector<std::string> tools;
  for (const auto& spec : calls[0].request.tools) tools.push_back(spec.name);
  for (const char* name :
       {"read_file", "list_files", "grep", "write_file", "submit_patch_report"}) {
    EXPECT_NE(std::find(tools.begin(), tools.end(), name), tools.end()) << name;
  }
  const auto results = ToolResults(calls[1].request);
  ASSERT_EQ(results.size(), 6u);
  EXPECT_FALSE(results[0]->is_error) << results[0]->content;
  EXPECT_NE(results[0]->content.find("TRACE-OF-T1"), std::string::npos) << results[0]->content;
  for (size_t i = 1; i <= 4; ++i) {
    EXPECT_TRUE(results[i]->is_error) << i << ": " << results[i]->content;
    EXPECT_NE(results[i]->content.find("refused"), std::string::npos) << results[i]->content;
  }
  EXPECT_FALSE(results[5]->is_error) << results[5]->content;
  EXPECT_FALSE(fs::exists(iter / "t1" / "planted.txt"));
  EXPECT_FALSE(fs::exists(world_.root() / "outside.txt"));
  EXPECT_EQ(ReadFile(diagnoses).value_or(""), "## t1\nLABEL: answer handed in unchecked\n");
  EXPECT_EQ(ReadFile(patch->skills_after / kSkillName / "SKILL.md").value_or(""),
            sg::testing::SeedSkillAt(2));
}

TEST_F(PatchStageTest, TaskMessageNamesTheEvidenceAndSaysItIsReadOnDemand) {
  IterationWork work = Prepared();
  auto patch = Patch(work);
  ASSERT_TRUE(patch.ok()) << patch.error().ToString();
  const auto calls = PatcherCalls();
  ASSERT_FALSE(calls.empty());
  const auto& messages = calls[0].request.messages;
  ASSERT_GE(messages.size(), 2u);
  EXPECT_EQ(messages[0].role, llm::Role::kSystem);
  EXPECT_EQ(messages[0].content.rfind("You are the patcher", 0), 0u);
  const std::string& task = messages[1].content;
  const fs::path iter = fs::canonical(work.context.iter_dir);
  for (const fs::path& path : {IterationLayout(iter).BatchDiagnoses(), iter / "t1", iter / "t2",
                               fs::canonical(work.context.BaseTaskDir("t1"))}) {
    EXPECT_NE(task.find(path.string()), std::string::npos) << path << "\n" << task;
  }
  for (const char* name :
       {"trajectory.json", "workspace/", "assessment.json", "read-only", "on demand"}) {
    EXPECT_NE(task.find(name), std::string::npos) << name << "\n" << task;
  }
  // The method's rules reach the patcher (a few of them, by their substance).
  // Compared with runs of white space made one space: the prompt wraps its lines.
  std::string system;
  for (char c : messages[0].content) {
    const bool space = c == ' ' || c == '\n';
    if (!space || system.empty() || system.back() != ' ') system.push_back(space ? ' ' : c);
  }
  for (const char* rule :
       {"two or three candidate", "three or more iterations", "at most 50 words", "causal link",
        "new, narrow workflow section", "inspects the artifact's contents first"}) {
    EXPECT_NE(system.find(rule), std::string::npos) << rule;
  }
  EXPECT_EQ(system.find("Never add"), std::string::npos);
}

TEST_F(PatchStageTest, ProjectionIgnoresAViolationTheInputSkillAlreadyHad) {
  IterationWork work = Prepared(TwoSentenceSeed());
  std::string patched = TwoSentenceSeed() + "- Handing in an unchecked answer.\n";
  FirstPatchTurn(
      {{"write_file", {{"path", std::string(kSkillName) + "/SKILL.md"}, {"content", patched}}}});
  auto patch = Patch(work);
  ASSERT_TRUE(patch.ok()) << patch.error().ToString();
  EXPECT_FALSE(patch->repaired);
  EXPECT_TRUE(patch->lint_violations.empty()) << ::testing::PrintToString(patch->lint_violations);
  EXPECT_EQ(PatcherCalls().size(), 2u);  // the patch and its report: no repair round
  EXPECT_FALSE(fs::exists(IterationLayout(work.context.iter_dir).PatchRepairTrajectory()));
}

TEST_F(PatchStageTest, ProjectionSendsBackWhatThePatchIntroducedAndOnlyThat) {
  IterationWork work = Prepared(TwoSentenceSeed());
  const std::string skill = kSkillName;
  FirstPatchTurn({{"write_file", {{"path", skill + "/SKILL.md"}, {"content", TwoSentenceSeed()}}},
                  {"write_file", {{"path", skill + "/references/extra.md"}, {"content", "x\n"}}}});
  auto patch = Patch(work);
  ASSERT_TRUE(patch.ok()) << patch.error().ToString();
  EXPECT_TRUE(patch->repaired);
  const auto calls = PatcherCalls();
  auto repair = std::find_if(calls.begin(), calls.end(), [](const auto& call) {
    return sg::testing::AnyMessageContains(call.request, "found these violations");
  });
  ASSERT_NE(repair, calls.end());
  const llm::Message* message = sg::testing::LastMessageOf(repair->request, llm::Role::kUser);
  ASSERT_NE(message, nullptr);
  EXPECT_NE(message->content.find("orphan-reference"), std::string::npos) << message->content;
  EXPECT_NE(message->content.find("references/extra.md"), std::string::npos);
  EXPECT_EQ(message->content.find("description-multi-sentence"), std::string::npos)
      << message->content;
  // The scripted repair only reports, so the orphan is still there and recorded.
  ASSERT_EQ(patch->lint_violations.size(), 1u);
  EXPECT_NE(patch->lint_violations[0].find("orphan-reference"), std::string::npos);
}

TEST_F(PatchStageTest, ProjectionOffSendsNothingBackAndRecordsWhatThePatchBroke) {
  IterationWork work = Prepared();
  const std::string skill = kSkillName;
  FirstPatchTurn({{"write_file", {{"path", skill + "/references/extra.md"}, {"content", "x\n"}}}});
  auto patch = Patch(work, /*projection=*/false);
  ASSERT_TRUE(patch.ok()) << patch.error().ToString();
  EXPECT_FALSE(patch->repaired);
  EXPECT_EQ(PatcherCalls().size(), 2u);
  for (const auto& call : PatcherCalls()) {
    EXPECT_FALSE(sg::testing::AnyMessageContains(call.request, "found these violations"));
  }
  ASSERT_EQ(patch->lint_violations.size(), 1u);
  EXPECT_NE(patch->lint_violations[0].find("orphan-reference"), std::string::npos);
  auto reloaded = LoadPatchStage(work.context.iter_dir);
  ASSERT_TRUE(reloaded.has_value());
  EXPECT_EQ(reloaded->lint_violations, patch->lint_violations);
}

TEST(TrainOptions, ProjectionIsOnByDefaultRecordedAndParsedStrictly) {
  TrainOptions options;
  options.common.data_dir = options.common.skills_dir = options.common.results_root = "x";
  EXPECT_TRUE(options.projection);
  EXPECT_EQ(options.ToJson()["projection"], "on");
  options.projection = false;
  EXPECT_EQ(options.ToJson()["projection"], "off");
  EXPECT_TRUE(ParseProjection("on").value_or(false));
  EXPECT_FALSE(ParseProjection("off").value_or(true));
  auto bad = ParseProjection("maybe");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("--projection maybe"), std::string::npos);
  EXPECT_NE(bad.error().message.find("on or off"), std::string::npos);
}

}  // namespace
}  // namespace sg::optim
