// `skillgrad collect`: the seed skill on the evolution pool (base trajectories).
#include <iostream>

#include "cli/command.h"
#include "cli/run_flags.h"
#include "run/collect.h"
#include "run/results_root.h"
#include "run/run_layout.h"

namespace sg::cli {

void RegisterCollect(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "collect", "Run the seed skill on the evolution pool and record the failure pool");
  auto options = std::make_shared<run::CommonOptions>();
  auto llm = std::make_shared<run::LlmSettings>();
  auto flags = std::make_shared<RunFlags>();
  AddRunFlags(cmd, *options, *llm, *flags);
  cmd->callback([=] {
    Status finished = FinishRunFlags(cmd, *options, *llm, *flags);
    if (!finished.ok()) Fail(finished.error());
    const std::string rerun = "rerun the same skillgrad collect command";
    Status writable = run::CheckResultsRootWritable(options->results_root, rerun);
    if (!writable.ok()) Fail(writable.error(), 1);
    auto engine = run::Engine::Open(*options, *llm);
    if (!engine.ok()) Fail(engine.error());
    auto split = run::LoadOrMakeSplit((*engine)->benchmark(), *options);
    if (!split.ok()) Fail(split.error());
    run::ResultsLayout layout(options->results_root);
    auto base_dir =
        layout.BaseDir(options->master_seed, options->heldout_seed, options->models.executor);
    Status started = (*engine)->StartClient(base_dir / "ledger.jsonl");
    if (!started.ok()) Fail(started.error());
    auto result = run::RunCollect(**engine, *options, *split);
    if (!result.ok()) Fail(run::WithDiskAdvice(result.error(), options->results_root, rerun), 1);
    std::cout << "base trajectories: " << result->base_dir.string() << "\n"
              << fmt::format("seed skill hard accuracy on the evolution pool: {:.3f}\n",
                             result->hard_accuracy)
              << "failure pool: " << result->failure_pool.size() << " of "
              << result->evolution_ids.size() << " tasks\n";
    ExitWith(0);
  });
}

}  // namespace sg::cli
