#include "optim/task_runner.h"

#include "core/file_util.h"
#include "core/log.h"
#include "sandbox/process_sandbox.h"
#include "skill/skill_package.h"
#include "tools/answer_tool.h"
#include "tools/file_tools.h"
#include "tools/path_policy.h"
#include "tools/python_tool.h"
#include "tools/shell_tool.h"
#include "tools/skill_tools.h"

namespace sg::optim {
namespace fs = std::filesystem;

namespace {

Json VerdictJson(const bench::Verdict& verdict) {
  return Json{{"pass", verdict.pass},
              {"score", verdict.score},
              {"details", verdict.details},
              {"comparison", verdict.comparison}};
}

// Builds the executor's tools over a sandbox rooted at the workspace.
Result<tools::ToolSet> MakeExecutorTools(const ExecutorEnv& env, const fs::path& workspace,
                                         const fs::path& skills_dir,
                                         std::vector<skill::SkillPackage> skills,
                                         bool offers_submit_answer, Json* sandbox_report) {
  sandbox::SandboxConfig config;
  config.workspace = workspace;
  config.read_only_paths = {fs::canonical(skills_dir)};
  config.limits = env.settings.sandbox_limits;
  config.backend = env.settings.sandbox_backend;
  config.allow_unsafe = env.settings.unsafe_sandbox;
  SG_ASSIGN_OR_RETURN(std::unique_ptr<sandbox::ProcessSandbox> created,
                      sandbox::ProcessSandbox::Create(config));
  *sandbox_report = created->capabilities().ToJson();
  std::shared_ptr<sandbox::Sandbox> box = std::move(created);

  SG_ASSIGN_OR_RETURN(tools::PathPolicy policy,
                      tools::PathPolicy::Create({{workspace, /*writable=*/true}}));
  tools::ToolSet set;
  tools::AddSkillTools(set, std::move(skills));
  tools::AddFileTools(set, std::make_shared<const tools::PathPolicy>(std::move(policy)));
  tools::PythonToolOptions python;
  python.call_timeout = env.settings.tool_timeout;
  set.Add(std::make_unique<tools::PythonTool>(box, python));
  tools::ShellToolOptions shell;
  shell.timeout = env.settings.tool_timeout;
  set.Add(std::make_unique<tools::ShellTool>(box, shell));
  if (offers_submit_answer) set.Add(tools::MakeSubmitAnswerTool());
  return set;
}

}  // namespace

std::optional<TaskAssessment> LoadAssessment(const fs::path& task_dir) {
  auto json = ReadJsonFile(task_dir / "assessment.json");
  if (!json.ok() || !json->is_object()) return std::nullopt;
  TaskAssessment a;
  try {
    a.task_id = json->at("task_id").get<std::string>();
    a.pass = json->at("pass").get<bool>();
    a.score = json->at("score").get<double>();
    a.graded = json->value("graded", true);
    a.stop_reason = json->value("stop_reason", "");
    a.error = json->value("error", "");
  } catch (const Json::exception&) {
    return std::nullopt;
  }
  a.json = std::move(json).value();
  return a;
}

Result<TaskAssessment> RunTask(const ExecutorEnv& env, const bench::Task& task,
                               const fs::path& skills_dir, const fs::path& task_dir,
                               const llm::CallContext& context) {
  if (auto done = LoadAssessment(task_dir)) return *done;

  // A half-finished folder from an interrupted run is redone from scratch.
  std::error_code ec;
  fs::remove_all(task_dir, ec);
  const fs::path workspace = task_dir / "workspace";
  SG_RETURN_IF_ERROR(MakeDirs(workspace));
  SG_ASSIGN_OR_RETURN(bench::TaskPrompt task_prompt,
                      env.benchmark->PrepareWorkspace(task, workspace));
  SG_ASSIGN_OR_RETURN(std::vector<skill::SkillPackage> skills, skill::LoadSkillsDir(skills_dir));
  const std::string skills_list = tools::RenderSkillsList(skills);

  Json sandbox_report;
  SG_ASSIGN_OR_RETURN(
      tools::ToolSet tool_set,
      MakeExecutorTools(env, fs::canonical(workspace), skills_dir, std::move(skills),
                        task_prompt.offers_submit_answer, &sandbox_report));

  const PromptValues values = {
      {"domain", env.benchmark->domain()},
      {"skills_list", skills_list},
      {"task_prompt", task_prompt.text},
      {"task_id", task.id},
      {"max_turns", std::to_string(env.settings.max_turns)},
  };
  SG_ASSIGN_OR_RETURN(std::string system_prompt, env.prompts->Render("executor", values));
  SG_ASSIGN_OR_RETURN(std::string user_message, env.prompts->Render("executor_task", values));

  agent::AgentRunSpec spec;
  spec.system_prompt = std::move(system_prompt);
  spec.user_message = std::move(user_message);
  spec.model = env.settings.model;
  spec.sampling = env.settings.sampling;
  spec.limits = env.settings.limits;
  spec.limits.max_turns = env.settings.max_turns;
  spec.context = context;
  spec.context.task_id = task.id;
  spec.trajectory_path = task_dir / "trajectory.json";
  spec.trajectory_header = {{"benchmark", env.benchmark->name()},
                            {"sandbox", sandbox_report},
                            {"output_dir", "workspace"}};
  agent::AgentRunner runner(*env.client, *env.clock, env.redactor);
  agent::AgentRunResult run = runner.Run(spec, tool_set);
  // The tools go first, their sandbox with them: nothing of agent code is left running, and
  // a workspace held in a tmpfs (sandbox/workspace_volume.h) is on disk before it is graded
  // and before assessment.json says the task is done.
  tool_set = tools::ToolSet();

  TaskAssessment assessment;
  assessment.task_id = task.id;
  assessment.stop_reason = agent::StopReasonName(run.stop_reason);
  Json verdict_json = nullptr;
  if (run.stop_reason == agent::StopReason::kProviderError ||
      run.stop_reason == agent::StopReason::kRecordError) {
    // The model never finished: the task is not graded, so that a resumed run retries it
    // instead of counting a provider outage as the skill's failure.
    return run.error ? *run.error : Error(ErrorCode::kProvider, "the executor's provider failed");
  }
  Result<bench::Verdict> verdict = env.benchmark->Grade(task, workspace, run.terminal_payload);
  if (verdict.ok()) {
    assessment.graded = true;
    assessment.pass = verdict->pass;
    assessment.score = verdict->score;
    verdict_json = VerdictJson(*verdict);
  } else {
    assessment.error = verdict.error().message;
    log::Warn(fmt::format("task {}: grader error: {}", task.id, assessment.error));
  }
  assessment.json = Json{{"task_id", task.id},
                         {"pass", assessment.pass},
                         {"score", assessment.score},
                         {"graded", assessment.graded},
                         {"verdict", verdict_json},
                         {"error", assessment.error},
                         {"stop_reason", assessment.stop_reason},
                         {"turns", run.turns},
                         {"tool_calls", run.tool_calls},
                         {"usage", llm::ToJson(run.usage)},
                         {"cost_usd", run.cost_usd},
                         {"cost_complete", run.cost_complete},
                         {"submitted", run.terminal_payload},
                         {"model", env.settings.model},
                         {"instruction_type", task.instruction_type}};
  SG_RETURN_IF_ERROR(WriteJsonFile(task_dir / "assessment.json", assessment.json));
  return assessment;
}

}  // namespace sg::optim
