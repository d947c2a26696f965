// The options of train: the shared options plus the schedule and acceptance flags, with the
// reference implementation's flag names and defaults (DESIGN 2.4).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/json.h"
#include "run/options.h"

namespace sg::optim {

enum class AcceptMode { kAlways, kValidate };
// --accept-rule, how VALIDATE decides (docs/statistics.md): kPoint keeps S_{t+1} when its
// validation accuracy is not below S_t's (the method's rule); kNotWorse keeps it unless the
// paired test says it is worse at --alpha; kBetter keeps it only when the test says better.
enum class AcceptRule { kPoint, kNotWorse, kBetter };
const char* AcceptRuleName(AcceptRule rule);                  // "point", "not-worse", "better"
Result<AcceptRule> ParseAcceptRule(const std::string& name);  // the error names --accept-rule
enum class BatchSchedule { kEpoch, kFixedUpdates };

struct TrainOptions {
  run::CommonOptions common;                             // the flags collect, train and eval share
  int64_t training_seed = 0;                             // --training-seed
  int n_train = 40;                                      // --n-train
  int batch_size = 4;                                    // --batch-size
  BatchSchedule batch_schedule = BatchSchedule::kEpoch;  // --batch-schedule
  int n_iterations = 0;  // --n-iterations: fixed-updates (and a cap for epoch; 0 = none)
  // --batch-seed: the generator of fixed-updates' epoch reshuffles (default: training seed)
  std::optional<int64_t> batch_seed;
  AcceptMode accept = AcceptMode::kAlways;      // --accept
  AcceptRule accept_rule = AcceptRule::kPoint;  // --accept-rule
  double alpha = 0.05;                          // --alpha: the paired test's level
  int val_rollouts = 1;                         // --val-rollouts: runs of each validation task
  int early_stop_after = 4;                     // all-correct batches in a row that end training
  // --projection on|off: after a patch, send the lint findings the patch introduced back to
  // the patcher for one repair round (off: the authors' loop, which has no such round).
  bool projection = true;
  // --ablate momentum,contrastive: the paper's ablations. momentum: no MOMENTUM stage, the
  // patcher gets the diagnoses only; contrastive: tasks that passed get no diagnosis.
  bool ablate_momentum = false;
  bool ablate_contrastive = false;
  bool resume = false;  // --resume
  // What an error or a stop tells the user to run to continue (the demo says its own).
  std::string resume_hint = "rerun the same skillgrad train command with --resume";

  // The train flags of their own; `common` is checked by run::RunInputs::Open. Errors name
  // the flag.
  Status ValidateTrainFlags() const;
  Json ToJson() const;
};

// The value of --projection: "on" is true, "off" false; anything else is an error naming the
// flag and its two values.
Result<bool> ParseProjection(std::string_view value);

// Sets the ablations of `--ablate LIST` (comma-separated: momentum, contrastive; "" or none:
// the full method) and, when no --config-tag was given, tags the run "ablate-<names>" so that
// an ablated run never resumes or overwrites the full method's. Errors name the flag.
Status SetAblations(TrainOptions& options, std::string_view list);

}  // namespace sg::optim
