#include "run/compare.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <utility>

#include "core/stats.h"

namespace sg::run {
namespace fs = std::filesystem;

namespace {

Result<fs::path> SummaryPath(const fs::path& path) {
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) return path;
  for (const fs::path& candidate : {path / "summary.json", path / "eval" / "summary.json"}) {
    if (fs::is_regular_file(candidate, ec)) return candidate;
  }
  return NotFound(fmt::format(
      "{}: neither an eval summary.json, nor a folder holding summary.json or eval/summary.json; "
      "pass a run folder (results/runs/<run_id>), its eval folder, or the summary file",
      path.string()));
}

// A task's pass rate: `pass_rate` over its rollouts, or its single `pass`.
Result<double> PassRate(const Json& task, const fs::path& file, size_t index) {
  if (task.contains("pass_rate") && task["pass_rate"].is_number()) {
    return task["pass_rate"].get<double>();
  }
  if (task.contains("pass") && task["pass"].is_boolean())
    return task["pass"].get<bool>() ? 1.0 : 0.0;
  return InvalidArgument(
      fmt::format("{}: per_task[{}] has neither a boolean \"pass\" nor a "
                  "numeric \"pass_rate\"; is this a skillgrad eval summary?",
                  file.string(), index));
}

std::string FirstIds(const std::vector<std::string>& ids) {
  std::string out;
  for (size_t i = 0; i < ids.size() && i < 5; ++i) out += (i ? ", " : "") + ids[i];
  if (ids.size() > 5) out += fmt::format(" and {} more", ids.size() - 5);
  return out;
}

// Tasks of `a` that `b` lacks.
std::vector<std::string> Missing(const EvalSide& a, const EvalSide& b) {
  std::vector<std::string> out;
  for (const auto& id : a.task_ids) {
    if (!b.pass_rate.count(id)) out.push_back(id);
  }
  return out;
}

}  // namespace

Json SideAccuracy(const EvalSide& side, const CompareOptions& options) {
  std::vector<double> rates;
  int64_t passes = 0;
  for (const auto& id : side.task_ids) {
    rates.push_back(side.pass_rate.at(id));
    passes += side.pass_rate.at(id) >= 1.0 ? 1 : 0;
  }
  const bool single = side.rollouts == 1;
  const stats::Interval interval =
      single ? stats::WilsonInterval(passes, static_cast<int64_t>(rates.size()))
             : stats::BootstrapMeanInterval(rates, options.resamples, options.seed);
  return {{"summary", side.summary.string()},
          {"grader", side.grader},
          {"tasks", rates.size()},
          {"rollouts", side.rollouts},
          {"accuracy", stats::Mean(rates)},
          {"interval", {interval.low, interval.high}},
          {"interval_method", single ? "wilson" : "bootstrap over tasks"}};
}

Result<EvalSide> LoadEvalSide(const fs::path& path) {
  SG_ASSIGN_OR_RETURN(fs::path file, SummaryPath(path));
  SG_ASSIGN_OR_RETURN(Json summary, ReadJsonFile(file));
  if (!summary.is_object() || !summary.contains("per_task") || !summary["per_task"].is_array()) {
    return InvalidArgument(file.string() +
                           ": no \"per_task\" list; is this a skillgrad eval summary.json?");
  }
  EvalSide side;
  side.summary = file;
  side.grader = summary.value("grader", "");
  const Json& per_task = summary["per_task"];
  for (size_t i = 0; i < per_task.size(); ++i) {
    const Json& task = per_task[i];
    if (!task.is_object() || !task.contains("task_id") || !task["task_id"].is_string()) {
      return InvalidArgument(
          fmt::format("{}: per_task[{}] has no string \"task_id\"", file.string(), i));
    }
    const std::string id = task["task_id"].get<std::string>();
    if (side.pass_rate.count(id)) {
      return InvalidArgument(
          fmt::format("{}: task {} appears twice in per_task", file.string(), id));
    }
    SG_ASSIGN_OR_RETURN(double rate, PassRate(task, file, i));
    side.task_ids.push_back(id);
    side.pass_rate[id] = rate;
    if (task.contains("rollouts") && task["rollouts"].is_number_integer()) {
      side.rollouts = std::max(side.rollouts, task["rollouts"].get<int>());
    }
  }
  if (side.task_ids.empty()) return InvalidArgument(file.string() + ": per_task is empty");
  return side;
}

Result<Json> CompareEvals(const EvalSide& a, const EvalSide& b, const CompareOptions& options) {
  const std::vector<std::string> only_a = Missing(a, b), only_b = Missing(b, a);
  if (!only_a.empty() || !only_b.empty()) {
    return InvalidArgument(fmt::format(
        "{} and {} were evaluated on different tasks (only in the first: {}; only in the "
        "second: {}); a paired comparison needs the same task ids: evaluate both with the same "
        "split and --n-test",
        a.summary.string(), b.summary.string(), only_a.empty() ? "none" : FirstIds(only_a),
        only_b.empty() ? "none" : FirstIds(only_b)));
  }
  if (a.grader != b.grader) {
    return InvalidArgument(fmt::format(
        "{} was graded with --grader {} and {} with --grader {}; evaluate both with one grader",
        a.summary.string(), a.grader.empty() ? "(unnamed)" : a.grader, b.summary.string(),
        b.grader.empty() ? "(unnamed)" : b.grader));
  }
  std::vector<double> differences;
  int64_t wins_a = 0, wins_b = 0;
  for (const auto& id : a.task_ids) {
    const double ra = a.pass_rate.at(id), rb = b.pass_rate.at(id);
    differences.push_back(ra - rb);
    wins_a += ra > rb ? 1 : 0;
    wins_b += rb > ra ? 1 : 0;
  }
  const stats::Interval interval =
      stats::BootstrapMeanInterval(differences, options.resamples, options.seed);
  const bool single = a.rollouts == 1 && b.rollouts == 1;
  Json test =
      single ? Json{{"name", "exact McNemar"}, {"p_value", stats::McNemarExactP(wins_a, wins_b)}}
             : Json{{"name", "paired sign-flip permutation over tasks"},
                    {"p_value",
                     stats::PairedPermutationP(differences, options.resamples, options.seed)}};
  test["a_better"] = wins_a;
  test["b_better"] = wins_b;
  return Json{{"a", SideAccuracy(a, options)},
              {"b", SideAccuracy(b, options)},
              {"tasks", differences.size()},
              {"difference", stats::Mean(differences)},
              {"difference_interval", {interval.low, interval.high}},
              {"difference_interval_method",
               fmt::format("percentile bootstrap over tasks, {} resamples, seed {}",
                           options.resamples, options.seed)},
              {"test", test}};
}

std::string FormatComparison(const Json& c) {
  auto side = [](const char* name, const Json& s) {
    return fmt::format("{}: {:.3f} [{:.3f}, {:.3f}] ({}, {} tasks x {} rollouts)  {}\n", name,
                       s["accuracy"].get<double>(), s["interval"][0].get<double>(),
                       s["interval"][1].get<double>(), s["interval_method"].get<std::string>(),
                       s["tasks"].get<int64_t>(), s["rollouts"].get<int>(),
                       s["summary"].get<std::string>());
  };
  return side("A", c["a"]) + side("B", c["b"]) +
         fmt::format(
             "A - B: {:+.3f} [{:+.3f}, {:+.3f}] ({}); {} p = {:.4g} (A better on {}, B "
             "better on {} tasks)\n",
             c["difference"].get<double>(), c["difference_interval"][0].get<double>(),
             c["difference_interval"][1].get<double>(),
             c["difference_interval_method"].get<std::string>(),
             c["test"]["name"].get<std::string>(), c["test"]["p_value"].get<double>(),
             c["test"]["a_better"].get<int64_t>(), c["test"]["b_better"].get<int64_t>());
}

}  // namespace sg::run
