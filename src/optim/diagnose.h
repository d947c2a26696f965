// DIAGNOSE (DESIGN 2.2): one diagnosis per task of the batch, the per-task textual
// gradient. A failed task gets a failure diagnosis; a task that now passes gets a
// contrastive one, which also reads the base run's failed attempt.
#pragma once

#include <filesystem>
#include <string>

#include "optim/iteration_context.h"
#include "run/role_runner.h"
#include "tasks/benchmark.h"

namespace sg::optim {

struct DiagnosisInput {
  const IterationContext* iteration = nullptr;
  const tasks::Task* task = nullptr;
  bool contrastive = false;  // passed now, failed in the base run
};

// Reads iter_<t>/<task> (trajectory, assessment, workspace), the skills S_t and, for a
// contrastive diagnosis, the base run's folder for the same task. Writes
// <task_dir>/diagnosis.md (and diagnosis_trajectory.json) and returns the text. An existing
// diagnosis.md is returned without a call. A folder that cannot be resolved is an error.
Result<std::string> DiagnoseTask(const run::RoleEnv& env, const DiagnosisInput& input);

// The batch's diagnoses as one markdown document, in batch order.
std::string JoinDiagnoses(const std::vector<std::pair<std::string, std::string>>& by_task);

}  // namespace sg::optim
