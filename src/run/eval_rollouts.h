// Repeated rollouts of an evaluation (--rollouts K, docs/statistics.md): rollout 1 runs in the
// eval folder as a single eval does, rollout r >= 2 in <eval>/rollout_<r>/, each with cache
// keys of its own (llm::CallContext::rollout). The summary's per-task entries then carry the
// task's pass rate over its rollouts, and its "accuracy" the mean over tasks and rollouts with
// a 95% interval.
#pragma once

#include <filesystem>
#include <vector>

#include "core/json.h"
#include "run/compare.h"
#include "run/run_tasks.h"

namespace sg::run {

// The folder of rollout `index` (0-based): the eval folder itself for the first.
std::filesystem::path RolloutDir(const std::filesystem::path& eval_dir, int index);

// `k` rollouts of `task_ids` under `dir` (RolloutDir), one after the other, each in parallel
// over the tasks; finished task folders are reused as RunTasks does.
Result<std::vector<TaskBatchResult>> RunRollouts(const ExecutorEnv& env,
                                                 const std::vector<std::string>& task_ids,
                                                 const std::filesystem::path& skills_dir,
                                                 const std::filesystem::path& dir, int concurrency,
                                                 const std::string& stage, int iteration, int k);
// The same, read back; nullopt while any task of any rollout has not finished.
std::optional<std::vector<TaskBatchResult>> LoadRollouts(const std::vector<std::string>& task_ids,
                                                         const std::filesystem::path& dir, int k);
// The rollouts as one side of a paired comparison (per-task pass rates over the rollouts).
EvalSide SideOfRollouts(const std::vector<std::string>& task_ids,
                        const std::vector<TaskBatchResult>& rollouts, const std::string& name);
// Passes over tasks x rollouts.
double RolloutAccuracy(const std::vector<TaskBatchResult>& rollouts);

// Adds to each entry of `per_task` (SummarizeAssessments of the first rollout, same task
// order as every batch) "rollouts" (K), "passes", "pass_rate", "rollout_passes",
// "mean_score" and "score_sd" (sample standard deviation over the rollouts; 0 for K = 1),
// and returns the rollouts' own figures: {"k", "accuracy" (passes over tasks x rollouts),
// "mean_score", "per_rollout_accuracy", "mean_pass_sd" (the per-task spread: the mean over
// tasks of the standard deviation of pass over rollouts)}. With one batch it adds nothing
// and returns {"k": 1, ...} with the same figures.
Json MergeRollouts(const std::vector<TaskBatchResult>& rollouts, Json& per_task);

// The accuracy over tasks and rollouts of `side` (SideOfRollouts) with its 95% interval, as
// compare reports it: {"accuracy", "interval": [low, high], "interval_method": "wilson" (one
// rollout) or "bootstrap over tasks", "tasks", "rollouts", "resamples", "seed"}.
Json AccuracyWithInterval(const EvalSide& side);

}  // namespace sg::run
