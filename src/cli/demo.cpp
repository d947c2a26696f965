#include "cli/demo.h"

#include <chrono>

#include "core/log.h"
#include "llm/cost_totals.h"
#include "llm/ledger_totals.h"
#include "run/eval.h"
#include "run/results_root.h"
#include "run/run_layout.h"
#include "run/run_manifest.h"

namespace sg::cli {
namespace fs = std::filesystem;

namespace {

Result<DemoResult> DemoSteps(const DemoOptions& options, const llm::ProviderConfig& provider) {
  const auto start = std::chrono::steady_clock::now();
  optim::TrainOptions train;
  train.common.benchmark = "wtq";
  train.common.data_dir = options.demo_dir / "benchmark";
  train.common.skills_dir = options.demo_dir / "skills" / "table-qa";
  train.common.results_root = options.results_root;
  train.common.models = {kDemoModel, kDemoModel, kDemoModel, kDemoModel};
  train.common.method = "demo";
  train.resume_hint = "rerun skillgrad demo with --resume";
  train.common.concurrency = options.concurrency;
  train.batch_size = 2;
  train.n_train = 40;
  train.common.max_turns = 12;
  train.common.collect_max_turns = 12;
  train.resume = options.resume;

  run::LlmSettings llm;
  llm.provider = provider;
  llm.llm_concurrency = 8;
  llm.cache_path = run::ResultsLayout(options.results_root).CacheFile();
  // An illustrative price, so that the ledger, the budget and the report have figures to
  // show; the demo says where it comes from.
  llm.prices_file = options.demo_dir / "prices.json";

  DemoResult result;
  SG_ASSIGN_OR_RETURN(result.train, optim::RunTrain(train, llm));
  if (result.train.state.status != optim::RunStatus::kCompleted) {
    return Error(ErrorCode::kInternal,
                 "the demo's training stopped early: " + result.train.state.stop_reason);
  }
  result.run_dir = result.train.run_dir;
  run::RunLayout run(result.run_dir);

  // Test accuracy before (the seed skill) and after (the final skill), in the same run so
  // that the report finds both (eval_seed/ and eval/); three rollouts of each test task give
  // the accuracy its bootstrap interval and the comparison its paired permutation test.
  result.rollouts = 3;
  train.common.rollouts = result.rollouts;
  SG_ASSIGN_OR_RETURN(run::RunInputs inputs, run::RunInputs::Open(train.common, llm));
  SG_ASSIGN_OR_RETURN(std::unique_ptr<run::Engine> engine,
                      run::Engine::Start(std::move(inputs), run.Ledger()));
  SG_ASSIGN_OR_RETURN(run::EvalResult before,
                      run::RunEval(*engine, train.common, train.common.skills_dir,
                                   run.SeedEvalDir(), run.Ledger()));
  SG_ASSIGN_OR_RETURN(
      run::EvalResult after,
      run::RunEval(*engine, train.common, run.FinalSkillsDir(), run.EvalDir(), run.Ledger()));
  SG_RETURN_IF_ERROR(run::AddSeedComparison(run, after));
  const run::ResultsLayout layout(options.results_root);
  SG_RETURN_IF_ERROR(run::RecordRunMetrics(layout, result.train.run_id, "train",
                                           run::EvalMetrics(before.summary, "seed_")));
  SG_RETURN_IF_ERROR(
      run::RecordRunMetrics(layout, result.train.run_id, "train", run::EvalMetrics(after.summary)));
  result.seed_hard_accuracy = before.hard_accuracy;
  result.seed_soft_accuracy = before.soft_accuracy;
  result.final_hard_accuracy = after.hard_accuracy;
  result.final_soft_accuracy = after.soft_accuracy;
  result.test_tasks = after.tasks;
  result.seed_accuracy = before.summary.value("accuracy", Json());
  result.final_accuracy = after.summary.value("accuracy", Json());
  result.versus_seed = after.summary.value("versus_seed", Json());
  // The engine read the training's rows when it opened the ledger and added the evals' since.
  const llm::LedgerTotals spent = engine->costs().Total();
  result.cost_usd = spent.cost_usd;
  result.llm_calls = spent.calls;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace

Result<DemoResult> RunDemo(const DemoOptions& options, const llm::ProviderConfig& provider) {
  Result<DemoResult> result = DemoSteps(options, provider);
  if (!result.ok()) {
    return run::WithDiskAdvice(result.error(), options.results_root,
                               "rerun skillgrad demo with --resume");
  }
  return result;
}

}  // namespace sg::cli
