#include "optim/train_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <optional>

#include "optim/train_state.h"
#include "run/collect.h"
#include "run/command_plans.h"
#include "run/role_runner.h"

namespace sg::optim {
namespace fs = std::filesystem;

namespace {

// The agent runs the remaining iterations may take, each as a low and a high count.
struct IterationRuns {
  double executors_low = 0, executors_high = 0;
  double diagnosers_high = 0;
  double momentum_high = 0;
  double patchers_high = 0;
  double validators_high = 0;
};

// Iterations [first, last] of `schedule` (1-based). The low figure ends training at the
// earliest early stop (every batch all correct from here on), when --early-stop is on; each
// later stage may be skipped (an all-correct batch is neither diagnosed nor patched), so their
// low is 0.
IterationRuns RunsOf(const TrainOptions& options, const TrainingSchedule& schedule, int first,
                     int last, int streak, size_t val_tasks) {
  IterationRuns runs;
  const int remaining = std::max(0, last - first + 1);
  const int early = options.early_stop_after > 0
                        ? std::min(remaining, std::max(1, options.early_stop_after - streak))
                        : remaining;
  for (int t = first; t <= last; ++t) {
    const double batch = static_cast<double>(schedule.batches[static_cast<size_t>(t - 1)].size());
    if (t - first < early) runs.executors_low += batch;
    runs.executors_high += batch;
    runs.diagnosers_high += batch;
    runs.momentum_high += options.ablate_momentum ? 0 : 1;
    runs.patchers_high += options.projection ? 2 : 1;
    if (options.accept == AcceptMode::kValidate) {
      runs.validators_high += 2.0 * static_cast<double>(val_tasks) * options.val_rollouts;
    }
  }
  return runs;
}

Status AddIterations(const run::RunInputs& inputs, const TrainOptions& options,
                     const std::vector<fs::path>& ledgers, const IterationRuns& runs,
                     bool pool_known, run::CostPlan& plan) {
  const run::RoleModels& m = options.common.models;
  const run::RoleEnv roles;  // the roles' turn caps
  const llm::PriceTable& prices = *inputs.prices();
  SG_ASSIGN_OR_RETURN(run::RunProfile executor,
                      run::ProfileFor(ledgers, {"executor"}, m.executor, options.common.max_turns,
                                      run::ExecutorPromptBytes(inputs)));
  SG_ASSIGN_OR_RETURN(run::RunProfile diagnoser,
                      run::ProfileFor(ledgers, {"failure_diagnoser", "contrastive_diagnoser"},
                                      m.diagnoser, roles.diagnoser_max_turns,
                                      run::RolePromptBytes(inputs, {"failure_diagnoser",
                                                                    "failure_diagnoser_task"})));
  SG_ASSIGN_OR_RETURN(run::RunProfile momentum,
                      run::ProfileFor(ledgers, {"momentum"}, m.momentum, roles.momentum_max_turns,
                                      run::RolePromptBytes(inputs, {"momentum", "momentum_task"})));
  SG_ASSIGN_OR_RETURN(run::RunProfile patcher,
                      run::ProfileFor(ledgers, {"patcher"}, m.patcher, roles.patcher_max_turns,
                                      run::RolePromptBytes(inputs, {"patcher", "patcher_task"})));
  const double low = pool_known ? runs.executors_low : 0;
  plan.Add("execute", "executor", m.executor, low, runs.executors_high, executor, prices);
  plan.Add("diagnose", "diagnoser", m.diagnoser, 0, runs.diagnosers_high, diagnoser, prices);
  if (runs.momentum_high > 0) {
    plan.Add("momentum", "momentum", m.momentum, 0, runs.momentum_high, momentum, prices);
  }
  plan.Add("patch", "patcher", m.patcher, 0, runs.patchers_high, patcher, prices);
  if (runs.validators_high > 0) {
    plan.Add("validate", "executor", m.executor, 0, runs.validators_high, executor, prices);
  }
  return Ok();
}

}  // namespace

Result<TrainingSchedule> ScheduleOf(const TrainOptions& options,
                                    const std::vector<std::string>& failure_pool) {
  TrainingOptions t;
  t.training_seed = options.training_seed;
  t.n_train = static_cast<size_t>(options.n_train);
  t.batch_size = static_cast<size_t>(options.batch_size);
  t.schedule = options.batch_schedule == BatchSchedule::kEpoch ? ScheduleKind::kOneEpoch
                                                               : ScheduleKind::kFixedUpdates;
  if (options.n_iterations > 0) t.iterations = static_cast<size_t>(options.n_iterations);
  t.batch_seed = options.batch_seed;
  if (failure_pool.empty()) {
    // The seed passed every evolution task: nothing to train on.
    TrainingSchedule none;
    none.training_seed = t.training_seed;
    none.schedule = t.schedule;
    none.batch_size = t.batch_size;
    return none;
  }
  return MakeTrainingSchedule(failure_pool, t);
}

int IterationsTotal(const TrainOptions& options, const TrainingSchedule& schedule) {
  int total = static_cast<int>(schedule.batches.size());
  if (options.batch_schedule == BatchSchedule::kEpoch && options.n_iterations > 0) {
    total = std::min(total, options.n_iterations);
  }
  return total;
}

Result<run::CostPlan> PlanTrain(const run::RunInputs& inputs, const TrainOptions& options,
                                const tasks::Split& split, const run::RunLayout& run,
                                const std::string& run_id) {
  run::CostPlan plan;
  plan.command = "train";
  plan.target = run_id;
  plan.spent_usd = run::LedgerSpend(run.Ledger());
  const fs::path base_dir = run::BaseTrajectoriesDir(options.common);
  SG_ASSIGN_OR_RETURN(std::optional<run::CollectResult> base,
                      run::LoadCollectResult(base_dir, options.common.skills_dir));
  if (!base) {
    SG_ASSIGN_OR_RETURN(run::CostPlan collect, run::PlanCollect(inputs, options.common, split));
    plan.rows = collect.rows;  // train's collect spends into the run's own ledger
    plan.notes.push_back(
        "the base collection is missing: train collects first; the high figure takes every "
        "evolution task as a failure, the low one a seed that fails none");
  }
  const std::vector<std::string>& pool = base ? base->failure_pool : split.evolution_ids;
  Result<TrainingSchedule> schedule = ScheduleOf(options, pool);
  if (!schedule.ok()) {
    if (base) return schedule.error();
    plan.notes.push_back("no schedule for an all-failing pool: " + schedule.error().message);
    return plan;
  }
  int first = 1, streak = 0, last = IterationsTotal(options, *schedule);
  if (fs::exists(run.TrainState())) {
    SG_ASSIGN_OR_RETURN(TrainState state, LoadTrainState(run.TrainState()));
    if (state.status == RunStatus::kCompleted) {
      plan.notes.push_back("the run is complete: nothing is left to spend");
      return plan;
    }
    first = state.iteration;
    last = state.iterations_total;
    streak = state.all_correct_streak;
    if (first > 1) {
      plan.notes.push_back(
          fmt::format("iterations {}-{} of {} are left (the unfinished one in "
                      "full: its finished stages are reused free)",
                      first, last, last));
    }
  }
  // A resume whose flags give other batches than the run's is refused after the plan; the
  // plan reads only the batches there are.
  last = std::min(last, static_cast<int>(schedule->batches.size()));
  if (first > last) return plan;
  const IterationRuns runs = RunsOf(options, *schedule, first, last, streak, split.val_ids.size());
  SG_RETURN_IF_ERROR(AddIterations(inputs, options, {run.Ledger(), run::BaseLedgerIn(base_dir)},
                                   runs, base.has_value(), plan));
  return plan;
}

}  // namespace sg::optim
