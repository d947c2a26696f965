#include "run/summarize.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "core/file_util.h"
#include "core/json_fields.h"
#include "core/stats.h"

namespace sg::run {
namespace fs = std::filesystem;

namespace {

std::string MethodOf(const Json& config) {
  std::string method = config.value("method", std::string("eval"));
  const Json& ablate = AnyField(config, "ablate");
  if (ablate.is_array()) {
    for (const Json& name : ablate) {
      if (name.is_string()) method += " -" + name.get<std::string>();
    }
  }
  return method;
}

std::string BackboneOf(const Json& config, const std::string& fallback) {
  const Json& models = AnyField(config, "models");
  if (!models.is_object()) return fallback;
  const std::string executor = models.value("executor", fallback);
  std::vector<std::string> roles = {executor};
  bool same = true;
  for (const char* role : {"diagnoser", "momentum", "patcher"}) {
    roles.push_back(models.value(role, executor));
    same = same && roles.back() == executor;
  }
  return same ? executor : fmt::format("{}", fmt::join(roles, " / "));
}

double NumberOr(const Json& metrics, const char* key, double fallback) {
  const Json& v = AnyField(metrics, key);
  return v.is_number() ? v.get<double>() : fallback;
}

// config.json of the run (or {}), with what it lacks filled from the run's eval summary: an
// eval of a skill folder has no training options.
Result<Json> RunConfig(const fs::path& run_dir) {
  Json config = Json::object();
  if (const fs::path file = run_dir / "config.json"; fs::exists(file)) {
    SG_ASSIGN_OR_RETURN(config, ReadJsonFile(file));
  }
  const fs::path summary = run_dir / "eval" / "summary.json";
  if (fs::exists(summary) && (!config.contains("benchmark") || !config.contains("models"))) {
    SG_ASSIGN_OR_RETURN(Json s, ReadJsonFile(summary));
    if (!config.contains("benchmark")) config["benchmark"] = s.value("benchmark", "");
    if (!config.contains("models")) config["models"] = {{"executor", s.value("model", "")}};
  }
  return config;
}

std::string Cell(const Json& g) {
  if (g.is_null()) return "";
  std::string cell = fmt::format("{:.3f} ± {:.3f} ({})", g["mean"].get<double>(),
                                 g["sd"].get<double>(), g["n_runs"].get<int>());
  if (g["interval"].is_array()) {
    cell += fmt::format(" [{:.3f}, {:.3f}]", g["interval"][0].get<double>(),
                        g["interval"][1].get<double>());
  }
  return cell;
}

// A markdown table: rows (method, backbone), columns benchmarks, cells from `cell`.
std::string Table(const Json& groups, const std::string& title,
                  std::string (*cell)(const Json& group)) {
  std::set<std::string> benchmarks;
  std::map<std::pair<std::string, std::string>, std::map<std::string, Json>> rows;
  for (const Json& g : groups) {
    benchmarks.insert(g["benchmark"].get<std::string>());
    rows[{g["method"], g["backbone"]}][g["benchmark"]] = g;
  }
  std::string out = "## " + title + "\n\n| method | backbone |";
  std::string rule = "|---|---|";
  for (const auto& b : benchmarks) {
    out += " " + b + " |";
    rule += "---|";
  }
  out += "\n" + rule + "\n";
  for (const auto& [key, cells] : rows) {
    out += "| " + key.first + " | " + key.second + " |";
    for (const auto& b : benchmarks) {
      auto it = cells.find(b);
      out += " " + (it == cells.end() ? std::string() : cell(it->second)) + " |";
    }
    out += "\n";
  }
  return out;
}

std::string SeedCell(const Json& g) {
  return g["seed_baseline"].is_number() ? fmt::format("{:.3f}", g["seed_baseline"].get<double>())
                                        : "";
}

std::string CostCell(const Json& g) {
  return g["cost_per_run_usd"].is_number()
             ? fmt::format("${:.4f}", g["cost_per_run_usd"].get<double>())
             : "";
}

}  // namespace

Result<std::vector<SummaryGroup>> SummarizeRoot(const fs::path& results_root,
                                                const std::set<std::string>* only_runs) {
  const fs::path manifest_path = results_root / "manifest.json";
  if (!fs::exists(manifest_path)) {
    return NotFound(manifest_path.string() +
                    " does not exist: pass the --results-root of your runs (it holds "
                    "manifest.json and runs/)");
  }
  SG_ASSIGN_OR_RETURN(Json manifest, ReadJsonFile(manifest_path));
  const Json& runs = AnyField(manifest, "runs");
  if (!runs.is_object()) return InvalidArgument(manifest_path.string() + ": no \"runs\" object");
  std::map<std::tuple<std::string, std::string, std::string>, SummaryGroup> groups;
  for (const auto& [id, entry] : runs.items()) {
    const Json& metrics = AnyField(entry, "metrics");
    if (!AnyField(metrics, "test_hard").is_number()) continue;  // not evaluated yet
    if (only_runs != nullptr && only_runs->count(id) == 0) continue;
    const fs::path run_dir = results_root / "runs" / id;
    Result<Json> config = RunConfig(run_dir);
    if (!config.ok()) return config.error().WithContext("run " + id);
    SummaryGroup key_group;
    key_group.method = MethodOf(*config);
    key_group.backbone = BackboneOf(*config, "(unknown model)");
    key_group.benchmark = config->value("benchmark", std::string("(unknown benchmark)"));
    SummaryGroup& g =
        groups.try_emplace({key_group.method, key_group.backbone, key_group.benchmark}, key_group)
            .first->second;
    g.run_ids.push_back(id);
    g.test_hard.push_back(metrics["test_hard"].get<double>());
    if (AnyField(metrics, "seed_test_hard").is_number()) {
      g.seed_hard.push_back(metrics["seed_test_hard"].get<double>());
    }
    const double cost = NumberOr(metrics, "train_cost_usd", 0) +
                        NumberOr(metrics, "eval_cost_usd", 0) +
                        NumberOr(metrics, "seed_eval_cost_usd", 0);
    g.cost_usd.push_back(cost);
  }
  std::vector<SummaryGroup> out;
  for (auto& [key, g] : groups) out.push_back(std::move(g));
  return out;
}

Json SummaryJson(const std::vector<SummaryGroup>& groups) {
  Json out = Json::array();
  for (const SummaryGroup& g : groups) {
    const int n = static_cast<int>(g.test_hard.size());
    const double mean = stats::Mean(g.test_hard), sd = stats::StdDev(g.test_hard);
    Json interval = nullptr;
    if (n >= 2) {
      const double half = stats::StudentT975(n - 1) * sd / std::sqrt(static_cast<double>(n));
      interval = Json::array({mean - half, mean + half});
    }
    out.push_back({{"method", g.method},
                   {"backbone", g.backbone},
                   {"benchmark", g.benchmark},
                   {"n_runs", n},
                   {"mean", mean},
                   {"sd", sd},
                   {"interval", interval},
                   {"seed_baseline", g.seed_hard.empty() ? Json() : Json(stats::Mean(g.seed_hard))},
                   {"cost_per_run_usd", stats::Mean(g.cost_usd)},
                   {"run_ids", g.run_ids}});
  }
  return out;
}

std::string SummaryMarkdown(const std::vector<SummaryGroup>& groups) {
  const Json rows = SummaryJson(groups);
  return "# Test accuracy over training seeds\n\n"
         "Each cell: mean ± sample standard deviation of test_hard over the runs (n), then the "
         "95% t interval of the mean.\n\n" +
         Table(rows, "Test accuracy", Cell) + "\n" + Table(rows, "Seed skill", SeedCell) + "\n" +
         Table(rows, "Cost per run", CostCell);
}

std::string SummaryCsv(const std::vector<SummaryGroup>& groups) {
  std::string out =
      "method,backbone,benchmark,n_runs,mean,sd,interval_low,interval_high,seed_baseline,"
      "cost_per_run_usd,run_ids\n";
  auto quoted = [](const std::string& s) {
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  };
  auto number = [](const Json& v) {
    return v.is_number() ? fmt::format("{:.6f}", v.get<double>()) : std::string();
  };
  for (const Json& g : SummaryJson(groups)) {
    std::vector<std::string> ids = g["run_ids"].get<std::vector<std::string>>();
    out += fmt::format(
        "{},{},{},{},{},{},{},{},{},{},{}\n", quoted(g["method"]), quoted(g["backbone"]),
        quoted(g["benchmark"]), g["n_runs"].get<int>(), number(g["mean"]), number(g["sd"]),
        g["interval"].is_array() ? number(g["interval"][0]) : "",
        g["interval"].is_array() ? number(g["interval"][1]) : "", number(g["seed_baseline"]),
        number(g["cost_per_run_usd"]), quoted(fmt::format("{}", fmt::join(ids, ";"))));
  }
  return out;
}

}  // namespace sg::run
