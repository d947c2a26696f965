// The offline demo (`skillgrad demo`, `make demo`): collect -> train -> eval of the seed
// and of the final skill, on the small table-QA benchmark bundled under demo/, against a
// provider the caller points at the mock server playing demo/scenario.yaml. The model is
// scripted: the figures show the method's mechanics, not a model's ability.
#pragma once

#include <filesystem>
#include <string>

#include "core/json.h"
#include "llm/provider_config.h"
#include "optim/train.h"

namespace sg::cli {

struct DemoOptions {
  std::filesystem::path demo_dir;      // holds benchmark/, skills/, scenario.yaml
  std::filesystem::path results_root;  // default results/demo
  bool resume = false;
  int concurrency = 2;
};

struct DemoResult {
  optim::TrainResult train;
  double seed_hard_accuracy = 0;   // the seed skill on the test split
  double final_hard_accuracy = 0;  // the trained skill on the test split
  double seed_soft_accuracy = 0;
  double final_soft_accuracy = 0;
  int test_tasks = 0;
  int rollouts = 3;     // runs of each test task, for each skill
  Json seed_accuracy;   // summary.json's "accuracy" (the interval over tasks x rollouts)
  Json final_accuracy;
  Json versus_seed;     // the paired comparison final - seed (run/compare.h), null if none
  double cost_usd = 0;  // as the run's ledger counted it
  int64_t llm_calls = 0;
  double seconds = 0;
  std::filesystem::path run_dir;
};

// The model name the demo's scenario answers to.
inline constexpr const char* kDemoModel = "scripted-demo-model";

Result<DemoResult> RunDemo(const DemoOptions& options, const llm::ProviderConfig& provider);

}  // namespace sg::cli
