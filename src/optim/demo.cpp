#include "optim/demo.h"

#include <chrono>

#include "core/log.h"
#include "llm/cost_ledger.h"
#include "optim/eval.h"
#include "optim/results_root.h"
#include "optim/run_layout.h"

namespace sg::optim {
namespace fs = std::filesystem;

namespace {

Result<DemoResult> DemoSteps(const DemoOptions& options, const llm::ProviderConfig& provider) {
  const auto start = std::chrono::steady_clock::now();
  TrainOptions train;
  train.benchmark = "wtq";
  train.data_dir = options.demo_dir / "benchmark";
  train.skills_dir = options.demo_dir / "skills" / "table-qa";
  train.results_root = options.results_root;
  train.models = {kDemoModel, kDemoModel, kDemoModel, kDemoModel};
  train.method = "demo";
  train.concurrency = options.concurrency;
  train.batch_size = 2;
  train.n_train = 40;
  train.max_turns = 12;
  train.collect_max_turns = 12;
  train.resume = options.resume;

  LlmSettings llm;
  llm.provider = provider;
  llm.llm_concurrency = 8;
  llm.cache_path = ResultsLayout(options.results_root).CacheFile();
  // An illustrative price, so that the ledger, the budget and the report have figures to
  // show; the demo says where it comes from.
  llm.prices_file = options.demo_dir / "prices.json";

  DemoResult result;
  SG_ASSIGN_OR_RETURN(result.train, RunTrain(train, llm));
  if (result.train.state.status != RunStatus::kCompleted) {
    return Error(ErrorCode::kInternal,
                 "the demo's training stopped early: " + result.train.state.stop_reason);
  }
  result.run_dir = result.train.run_dir;
  RunLayout run(result.run_dir);

  // Test accuracy before (the seed skill) and after (the final skill), in the same run so
  // that the report finds both (eval_seed/ and eval/).
  SG_ASSIGN_OR_RETURN(std::unique_ptr<Engine> engine, Engine::Open(train, llm));
  SG_RETURN_IF_ERROR(engine->StartClient(run.Ledger()));
  SG_ASSIGN_OR_RETURN(EvalResult before, RunEval(*engine, train, train.skills_dir,
                                                 result.run_dir / "eval_seed", run.Ledger()));
  SG_ASSIGN_OR_RETURN(EvalResult after,
                      RunEval(*engine, train, run.FinalSkillsDir(), run.EvalDir(), run.Ledger()));
  result.seed_hard_accuracy = before.hard_accuracy;
  result.seed_soft_accuracy = before.soft_accuracy;
  result.final_hard_accuracy = after.hard_accuracy;
  result.final_soft_accuracy = after.soft_accuracy;
  result.test_tasks = after.tasks;
  SG_ASSIGN_OR_RETURN(llm::LedgerSummary ledger, llm::SummarizeLedger(run.Ledger()));
  result.cost_usd = ledger.total.cost_usd;
  result.llm_calls = ledger.total.calls;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace

Result<DemoResult> RunDemo(const DemoOptions& options, const llm::ProviderConfig& provider) {
  Result<DemoResult> result = DemoSteps(options, provider);
  if (!result.ok()) {
    return WithDiskAdvice(result.error(), options.results_root,
                          "rerun skillgrad demo with --resume");
  }
  return result;
}

}  // namespace sg::optim
