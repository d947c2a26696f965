// The cost plan of train (run/cost_plan.h): the collect train starts when the base collection
// is missing, then the iterations not yet done, stage by stage. Without a base collection the
// failure pool is not known: the high figure takes every evolution task as a failure, the low
// one a seed that passes them all (no training at all).
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "optim/train_options.h"
#include "optim/training_set.h"
#include "run/cost_plan.h"
#include "run/run_inputs.h"
#include "run/run_layout.h"
#include "tasks/split.h"

namespace sg::optim {

// The schedule train runs over `failure_pool` with the options' seeds and sizes.
Result<TrainingSchedule> ScheduleOf(const TrainOptions& options,
                                    const std::vector<std::string>& failure_pool);
// The iterations of a new run: the schedule's batches, capped by --n-iterations under epoch.
int IterationsTotal(const TrainOptions& options, const TrainingSchedule& schedule);

Result<run::CostPlan> PlanTrain(const run::RunInputs& inputs, const TrainOptions& options,
                                const tasks::Split& split, const run::RunLayout& run,
                                const std::string& run_id);

}  // namespace sg::optim
