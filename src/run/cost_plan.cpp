#include "run/cost_plan.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "core/stats.h"
#include "llm/ledger_reader.h"

namespace sg::run {
namespace fs = std::filesystem;

namespace {

constexpr double kZ95 = 1.959964;

double Clamp(double x, double lo, double hi) { return std::max(lo, std::min(hi, x)); }

// Applies `f` to each field of the usages: f(field of a, field of b, ...).
template <typename F>
PlanUsage Combine(const PlanUsage& a, const PlanUsage& b, const PlanUsage& c, const PlanUsage& d,
                  F f) {
  return PlanUsage{f(a.calls, b.calls, c.calls, d.calls), f(a.input, b.input, c.input, d.input),
                   f(a.cached, b.cached, c.cached, d.cached),
                   f(a.output, b.output, c.output, d.output)};
}

PlanUsage Scale(const PlanUsage& u, double n) {
  return PlanUsage{u.calls * n, u.input * n, u.cached * n, u.output * n};
}

PlanUsage Plus(const PlanUsage& a, const PlanUsage& b) {
  return PlanUsage{a.calls + b.calls, a.input + b.input, a.cached + b.cached, a.output + b.output};
}

std::optional<double> Price(const llm::PriceTable& prices, const std::string& model,
                            const PlanUsage& u) {
  if (!prices.Find(model)) return std::nullopt;
  llm::Usage usage;
  usage.input_tokens = std::llround(u.input);
  usage.cached_input_tokens = std::llround(u.cached);
  usage.output_tokens = std::llround(u.output);
  return prices.Cost(model, usage);
}

// The fields of one run's usage, for the per-field statistics of MeasureProfile.
std::vector<double> Field(const std::vector<PlanUsage>& runs, double PlanUsage::*field) {
  std::vector<double> values;
  values.reserve(runs.size());
  for (const auto& r : runs) values.push_back(r.*field);
  return values;
}

std::string Tokens(double n) {
  if (n >= 1e6) return fmt::format("{:.2f}M", n / 1e6);
  if (n >= 1e4) return fmt::format("{:.0f}k", n / 1e3);
  return fmt::format("{:.0f}", n);
}

std::string Range(double lo, double hi, std::string (*show)(double)) {
  return std::llround(lo) == std::llround(hi) ? show(lo) : show(lo) + "-" + show(hi);
}

std::string Count(double n) { return fmt::format("{:.0f}", n); }

std::string Usd(const std::optional<double>& lo, const std::optional<double>& hi) {
  if (!lo || !hi) return "unknown";
  return fmt::format("${:.4f}-${:.4f}", *lo, *hi);
}

Json UsageJson(const PlanUsage& u) {
  return {{"calls", u.calls},
          {"input_tokens", u.input},
          {"cached_input_tokens", u.cached},
          {"output_tokens", u.output}};
}

Json UsdJson(const std::optional<double>& usd) { return usd ? Json(*usd) : Json(nullptr); }

}  // namespace

PlanUsage LowUsage(const RunProfile& p, double runs) {
  if (runs <= 0) return {};
  if (!p.measured) return Scale(p.min, runs);
  const double spread = kZ95 * std::sqrt(runs);
  return Combine(p.mean, p.sd, p.min, p.max, [&](double mean, double sd, double lo, double hi) {
    return Clamp(runs * mean - spread * sd, runs * lo, runs * hi);
  });
}

PlanUsage HighUsage(const RunProfile& p, double runs) {
  if (runs <= 0) return {};
  if (!p.measured) return Scale(p.max, runs);
  const double spread = kZ95 * std::sqrt(runs);
  return Combine(p.mean, p.sd, p.min, p.max, [&](double mean, double sd, double lo, double hi) {
    return Clamp(runs * mean + spread * sd, runs * lo, runs * hi);
  });
}

Result<std::optional<RunProfile>> MeasureProfile(const std::vector<fs::path>& ledgers,
                                                 const std::vector<std::string>& roles,
                                                 const std::string& model) {
  using RunKey = std::tuple<std::string, std::string, std::string, int64_t, int64_t, std::string>;
  std::map<RunKey, PlanUsage> runs;
  std::vector<std::string> sources;
  for (const auto& path : ledgers) {
    const size_t before = runs.size();
    SG_ASSIGN_OR_RETURN(llm::LedgerReadStats read, llm::ReadLedger(path, [&](const Json& row) {
                          const std::string role = row.value("role", "");
                          if (std::find(roles.begin(), roles.end(), role) == roles.end() ||
                              row.value("model", "") != model || row.contains("error")) {
                            return;
                          }
                          const RunKey key{path.string(),
                                           role,
                                           row.value("task", ""),
                                           row.value("iteration", int64_t{0}),
                                           row.value("rollout", int64_t{0}),
                                           row.value("stage", "")};
                          PlanUsage& u = runs[key];
                          u.calls += 1;
                          u.input += row.value("input_tokens", 0.0);
                          u.cached += row.value("cached_input_tokens", 0.0);
                          u.output += row.value("output_tokens", 0.0);
                        }));
    (void)read;
    if (runs.size() > before) sources.push_back(path.string());
  }
  if (runs.empty()) return std::optional<RunProfile>();
  std::vector<PlanUsage> all;
  all.reserve(runs.size());
  for (const auto& [key, usage] : runs) all.push_back(usage);
  RunProfile p;
  p.measured = true;
  p.runs_seen = static_cast<int>(all.size());
  for (double PlanUsage::*f :
       {&PlanUsage::calls, &PlanUsage::input, &PlanUsage::cached, &PlanUsage::output}) {
    const std::vector<double> v = Field(all, f);
    p.mean.*f = stats::Mean(v);
    p.sd.*f = stats::StdDev(v);
    p.min.*f = *std::min_element(v.begin(), v.end());
    p.max.*f = *std::max_element(v.begin(), v.end());
  }
  p.basis = fmt::format("measured over {} runs in {}", p.runs_seen, fmt::join(sources, ", "));
  return std::optional<RunProfile>(std::move(p));
}

RunProfile BoundedProfile(const BoundInputs& in) {
  RunProfile p;
  p.min = PlanUsage{1, std::ceil(in.prompt_bytes / 4), 0, 0};
  const double prompt_high = std::ceil(in.prompt_bytes / 3);
  const double growth = std::ceil(in.tool_output_cap_bytes / 3) + in.max_output_tokens;
  double input = 0;
  for (int k = 0; k < in.max_turns; ++k) {
    input += std::min(in.context_window_tokens, prompt_high + growth * k);
  }
  p.max =
      PlanUsage{static_cast<double>(in.max_turns), input, 0, in.max_output_tokens * in.max_turns};
  p.mean = p.min;
  p.basis = fmt::format("bounded by {} turns and a {}-byte prompt", in.max_turns,
                        std::llround(in.prompt_bytes));
  return p;
}

void CostPlan::Add(const std::string& stage, const std::string& role, const std::string& model,
                   double runs_low, double runs_high, const RunProfile& profile,
                   const llm::PriceTable& prices) {
  PlanRow row;
  row.stage = stage;
  row.role = role;
  row.model = model;
  row.runs_low = runs_low;
  row.runs_high = runs_high;
  row.low = LowUsage(profile, runs_low);
  row.high = HighUsage(profile, runs_high);
  row.usd_low = Price(prices, model, row.low);
  row.usd_high = Price(prices, model, row.high);
  row.basis = profile.basis;
  rows.push_back(std::move(row));
}

std::optional<double> CostPlan::SumUsd(std::optional<double> PlanRow::*usd) const {
  double sum = 0;
  for (const auto& r : rows) {
    if (!(r.*usd)) return std::nullopt;
    sum += *(r.*usd);
  }
  return sum;
}

PlanUsage CostPlan::SumUsage(PlanUsage PlanRow::*usage) const {
  PlanUsage sum;
  for (const auto& r : rows) sum = Plus(sum, r.*usage);
  return sum;
}

Json CostPlan::ToJson() const {
  Json out_rows = Json::array();
  for (const auto& r : rows) {
    out_rows.push_back({{"stage", r.stage},
                        {"role", r.role},
                        {"model", r.model},
                        {"runs_low", r.runs_low},
                        {"runs_high", r.runs_high},
                        {"low", UsageJson(r.low)},
                        {"high", UsageJson(r.high)},
                        {"usd_low", UsdJson(r.usd_low)},
                        {"usd_high", UsdJson(r.usd_high)},
                        {"basis", r.basis}});
  }
  return {{"command", command},
          {"target", target},
          {"rows", out_rows},
          {"low", UsageJson(LowTotal())},
          {"high", UsageJson(HighTotal())},
          {"usd_low", UsdJson(LowUsd())},
          {"usd_high", UsdJson(HighUsd())},
          {"notes", notes}};
}

std::string CostPlan::ToText() const {
  std::string out = fmt::format("cost plan of {} {}:\n", command, target);
  out += fmt::format("  {:<9} {:<22} {:<18} {:>9} {:>11} {:>15} {:>15}  {}\n", "stage", "role",
                     "model", "runs", "calls", "input tokens", "output tokens", "USD");
  for (const auto& r : rows) {
    out += fmt::format("  {:<9} {:<22} {:<18} {:>9} {:>11} {:>15} {:>15}  {}\n", r.stage, r.role,
                       r.model, Range(r.runs_low, r.runs_high, Count),
                       Range(r.low.calls, r.high.calls, Count),
                       Range(r.low.input, r.high.input, Tokens),
                       Range(r.low.output, r.high.output, Tokens), Usd(r.usd_low, r.usd_high));
  }
  const PlanUsage lo = LowTotal(), hi = HighTotal();
  out += fmt::format("  {:<9} {:<22} {:<18} {:>9} {:>11} {:>15} {:>15}  {}\n", "total", "", "", "",
                     Range(lo.calls, hi.calls, Count), Range(lo.input, hi.input, Tokens),
                     Range(lo.output, hi.output, Tokens), Usd(LowUsd(), HighUsd()));
  std::map<std::string, std::string> bases;
  for (const auto& r : rows) bases.emplace(r.role + " (" + r.model + ")", r.basis);
  for (const auto& [who, basis] : bases) out += fmt::format("  {}: {}\n", who, basis);
  if (spent_usd > 0) {
    out += fmt::format("  already spent: ${:.4f} (its ledger; the cap counts it)\n", spent_usd);
  }
  for (const auto& note : notes) out += fmt::format("  note: {}\n", note);
  return out;
}

Status CheckCapAgainstPlan(const CostPlan& plan, double max_cost_usd, bool force) {
  const std::optional<double> low = plan.LowUsd();
  if (max_cost_usd <= 0 || force || !low || max_cost_usd >= plan.spent_usd + *low) return Ok();
  // A ledger at the cap already: the command stops at its first call with status
  // budget_exhausted (exit 3), as a stopped run resumed with the same cap always has.
  if (plan.spent_usd >= max_cost_usd) return Ok();
  return InvalidArgument(fmt::format(
      "--max-cost-usd {} is below the low figure of this command's cost plan (${:.6f}{}): the "
      "cap would stop it before it can finish; raise the cap, or pass --force to run until the "
      "cap stops it (`skillgrad plan {} ...` prints the plan)",
      max_cost_usd, plan.spent_usd + *low,
      plan.spent_usd > 0 ? fmt::format(", ${:.6f} of it spent already", plan.spent_usd) : "",
      plan.command));
}

}  // namespace sg::run
