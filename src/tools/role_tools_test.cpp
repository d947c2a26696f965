#include "tools/role_tools.h"

#include <gtest/gtest.h>

#include "core/testing.h"
#include "sandbox/workspace.h"
#include "tools/tool_test_util.h"

namespace sg::tools {
namespace {
namespace fs = std::filesystem;
using testing_util::WriteText;

std::vector<std::string> Names(const ToolSet& tools) {
  std::vector<std::string> names;
  for (const auto& t : tools.all()) names.push_back(t->name());
  return names;
}

TEST(RoleToolsTest, ExecutorSeesItsWorkspaceAndItsSkillsReadOnly) {
  testing::TempDir tmp;
  fs::path root = fs::canonical(tmp.path());
  WriteText(root / "skills" / "demo" / "SKILL.md",
            "---\nname: demo\ndescription: Demo skill\n---\nBody\n");
  WriteText(root / "skills" / "demo" / "scripts" / "helper.py", "VALUE = 7\n");
  WriteText(root / "inputs" / "table.csv", "a\n1\n");
  auto skills = skill::LoadSkillsDir(root / "skills");
  ASSERT_TRUE(skills.ok()) << skills.error().ToString();
  auto ws = sandbox::CreateWorkspace(root / "runs" / "task1", {root / "inputs" / "table.csv"});
  ASSERT_TRUE(ws.ok()) << ws.error().ToString();

  ExecutorSetup setup;
  setup.workspace = *ws;
  setup.skills_dir = root / "skills";
  setup.skills = *skills;
  setup.with_submit_answer = true;
  setup.optional_tools = {"python"};  // --executor-tools python
  auto executor = MakeExecutorTools(setup);
  ASSERT_TRUE(executor.ok()) << executor.error().ToString();
  EXPECT_EQ(Names(executor->tools),
            (std::vector<std::string>{"activate_skill", "read_reference", "read_file", "write_file",
                                      "shell", "python", "submit_answer"}));
  EXPECT_EQ(executor->skills_list, "- name: demo\n  description: Demo skill\n  location: " +
                                       (root / "skills" / "demo" / "SKILL.md").string() + "\n");
  std::string helper_dir = (root / "skills" / "demo" / "scripts").string();
  auto py = executor->tools.Find("python")->Invoke(
      {{"code", "import sys\nsys.path.insert(0, '" + helper_dir +
                    "')\nimport helper\nprint(helper.VALUE, open('table.csv').read().split())"}});
  EXPECT_FALSE(py.is_error) << py.content;
  EXPECT_EQ(py.content, "7 ['a', '1']\n");
  if (executor->sandbox->capabilities().filesystem_isolated) {
    auto write = executor->tools.Find("shell")->Invoke(
        {{"command", "echo x >> " + (root / "skills" / "demo" / "SKILL.md").string()}});
    // Refused by the read-only bind, or before it by the file's owner (root) when agent code
    // runs as the unprivileged uid.
    EXPECT_TRUE(write.content.find("Read-only file system") != std::string::npos ||
                write.content.find("Permission denied") != std::string::npos)
        << write.content;
  }
  EXPECT_EQ(testing_util::ReadText(root / "skills" / "demo" / "SKILL.md"),
            "---\nname: demo\ndescription: Demo skill\n---\nBody\n");
}

TEST(RoleToolsTest, DiagnoserIsReadOnlyAndPatcherWritesOnlyItsSkill) {
  testing::TempDir tmp;
  fs::path root = fs::canonical(tmp.path());
  WriteText(root / "run" / "trajectory.json", "{}\n");
  WriteText(root / "skill" / "SKILL.md", "body\n");
  auto diagnoser = MakeReadOnlyFileTools({root / "run", root / "skill"});
  ASSERT_TRUE(diagnoser.ok());
  EXPECT_EQ(Names(*diagnoser), (std::vector<std::string>{"read_file", "list_files", "grep"}));
  EXPECT_EQ(diagnoser->Find("read_file")
                ->Invoke({{"path", (root / "skill" / "SKILL.md").string()}})
                .content,
            "body\n");
  auto patcher = MakeSkillEditorTools(root / "skill");
  ASSERT_TRUE(patcher.ok());
  auto write =
      patcher->Find("write_file")->Invoke({{"path", "references/new.md"}, {"content", "x"}});
  EXPECT_FALSE(write.is_error) << write.content;
  auto escape =
      patcher->Find("write_file")->Invoke({{"path", "../run/trajectory.json"}, {"content", "x"}});
  EXPECT_TRUE(escape.is_error);
  EXPECT_EQ(testing_util::ReadText(root / "run" / "trajectory.json"), "{}\n");
  EXPECT_FALSE(MakeReadOnlyFileTools({root / "missing"}).ok());
}

}  // namespace
}  // namespace sg::tools
