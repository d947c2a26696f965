// `skillgrad collect`: the seed skill on the evolution pool (base trajectories).
#include <fmt/format.h>

#include <iostream>

#include "cli/command.h"
#include "cli/plannable.h"
#include "cli/run_flags.h"
#include "run/commands.h"

namespace sg::cli {

void AddCollectCommand(CLI::App& app, CommandMode mode, run::CostPlan* plan_out) {
  auto* cmd = app.add_subcommand(
      "collect", "Run the seed skill on the evolution pool and record the failure pool");
  auto options = std::make_shared<run::CommonOptions>();
  auto llm = std::make_shared<run::LlmSettings>();
  auto flags = std::make_shared<RunFlags>();
  AddRunFlags(cmd, *options, *llm, *flags);
  cmd->add_option("--ids", options->collect_ids,
                  "Evolution-pool tasks to run again (comma-separated); the others are reused")
      ->delimiter(',');
  auto json = std::make_shared<bool>(false);
  if (mode == CommandMode::kPlanOnly) AddPlanFlags(cmd, json.get());
  cmd->callback([=] {
    Status finished = FinishRunFlags(cmd, *options, *llm, *flags);
    if (!finished.ok()) Fail(finished.error());
    if (mode == CommandMode::kPlanOnly)
      PrintPlan(run::CollectPlanCommand(*options, *llm), *json, plan_out);
    run::CommandPhase phase;
    auto result = run::CollectCommand(*options, *llm, &phase);
    if (!result.ok()) Fail(result.error(), ExitCodeOf(phase, result.error()));
    std::cout << "base trajectories: " << result->base_dir.string() << "\n"
              << fmt::format("seed skill hard accuracy on the evolution pool: {:.3f}\n",
                             result->hard_accuracy)
              << "failure pool: " << result->failure_pool.size() << " of "
              << result->evolution_ids.size() << " tasks\n";
    ExitWith(0);
  });
}

void RegisterCollect(CLI::App& app) { AddCollectCommand(app, CommandMode::kRun); }

}  // namespace sg::cli
