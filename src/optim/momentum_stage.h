// MOMENTUM (DESIGN 2.2, 2.3): the momentum agent folds the batch's diagnoses into the
// pattern record M_t and writes the overlay O_t, through the submit_momentum tool. The
// code takes the submission item by item (momentum_rounds.h): what validates is kept, the
// rest goes back to the agent up to two times, and what is still rejected is dropped and
// recorded in momentum_dropped.json. The bootstrap (t == 1, after the patch) shows the agent
// the patched skill; from t == 2 on the stage runs before the patch and shows S_t.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "optim/iteration_context.h"
#include "optim/momentum.h"
#include "optim/momentum_rounds.h"
#include "optim/momentum_validate.h"
#include "run/role_runner.h"

namespace sg::optim {

struct MomentumStageInput {
  // Outputs go to its iter_dir; the agent reads skill_dir (bootstrap: iter_dir/patched_skills).
  const IterationContext* iteration = nullptr;
  std::map<std::string, Signal> outcomes;  // failure / success per batch task
  MomentumRecord previous;                 // M_{t-1} (empty at t == 1)
  std::string diagnoses;                   // the batch's diagnoses, markdown
  bool bootstrap = false;                  // t == 1: after the patch, from an empty record
  std::string patch_summary;               // bootstrap only: what the patch changed
};

struct MomentumStageResult {
  MomentumRecord record;  // M_t (M_{t-1} when no submission could be read)
  Overlay overlay;
  // The record is the agent's, whole or in part (some submission was read).
  bool accepted = false;
  std::vector<RejectedItem> dropped;    // not accepted after the last round
  std::vector<std::string> violations;  // one line per dropped item, or why nothing was read
};

// Runs the stage, or reads its outputs back when iter_dir already holds them.
Result<MomentumStageResult> RunMomentumStage(const run::RoleEnv& env,
                                             const MomentumStageInput& input);

// Reads a finished stage's outputs from iter_dir; nullopt when the stage has not run.
std::optional<MomentumStageResult> LoadMomentumStage(const std::filesystem::path& iter_dir);

}  // namespace sg::optim
