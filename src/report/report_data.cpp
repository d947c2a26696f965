#include "report/report_data.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/file_util.h"
#include "run/run_layout.h"

namespace sg::report {
namespace fs = std::filesystem;
namespace {

double NumberAt(const Json& j, const char* key, double fallback = 0) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : fallback;
}

std::string StringAt(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<ReportEval> LoadEval(const fs::path& file, std::vector<std::string>& problems) {
  if (!fs::exists(file)) return std::nullopt;
  auto json = ReadJsonFile(file);
  if (!json.ok() || !json->is_object()) {
    problems.push_back(json.ok() ? file.string() + ": not a JSON object" : json.error().message);
    return std::nullopt;
  }
  ReportEval eval;
  eval.file = file;
  eval.skills_dir = StringAt(*json, "skills_dir");
  eval.tasks = static_cast<int>(NumberAt(*json, "tasks"));
  eval.hard_accuracy = NumberAt(*json, "hard_accuracy");
  eval.soft_accuracy = NumberAt(*json, "soft_accuracy");
  eval.seconds = NumberAt(*json, "seconds");
  if (auto cost = json->find("cost"); cost != json->end() && cost->is_object()) {
    eval.cost_usd = NumberAt(*cost, "cost_usd");
  }
  eval.accuracy = json->value("accuracy", Json());
  eval.versus_seed = json->value("versus_seed", Json());
  return eval;
}

Result<ReportIteration> ParseIteration(const Json& e, const fs::path& file, size_t index) {
  const std::string where = fmt::format("{}: entry {}", file.string(), index);
  if (!e.is_object() || !e.contains("iteration") || !e["iteration"].is_number_integer()) {
    return ParseError(where +
                      " has no integer \"iteration\"; is this a training_results.json "
                      "written by skillgrad train?");
  }
  ReportIteration it;
  it.iteration = e["iteration"].get<int>();
  it.batch_pass_rate = NumberAt(e, "batch_pass_rate");
  if (auto outcomes = e.find("outcomes"); outcomes != e.end() && outcomes->is_array()) {
    for (const auto& o : *outcomes) {
      if (!o.is_object()) continue;
      ReportOutcome out;
      out.task_id = StringAt(o, "task_id");
      out.pass = o.value("pass", false);
      out.score = NumberAt(o, "score");
      out.task_class = StringAt(o, "class");
      out.stop_reason = StringAt(o, "stop_reason");
      it.outcomes.push_back(std::move(out));
    }
  }
  if (auto v = e.find("validation"); v != e.end() && v->is_object()) {
    if ((*v)["before_hard_accuracy"].is_number()) {
      it.validation_before = (*v)["before_hard_accuracy"].get<double>();
    }
    if ((*v)["after_hard_accuracy"].is_number()) {
      it.validation_after = (*v)["after_hard_accuracy"].get<double>();
    }
    it.decision = StringAt(*v, "decision");
  }
  it.accepted = e.value("accepted", true);
  if (auto m = e.find("momentum"); m != e.end() && m->is_object()) {
    it.momentum_patterns = static_cast<int>(NumberAt(*m, "patterns"));
    if (auto v = m->find("violations"); v != m->end() && v->is_array()) {
      for (const auto& s : *v)
        it.momentum_violations.push_back(s.is_string() ? s.get<std::string>() : s.dump());
    }
  }
  if (auto p = e.find("patch"); p != e.end() && p->is_object()) {
    if (auto c = p->find("changes"); c != p->end() && c->is_array()) it.patch_changes = *c;
  }
  if (auto s = e.find("seconds_by_stage"); s != e.end() && s->is_object()) {
    for (const auto& [stage, seconds] : s->items()) {
      if (seconds.is_number()) it.seconds_by_stage[stage] = seconds.get<double>();
    }
  }
  if (auto c = e.find("cost_by_stage"); c != e.end() && c->is_object()) {
    for (const auto& [stage, totals] : c->items()) {
      if (totals.is_object()) it.cost_by_stage[stage] = NumberAt(totals, "cost_usd");
    }
  }
  it.run_cost_usd = NumberAt(e, "run_cost_usd");
  return it;
}

}  // namespace

Result<ReportData> LoadReportData(const fs::path& run_dir) {
  if (!fs::is_directory(run_dir)) {
    return NotFound(fmt::format(
        "run directory {} does not exist: pass a results/runs/<run_id> folder written by "
        "skillgrad train or eval",
        run_dir.string()));
  }
  run::RunLayout run(run_dir);
  ReportData data;
  data.run_dir = run_dir;
  data.run_id = fs::absolute(run_dir).lexically_normal().filename().string();
  if (data.run_id.empty())
    data.run_id = fs::absolute(run_dir).lexically_normal().parent_path().filename().string();
  if (fs::exists(run.Config())) {
    auto config = ReadJsonFile(run.Config());
    if (config.ok()) {
      data.config = *config;
      if (config->is_object() && (*config)["run_id"].is_string()) {
        data.run_id = (*config)["run_id"].get<std::string>();
      }
    } else {
      data.problems.push_back(config.error().message);
    }
  }

  if (fs::exists(run.TrainingResults())) {
    SG_ASSIGN_OR_RETURN(Json results, ReadJsonFile(run.TrainingResults()));
    if (!results.is_array()) {
      return ParseError(
          fmt::format("{}: expected a JSON array of iterations, as skillgrad train "
                      "writes it",
                      run.TrainingResults().string()));
    }
    for (size_t i = 0; i < results.size(); ++i) {
      SG_ASSIGN_OR_RETURN(ReportIteration it, ParseIteration(results[i], run.TrainingResults(), i));
      if (auto diff = ReadFile(run.IterDir(it.iteration) / "patch.diff"); diff.ok()) {
        it.diff = std::move(*diff);
      }
      data.iterations.push_back(std::move(it));
    }
    std::sort(data.iterations.begin(), data.iterations.end(),
              [](const auto& a, const auto& b) { return a.iteration < b.iteration; });
  }

  // The momentum record of the latest iteration that wrote one.
  for (auto it = data.iterations.rbegin(); it != data.iterations.rend(); ++it) {
    const fs::path file = run.IterDir(it->iteration) / "momentum_memory.json";
    if (!fs::exists(file)) continue;
    auto record = optim::ReadMomentumRecord(file);
    if (record.ok()) {
      data.momentum = std::move(*record);
      data.momentum_iteration = it->iteration;
    } else {
      data.problems.push_back(record.error().WithContext(file.string()).message);
    }
    break;
  }

  data.eval_after = LoadEval(run.EvalSummary(), data.problems);
  data.eval_before = LoadEval(run::EvalSummaryFile(run.SeedEvalDir()), data.problems);

  if (fs::exists(run.Ledger())) {
    auto ledger = llm::SummarizeLedger(run.Ledger());
    if (ledger.ok()) {
      // Damaged lines are left out of the figures, by the rule every ledger reader follows;
      // the report says so instead of dropping the whole ledger.
      if (std::string problem = ledger->read.Problem(run.Ledger()); !problem.empty()) {
        data.problems.push_back(std::move(problem));
      }
      data.ledger = std::move(*ledger);
    } else {
      data.problems.push_back(ledger.error().message);
    }
  }

  if (data.iterations.empty() && !data.eval_after && !data.eval_before && !data.ledger) {
    return NotFound(fmt::format(
        "{} holds none of train/training_results.json, eval/summary.json, "
        "eval_seed/summary.json, ledger.jsonl: is it a run directory (results/runs/<run_id>)?",
        run_dir.string()));
  }
  return data;
}

}  // namespace sg::report
