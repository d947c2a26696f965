// `skillgrad plan COMMAND [the command's flags]`: the cost plan of collect, eval or train,
// printed without running anything (run/cost_plan.h, docs/statistics.md).
#include <iostream>

#include "cli/command.h"
#include "cli/plannable.h"
#include "core/json.h"

namespace sg::cli {

void AddPlanFlags(CLI::App* cmd, bool* json) {
  cmd->add_flag("--json", *json, "Print the plan as JSON");
}

void PrintPlan(const Result<run::CostPlan>& plan, bool json, run::CostPlan* plan_out) {
  if (!plan.ok()) Fail(plan.error());
  if (plan_out != nullptr) {
    *plan_out = *plan;
  } else if (json) {
    std::cout << DumpJson(plan->ToJson()) << "\n";
  } else {
    std::cout << plan->ToText();
  }
  ExitWith(0);
}

void RegisterPlan(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "plan",
      "Print the cost plan of collect, eval or train (with that command's flags) "
      "without calling a model");
  cmd->require_subcommand(1);
  AddCollectCommand(*cmd, CommandMode::kPlanOnly);
  AddEvalCommand(*cmd, CommandMode::kPlanOnly);
  AddTrainCommand(*cmd, CommandMode::kPlanOnly);
}

}  // namespace sg::cli
