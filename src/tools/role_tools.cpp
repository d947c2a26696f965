#include "tools/role_tools.h"

#include <algorithm>

#include "core/file_util.h"
#include "sandbox/process_sandbox.h"
#include "tools/answer_tool.h"
#include "tools/file_tools.h"
#include "tools/skill_tools.h"

namespace sg::tools {
namespace fs = std::filesystem;

const std::vector<std::string>& ExecutorOptionalTools() {
  static const std::vector<std::string> names = {"python", "grep", "list_files"};
  return names;
}

Result<ExecutorTools> MakeExecutorTools(ExecutorSetup setup) {
  const auto& known = ExecutorOptionalTools();
  for (const std::string& name : setup.optional_tools) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      return InvalidArgument("--executor-tools: unknown tool '" + name +
                             "'; the optional executor tools are python, grep and list_files");
    }
  }
  auto wants = [&](const char* name) {
    return std::find(setup.optional_tools.begin(), setup.optional_tools.end(), name) !=
           setup.optional_tools.end();
  };
  sandbox::SandboxConfig config;
  SG_ASSIGN_OR_RETURN(config.workspace, CanonicalPath(setup.workspace, "the task workspace"));
  if (!setup.skills_dir.empty()) {
    SG_ASSIGN_OR_RETURN(fs::path skills_dir, CanonicalPath(setup.skills_dir, "the skills folder"));
    config.read_only_paths.push_back(std::move(skills_dir));
  }
  config.limits = setup.limits;
  config.backend = setup.backend;
  config.allow_unsafe = setup.allow_unsafe;
  SG_ASSIGN_OR_RETURN(auto process_sandbox, sandbox::ProcessSandbox::Create(std::move(config)));
  ExecutorTools out;
  out.sandbox = std::shared_ptr<sandbox::Sandbox>(std::move(process_sandbox));
  SG_ASSIGN_OR_RETURN(PathPolicy policy,
                      PathPolicy::Create({Root{out.sandbox->config().workspace, true}}));
  out.skills_list = RenderSkillsList(setup.skills);
  if (!setup.skills.empty()) AddSkillTools(out.tools, std::move(setup.skills));
  auto shared_policy = std::make_shared<const PathPolicy>(std::move(policy));
  out.tools.Add(MakeReadFileTool(shared_policy));
  out.tools.Add(MakeWriteFileTool(shared_policy));
  out.tools.Add(std::make_unique<ShellTool>(out.sandbox, setup.shell));
  if (wants("python")) out.tools.Add(std::make_unique<PythonTool>(out.sandbox, setup.python));
  if (wants("grep")) out.tools.Add(MakeGrepTool(shared_policy));
  if (wants("list_files")) out.tools.Add(MakeListFilesTool(shared_policy));
  if (setup.with_submit_answer) out.tools.Add(MakeSubmitAnswerTool());
  return out;
}

Result<ToolSet> MakeReadOnlyFileTools(const std::vector<std::filesystem::path>& roots) {
  std::vector<Root> read_only;
  for (const auto& root : roots) {
    SG_ASSIGN_OR_RETURN(fs::path resolved, CanonicalPath(root, "a folder the agent reads"));
    read_only.push_back(Root{std::move(resolved), false});
  }
  SG_ASSIGN_OR_RETURN(PathPolicy policy, PathPolicy::Create(std::move(read_only)));
  ToolSet tools;
  AddFileTools(tools, std::make_shared<const PathPolicy>(std::move(policy)));
  return tools;
}

Result<ToolSet> MakeSkillEditorTools(const std::filesystem::path& skill_dir,
                                     const std::vector<std::filesystem::path>& evidence) {
  std::vector<Root> roots;
  SG_ASSIGN_OR_RETURN(fs::path resolved, CanonicalPath(skill_dir, "the skill being patched"));
  roots.push_back(Root{std::move(resolved), true});
  for (const auto& folder : evidence) {
    SG_ASSIGN_OR_RETURN(fs::path read_only, CanonicalPath(folder, "an evidence folder"));
    roots.push_back(Root{std::move(read_only), false});
  }
  // An absolute path takes the longest root that holds it, so the skill folder stays
  // writable inside a read-only evidence folder, and the rest of that folder stays read-only.
  SG_ASSIGN_OR_RETURN(PathPolicy policy, PathPolicy::Create(std::move(roots)));
  ToolSet tools;
  AddFileTools(tools, std::make_shared<const PathPolicy>(std::move(policy)));
  return tools;
}

}  // namespace sg::tools
