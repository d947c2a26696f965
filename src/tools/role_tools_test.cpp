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

// The patcher's layout: the skill copy lies inside the iteration folder it reads. Paths in
// the skill copy are writable, the rest of the iteration folder is read-only, and nothing
// outside is reachable, also through a symlink planted in the evidence.
TEST(RoleToolsTest, PatcherReadsTheEvidenceAndWritesOnlyItsSkillCopy) {
  testing::TempDir tmp;
  fs::path root = fs::canonical(tmp.path());
  const fs::path iter = root / "train" / "iter_1";
  const fs::path skills = iter / "patched_skills";
  WriteText(skills / "demo" / "SKILL.md", "body\n");
  WriteText(iter / "t1" / "trajectory.json", "{\"role\": \"executor\"}\n");
  WriteText(iter / "batch_diagnoses.md", "## t1\n");
  WriteText(root / "secret.txt", "OUTSIDE-SECRET\n");
  fs::create_directories(iter / "t1" / "workspace");
  fs::create_symlink(root, iter / "t1" / "workspace" / "up");
  fs::create_symlink(skills / "demo", iter / "t1" / "workspace" / "into_skill");

  auto patcher = MakeSkillEditorTools(skills, {iter});
  ASSERT_TRUE(patcher.ok()) << patcher.error().ToString();
  EXPECT_EQ(Names(*patcher),
            (std::vector<std::string>{"read_file", "list_files", "grep", "write_file"}));
  auto invoke = [&](const std::string& tool, const Json& args) {
    return patcher->Find(tool)->Invoke(args);
  };
  auto trace = invoke("read_file", {{"path", (iter / "t1" / "trajectory.json").string()}});
  EXPECT_FALSE(trace.is_error) << trace.content;
  EXPECT_EQ(trace.content, "{\"role\": \"executor\"}\n");
  EXPECT_FALSE(invoke("read_file", {{"path", (iter / "batch_diagnoses.md").string()}}).is_error);

  // Relative paths start at the skill copy; an absolute path into it is writable too.
  EXPECT_FALSE(invoke("write_file", {{"path", "demo/references/a.md"}, {"content", "a"}}).is_error);
  auto absolute = invoke(
      "write_file", {{"path", (skills / "demo" / "SKILL.md").string()}, {"content", "patched\n"}});
  EXPECT_FALSE(absolute.is_error) << absolute.content;
  EXPECT_EQ(testing_util::ReadText(skills / "demo" / "SKILL.md"), "patched\n");

  for (const fs::path& target :
       {iter / "t1" / "trajectory.json", iter / "batch_diagnoses.md", iter / "t1" / "new.txt",
        iter / "t1" / "workspace" / "into_skill" / "SKILL.md", root / "new.txt"}) {
    auto write = invoke("write_file", {{"path", target.string()}, {"content", "pwned"}});
    EXPECT_TRUE(write.is_error) << target;
    EXPECT_NE(write.content.find("refused"), std::string::npos) << write.content;
  }
  for (const std::string& escape : {std::string("../t1/trajectory.json"),
                                    (iter / "t1" / "workspace" / "up" / "secret.txt").string(),
                                    (root / "secret.txt").string()}) {
    auto read = invoke("read_file", {{"path", escape}});
    EXPECT_TRUE(read.is_error) << escape;
    EXPECT_EQ(read.content.find("OUTSIDE-SECRET"), std::string::npos) << read.content;
  }
  EXPECT_EQ(testing_util::ReadText(iter / "t1" / "trajectory.json"), "{\"role\": \"executor\"}\n");
  EXPECT_EQ(testing_util::ReadText(iter / "batch_diagnoses.md"), "## t1\n");
  EXPECT_EQ(testing_util::ReadText(skills / "demo" / "SKILL.md"), "patched\n");
  EXPECT_FALSE(fs::exists(iter / "t1" / "new.txt"));
  EXPECT_FALSE(fs::exists(root / "new.txt"));
  EXPECT_FALSE(MakeSkillEditorTools(skills, {root / "missing"}).ok());
}

// A path written through a symlinked parent names a root once resolved: the roots are
// canonical, the paths in prompts may not be. Resolving never leads outside a root.
TEST(RoleToolsTest, AbsolutePathsThroughASymlinkedParentReachTheirRoot) {
  testing::TempDir tmp;
  fs::path root = fs::canonical(tmp.path());
  WriteText(root / "real" / "run" / "trajectory.json", "{}\n");
  WriteText(root / "real" / "secret.txt", "OUTSIDE-SECRET\n");
  fs::create_symlink(root / "real", root / "alias");
  auto reader = MakeReadOnlyFileTools({root / "real" / "run"});
  ASSERT_TRUE(reader.ok());
  auto read = reader->Find("read_file")
                  ->Invoke({{"path", (root / "alias" / "run" / "trajectory.json").string()}});
  EXPECT_FALSE(read.is_error) << read.content;
  EXPECT_EQ(read.content, "{}\n");
  auto outside =
      reader->Find("read_file")->Invoke({{"path", (root / "alias" / "secret.txt").string()}});
  EXPECT_TRUE(outside.is_error);
  EXPECT_EQ(outside.content.find("OUTSIDE-SECRET"), std::string::npos) << outside.content;
}

}  // namespace
}  // namespace sg::tools
