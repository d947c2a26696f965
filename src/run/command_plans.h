// The cost plans of collect and eval (run/cost_plan.h), and the pieces train's plan shares
// (optim/train_plan.h): each role's run profile and the prompt sizes that bound it. A plan
// reads the inputs, the split and earlier ledgers; it makes no call and writes nothing.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"
#include "run/cost_plan.h"
#include "run/options.h"
#include "run/run_inputs.h"
#include "tasks/split.h"

namespace sg::run {

// The profile of `roles` on `model`: measured from `ledgers` when they hold such runs, else
// bounded by `max_turns` and `prompt_bytes` (BoundedProfile with the agents' limits).
Result<RunProfile> ProfileFor(const std::vector<std::filesystem::path>& ledgers,
                              const std::vector<std::string>& roles, const std::string& model,
                              int max_turns, double prompt_bytes);

// The bytes an executor's first call sends before any turn: its prompts, the mean task
// instruction, the seed skills' SKILL.md files and the tool schemas.
double ExecutorPromptBytes(const RunInputs& inputs);
// A role's first call: the prompt files `names` ("patcher", "patcher_task") and the seed
// skills' files (SKILL.md and resources), which the optimizer's agents read.
double RolePromptBytes(const RunInputs& inputs, const std::vector<std::string>& names);

// How many of `ids` have no finished folder (assessment.json) under `parent` yet.
int UnfinishedTasks(const std::vector<std::string>& ids, const std::filesystem::path& parent);

// The tasks eval runs: the split's test tasks, or the first --n-test of its test pool.
Result<std::vector<std::string>> EvalTaskIds(const tasks::Split& split,
                                             const CommonOptions& options);

// collect: the evolution tasks not yet collected (and --ids again), at --collect-max-turns.
Result<CostPlan> PlanCollect(const RunInputs& inputs, const CommonOptions& options,
                             const tasks::Split& split);

// eval into `eval_dir` (its ledger `ledger`): --rollouts runs of each test task not finished
// yet, at --max-turns.
Result<CostPlan> PlanEval(const RunInputs& inputs, const CommonOptions& options,
                          const tasks::Split& split, const std::filesystem::path& eval_dir,
                          const std::filesystem::path& ledger);

// The dollars a ledger records so far; 0 without one.
double LedgerSpend(const std::filesystem::path& ledger);

// Logs the plan's lines (stderr and the run's log).
void LogPlan(const CostPlan& plan);

}  // namespace sg::run
