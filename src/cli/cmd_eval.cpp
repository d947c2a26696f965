// `skillgrad eval`: a skill (a run's final skill, or any --skills-dir) on the test split.
#include <fmt/format.h>

#include <iostream>

#include "cli/command.h"
#include "cli/plannable.h"
#include "cli/run_flags.h"
#include "run/commands.h"

namespace sg::cli {
namespace {

// "accuracy: 0.600 over 5 tasks x 3 rollouts, 95% interval [0.333, 0.867] (bootstrap over
// tasks)", from summary.json's "accuracy".
std::string AccuracyLine(const Json& summary) {
  const Json& a = summary.value("accuracy", Json::object());
  if (!a.contains("accuracy") || !a.contains("interval")) return "";
  return fmt::format(
      "accuracy: {:.3f} over {} tasks x {} rollouts, 95% interval [{:.3f}, {:.3f}] "
      "({})\n",
      a["accuracy"].get<double>(), a["tasks"].get<int64_t>(), a["rollouts"].get<int>(),
      a["interval"][0].get<double>(), a["interval"][1].get<double>(),
      a["interval_method"].get<std::string>());
}

}  // namespace

void AddEvalCommand(CLI::App& app, CommandMode mode, run::CostPlan* plan_out) {
  auto* cmd = app.add_subcommand("eval", "Evaluate a skill on the test split");
  auto options = std::make_shared<run::CommonOptions>();
  auto llm = std::make_shared<run::LlmSettings>();
  auto flags = std::make_shared<RunFlags>();
  auto run_id = std::make_shared<std::string>();
  AddRunFlags(cmd, *options, *llm, *flags);
  cmd->add_option("--run", *run_id,
                  "Evaluate this run's final skill (runs/<run>/train/final_skill) and write "
                  "runs/<run>/eval; without it, --skills-dir is evaluated as its own run");
  cmd->add_option("--rollouts", options->rollouts,
                  "Run each test task this many times: per task a pass rate, and the accuracy "
                  "over tasks and rollouts with a bootstrap interval (docs/statistics.md)")
      ->default_val(1);
  auto json = std::make_shared<bool>(false);
  if (mode == CommandMode::kPlanOnly) AddPlanFlags(cmd, json.get());
  cmd->callback([=] {
    Status finished = FinishRunFlags(cmd, *options, *llm, *flags);
    if (!finished.ok()) Fail(finished.error());
    if (mode == CommandMode::kPlanOnly) {
      PrintPlan(run::EvalPlanCommand(*options, *llm, *run_id), *json, plan_out);
    }
    run::CommandPhase phase;
    auto result = run::EvalCommand(*options, *llm, *run_id, &phase);
    if (!result.ok()) Fail(result.error(), ExitCodeOf(phase, result.error()));
    std::cout << fmt::format("hard accuracy: {:.3f}\nsoft accuracy: {:.3f}\ntasks: {}\n",
                             result->hard_accuracy, result->soft_accuracy, result->tasks)
              << AccuracyLine(result->summary) << "summary: " << result->summary_path.string()
              << "\n";
    ExitWith(0);
  });
}

void RegisterEval(CLI::App& app) { AddEvalCommand(app, CommandMode::kRun); }

}  // namespace sg::cli
