// eval (DESIGN 2.4): a skill on the test split. Per task a soft score (fraction of test
// cases passed) and a hard score (all passed); eval/summary.json with both accuracies, per
// task and per instruction type, cost and time.
#pragma once

#include <filesystem>
#include <string>

#include "run/engine.h"
#include "run/options.h"
#include "run/run_layout.h"

namespace sg::run {

struct EvalResult {
  std::filesystem::path summary_path;
  int tasks = 0;
  double hard_accuracy = 0;
  double soft_accuracy = 0;
  Json summary;
};

// Evaluates `skills_dir` on the test split, writing under `eval_dir` (runs/<id>/eval).
// `ledger_path` is read back for the cost of the stage.
Result<EvalResult> RunEval(Engine& engine, const CommonOptions& options,
                           const std::filesystem::path& skills_dir,
                           const std::filesystem::path& eval_dir,
                           const std::filesystem::path& ledger_path);

// When the run also holds the seed skill's eval (eval_seed/summary.json) on the same tasks, adds
// `versus_seed` to the final eval's summary: compare.h's paired comparison, final minus seed,
// and rewrites summary.json. Different task sets or graders are logged and skipped, not errors.
Status AddSeedComparison(const RunLayout& run, EvalResult& result);

}  // namespace sg::run
