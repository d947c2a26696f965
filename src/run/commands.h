// The library entry points of collect, eval and exec (train's is optim::RunTrain): each
// checks its inputs, opens the run context on the command's ledger and runs, with every path
// from the results layout. The command line only parses flags and prints the result; the
// demo and the tests call these directly.
#pragma once

#include <filesystem>
#include <string>

#include "core/error.h"
#include "run/collect.h"
#include "run/cost_plan.h"
#include "run/engine.h"
#include "run/eval.h"
#include "run/options.h"
#include "run/task_runner.h"

namespace sg::run {

// How far a command got before an error: while its inputs were checked (a usage error: the
// command line exits 2) or once it had started writing under the results root (exit 1).
enum class CommandPhase { kCheckingInputs, kWriting };

// collect: the seed skill on the evolution pool; the ledger is the base run's. Like eval, it
// first logs its cost plan (run/command_plans.h) and refuses a --max-cost-usd below the plan's
// low figure unless --force.
Result<CollectResult> CollectCommand(CommonOptions& options, const LlmSettings& llm,
                                     CommandPhase* phase);
// The plan collect would print, from the same inputs; nothing is written or called.
Result<CostPlan> CollectPlanCommand(CommonOptions& options, const LlmSettings& llm);

// eval: with `run_id`, that run's final skill (unless --skills-dir names another) into
// runs/<run>/eval; without it, --skills-dir as a run of its own (eval_<model>[_tag]).
Result<EvalResult> EvalCommand(CommonOptions& options, const LlmSettings& llm,
                               const std::string& run_id, CommandPhase* phase);
Result<CostPlan> EvalPlanCommand(CommonOptions& options, const LlmSettings& llm,
                                 const std::string& run_id);

struct ExecResult {
  std::filesystem::path task_dir;  // trajectory.json, workspace/, assessment.json
  TaskAssessment assessment;
};

// exec: one executor on one task, in `out_dir` (default <results-root>/exec/<model>/<task>),
// which is replaced; a non-empty folder that holds no earlier task run is refused.
Result<ExecResult> ExecCommand(CommonOptions& options, const LlmSettings& llm,
                               const std::string& task_id, const std::filesystem::path& out_dir,
                               CommandPhase* phase);

}  // namespace sg::run
