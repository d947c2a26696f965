// Runs a list of stages over one iteration (optim/iteration_stage.h). For each stage that
// applies: a stage whose files say it is done is read back; otherwise the budget is checked,
// the stage runs, its wall time is added to iter_<t>/timings.json and the state is
// checkpointed (state.json names the stage). A stopped or failed iteration resumes at its first
// unfinished stage.
#pragma once

#include <filesystem>
#include <functional>

#include "core/error.h"
#include "core/json.h"
#include "optim/iteration_stage.h"
#include "optim/train_state.h"

namespace sg::optim {

// Wall seconds per stage in iter_<t>/timings.json, added to on resume.
class StageTimer {
 public:
  explicit StageTimer(std::filesystem::path file);
  Status Add(Stage stage, double seconds);
  const Json& seconds() const { return seconds_; }

 private:
  std::filesystem::path file_;
  Json seconds_ = Json::object();
};

struct Budget {
  double max_cost_usd = 0;            // 0: no limit
  std::function<double()> spent_usd;  // the run's spend so far
};

enum class IterationEnd { kFinished, kBudgetExhausted };

class StageDriver {
 public:
  // `state_file` is where the state is checkpointed (train/state.json).
  StageDriver(std::filesystem::path state_file, Budget budget);

  // Runs `stages` over `work` (whose state must be set). kBudgetExhausted leaves the state
  // saved with that status and a stop reason saying how to continue: the spend had reached
  // the cap before a stage, or the hard cap (llm/spend_cap.h) refused a call inside one (an
  // error of code kBudget; that stage stays unfinished).
  Result<IterationEnd> Run(const StageList& stages, IterationWork& work);

  // True (and the state saved as budget-exhausted) when the spend reached the cap.
  bool OverBudget(TrainState& state);
  // Saves the state as budget-exhausted with `reason`.
  void StopForBudget(TrainState& state, const std::string& reason);

 private:
  Status Checkpoint(TrainState& state, int iteration, Stage stage);

  std::filesystem::path state_file_;
  Budget budget_;
};

}  // namespace sg::optim
