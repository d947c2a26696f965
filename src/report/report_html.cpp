#include "report/report_html.h"

#include <fmt/format.h>

#include <set>

#include "core/file_util.h"
#include "report/report_svg.h"

namespace sg::report {
namespace fs = std::filesystem;
namespace {

constexpr const char* kStyleText = R"css(
body { font-family: -apple-system, "Segoe UI", "DejaVu Sans", Arial, sans-serif; margin: 24px;
       color: #222; max-width: 1240px; background: #ffffff; }
h1 { font-size: 24px; margin-bottom: 4px; }
h2 { font-size: 19px; border-bottom: 1px solid #ddd; padding-bottom: 4px; margin-top: 32px; }
.meta { color: #555; font-size: 13px; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
svg.chart { border: 1px solid #e5e5e5; font-family: inherit; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
th, td { border: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.pass { background: #d9f2d9; color: #145214; text-align: center; }
td.fail { background: #f8d7d7; color: #7a1414; text-align: center; }
td.absent { color: #aaa; text-align: center; }
td.seen { background: #cfe0f5; text-align: center; }
pre.diff { background: #fafafa; border: 1px solid #e5e5e5; padding: 8px; overflow-x: auto;
           font-size: 12px; line-height: 1.35; }
pre.diff span { display: block; white-space: pre; }
.add { background: #e6ffec; color: #116329; }
.del { background: #ffebe9; color: #82071e; }
.hunk { color: #6f42c1; }
.file { color: #444; font-weight: bold; }
.kept { color: #116329; font-weight: bold; }
.rolled_back { color: #82071e; font-weight: bold; }
.problems { background: #fff4e5; border: 1px solid #f0c36d; padding: 8px; }
)css";

const std::vector<std::string> kStageOrder = {"execute", "diagnose", "momentum",
                                              "patch",   "validate", "eval"};

BarChartSpec Bars(const char* id, const char* title, const char* y_label, const char* series) {
  BarChartSpec spec;
  spec.id = id;
  spec.title = title;
  spec.y_label = y_label;
  spec.series_names = {series};
  return spec;
}

LineChartSpec Lines(const char* id, const char* title, const char* y_label) {
  LineChartSpec spec;
  spec.id = id;
  spec.title = title;
  spec.x_label = "iteration";
  spec.y_label = y_label;
  return spec;
}

std::string Percent(double v) { return fmt::format("{:.1f}%", v * 100); }
std::string Usd(double v) { return fmt::format("${:.4f}", v); }

// Stages in pipeline order, then any other name alphabetically.
std::vector<std::string> OrderStages(const std::set<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& s : kStageOrder) {
    if (names.count(s)) out.push_back(s);
  }
  for (const auto& s : names) {
    if (std::find(kStageOrder.begin(), kStageOrder.end(), s) == kStageOrder.end()) {
      out.push_back(s);
    }
  }
  return out;
}

std::string SummarySection(const ReportData& d) {
  std::string out = "<section id=\"summary\">\n<h2>Summary</h2>\n<table>\n";
  auto row = [&](const std::string& k, const std::string& v) {
    out += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", HtmlEscape(k), HtmlEscape(v));
  };
  row("Run", d.run_id);
  row("Directory", fs::absolute(d.run_dir).lexically_normal().string());
  if (d.config.is_object()) {
    // find, not operator[]: on a const object a missing key is undefined behaviour.
    auto benchmark = d.config.find("benchmark");
    if (benchmark != d.config.end() && benchmark->is_string())
      row("Benchmark", benchmark->get<std::string>());
    auto models_it = d.config.find("models");
    if (models_it != d.config.end() && models_it->is_object()) {
      std::string models;
      for (const auto& [role, model] : models_it->items()) {
        if (!models.empty()) models += ", ";
        models += role + ": " + (model.is_string() ? model.get<std::string>() : model.dump());
      }
      row("Models", models);
    }
    // The isolation agent code ran under, as verified when the run started.
    auto sandbox = d.config.find("sandbox");
    if (sandbox != d.config.end() && sandbox->is_object()) {
      const bool unsafe = sandbox->value("unsafe", false);
      const bool isolated = sandbox->value("isolated", false);
      std::string missing;
      for (const auto& m : sandbox->value("missing", Json::array())) {
        if (m.is_string()) missing += (missing.empty() ? "" : ", ") + m.get<std::string>();
      }
      row("Sandbox", unsafe     ? "UNSAFE (--unsafe-sandbox): agent code ran without " + missing
                     : isolated ? "isolated (" + sandbox->value("backend", std::string("?")) +
                                      ", verified from inside)"
                                : "not verified (a run from before the isolation probe)");
    }
  }
  row("Iterations recorded", std::to_string(d.iterations.size()));
  if (d.eval_before)
    row("Test accuracy before (seed skill)", Percent(d.eval_before->hard_accuracy));
  if (d.eval_after)
    row("Test accuracy after (trained skill)", Percent(d.eval_after->hard_accuracy));
  if (d.ledger) {
    row("Cost (ledger)",
        Usd(d.ledger->total.cost_usd) + fmt::format(" over {} calls", d.ledger->total.calls));
    if (d.ledger->total.calls_without_cost > 0) {
      row("Calls without a price", std::to_string(d.ledger->total.calls_without_cost));
    }
  }
  double seconds = 0;
  for (const auto& it : d.iterations) {
    for (const auto& [stage, s] : it.seconds_by_stage) seconds += s;
  }
  if (d.eval_after) seconds += d.eval_after->seconds;
  if (d.eval_before) seconds += d.eval_before->seconds;
  row("Stage time (sum)", fmt::format("{:.1f} s", seconds));
  out += "</table>\n";
  if (!d.problems.empty()) {
    out += "<div class=\"problems\"><strong>Artifacts that could not be read:</strong><ul>\n";
    for (const auto& p : d.problems) out += "<li>" + HtmlEscape(p) + "</li>\n";
    out += "</ul></div>\n";
  }
  return out + "</section>\n";
}

std::string AccuracySection(const ReportData& d) {
  std::string out = "<section id=\"accuracy\">\n<h2>Accuracy per iteration</h2>\n";
  if (d.iterations.empty()) return out + "<p>No training iterations recorded.</p>\n</section>\n";
  LineChartSpec spec;
  spec.id = "chart-accuracy";
  spec.title = "Accuracy per iteration";
  spec.x_label = "iteration";
  spec.y_label = "accuracy";
  spec.y_max = 1;
  spec.y_percent = true;
  LineSeries batch{"batch pass rate", {}}, before{"validation before patch", {}},
      after{"validation after patch", {}};
  for (const auto& it : d.iterations) {
    batch.points.push_back({double(it.iteration), it.batch_pass_rate});
    if (it.validation_before)
      before.points.push_back({double(it.iteration), *it.validation_before});
    if (it.validation_after) after.points.push_back({double(it.iteration), *it.validation_after});
  }
  spec.series.push_back(batch);
  if (!after.points.empty()) spec.series.push_back(after);
  if (!before.points.empty()) spec.series.push_back(before);
  out += "<div class=\"charts\">\n" + RenderLineChart(spec) + "</div>\n";
  out +=
      "<table><tr><th>Iteration</th><th>Batch pass rate</th><th>Validation before</th>"
      "<th>Validation after</th><th>Patch</th><th>Momentum patterns</th></tr>\n";
  for (const auto& it : d.iterations) {
    auto opt = [](const std::optional<double>& v) { return v ? Percent(*v) : std::string("—"); };
    std::string decision =
        it.decision.empty() ? (it.accepted ? "kept" : "rolled_back") : it.decision;
    out += fmt::format(
        "<tr><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"{}\">{}</td><td class=\"num\">{}</td></tr>\n",
        it.iteration, Percent(it.batch_pass_rate), opt(it.validation_before),
        opt(it.validation_after), HtmlEscape(decision), HtmlEscape(decision), it.momentum_patterns);
  }
  return out + "</table>\n</section>\n";
}

// "60.0% [33.3%, 86.7%] (5 tasks x 3 rollouts, bootstrap over tasks)", or "—".
std::string IntervalCell(const Json& a) {
  if (!a.is_object() || !a.contains("accuracy") || !a.contains("interval")) return "—";
  return fmt::format("{} [{}, {}] ({} tasks x {} rollouts, {})",
                     Percent(a["accuracy"].get<double>()), Percent(a["interval"][0].get<double>()),
                     Percent(a["interval"][1].get<double>()), a.value("tasks", 0),
                     a.value("rollouts", 1), HtmlEscape(a.value("interval_method", std::string())));
}

// The paired comparison of the trained skill with the seed on the same tasks (run/compare.h).
std::string PairedTestParagraph(const Json& v) {
  if (!v.is_object() || !v.contains("difference") || !v.contains("test")) return "";
  const Json& test = v["test"];
  return fmt::format(
      "<p id=\"paired-test\">After − before: <strong>{:+.1f} points</strong>, 95% interval "
      "[{:+.1f}, {:+.1f}] ({}); {} <strong>p = {:.3g}</strong> (after better on {}, before "
      "better on {} of {} tasks). See docs/statistics.md.</p>\n",
      100 * v["difference"].get<double>(), 100 * v["difference_interval"][0].get<double>(),
      100 * v["difference_interval"][1].get<double>(),
      HtmlEscape(v.value("difference_interval_method", std::string())),
      HtmlEscape(test.value("name", std::string())), test.value("p_value", 1.0),
      test.value("a_better", 0), test.value("b_better", 0), v.value("tasks", 0));
}

std::string TestAccuracySection(const ReportData& d) {
  std::string out = "<section id=\"test-accuracy\">\n<h2>Test accuracy before and after</h2>\n";
  if (!d.eval_before && !d.eval_after) {
    return out +
           "<p>No eval summary: run <code>skillgrad eval</code> (eval/summary.json) and the "
           "seed skill's eval into eval_seed/summary.json.</p>\n</section>\n";
  }
  BarChartSpec spec;
  spec.id = "chart-test-accuracy";
  spec.title = "Test accuracy";
  spec.y_label = "accuracy";
  spec.series_names = {"hard (pass)", "soft (score)"};
  spec.y_max = 1;
  spec.y_percent = true;
  out +=
      "<table><tr><th></th><th>Skill</th><th>Tasks</th><th>Hard</th><th>Soft</th>"
      "<th>Accuracy over tasks x rollouts, 95% interval</th><th>Cost</th><th>Seconds</th>"
      "</tr>\n";
  auto add = [&](const char* label, const std::optional<ReportEval>& e) {
    if (!e) {
      out += fmt::format("<tr><th>{}</th><td colspan=\"7\">no summary</td></tr>\n", label);
      return;
    }
    spec.groups.push_back({label, {e->hard_accuracy, e->soft_accuracy}});
    out += fmt::format(
        "<tr><th>{}</th><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{:.1f}</td></tr>\n",
        label, HtmlEscape(e->skills_dir), e->tasks, Percent(e->hard_accuracy),
        Percent(e->soft_accuracy), IntervalCell(e->accuracy), e->cost_usd ? Usd(*e->cost_usd) : "—",
        e->seconds);
  };
  add("before (seed)", d.eval_before);
  add("after (trained)", d.eval_after);
  out += "</table>\n";
  if (d.eval_after) out += PairedTestParagraph(d.eval_after->versus_seed);
  return out + "<div class=\"charts\">\n" + RenderBarChart(spec) + "</div>\n</section>\n";
}

std::string CostSection(const ReportData& d) {
  std::string out = "<section id=\"cost-time\">\n<h2>Cost and time</h2>\n<div class=\"charts\">\n";
  // Cost per stage: the ledger when present (it also counts eval), else the iterations.
  std::map<std::string, double> cost_by_stage, seconds_by_stage;
  if (d.ledger) {
    for (const auto& [stage, totals] : d.ledger->by_stage) cost_by_stage[stage] = totals.cost_usd;
  } else {
    for (const auto& it : d.iterations) {
      for (const auto& [stage, c] : it.cost_by_stage) cost_by_stage[stage] += c;
    }
  }
  for (const auto& it : d.iterations) {
    for (const auto& [stage, s] : it.seconds_by_stage) seconds_by_stage[stage] += s;
  }
  if (d.eval_after) seconds_by_stage["eval"] += d.eval_after->seconds;
  if (d.eval_before) seconds_by_stage["eval"] += d.eval_before->seconds;

  std::set<std::string> stages;
  for (const auto& [s, v] : cost_by_stage) stages.insert(s.empty() ? "(none)" : s);
  for (const auto& [s, v] : seconds_by_stage) stages.insert(s);
  BarChartSpec cost = Bars("chart-cost-stage", "Cost per stage (USD)", "USD", "cost");
  cost.value_format = "{:.3f}";
  BarChartSpec time = Bars("chart-time-stage", "Time per stage (seconds)", "seconds", "wall time");
  time.value_format = "{:.0f}";
  for (const auto& s : OrderStages(stages)) {
    if (cost_by_stage.count(s)) cost.groups.push_back({s, {cost_by_stage[s]}});
    if (seconds_by_stage.count(s)) time.groups.push_back({s, {seconds_by_stage[s]}});
  }
  out += RenderBarChart(cost) + RenderBarChart(time);

  if (d.ledger) {
    BarChartSpec role = Bars("chart-cost-role", "Cost per role (USD)", "USD", "cost");
    role.value_format = "{:.3f}";
    for (const auto& [name, totals] : d.ledger->by_role)
      role.groups.push_back({name, {totals.cost_usd}});
    out += RenderBarChart(role);
  }
  if (!d.iterations.empty()) {
    LineChartSpec cum = Lines("chart-cost-cumulative", "Run cost after each iteration", "USD");
    LineSeries s{"cumulative cost", {}};
    for (const auto& it : d.iterations) s.points.push_back({double(it.iteration), it.run_cost_usd});
    cum.series.push_back(s);
    out += RenderLineChart(cum);
  }
  out += "</div>\n";

  if (d.ledger) {
    auto table = [&](const char* what, const std::map<std::string, llm::LedgerTotals>& m) {
      out += fmt::format(
          "<table><tr><th>{}</th><th>Calls</th><th>Failed</th><th>Cache hits</th>"
          "<th>Input tokens</th><th>Output tokens</th><th>Cost</th><th>Latency (s)</th></tr>\n",
          what);
      auto line = [&](const std::string& name, const llm::LedgerTotals& t) {
        out += fmt::format(
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
            "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
            "<td class=\"num\">{}</td><td class=\"num\">{:.1f}</td></tr>\n",
            HtmlEscape(name.empty() ? "(none)" : name), t.calls, t.failed_calls, t.cache_hits,
            t.input_tokens, t.output_tokens, Usd(t.cost_usd), t.latency_ms / 1000);
      };
      for (const auto& [name, t] : m) line(name, t);
      line("total", d.ledger->total);
      out += "</table>\n";
    };
    table("Role", d.ledger->by_role);
    table("Stage", d.ledger->by_stage);
    table("Model", d.ledger->by_model);
  }
  return out + "</section>\n";
}

std::string TaskGridSection(const ReportData& d) {
  std::string out = "<section id=\"tasks\">\n<h2>Tasks per iteration</h2>\n";
  if (d.iterations.empty()) return out + "<p>No training iterations recorded.</p>\n</section>\n";
  std::vector<std::string> tasks;
  std::set<std::string> seen;
  for (const auto& it : d.iterations) {
    for (const auto& o : it.outcomes) {
      if (seen.insert(o.task_id).second) tasks.push_back(o.task_id);
    }
  }
  out += "<table class=\"grid\"><tr><th>Task</th>";
  for (const auto& it : d.iterations) out += fmt::format("<th>iter {}</th>", it.iteration);
  out += "</tr>\n";
  for (const auto& task : tasks) {
    out += "<tr><td>" + HtmlEscape(task) + "</td>";
    for (const auto& it : d.iterations) {
      auto o = std::find_if(it.outcomes.begin(), it.outcomes.end(),
                            [&](const ReportOutcome& x) { return x.task_id == task; });
      if (o == it.outcomes.end()) {
        out += "<td class=\"absent\">·</td>";
        continue;
      }
      out += fmt::format("<td class=\"{}\" title=\"{} · score {:.2f} · {}\">{} {:.2f}</td>",
                         o->pass ? "pass" : "fail", HtmlEscape(o->task_class), o->score,
                         HtmlEscape(o->stop_reason), o->pass ? "pass" : "fail", o->score);
    }
    out += "</tr>\n";
  }
  return out + "</table>\n</section>\n";
}

std::string DiffHtml(const std::string& diff) {
  std::string out = "<pre class=\"diff\">";
  size_t start = 0;
  while (start < diff.size()) {
    size_t end = diff.find('\n', start);
    if (end == std::string::npos) end = diff.size();
    std::string_view line(diff.data() + start, end - start);
    const char* cls = "ctx";
    if (line.starts_with("+++") || line.starts_with("---") || line.starts_with("diff ")) {
      cls = "file";
    } else if (line.starts_with("@@")) {
      cls = "hunk";
    } else if (line.starts_with("+")) {
      cls = "add";
    } else if (line.starts_with("-")) {
      cls = "del";
    }
    out += fmt::format("<span class=\"{}\">{}</span>", cls, HtmlEscape(line));
    start = end + 1;
  }
  return out + "</pre>\n";
}

std::string DiffSection(const ReportData& d) {
  std::string out = "<section id=\"diffs\">\n<h2>Skill diff per iteration</h2>\n";
  if (d.iterations.empty()) return out + "<p>No training iterations recorded.</p>\n</section>\n";
  for (const auto& it : d.iterations) {
    std::string decision =
        it.decision.empty() ? (it.accepted ? "kept" : "rolled_back") : it.decision;
    out += fmt::format(
        "<details open class=\"iteration-diff\" id=\"diff-{}\"><summary>Iteration {}: patch "
        "<span class=\"{}\">{}</span>, {} change(s)</summary>\n",
        it.iteration, it.iteration, HtmlEscape(decision), HtmlEscape(decision),
        it.patch_changes.size());
    if (it.patch_changes.is_array() && !it.patch_changes.empty()) {
      out += "<table><tr><th>Pattern</th><th>Diagnosed</th><th>Patched</th></tr>\n";
      for (const auto& c : it.patch_changes) {
        auto s = [&](const char* k) {
          return HtmlEscape(c.is_object() && c[k].is_string() ? c[k].get<std::string>() : "");
        };
        out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n", s("pattern"),
                           s("diagnosed"), s("patched"));
      }
      out += "</table>\n";
    }
    out +=
        it.diff.empty() ? "<p>No patch.diff (the patch changed nothing).</p>\n" : DiffHtml(it.diff);
    out += "</details>\n";
  }
  return out + "</section>\n";
}

std::string MomentumSection(const ReportData& d) {
  std::string out = "<section id=\"momentum\">\n<h2>Momentum patterns</h2>\n";
  if (!d.momentum || d.momentum->patterns.empty()) {
    return out + "<p>No momentum record.</p>\n</section>\n";
  }
  out += fmt::format("<p class=\"meta\">The record after iteration {}: {} pattern(s).</p>\n",
                     d.momentum_iteration, d.momentum->patterns.size());
  if (!d.iterations.empty()) {
    LineChartSpec spec = Lines("chart-momentum", "Patterns in the momentum record", "patterns");
    LineSeries s{"patterns", {}};
    for (const auto& it : d.iterations)
      s.points.push_back({double(it.iteration), double(it.momentum_patterns)});
    spec.series.push_back(s);
    out += "<div class=\"charts\">\n" + RenderLineChart(spec) + "</div>\n";
  }
  std::vector<const optim::Pattern*> patterns;
  for (const auto& p : d.momentum->patterns) patterns.push_back(&p);
  std::stable_sort(patterns.begin(), patterns.end(),
                   [](const optim::Pattern* a, const optim::Pattern* b) {
                     return a->recurrence() > b->recurrence();
                   });
  out +=
      "<table class=\"momentum\"><tr><th>Pattern</th><th>Kind</th><th>Summary</th>"
      "<th>Anchor</th><th>Recurrence</th>";
  for (const auto& it : d.iterations) out += fmt::format("<th>{}</th>", it.iteration);
  out += "<th>Guidance</th><th>Remedies</th></tr>\n";
  for (const optim::Pattern* p : patterns) {
    out +=
        fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td>",
                    HtmlEscape(p->slug), HtmlEscape(optim::PatternKindName(p->kind)),
                    HtmlEscape(p->summary), HtmlEscape(p->anchor.value_or("—")), p->recurrence());
    for (const auto& it : d.iterations) {
      bool seen = std::count(p->appeared_in.begin(), p->appeared_in.end(), it.iteration) > 0;
      out += seen ? "<td class=\"seen\">●</td>" : "<td class=\"absent\">·</td>";
    }
    std::string remedies;
    for (const auto& r : p->remedy_log) {
      remedies += fmt::format("<div>iter {}: {} → {}</div>", r.iteration, HtmlEscape(r.diagnosed),
                              HtmlEscape(r.patched));
    }
    out += fmt::format("<td>{}</td><td>{}</td></tr>\n", HtmlEscape(p->guidance), remedies);
  }
  return out + "</table>\n</section>\n";
}

}  // namespace

const char* ReportStyle() { return kStyleText; }

std::string RenderReportHtml(const ReportData& data) {
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; img-src data:\">\n"
      "<title>skillgrad report: {}</title>\n<style>{}</style>\n</head>\n<body>\n"
      "<h1>skillgrad run report</h1>\n<p class=\"meta\">{}</p>\n",
      HtmlEscape(data.run_id), kStyleText, HtmlEscape(data.run_id));
  out += SummarySection(data);
  out += AccuracySection(data);
  out += TestAccuracySection(data);
  out += CostSection(data);
  out += TaskGridSection(data);
  out += DiffSection(data);
  out += MomentumSection(data);
  return out + "</body>\n</html>\n";
}

Result<fs::path> WriteRunReport(const fs::path& run_dir, const fs::path& out) {
  SG_ASSIGN_OR_RETURN(ReportData data, LoadReportData(run_dir));
  const fs::path target = out.empty() ? run_dir / "report.html" : out;
  SG_RETURN_IF_ERROR(WriteFileAtomic(target, RenderReportHtml(data)));
  return target;
}

}  // namespace sg::report
