// DIAGNOSE (DESIGN 2.2): one diagnosis per task of the batch, the per-task textual
// gradient. A failed task gets a failure diagnosis; a task that now passes gets a
// contrastive one, which also reads the base run's failed attempt.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "optim/iteration_context.h"
#include "run/role_runner.h"
#include "tasks/benchmark.h"

namespace sg::optim {

struct DiagnosisInput {
  const IterationContext* iteration = nullptr;
  const tasks::Task* task = nullptr;
  bool contrastive = false;  // passed now, failed in the base run
};

// One task's diagnosis and what batch_diagnoses.md heads it with.
struct Diagnosis {
  std::string task_id;
  bool contrastive = false;
  // diagnosis.md: the <diagnosis> block's content (the whole final message when it has no
  // block), or, when the diagnoser stopped without one, a record of that error.
  std::string text;
  bool errored = false;
  std::optional<double> accuracy;     // the graded run's cell accuracy, when it counts cells
  std::vector<std::string> evidence;  // "trace: <path>" and the like, one per line
};

// Reads iter_<t>/<task> (trajectory, assessment, workspace), the skills S_t and, for a
// contrastive diagnosis, the base run's folder for the same task. Writes
// <task_dir>/diagnosis.md (and diagnosis_trajectory.json). An existing diagnosis.md is
// taken without a call. A diagnoser that stops without a diagnosis (turn cap, empty reply,
// any stop but a provider or record failure) is recorded in diagnosis.md and returned with
// `errored`; the Error results are a folder that cannot be resolved, a prompt that cannot be
// rendered and a provider or record failure (the resumable stop).
Result<Diagnosis> DiagnoseTask(const run::RoleEnv& env, const DiagnosisInput& input);

// The content of the first <diagnosis>...</diagnosis> block, trimmed; the whole message,
// trimmed, when there is no complete block.
std::string ExtractDiagnosis(std::string_view message);

// The batch's diagnoses as one markdown document: failures first, then contrastive ones,
// each group in batch order, each section headed "## Task <id> (failed, accuracy x%)" or
// "## Task <id> (previously failed, now succeeds)" and ending with its evidence paths.
std::string JoinDiagnoses(const std::vector<Diagnosis>& diagnoses);

}  // namespace sg::optim
