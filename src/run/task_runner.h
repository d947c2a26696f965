// Runs one executor agent on one benchmark task and grades what it left behind. This is
// the unit every stage that executes tasks is made of: base collection, training
// batches, validation and evaluation (and `skillgrad exec`).
//
// Layout of a task folder:
//   <task_dir>/workspace/        the executor's working directory (inputs and outputs)
//   <task_dir>/trajectory.json   the executor's run
//   <task_dir>/assessment.json   the grade; written last, so its presence means "done"
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "agent/agent_loop.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/redact.h"
#include "llm/chat_client.h"
#include "run/prompt_library.h"
#include "sandbox/capabilities.h"
#include "sandbox/limits.h"
#include "tasks/benchmark.h"

namespace sg::run {

struct ExecutorSettings {
  std::string model;
  int max_turns = 30;
  llm::SamplingOptions sampling;
  agent::AgentLimits limits;  // max_turns here is overwritten by `max_turns`
  sandbox::Limits sandbox_limits;
  sandbox::Backend sandbox_backend = sandbox::Backend::kAuto;
  bool unsafe_sandbox = false;  // --unsafe-sandbox: SandboxConfig::allow_unsafe
  std::chrono::milliseconds tool_timeout{120'000};
  // --executor-tools: tools beyond the method's set (tools::ExecutorOptionalTools()).
  std::vector<std::string> optional_tools;
  // --task-hints: the task message also carries the benchmark's hints (TaskPrompt::hints)
  // and the turn budget. Off: the method's message only.
  bool task_hints = false;
};

// What the stages share to run executors.
struct ExecutorEnv {
  llm::ChatClient* client = nullptr;
  Clock* clock = nullptr;
  const SecretRedactor* redactor = nullptr;
  const tasks::Benchmark* benchmark = nullptr;
  const PromptLibrary* prompts = nullptr;
  ExecutorSettings settings;
};

struct TaskAssessment {
  std::string task_id;
  bool pass = false;
  double score = 0;
  bool graded = false;      // false when the grader could not run (see error)
  std::string stop_reason;  // the executor's
  std::string error;        // a provider or grader error, empty when none
  Json json;                // the whole assessment.json
};

// Reads <task_dir>/assessment.json when a previous run finished this task.
std::optional<TaskAssessment> LoadAssessment(const std::filesystem::path& task_dir);

// Runs the executor with the skills in `skills_dir` (a folder of skill folders, or one
// skill folder) on `task`, in a fresh <task_dir>/workspace, then grades. A finished
// task_dir (assessment.json present) is returned as it is, without any call.
Result<TaskAssessment> RunTask(const ExecutorEnv& env, const tasks::Task& task,
                               const std::filesystem::path& skills_dir,
                               const std::filesystem::path& task_dir,
                               const llm::CallContext& context);

}  // namespace sg::run
