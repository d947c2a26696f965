// The method's iteration as a list of stages (DESIGN 2.3): EXECUTE (with CLASSIFY) ->
// DIAGNOSE -> MOMENTUM (t >= 2) -> PATCH -> MOMENTUM (t == 1, the bootstrap) -> VALIDATE
// (--accept validate) -> RECORD. Another strategy is another list built from the same
// stages or new ones (optim/iteration_stage.h).
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/json.h"
#include "optim/iteration_stage.h"
#include "optim/train_options.h"
#include "run/role_runner.h"
#include "run/task_runner.h"

namespace sg::optim {

// The run's cost so far and this iteration's by stage (llm::LedgerTotals JSON per stage).
struct IterationCosts {
  double run_total = 0;
  Json by_stage = Json::object();
};

// What the stages need from the run around them.
struct StageServices {
  const run::RoleEnv* roles = nullptr;
  const run::ExecutorEnv* executor = nullptr;
  const tasks::Benchmark* benchmark = nullptr;
  int concurrency = 1;
  std::vector<std::string> val_ids;             // the validation split, for VALIDATE
  AcceptRule accept_rule = AcceptRule::kPoint;  // VALIDATE's decision (--accept-rule)
  double alpha = 0.05;                          // --alpha
  int val_rollouts = 1;                         // --val-rollouts
  std::filesystem::path training_results;       // train/training_results.json, written by RECORD
  std::filesystem::path iteration_log;          // train/iteration_log.md, written by RECORD
  int early_stop_after = 4;                     // all-correct batches in a row that end training
  bool projection = true;                       // --projection: PATCH's lint repair round
  bool ablate_momentum = false;     // --ablate momentum: no MOMENTUM stage, M_t stays empty
  bool ablate_contrastive = false;  // --ablate contrastive: DIAGNOSE skips tasks that passed
  std::function<IterationCosts(int iteration)> costs;  // for RECORD's entry
};

std::unique_ptr<IterationStage> MakeExecuteStage(const StageServices& services);
std::unique_ptr<IterationStage> MakeDiagnoseStage(const StageServices& services);
// `bootstrap`: the t == 1 instance, after the patch, from an empty record; otherwise the
// t >= 2 instance, before the patch.
std::unique_ptr<IterationStage> MakeMomentumStage(const StageServices& services, bool bootstrap);
std::unique_ptr<IterationStage> MakePatchStage(const StageServices& services);
std::unique_ptr<IterationStage> MakeValidateStage(const StageServices& services);
std::unique_ptr<IterationStage> MakeRecordStage(const StageServices& services);

// The method's list. `services` must outlive the stages.
StageList SkillGradStages(const StageServices& services, AcceptMode accept);

}  // namespace sg::optim
