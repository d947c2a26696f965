#include "report/summary_html.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>

#include "core/json.h"
#include "report/report_html.h"
#include "report/report_svg.h"

namespace sg::report {

namespace {

std::string Percent(double v) { return fmt::format("{:.1f}%", v * 100); }

std::string IntervalText(const Json& interval) {
  if (!interval.is_array()) return "—";
  return fmt::format("[{}, {}]", Percent(interval[0].get<double>()),
                     Percent(interval[1].get<double>()));
}

std::string TableHtml(const Json& rows) {
  std::string out =
      "<table><tr><th>Method</th><th>Backbone</th><th>Benchmark</th><th>Runs</th>"
      "<th>Mean ± sd</th><th>95% interval of the mean</th><th>Seed skill</th>"
      "<th>Cost per run</th><th>Run ids</th></tr>\n";
  for (const Json& r : rows) {
    const Json& seed = r["seed_baseline"];
    out += fmt::format(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{} ± {}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">${:.4f}</td><td>{}</td></tr>\n",
        HtmlEscape(r["method"].get<std::string>()), HtmlEscape(r["backbone"].get<std::string>()),
        HtmlEscape(r["benchmark"].get<std::string>()), r["n_runs"].get<int>(),
        Percent(r["mean"].get<double>()), Percent(r["sd"].get<double>()),
        IntervalText(r["interval"]), seed.is_number() ? Percent(seed.get<double>()) : "—",
        r["cost_per_run_usd"].get<double>(),
        HtmlEscape(
            fmt::format("{}", fmt::join(r["run_ids"].get<std::vector<std::string>>(), ", "))));
  }
  return out + "</table>\n";
}

// One chart per benchmark, a group per method and backbone.
std::string ChartsHtml(const Json& rows) {
  std::map<std::string, BarChartSpec> charts;
  for (const Json& r : rows) {
    const std::string benchmark = r["benchmark"].get<std::string>();
    BarChartSpec& spec = charts[benchmark];
    if (spec.id.empty()) {
      spec.id = "chart-summary-" + std::to_string(charts.size());
      spec.title = "Test accuracy on " + benchmark + " (mean over training seeds, 95% interval)";
      spec.y_label = "accuracy";
      spec.series_names = {"trained (mean)", "seed skill"};
      spec.y_max = 1;
      spec.y_percent = true;
    }
    BarGroup group;
    group.label = r["method"].get<std::string>() + " / " + r["backbone"].get<std::string>();
    group.values = {r["mean"].get<double>(),
                    r["seed_baseline"].is_number() ? r["seed_baseline"].get<double>() : 0.0};
    const Json& interval = r["interval"];
    group.intervals = {interval.is_array()
                           ? std::make_pair(interval[0].get<double>(), interval[1].get<double>())
                           : std::make_pair(1.0, 0.0),
                       std::make_pair(1.0, 0.0)};
    spec.groups.push_back(std::move(group));
  }
  std::string out = "<div class=\"charts\">\n";
  for (const auto& [benchmark, spec] : charts) out += RenderBarChart(spec);
  return out + "</div>\n";
}

}  // namespace

std::string RenderSummaryHtml(const std::vector<run::SummaryGroup>& groups,
                              const std::string& title) {
  const Json rows = run::SummaryJson(groups);
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; img-src data:\">\n"
      "<title>skillgrad summary: {0}</title>\n<style>{1}</style>\n</head>\n<body>\n"
      "<h1>skillgrad summary</h1>\n<p class=\"meta\">{0}</p>\n"
      "<section id=\"summary-table\">\n<h2>Test accuracy over training seeds</h2>\n"
      "<p>Per method, backbone and benchmark: the mean and sample standard deviation of each "
      "run's test accuracy (test_hard), the 95% t interval of the mean, the seed skill's mean "
      "accuracy and the mean cost per run (docs/statistics.md).</p>\n{2}</section>\n"
      "<section id=\"summary-charts\">\n<h2>Charts</h2>\n{3}</section>\n</body>\n</html>\n",
      HtmlEscape(title), ReportStyle(), TableHtml(rows), ChartsHtml(rows));
}

}  // namespace sg::report
