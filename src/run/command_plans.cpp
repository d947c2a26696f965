#include "run/command_plans.h"

#include <fmt/format.h>

#include <set>
#include <sstream>
#include <system_error>

#include "agent/agent_loop.h"
#include "core/log.h"
#include "llm/ledger_totals.h"
#include "run/collect.h"
#include "run/eval_rollouts.h"
#include "run/run_layout.h"

namespace sg::run {
namespace fs = std::filesystem;

namespace {

// The executor's tool schemas as sent with every call: about this many bytes of JSON for the
// method's five tools (measured on the reference executor's requests).
constexpr double kToolSchemaBytes = 2500;

double PromptFileBytes(const RunInputs& inputs, const std::string& name) {
  auto text = inputs.prompts().Text(name);
  return text.ok() ? static_cast<double>(text->size()) : 0;
}

double FileBytes(const fs::path& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  return ec ? 0 : static_cast<double>(size);
}

}  // namespace

Result<RunProfile> ProfileFor(const std::vector<fs::path>& ledgers,
                              const std::vector<std::string>& roles, const std::string& model,
                              int max_turns, double prompt_bytes) {
  SG_ASSIGN_OR_RETURN(std::optional<RunProfile> measured, MeasureProfile(ledgers, roles, model));
  if (measured) return std::move(*measured);
  const agent::AgentLimits limits;
  BoundInputs bound;
  bound.max_turns = max_turns;
  bound.prompt_bytes = prompt_bytes;
  bound.tool_output_cap_bytes = static_cast<double>(limits.tool_output_cap_bytes);
  bound.context_window_tokens = static_cast<double>(limits.context_window_tokens);
  return BoundedProfile(bound);
}

double ExecutorPromptBytes(const RunInputs& inputs) {
  double instruction = 0;
  const auto& tasks = inputs.benchmark().tasks();
  for (const auto& task : tasks) instruction += static_cast<double>(task.instruction.size());
  if (!tasks.empty()) instruction /= static_cast<double>(tasks.size());
  double skills = 0;
  for (const auto& seed : inputs.seeds()) skills += FileBytes(seed.root / "SKILL.md");
  return PromptFileBytes(inputs, "executor") + PromptFileBytes(inputs, "executor_task") +
         instruction + skills + kToolSchemaBytes;
}

double RolePromptBytes(const RunInputs& inputs, const std::vector<std::string>& names) {
  double bytes = kToolSchemaBytes;
  for (const auto& name : names) bytes += PromptFileBytes(inputs, name);
  for (const auto& seed : inputs.seeds()) {
    bytes += FileBytes(seed.root / "SKILL.md");
    for (const auto& resource : seed.resources) bytes += FileBytes(seed.root / resource);
  }
  return bytes;
}

double LedgerSpend(const fs::path& ledger) {
  // 0 when it does not exist or cannot be read: the engine reports a damaged ledger when it
  // opens it.
  auto summary = llm::SummarizeLedger(ledger);
  return summary.ok() ? summary->total.cost_usd : 0;
}

int UnfinishedTasks(const std::vector<std::string>& ids, const fs::path& parent) {
  int n = 0;
  for (const auto& id : ids) n += LoadAssessment(parent / id) ? 0 : 1;
  return n;
}

Result<std::vector<std::string>> EvalTaskIds(const tasks::Split& split,
                                             const CommonOptions& options) {
  if (!options.n_test_given) return split.test_ids;
  if (static_cast<size_t>(options.n_test) > split.test_pool_ids.size()) {
    return InvalidArgument(
        fmt::format("--n-test {} asks for more tasks than the test pool of {} "
                    "holds",
                    options.n_test, split.test_pool_ids.size()));
  }
  return std::vector<std::string>(split.test_pool_ids.begin(),
                                  split.test_pool_ids.begin() + options.n_test);
}

Result<CostPlan> PlanCollect(const RunInputs& inputs, const CommonOptions& options,
                             const tasks::Split& split) {
  const fs::path base_dir = BaseTrajectoriesDir(options);
  CostPlan plan;
  plan.command = "collect";
  plan.target = base_dir.string();
  std::set<std::string> again(options.collect_ids.begin(), options.collect_ids.end());
  double runs = 0;
  for (const auto& id : split.evolution_ids) {
    runs += again.count(id) > 0 || !LoadAssessment(base_dir / id) ? 1 : 0;
  }
  const std::string& model = options.models.executor;
  SG_ASSIGN_OR_RETURN(RunProfile profile,
                      ProfileFor({BaseLedgerIn(base_dir)}, {"executor"}, model,
                                 options.collect_max_turns, ExecutorPromptBytes(inputs)));
  plan.Add("collect", "executor", model, runs, runs, profile, *inputs.prices());
  plan.spent_usd = LedgerSpend(BaseLedgerIn(base_dir));
  if (runs < static_cast<double>(split.evolution_ids.size())) {
    plan.notes.push_back(fmt::format(
        "{} of {} evolution tasks are collected already and cost "
        "nothing again",
        split.evolution_ids.size() - static_cast<size_t>(runs), split.evolution_ids.size()));
  }
  return plan;
}

Result<CostPlan> PlanEval(const RunInputs& inputs, const CommonOptions& options,
                          const tasks::Split& split, const fs::path& eval_dir,
                          const fs::path& ledger) {
  SG_ASSIGN_OR_RETURN(std::vector<std::string> ids, EvalTaskIds(split, options));
  CostPlan plan;
  plan.command = "eval";
  plan.target = eval_dir.string();
  double runs = 0;
  for (int r = 0; r < options.rollouts; ++r) runs += UnfinishedTasks(ids, RolloutDir(eval_dir, r));
  const std::string& model = options.models.executor;
  SG_ASSIGN_OR_RETURN(RunProfile profile,
                      ProfileFor({ledger, BaseLedgerIn(BaseTrajectoriesDir(options))}, {"executor"},
                                 model, options.max_turns, ExecutorPromptBytes(inputs)));
  plan.Add("eval", "executor", model, runs, runs, profile, *inputs.prices());
  plan.spent_usd = LedgerSpend(ledger);
  const double all = static_cast<double>(ids.size()) * options.rollouts;
  if (runs < all) {
    plan.notes.push_back(
        fmt::format("{:.0f} of {:.0f} task rollouts are finished already", all - runs, all));
  }
  return plan;
}

void LogPlan(const CostPlan& plan) {
  std::istringstream lines(plan.ToText());
  for (std::string line; std::getline(lines, line);) log::Info(line);
}

}  // namespace sg::run
