// The training checkpoint (train/state.json). It is rewritten atomically after every
// stage, so a run killed at any point resumes from the last completed stage: the stage in
// progress is redone, and the response cache makes its already-made LLM calls free.
#pragma once

#include <filesystem>
#include <string>

#include "core/error.h"
#include "core/json.h"

namespace sg::optim {

// The stages of one iteration, in order (DESIGN section 2.3).
enum class Stage { kNone, kExecute, kDiagnose, kMomentum, kPatch, kValidate, kRecord };
const char* StageName(Stage stage);
Result<Stage> ParseStage(std::string_view name);

enum class RunStatus { kRunning, kCompleted, kBudgetExhausted, kFailed };
const char* RunStatusName(RunStatus status);
Result<RunStatus> ParseRunStatus(std::string_view name);

struct TrainState {
  RunStatus status = RunStatus::kRunning;
  int iteration = 1;                     // the iteration in progress (or next to start)
  Stage completed_stage = Stage::kNone;  // last stage of `iteration` that finished
  int all_correct_streak = 0;            // consecutive all-correct batches so far
  int iterations_total = 0;              // planned iterations
  std::string stop_reason;               // why the run ended, when it has
  std::string current_skills;            // S_t: the skills folder the iteration starts from
  double current_val_hard = -1;          // S_t validation hard accuracy; -1 = not measured
  std::string current_val_dir;           // where S_t's validation task results are; "" = none

  Json ToJson() const;
  static Result<TrainState> FromJson(const Json& json, const std::string& source);
};

Result<TrainState> LoadTrainState(const std::filesystem::path& path);
Status SaveTrainState(const std::filesystem::path& path, const TrainState& state);

}  // namespace sg::optim
