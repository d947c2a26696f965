// MOMENTUM (DESIGN 2.2, 2.3): the momentum agent folds the batch's diagnoses into the
// pattern record M_t and writes the overlay O_t, through the submit_momentum tool. The
// code validates the submission; violations go back to the agent once, and what still
// fails is recorded (the previous record is then kept, so a bad reply cannot corrupt the
// optimizer state).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "optim/iteration_context.h"
#include "optim/momentum.h"
#include "optim/momentum_validate.h"
#include "run/role_runner.h"

namespace sg::optim {

struct MomentumStageInput {
  const IterationContext* iteration = nullptr;  // outputs go to its iter_dir; reads skill_dir
  std::map<std::string, Signal> outcomes;       // failure / success per batch task
  MomentumRecord previous;                      // M_{t-1} (empty at t == 1)
  std::string diagnoses;                        // the batch's diagnoses, markdown
  bool bootstrap = false;                       // t == 1: after the patch, from an empty record
  std::string patch_summary;                    // bootstrap only: what the patch changed
};

struct MomentumStageResult {
  MomentumRecord record;  // M_t (M_{t-1} when the submission was rejected)
  Overlay overlay;
  bool accepted = false;
  std::vector<std::string> violations;  // what still failed after the second try
};

// Runs the stage, or reads its outputs back when iter_dir already holds them.
Result<MomentumStageResult> RunMomentumStage(const run::RoleEnv& env,
                                             const MomentumStageInput& input);

// Reads a finished stage's outputs from iter_dir; nullopt when the stage has not run.
std::optional<MomentumStageResult> LoadMomentumStage(const std::filesystem::path& iter_dir);

}  // namespace sg::optim
