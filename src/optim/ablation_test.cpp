// The paper's ablations (--ablate momentum, --ablate contrastive): the flag's parsing, its
// record in config.json and the run id's tag, and that each drops exactly its stage or its
// diagnoses while RECORD still records the iteration (scripted model, in-memory benchmark).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "core/file_util.h"
#include "core/json.h"
#include "optim/iteration_layout.h"
#include "optim/iteration_stage.h"
#include "optim/skillgrad_stages.h"
#include "optim/testing_stage_world.h"
#include "optim/train_options.h"
#include "optim/train_state.h"

namespace sg::optim {
namespace {
namespace fs = std::filesystem;
using sg::testing::StageWorld;

std::vector<Stage> Ids(const StageList& stages) {
  std::vector<Stage> ids;
  for (const auto& s : stages) ids.push_back(s->id());
  return ids;
}

TEST(AblationOptions, ParsedStrictlyRecordedAndTagged) {
  TrainOptions options;
  options.common.data_dir = "data";  // ToJson records the paths absolute
  options.common.skills_dir = "skills";
  options.common.results_root = "results";
  ASSERT_TRUE(SetAblations(options, "").ok());
  EXPECT_FALSE(options.ablate_momentum || options.ablate_contrastive);
  EXPECT_EQ(options.common.config_tag, "");
  EXPECT_EQ(options.ToJson()["ablate"], Json::array());

  ASSERT_TRUE(SetAblations(options, "contrastive,momentum").ok());
  EXPECT_TRUE(options.ablate_momentum && options.ablate_contrastive);
  EXPECT_EQ(options.common.config_tag, "ablate-momentum-contrastive");
  EXPECT_EQ(options.ToJson()["ablate"], Json({"momentum", "contrastive"}));

  TrainOptions tagged;
  tagged.common.config_tag = "mine";
  ASSERT_TRUE(SetAblations(tagged, "momentum").ok());
  EXPECT_EQ(tagged.common.config_tag, "mine");  // an explicit tag is kept

  TrainOptions bad;
  Status refused = SetAblations(bad, "momentum,patcher");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("--ablate momentum,patcher: \"patcher\""),
            std::string::npos)
      << refused.error().message;
}

TEST(AblationStages, MomentumAblationDropsBothMomentumInstancesOnly) {
  StageServices services;
  const std::vector<Stage> full = Ids(SkillGradStages(services, AcceptMode::kValidate));
  services.ablate_momentum = true;
  const std::vector<Stage> ablated = Ids(SkillGradStages(services, AcceptMode::kValidate));
  EXPECT_EQ(std::count(full.begin(), full.end(), Stage::kMomentum), 2);
  std::vector<Stage> expected;
  for (Stage s : full) {
    if (s != Stage::kMomentum) expected.push_back(s);
  }
  EXPECT_EQ(ablated, expected);
}

class AblationRecordTest : public ::testing::Test {
 protected:
  StageWorld world_;
};

// Without momentum the patcher runs on the diagnoses, RECORD records the patch with a null
// momentum block, M_t stays empty and the state moves to the patched skill.
TEST_F(AblationRecordTest, WithoutMomentumThePatchIsRecordedAndTheRecordStaysEmpty) {
  world_.services.ablate_momentum = true;
  world_.WriteBaseRun();
  IterationWork work = world_.Work(1);
  world_.WriteExecuted(work);
  ASSERT_TRUE(WriteFileAtomic(IterationLayout(work.context.iter_dir).BatchDiagnoses(),
                              "## Task t1\n\nLABEL: x\n")
                  .ok());
  ASSERT_TRUE(MakeExecuteStage(world_.services)->Reload(work).value_or(false));
  ASSERT_TRUE(MakeDiagnoseStage(world_.services)->Reload(work).value_or(false));
  Status patched = MakePatchStage(world_.services)->Run(work);
  ASSERT_TRUE(patched.ok()) << patched.error().ToString();
  Status recorded = MakeRecordStage(world_.services)->Run(work);
  ASSERT_TRUE(recorded.ok()) << recorded.error().ToString();
  auto entries = ReadJsonFile(world_.services.training_results);
  ASSERT_TRUE(entries.ok());
  const Json& entry = (*entries)[0];
  EXPECT_TRUE(entry["momentum"].is_null()) << entry.dump(2);
  EXPECT_EQ(entry["patch"]["changes"].size(), 1u);
  EXPECT_EQ(entry["accepted"], true);
  auto memory = ReadJsonFile(IterationLayout(work.context.iter_dir).MomentumMemory());
  ASSERT_TRUE(memory.ok());
  EXPECT_EQ((*memory)["patterns"], Json::array());
  EXPECT_EQ(world_.state.iteration, 2);
  EXPECT_EQ(world_.state.current_skills,
            fs::absolute(work.patch->skills_after).lexically_normal().string());
}

// Without contrastive signals the task that passed (t2) gets no diagnoser call and no
// section; the failed one (t1) is diagnosed as always.
TEST_F(AblationRecordTest, WithoutContrastiveOnlyTheFailedTaskIsDiagnosed) {
  world_.services.ablate_contrastive = true;
  world_.WriteBaseRun();
  IterationWork work = world_.Work(1);
  world_.WriteExecuted(work);
  ASSERT_TRUE(MakeExecuteStage(world_.services)->Reload(work).value_or(false));
  Status ran = MakeDiagnoseStage(world_.services)->Run(work);
  ASSERT_TRUE(ran.ok()) << ran.error().ToString();
  EXPECT_EQ(world_.client.CallsOfRole("failure_diagnoser"), 1u);
  EXPECT_EQ(world_.client.CallsOfRole("contrastive_diagnoser"), 0u);
  ASSERT_TRUE(work.diagnoses.has_value());
  EXPECT_NE(work.diagnoses->find("## Task t1"), std::string::npos) << *work.diagnoses;
  EXPECT_EQ(work.diagnoses->find("## Task t2"), std::string::npos) << *work.diagnoses;
  EXPECT_TRUE(fs::exists(IterationLayout::Diagnosis(work.context.TaskDir("t1"))));
  EXPECT_FALSE(fs::exists(IterationLayout::Diagnosis(work.context.TaskDir("t2"))));
}

}  // namespace
}  // namespace sg::optim
