// CommonOptions: --executor and --executor-tools take only known values, and config.json
// (ToJson) records them, --task-hints and the paths (unset ones empty).
#include "run/options.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/testing.h"

namespace sg::run {
namespace {

CommonOptions Valid(const std::filesystem::path& dir) {
  CommonOptions o;
  o.benchmark = "spreadsheetbench";
  o.data_dir = dir;
  o.skills_dir = dir;
  o.models = {"m", "m", "m", "m"};
  return o;
}

TEST(CommonOptionsTest, ExecutorToolsAcceptsTheOptInToolsOnly) {
  sg::testing::TempDir tmp;
  CommonOptions o = Valid(tmp.path());
  EXPECT_TRUE(o.Validate().ok());
  o.executor_tools = {"python", "grep", "list_files"};
  EXPECT_TRUE(o.Validate().ok());
  o.executor_tools = {"python", "shelll"};
  Status bad = o.Validate();
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("--executor-tools"), std::string::npos);
  EXPECT_NE(bad.error().message.find("'shelll'"), std::string::npos);
  EXPECT_NE(bad.error().message.find("python, grep, list_files"), std::string::npos);
}

TEST(CommonOptionsTest, UnsetPathsAreRecordedEmptyNotAThrow) {
  const Json json = CommonOptions{}.ToJson();
  EXPECT_EQ(json["data_dir"], "");
  EXPECT_EQ(json["skills_dir"], "");
  EXPECT_EQ(json["prompts_dir"], "");
  EXPECT_EQ(json["base_trajectories_dir"], "");
  EXPECT_TRUE(std::filesystem::path(json["results_root"].get<std::string>()).is_absolute());
}

TEST(CommonOptionsTest, ExecutorIsTheReferenceProfile) {
  sg::testing::TempDir tmp;
  CommonOptions o = Valid(tmp.path());
  EXPECT_EQ(o.ToJson()["executor"], "reference");
  o.executor = "codex-cli";
  Status bad = o.Validate();
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("--executor codex-cli: unknown executor; use reference"),
            std::string::npos)
      << bad.error().message;
}

TEST(CommonOptionsTest, ConfigRecordsExecutorToolsAndTaskHints) {
  sg::testing::TempDir tmp;
  CommonOptions o = Valid(tmp.path());
  Json json = o.ToJson();
  EXPECT_EQ(json["executor_tools"], Json::array());
  EXPECT_EQ(json["task_hints"], false);
  o.executor_tools = {"python"};
  o.task_hints = true;
  json = o.ToJson();
  EXPECT_EQ(json["executor_tools"], Json::array({"python"}));
  EXPECT_EQ(json["task_hints"], true);
}

}  // namespace
}  // namespace sg::run
