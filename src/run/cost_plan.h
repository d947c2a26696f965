// The cost plan of a command (docs/statistics.md, "The cost plan"): before collect, eval or
// train calls a model it prints how many agent runs, calls, tokens and dollars each stage and
// role may take, as a low and a high figure, and a cap (--max-cost-usd) below the low figure is
// refused unless --force. `skillgrad plan COMMAND ...` prints the same plan and stops.
//
// One agent run's usage comes from a RunProfile: measured, from the ledger rows of earlier
// runs of the same role and model (the base collection's, the run's own), or else bounded by
// the role's turn cap and its prompt size. For n runs of a measured profile the figures are
// n x mean -/+ 1.96 sqrt(n) x sd (the normal range of a sum of n runs like those seen),
// clamped to [n x min, n x max]; for a bounded profile they are n x the one-run low and high.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/json.h"
#include "llm/price_table.h"

namespace sg::run {

// Tokens and calls of one agent run or a sum of them. `input` counts every prompt token,
// `cached` those of them read from the provider's prompt cache.
struct PlanUsage {
  double calls = 0;
  double input = 0;
  double cached = 0;
  double output = 0;
};

struct RunProfile {
  bool measured = false;
  int runs_seen = 0;  // measured: the agent runs the figures come from
  // Measured: mean, sample sd, min and max over the runs seen. Bounded: `min` is the low run
  // (one call with the prompt and an empty reply), `max` the high run (every turn used).
  PlanUsage mean, sd, min, max;
  std::string basis;  // one phrase for the plan: where the figures come from
};

// The low and high usage of `runs` agent runs of `profile` (the rule at the top).
PlanUsage LowUsage(const RunProfile& profile, double runs);
PlanUsage HighUsage(const RunProfile& profile, double runs);

// The measured profile of the agent runs of any of `roles` on `model` in the ledgers (a run is
// the rows of one role, task, iteration, rollout and stage; rows with an error are left out);
// nullopt when no ledger holds such a run. A missing ledger holds none.
Result<std::optional<RunProfile>> MeasureProfile(const std::vector<std::filesystem::path>& ledgers,
                                                 const std::vector<std::string>& roles,
                                                 const std::string& model);

// What bounds a run that has not been measured.
struct BoundInputs {
  int max_turns = 30;
  double prompt_bytes = 0;               // system prompt, first message, tool schemas, skill text
  double tool_output_cap_bytes = 20000;  // each tool result (agent::AgentLimits)
  double context_window_tokens = 128000;
  double max_output_tokens = 4096;  // per call: the reply cap the agents send, else this
};
// Low: one call whose input is the prompt at 4 bytes a token, no output. High: max_turns
// calls, call k's input the prompt at 3 bytes a token plus (k - 1) turns of growth (a tool
// result at 3 bytes a token and a full reply), never above the context window; every reply
// max_output_tokens long.
RunProfile BoundedProfile(const BoundInputs& in);

struct PlanRow {
  std::string stage;  // collect, execute, diagnose, momentum, patch, validate, eval
  std::string role;
  std::string model;
  double runs_low = 0;
  double runs_high = 0;
  PlanUsage low, high;
  std::optional<double> usd_low, usd_high;  // nullopt: no price for the model
  std::string basis;
};

struct CostPlan {
  std::string command;  // "collect", "eval", "train"
  std::string target;   // the run or collection the plan is for
  std::vector<PlanRow> rows;
  std::vector<std::string> notes;
  // What the command's ledger holds already (a resumed run's earlier sessions): the cap
  // counts it too.
  double spent_usd = 0;

  // Adds `runs_low`..`runs_high` runs of `profile`, priced with `prices`.
  void Add(const std::string& stage, const std::string& role, const std::string& model,
           double runs_low, double runs_high, const RunProfile& profile,
           const llm::PriceTable& prices);
  // Sums over the rows; nullopt when a row's price is unknown.
  std::optional<double> LowUsd() const { return SumUsd(&PlanRow::usd_low); }
  std::optional<double> HighUsd() const { return SumUsd(&PlanRow::usd_high); }
  PlanUsage LowTotal() const { return SumUsage(&PlanRow::low); }
  PlanUsage HighTotal() const { return SumUsage(&PlanRow::high); }

  Json ToJson() const;
  std::string ToText() const;

 private:
  std::optional<double> SumUsd(std::optional<double> PlanRow::*usd) const;
  PlanUsage SumUsage(PlanUsage PlanRow::*usage) const;
};

// A cap below what the ledger holds plus the plan's low figure is an error naming
// --max-cost-usd and --force, unless `force`; no cap (0), a plan whose cost is unknown and a
// ledger that has reached the cap already (the command then stops at once with status
// budget_exhausted) pass.
Status CheckCapAgainstPlan(const CostPlan& plan, double max_cost_usd, bool force);

}  // namespace sg::run
