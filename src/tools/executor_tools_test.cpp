// The executor's tool set (tools/role_tools.h): the method's five tools by default, the
// opt-in ones only when --executor-tools names them, and an unknown name refused.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/testing.h"
#include "sandbox/workspace.h"
#include "tools/role_tools.h"
#include "tools/tool_test_util.h"

namespace sg::tools {
namespace {
namespace fs = std::filesystem;

std::vector<std::string> Names(const ToolSet& tools) {
  std::vector<std::string> names;
  for (const auto& t : tools.all()) names.push_back(t->name());
  return names;
}

ExecutorSetup MakeSetup(const fs::path& root) {
  testing_util::WriteText(root / "skills" / "demo" / "SKILL.md",
                          "---\nname: demo\ndescription: Demo skill\n---\nBody\n");
  auto skills = skill::LoadSkillsDir(root / "skills");
  EXPECT_TRUE(skills.ok());
  fs::create_directories(root / "ws");
  ExecutorSetup setup;
  setup.workspace = root / "ws";
  setup.skills_dir = root / "skills";
  if (skills.ok()) setup.skills = *skills;
  return setup;
}

TEST(ExecutorToolsTest, DefaultIsTheMethodsSetWithShellAndNoPython) {
  testing::TempDir tmp;
  auto executor = MakeExecutorTools(MakeSetup(fs::canonical(tmp.path())));
  ASSERT_TRUE(executor.ok()) << executor.error().ToString();
  EXPECT_EQ(Names(executor->tools), (std::vector<std::string>{"activate_skill", "read_reference",
                                                              "read_file", "write_file", "shell"}));
  EXPECT_EQ(executor->tools.Find("python"), nullptr);
}

TEST(ExecutorToolsTest, OptInToolsAreAddedWhenNamed) {
  testing::TempDir tmp;
  ExecutorSetup setup = MakeSetup(fs::canonical(tmp.path()));
  setup.optional_tools = {"list_files", "python", "grep"};
  auto executor = MakeExecutorTools(setup);
  ASSERT_TRUE(executor.ok()) << executor.error().ToString();
  EXPECT_EQ(Names(executor->tools),
            (std::vector<std::string>{"activate_skill", "read_reference", "read_file", "write_file",
                                      "shell", "python", "grep", "list_files"}));
}

TEST(ExecutorToolsTest, UnknownOptInToolNamesTheFlagAndTheValidNames) {
  testing::TempDir tmp;
  ExecutorSetup setup = MakeSetup(fs::canonical(tmp.path()));
  setup.optional_tools = {"pyhton"};
  auto executor = MakeExecutorTools(setup);
  ASSERT_FALSE(executor.ok());
  EXPECT_NE(executor.error().message.find("--executor-tools"), std::string::npos);
  EXPECT_NE(executor.error().message.find("'pyhton'"), std::string::npos);
  EXPECT_NE(executor.error().message.find("python, grep and list_files"), std::string::npos);
}

}  // namespace
}  // namespace sg::tools
