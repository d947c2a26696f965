// One stage of a training iteration (DESIGN 2.3) and what the stages of one iteration hand
// each other. A strategy is a list of stages (optim/skillgrad_stages.h builds the method's);
// the driver (optim/stage_driver.h) runs the list, and owns timing, checkpoints, the budget
// check and resume, so that a stage only computes its result and keeps it in files.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/json.h"
#include "optim/iteration_context.h"
#include "optim/momentum.h"
#include "optim/momentum_stage.h"
#include "optim/patch_stage.h"
#include "optim/train_state.h"
#include "run/run_tasks.h"

namespace sg::optim {

// VALIDATE's decision, kept in iter_<t>/validation.json.
struct ValidationOutcome {
  double before_hard = 0;  // S_t on the validation split (measured now or carried from state)
  double after_hard = 0;   // S_{t+1}
  double after_soft = 0;
  bool kept = false;       // by the rule: S_{t+1} is kept, else rolled back
  std::string before_dir;  // the folder of S_t's validation task results (carried or measured)
  std::string after_dir;   // S_{t+1}'s
  Json test;               // the rule, alpha, rollouts and the paired comparison (null: point)

  Json ToJson() const;
  static Result<ValidationOutcome> FromJson(const Json& json, const std::string& source);
};

// The results of the stages so far, in stage order. A stage fills its own field, either by
// running or by reading its files back; later stages read the fields of earlier ones.
struct IterationWork {
  IterationContext context;
  TrainState* state = nullptr;  // the run's state; RECORD advances it to the next iteration

  std::optional<run::TaskBatchResult> executed;  // EXECUTE
  std::map<std::string, Signal> outcomes;        // CLASSIFY, with EXECUTE
  bool all_correct = false;                      // every batch task passed
  // EXECUTE: this all-correct batch makes the streak reach --early-stop, so the run stops
  // here, before DIAGNOSE and PATCH (the authors' rule); RECORD then records no patch.
  bool early_stop = false;
  std::optional<std::string> diagnoses;         // DIAGNOSE: the batch's, markdown
  MomentumRecord previous;                      // M_{t-1}, read before the first stage
  std::optional<MomentumStageResult> momentum;  // MOMENTUM
  std::optional<PatchStageResult> patch;        // PATCH
  std::optional<ValidationOutcome> validation;  // VALIDATE (--accept validate)
  bool stop = false;                            // RECORD: early stop after this iteration
};

class IterationStage {
 public:
  virtual ~IterationStage() = default;

  // The stage's name in state.json, timings.json and logs.
  virtual Stage id() const = 0;
  // Whether the stage takes part in this iteration (MOMENTUM runs before the patch from
  // t = 2 on and after it at t = 1).
  virtual bool AppliesTo(const IterationWork& work) const { return true; }
  // The "already done?" check: when the stage's output files are all there, reads its result
  // back into `work` and returns true; otherwise leaves `work` as it is and returns false.
  virtual Result<bool> Reload(IterationWork& work) = 0;
  // Computes the result, writes the output files (the last one marks the stage as done) and
  // fills `work`.
  virtual Status Run(IterationWork& work) = 0;
};

using StageList = std::vector<std::unique_ptr<IterationStage>>;

}  // namespace sg::optim
