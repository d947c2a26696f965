#include "run/task_runner.h"

#include <fmt/format.h>

#include "core/file_util.h"
#include "core/log.h"
#include "run/run_layout.h"
#include "skill/skill_package.h"
#include "tools/role_tools.h"

namespace sg::run {
namespace fs = std::filesystem;

namespace {

Json VerdictJson(const tasks::Verdict& verdict) {
  return Json{{"pass", verdict.pass},
              {"score", verdict.score},
              {"details", verdict.details},
              {"comparison", verdict.comparison}};
}

// The executor's tools (tools/role_tools.h) with this run's sandbox settings.
tools::ExecutorSetup MakeExecutorSetup(const ExecutorEnv& env, const fs::path& workspace,
                                       const fs::path& skills_dir,
                                       std::vector<skill::SkillPackage> skills,
                                       bool offers_submit_answer) {
  tools::ExecutorSetup setup;
  setup.workspace = workspace;
  setup.skills_dir = skills_dir;
  setup.skills = std::move(skills);
  setup.with_submit_answer = offers_submit_answer;
  setup.limits = env.settings.sandbox_limits;
  setup.backend = env.settings.sandbox_backend;
  setup.allow_unsafe = env.settings.unsafe_sandbox;
  setup.python.call_timeout = env.settings.tool_timeout;
  setup.shell.timeout = env.settings.tool_timeout;
  setup.optional_tools = env.settings.optional_tools;
  return setup;
}

// The task message's text: the benchmark's prompt, and with --task-hints its hints and the
// turn budget after it.
std::string TaskMessageText(const ExecutorSettings& settings, const tasks::TaskPrompt& prompt) {
  if (!settings.task_hints) return prompt.text;
  std::string text = prompt.text;
  if (!text.empty() && text.back() != '\n') text += "\n";
  text += "\n## Hints\n" + prompt.hints;
  if (!prompt.hints.empty() && prompt.hints.back() != '\n') text += "\n";
  text += fmt::format(
      "You have at most {} turns. Inspect the inputs before writing, write the result exactly "
      "where and how the task asks, and verify it from disk before you finish.\n",
      settings.max_turns);
  return text;
}

template <typename T>
Json OptionalJson(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
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

Result<TaskAssessment> RunTask(const ExecutorEnv& env, const tasks::Task& task,
                               const fs::path& skills_dir, const fs::path& task_dir,
                               const llm::CallContext& context) {
  if (auto done = LoadAssessment(task_dir)) return *done;

  // A half-finished folder from an interrupted run is redone from scratch.
  std::error_code ec;
  fs::remove_all(task_dir, ec);
  const fs::path workspace = task_dir / "workspace";
  SG_RETURN_IF_ERROR(MakeDirs(workspace));
  SG_ASSIGN_OR_RETURN(tasks::TaskPrompt task_prompt,
                      env.benchmark->PrepareWorkspace(task, workspace));
  SG_ASSIGN_OR_RETURN(std::vector<skill::SkillPackage> skills, skill::LoadSkillsDir(skills_dir));
  SG_ASSIGN_OR_RETURN(
      tools::ExecutorTools executor,
      tools::MakeExecutorTools(MakeExecutorSetup(env, workspace, skills_dir, std::move(skills),
                                                 task_prompt.offers_submit_answer)));
  const std::string skills_list = executor.skills_list;
  const Json sandbox_report = executor.sandbox->capabilities().ToJson();
  tools::ToolSet& tool_set = executor.tools;

  const PromptValues values = {
      {"domain", env.benchmark->domain()},
      {"skills_list", skills_list},
      {"task_prompt", TaskMessageText(env.settings, task_prompt)},
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
  executor = tools::ExecutorTools();

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
  Result<tasks::Verdict> verdict = env.benchmark->Grade(task, workspace, run.terminal_payload);
  if (verdict.ok()) {
    assessment.graded = true;
    assessment.pass = verdict->pass;
    assessment.score = verdict->score;
    verdict_json = VerdictJson(*verdict);
  } else {
    assessment.error = verdict.error().message;
    log::Warn(fmt::format("task {}: grader error: {}", task.id, assessment.error));
  }
  // The method's per-task record: status graded / no_output / error, the hard score and,
  // for graders that count cells, the cell accuracy with its counts.
  const char* status = !verdict.ok() ? "error" : verdict->no_output ? "no_output" : "graded";
  assessment.json =
      Json{{"task_id", task.id},
           {"pass", assessment.pass},
           {"score", assessment.score},
           {"status", status},
           {"hard_score", assessment.pass ? 1.0 : 0.0},
           {"cell_accuracy", verdict.ok() ? OptionalJson(verdict->cell_accuracy) : Json(nullptr)},
           {"match_count", verdict.ok() ? OptionalJson(verdict->match_count) : Json(nullptr)},
           {"total_count", verdict.ok() ? OptionalJson(verdict->total_count) : Json(nullptr)},
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

}  // namespace sg::run
