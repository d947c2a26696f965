#include "optim/stage_driver.h"

#include <fmt/format.h>

#include <chrono>
#include <string>
#include <utility>

#include "core/file_util.h"
#include "core/log.h"
#include "core/progress.h"
#include "optim/iteration_layout.h"

namespace sg::optim {
namespace fs = std::filesystem;

StageTimer::StageTimer(fs::path file) : file_(std::move(file)) {
  auto json = ReadJsonFile(file_);
  if (json.ok() && json->is_object()) seconds_ = *json;
}

Status StageTimer::Add(Stage stage, double seconds) {
  const char* name = StageName(stage);
  const Json& known = seconds_[name];
  seconds_[name] = (known.is_number() ? known.get<double>() : 0.0) + seconds;
  return WriteJsonFile(file_, seconds_);
}

StageDriver::StageDriver(fs::path state_file, Budget budget)
    : state_file_(std::move(state_file)), budget_(std::move(budget)) {}

Status StageDriver::Checkpoint(TrainState& state, int iteration, Stage stage) {
  // A stage that moved the run to the next iteration (RECORD) leaves nothing of that
  // iteration completed.
  state.completed_stage = state.iteration == iteration ? stage : Stage::kNone;
  if (budget_.spent_usd) progress::SetCost(budget_.spent_usd());
  return SaveTrainState(state_file_, state);
}

bool StageDriver::OverBudget(TrainState& state) {
  if (budget_.max_cost_usd <= 0 || !budget_.spent_usd) return false;
  const double spent = budget_.spent_usd();
  if (spent < budget_.max_cost_usd) return false;
  StopForBudget(state, fmt::format("--max-cost-usd {:.4f} reached (spent {:.4f}); rerun with "
                                   "--resume and a higher --max-cost-usd to continue",
                                   budget_.max_cost_usd, spent));
  return true;
}

void StageDriver::StopForBudget(TrainState& state, const std::string& reason) {
  state.status = RunStatus::kBudgetExhausted;
  state.stop_reason = reason;
  log::Warn("train: " + state.stop_reason);
  // A full disk may refuse this: the last checkpoint then stands, and resume works from it.
  (void)SaveTrainState(state_file_, state);
}

Result<IterationEnd> StageDriver::Run(const StageList& stages, IterationWork& work) {
  TrainState& state = *work.state;
  const int t = work.context.iteration;
  StageTimer timer(IterationLayout(work.context.iter_dir).Timings());
  for (const auto& stage : stages) {
    if (!stage->AppliesTo(work)) continue;
    SG_ASSIGN_OR_RETURN(bool reloaded, stage->Reload(work));
    if (reloaded) continue;
    // Checked before a stage spends, so that a resumed run over its cap stops without a call.
    if (OverBudget(state)) return IterationEnd::kBudgetExhausted;
    const auto start = std::chrono::steady_clock::now();
    if (Status ran = stage->Run(work); !ran.ok()) {
      if (ran.error().code != ErrorCode::kBudget) return ran.error();
      // The cost cap refused a call: the stage is left unfinished (what it finished is kept
      // in its files), and --resume with a higher cap redoes only the rest.
      StopForBudget(state, ran.error().message);
      return IterationEnd::kBudgetExhausted;
    }
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    SG_RETURN_IF_ERROR(timer.Add(stage->id(), took.count()));
    SG_RETURN_IF_ERROR(Checkpoint(state, t, stage->id()));
  }
  return IterationEnd::kFinished;
}

}  // namespace sg::optim
