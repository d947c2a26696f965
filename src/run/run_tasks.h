// Runs the executor on a list of tasks in parallel (up to --concurrency) and collects the
// assessments in the list's order. Finished task folders are reused (resume); a task whose
// provider failed makes the whole call fail after the others finish, so that a resumed
// run retries exactly the unfinished ones.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "run/task_runner.h"

namespace sg::run {

struct TaskBatchResult {
  std::vector<TaskAssessment> assessments;  // in the order of the ids given
  double hard_accuracy = 0;                 // mean of pass
  double soft_accuracy = 0;                 // mean of score
};

// Each task runs in <parent_dir>/<task id>. `stage`, `iteration` and `rollout` (0: the
// first; llm::CallContext::rollout) go to the ledger.
Result<TaskBatchResult> RunTasks(const ExecutorEnv& env, const std::vector<std::string>& task_ids,
                                 const std::filesystem::path& skills_dir,
                                 const std::filesystem::path& parent_dir, int concurrency,
                                 const std::string& stage, int iteration, int rollout = 0);

// The assessments with their mean pass (hard) and mean score (soft).
TaskBatchResult BatchResultOf(std::vector<TaskAssessment> assessments);

// The batch as RunTasks returned it, read back from <parent_dir>/<task id>/assessment.json;
// nullopt while any task of the list has not finished.
std::optional<TaskBatchResult> LoadFinishedTasks(const std::vector<std::string>& task_ids,
                                                 const std::filesystem::path& parent_dir);

// Per task and per instruction type: {"per_task": [...], "per_instruction_type": {...}}.
// The method's metrics: n_total, n_graded (status "graded"), n_pass_graded,
// mean_hard_graded (passes over graded tasks, the paper's headline), mean_hard (passes over
// all tasks, no output and errors counting 0), mean_cell_accuracy (over all tasks) and
// mean_cell_graded; the cell means are null when the grader counts no cells.
Json MethodMetrics(const std::vector<TaskAssessment>& assessments);

Json SummarizeAssessments(
    const std::vector<TaskAssessment>& assessments);  // per_task, per_instruction_type, metrics

}  // namespace sg::run
