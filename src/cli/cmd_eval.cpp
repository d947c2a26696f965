// `skillgrad eval`: a skill (a run's final skill, or any --skills-dir) on the test split.
#include <fmt/format.h>

#include <iostream>

#include "cli/command.h"
#include "cli/run_flags.h"
#include "run/commands.h"

namespace sg::cli {

void RegisterEval(CLI::App& app) {
  auto* cmd = app.add_subcommand("eval", "Evaluate a skill on the test split");
  auto options = std::make_shared<run::CommonOptions>();
  auto llm = std::make_shared<run::LlmSettings>();
  auto flags = std::make_shared<RunFlags>();
  auto run_id = std::make_shared<std::string>();
  AddRunFlags(cmd, *options, *llm, *flags);
  cmd->add_option("--run", *run_id,
                  "Evaluate this run's final skill (runs/<run>/train/final_skill) and write "
                  "runs/<run>/eval; without it, --skills-dir is evaluated as its own run");
  cmd->callback([=] {
    Status finished = FinishRunFlags(cmd, *options, *llm, *flags);
    if (!finished.ok()) Fail(finished.error());
    run::CommandPhase phase;
    auto result = run::EvalCommand(*options, *llm, *run_id, &phase);
    if (!result.ok()) Fail(result.error(), ExitCodeOf(phase, result.error()));
    std::cout << fmt::format("hard accuracy: {:.3f}\nsoft accuracy: {:.3f}\ntasks: {}\n",
                             result->hard_accuracy, result->soft_accuracy, result->tasks)
              << "summary: " << result->summary_path.string() << "\n";
    ExitWith(0);
  });
}

}  // namespace sg::cli
