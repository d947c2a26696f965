// train (DESIGN 2.3): iteration after iteration, EXECUTE -> CLASSIFY -> DIAGNOSE ->
// MOMENTUM (t >= 2) -> PATCH -> MOMENTUM (t == 1) -> VALIDATE (--accept validate) ->
// RECORD, with a checkpoint after every stage. Every stage keeps its outputs in the
// iteration's folder and reads them back when they are there, so --resume redoes only the
// unfinished stage (and the response cache makes its repeated calls free).
#pragma once

#include <filesystem>
#include <string>

#include "optim/train_options.h"
#include "optim/train_state.h"
#include "run/cost_plan.h"
#include "run/engine.h"

namespace sg::optim {

struct TrainResult {
  std::string run_id;
  std::filesystem::path run_dir;
  TrainState state;
  std::filesystem::path final_skills;  // train/final_skill, when completed
  double cost_usd = 0;                 // the run's ledger total
};

// Logs the run's cost plan (optim/train_plan.h) before any call, and refuses a --max-cost-usd
// below its low figure unless --force.
Result<TrainResult> RunTrain(TrainOptions& options, const run::LlmSettings& llm);

// The plan train would print, from the same inputs; nothing is written or called.
Result<run::CostPlan> PlanTrainCommand(TrainOptions& options, const run::LlmSettings& llm);

}  // namespace sg::optim
