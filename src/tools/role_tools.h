// The tool sets of the four roles (DESIGN 2.2), assembled in one place so that every
// caller confines each role the same way.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "sandbox/sandbox.h"
#include "skill/skill_package.h"
#include "tools/python_tool.h"
#include "tools/shell_tool.h"
#include "tools/tool.h"

namespace sg::tools {

struct ExecutorSetup {
  std::filesystem::path workspace;          // created beforehand; the agent's only writable root
  std::filesystem::path skills_dir;         // the folder the skills were loaded from: read-only
  std::vector<skill::SkillPackage> skills;  // offered through activate_skill / read_reference
  bool with_submit_answer = false;          // table QA ends with submit_answer
  sandbox::Limits limits;
  sandbox::Backend backend = sandbox::Backend::kAuto;
  bool allow_unsafe = false;  // --unsafe-sandbox: SandboxConfig::allow_unsafe
  PythonToolOptions python;
  ShellToolOptions shell;
  // Tools beyond the method's set, from --executor-tools: "python" (the persistent
  // interpreter), "grep", "list_files" (ExecutorOptionalTools()).
  std::vector<std::string> optional_tools;
};

// The names --executor-tools accepts, in the order the tools are added.
const std::vector<std::string>& ExecutorOptionalTools();

struct ExecutorTools {
  ToolSet tools;  // activate_skill, read_reference, read_file, write_file, shell
                  // [, python, grep, list_files][, submit_answer]
  std::shared_ptr<sandbox::Sandbox> sandbox;
  std::string skills_list;  // RenderSkillsList(skills), for the system prompt
};

// The executor's tools over a new sandbox rooted at the workspace: the method's set plus the
// optional tools asked for (an unknown name is an error naming --executor-tools). Errors (a folder
// that cannot be resolved, a host that cannot isolate agent code) are values.
Result<ExecutorTools> MakeExecutorTools(ExecutorSetup setup);

// Read-only file tools over the given folders (the diagnoser: the run's artifacts and
// the skill; momentum: its inputs). The first folder is where relative paths start.
Result<ToolSet> MakeReadOnlyFileTools(const std::vector<std::filesystem::path>& roots);

// The patcher: read and write file tools over one skill folder, where relative paths
// start, plus read-only access to the `evidence` folders (the iteration's traces, outputs
// and diagnoses). The skill folder may lie inside an evidence folder: a path in it is
// writable, every other path of the evidence folders is not, and no path outside them all
// is reachable.
Result<ToolSet> MakeSkillEditorTools(const std::filesystem::path& skill_dir,
                                     const std::vector<std::filesystem::path>& evidence = {});

}  // namespace sg::tools
