// The run report over a hand-written run directory (tests/data/report/run-fixture) that
// follows what train.cpp, eval.cpp, momentum.cpp and cost_ledger.cpp write.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <regex>

#include "core/file_util.h"
#include "core/testing.h"
#include "llm/ledger_totals.h"
#include "report/report_data.h"
#include "report/report_html.h"
#include "report/report_svg.h"
#include "report/summary_html.h"

namespace sg::report {
namespace {
namespace fs = std::filesystem;

fs::path Fixture() { return sg::testing::SourceDir() / "tests/data/report/run-fixture"; }

int Count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) {
    ++n;
  }
  return n;
}

// The markup of the <svg> element with this id.
std::string Svg(const std::string& html, const std::string& id) {
  size_t start = html.find("<svg class=\"chart\" id=\"" + id + "\"");
  if (start == std::string::npos) return "";
  size_t end = html.find("</svg>", start);
  return html.substr(start, end - start);
}

TEST(ReportSvg, EscapesEveryMarkupCharacter) {
  EXPECT_EQ(HtmlEscape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

TEST(ReportSvg, NiceCeilingRoundsUp) {
  EXPECT_DOUBLE_EQ(NiceCeiling(0.07), 0.1);
  EXPECT_DOUBLE_EQ(NiceCeiling(0.13), 0.2);
  EXPECT_DOUBLE_EQ(NiceCeiling(2.2), 2.5);
  EXPECT_DOUBLE_EQ(NiceCeiling(41.5), 50);
  EXPECT_DOUBLE_EQ(NiceCeiling(0), 1);
}

TEST(ReportSvg, LineChartPlacesPointsByValue) {
  LineChartSpec spec{
      .id = "c", .title = "T", .x_label = "iteration", .y_label = "acc", .y_max = 1, .series = {}};
  spec.series.push_back({"s", {{1, 0.0}, {2, 1.0}}});
  std::string svg = RenderLineChart(spec);
  EXPECT_EQ(Count(svg, "<circle class=\"point\""), 2);
  EXPECT_NE(svg.find("<polyline"), std::string::npos);
  // y = 0 sits on the x axis, y = 1 at the top of the plot area.
  std::smatch m;
  std::regex cy("cy=\"([0-9.]+)\"");
  std::vector<double> ys;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), cy); it != std::sregex_iterator();
       ++it) {
    ys.push_back(std::stod((*it)[1]));
  }
  ASSERT_EQ(ys.size(), 2u);
  EXPECT_GT(ys[0], ys[1]);
}

TEST(ReportSvg, BarHeightsAreProportional) {
  BarChartSpec spec{
      .id = "b", .title = "T", .y_label = "USD", .series_names = {"cost"}, .groups = {}};
  spec.y_max = 10;
  spec.groups = {{"a", {5}}, {"b", {10}}};
  std::string svg = RenderBarChart(spec);
  std::regex h("class=\"bar\"[^>]*height=\"([0-9.]+)\"");
  std::vector<double> heights;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), h); it != std::sregex_iterator();
       ++it) {
    heights.push_back(std::stod((*it)[1]));
  }
  ASSERT_EQ(heights.size(), 2u);
  EXPECT_GT(heights[0], 0);
  EXPECT_NEAR(heights[1], 2 * heights[0], 0.2);
}

TEST(ReportData, ReadsTheFixtureRun) {
  auto data = LoadReportData(Fixture());
  ASSERT_TRUE(data.ok()) << data.error().message;
  EXPECT_EQ(data->run_id, "skillgrad_mock-exec");
  ASSERT_EQ(data->iterations.size(), 3u);
  EXPECT_NEAR(data->iterations[0].batch_pass_rate, 1.0 / 3, 1e-9);
  EXPECT_EQ(data->iterations[1].decision, "rolled_back");
  EXPECT_FALSE(data->iterations[1].accepted);
  EXPECT_DOUBLE_EQ(*data->iterations[2].validation_after, 0.8);
  EXPECT_NE(data->iterations[0].diff.find("+Count the header row"), std::string::npos);
  ASSERT_TRUE(data->eval_before && data->eval_after);
  EXPECT_DOUBLE_EQ(data->eval_before->hard_accuracy, 0.4);
  EXPECT_DOUBLE_EQ(data->eval_after->hard_accuracy, 0.7);
  ASSERT_TRUE(data->ledger);
  EXPECT_EQ(data->ledger->by_role.count("patcher"), 1u);
  EXPECT_EQ(data->ledger->by_stage.count("eval"), 1u);
  ASSERT_TRUE(data->momentum);
  EXPECT_EQ(data->momentum_iteration, 3);
  ASSERT_NE(data->momentum->Find("header-row-offset"), nullptr);
  EXPECT_EQ(data->momentum->Find("header-row-offset")->recurrence(), 3);
  EXPECT_TRUE(data->problems.empty());
}

TEST(ReportData, ADamagedLedgerLineIsSkippedAndNamedNotFatal) {
  sg::testing::TempDir tmp;
  const fs::path ledger = tmp.path() / "ledger.jsonl";
  const std::string row =
      Json({{"role", "executor"}, {"model", "m"}, {"stage", "eval"}, {"cost_usd", 0.5}}).dump();
  ASSERT_TRUE(
      WriteFileAtomic(ledger, row + "\n{\"role\": \"exec\n" + row + "\n" + row.substr(0, 9)).ok());
  auto data = LoadReportData(tmp.path());
  ASSERT_TRUE(data.ok()) << data.error().message;
  ASSERT_TRUE(data->ledger);
  // The report reads the ledger through SummarizeLedger, as eval does for its cost: the same
  // rows, the same damaged line.
  auto summary = llm::SummarizeLedger(ledger);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(data->ledger->total.calls, 2);
  EXPECT_EQ(data->ledger->ToJson(), summary->ToJson());
  EXPECT_EQ(data->ledger->read.damaged_lines, 1);
  ASSERT_EQ(data->problems.size(), 1u);
  EXPECT_NE(data->problems[0].find("ledger.jsonl:2: not a JSON object"), std::string::npos)
      << data->problems[0];
  EXPECT_NE(data->problems[0].find("last line is cut short"), std::string::npos)
      << data->problems[0];
}

TEST(ReportHtml, HasEverySectionAndChartWithData) {
  sg::testing::TempDir tmp;
  auto written = WriteRunReport(Fixture(), tmp.path() / "report.html");
  ASSERT_TRUE(written.ok()) << written.error().message;
  auto html = ReadFile(*written);
  ASSERT_TRUE(html.ok());
  for (const char* id :
       {"summary", "accuracy", "test-accuracy", "cost-time", "tasks", "diffs", "momentum"}) {
    EXPECT_NE(html->find(fmt::format("<section id=\"{}\">", id)), std::string::npos) << id;
  }
  // Accuracy: batch pass rate and validation after, one point per iteration each, and
  // validation before: 3 series x 3 iterations.
  std::string accuracy = Svg(*html, "chart-accuracy");
  EXPECT_EQ(Count(accuracy, "<circle class=\"point\""), 9);
  EXPECT_NE(accuracy.find("data-y=\"0.6666666666666666\""), std::string::npos);
  // Test accuracy: before and after, hard and soft.
  std::string test = Svg(*html, "chart-test-accuracy");
  EXPECT_EQ(Count(test, "<rect class=\"bar\""), 4);
  EXPECT_NE(test.find("data-value=\"0.4\""), std::string::npos);
  EXPECT_NE(test.find("data-value=\"0.7\""), std::string::npos);
  // Their intervals and the paired test, as the summaries hold them
  // (tests/data/report/add_intervals.py).
  EXPECT_NE(html->find("70.0% [39.7%, 89.2%] (10 tasks x 1 rollouts, wilson)"), std::string::npos);
  EXPECT_NE(html->find("40.0% [16.8%, 68.7%] (10 tasks x 1 rollouts, wilson)"), std::string::npos);
  EXPECT_NE(html->find("After − before: <strong>+30.0 points</strong>, 95% interval [+0.0, +60.0]"),
            std::string::npos);
  EXPECT_NE(html->find("exact McNemar <strong>p = 0.25</strong> (after better on 3, before better "
                       "on 0 of 10 tasks)"),
            std::string::npos);
  // Cost per stage covers the five training stages and eval; per role the four roles.
  EXPECT_EQ(Count(Svg(*html, "chart-cost-stage"), "<rect class=\"bar\""), 6);
  EXPECT_EQ(Count(Svg(*html, "chart-time-stage"), "<rect class=\"bar\""), 6);
  EXPECT_EQ(Count(Svg(*html, "chart-cost-role"), "<rect class=\"bar\""), 4);
  EXPECT_EQ(Count(Svg(*html, "chart-cost-cumulative"), "<circle class=\"point\""), 3);
  EXPECT_EQ(Count(Svg(*html, "chart-momentum"), "<circle class=\"point\""), 3);
  // Grid: 5 distinct tasks x 3 iterations, 9 outcomes.
  EXPECT_EQ(Count(*html, "<td class=\"pass\""), 5);
  EXPECT_EQ(Count(*html, "<td class=\"fail\""), 4);
  // Diffs, coloured per line.
  EXPECT_EQ(Count(*html, "<details open class=\"iteration-diff\""), 3);
  EXPECT_NE(html->find("<span class=\"add\">+Count the header row"), std::string::npos);
  EXPECT_NE(html->find("<span class=\"del\">-Use the first data row"), std::string::npos);
  EXPECT_NE(html->find("<span class=\"hunk\">@@"), std::string::npos);
  // Momentum: recurrence 3 for the pattern seen in every iteration.
  EXPECT_NE(html->find("<td>header-row-offset</td><td>operation</td>"), std::string::npos);
  EXPECT_EQ(Count(*html, "<td class=\"seen\">"), 6);
}

TEST(ReportHtml, EscapesArtifactTextAndLoadsNothingExternal) {
  auto data = LoadReportData(Fixture());
  ASSERT_TRUE(data.ok());
  std::string html = RenderReportHtml(*data);
  // The fixture's diff, a pattern summary and a task id carry markup.
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;m&#39;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("<td>t&amp;&lt;3&gt;</td>"), std::string::npos);
  EXPECT_EQ(html.find("t&<3>"), std::string::npos);
  for (const char* external : {"http://", "https://", "src=", "<link", "@import", "url("}) {
    std::string without_ns =
        std::regex_replace(html, std::regex("xmlns=\"http://www.w3.org/2000/svg\""), "");
    EXPECT_EQ(without_ns.find(external), std::string::npos) << external;
  }
}

TEST(ReportHtml, HostileRunIdAndEmptyRun) {
  sg::testing::TempDir tmp;
  fs::path run = tmp.path() / "run";
  ASSERT_TRUE(MakeDirs(run / "eval").ok());
  ASSERT_TRUE(
      WriteFileAtomic(run / "config.json", R"({"run_id": "</title><script>x</script>"})").ok());
  ASSERT_TRUE(WriteFileAtomic(run / "eval/summary.json",
                              R"({"hard_accuracy": 0.5, "soft_accuracy": 0.5, "tasks": 2})")
                  .ok());
  auto written = WriteRunReport(run);
  ASSERT_TRUE(written.ok()) << written.error().message;
  EXPECT_EQ(*written, run / "report.html");
  std::string html = *ReadFile(*written);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("No training iterations recorded."), std::string::npos);
  EXPECT_EQ(Count(Svg(html, "chart-test-accuracy"), "<rect class=\"bar\""), 2);
}

TEST(ReportHtml, SaysWhenAgentCodeRanWithoutIsolation) {
  for (bool unsafe : {true, false}) {
    sg::testing::TempDir tmp;
    fs::path run = tmp.path() / "run";
    ASSERT_TRUE(MakeDirs(run / "eval").ok());
    const std::string sandbox =
        unsafe ? R"J({"backend": "unshare", "isolated": false, "unsafe": true,
                      "missing": ["filesystem isolation (bubblewrap)"]})J"
               : R"J({"backend": "bubblewrap", "isolated": true, "unsafe": false, "missing": []})J";
    ASSERT_TRUE(
        WriteFileAtomic(run / "config.json", R"({"run_id": "r", "sandbox": )" + sandbox + "}")
            .ok());
    ASSERT_TRUE(WriteFileAtomic(run / "eval/summary.json",
                                R"({"hard_accuracy": 0.5, "soft_accuracy": 0.5, "tasks": 2})")
                    .ok());
    auto written = WriteRunReport(run);
    ASSERT_TRUE(written.ok()) << written.error().message;
    std::string html = *ReadFile(*written);
    if (unsafe) {
      EXPECT_NE(html.find("UNSAFE (--unsafe-sandbox): agent code ran without filesystem "
                          "isolation (bubblewrap)"),
                std::string::npos);
    } else {
      EXPECT_NE(html.find("isolated (bubblewrap, verified from inside)"), std::string::npos);
      EXPECT_EQ(html.find("UNSAFE"), std::string::npos);
    }
  }
}

TEST(ReportData, ErrorsNameTheFileAndTheFix) {
  sg::testing::TempDir tmp;
  auto missing = LoadReportData(tmp.path() / "nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("does not exist"), std::string::npos);

  auto empty = LoadReportData(tmp.path());
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().message.find("training_results.json"), std::string::npos);

  ASSERT_TRUE(MakeDirs(tmp.path() / "train").ok());
  ASSERT_TRUE(WriteFileAtomic(tmp.path() / "train/training_results.json", "{\"a\": 1}").ok());
  auto wrong = LoadReportData(tmp.path());
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message.find("expected a JSON array"), std::string::npos);

  ASSERT_TRUE(
      WriteFileAtomic(tmp.path() / "train/training_results.json", "[{\"batch\": []}]").ok());
  auto no_iteration = LoadReportData(tmp.path());
  ASSERT_FALSE(no_iteration.ok());
  EXPECT_NE(no_iteration.error().message.find("entry 0"), std::string::npos);
}

TEST(ReportData, UnreadableMomentumIsReportedNotFatal) {
  sg::testing::TempDir tmp;
  ASSERT_TRUE(MakeDirs(tmp.path() / "train/iter_1").ok());
  ASSERT_TRUE(WriteFileAtomic(tmp.path() / "train/training_results.json",
                              R"([{"iteration": 1, "batch_pass_rate": 0.5}])")
                  .ok());
  ASSERT_TRUE(WriteFileAtomic(tmp.path() / "train/iter_1/momentum_memory.json", "{not json").ok());
  auto data = LoadReportData(tmp.path());
  ASSERT_TRUE(data.ok()) << data.error().message;
  ASSERT_EQ(data->problems.size(), 1u);
  EXPECT_NE(data->problems[0].find("momentum_memory.json"), std::string::npos);
  EXPECT_NE(RenderReportHtml(*data).find("could not be read"), std::string::npos);
}

TEST(SummaryHtml, ShowsEachGroupWithItsIntervalAndEscapesNames) {
  run::SummaryGroup a;
  a.method = "skillgrad";
  a.backbone = "<b>model</b>";
  a.benchmark = "wtq";
  a.run_ids = {"r1", "r2"};
  a.test_hard = {0.5, 0.52};  // mean 0.51, sd 0.01414; t(0.975, 1) = 12.706
  a.seed_hard = {0.4, 0.4};
  a.cost_usd = {1, 3};
  run::SummaryGroup b = a;
  b.method = "skillgrad -momentum";
  b.run_ids = {"r3"};
  b.test_hard = {0.55};  // one run: no interval
  const std::string html = RenderSummaryHtml({a, b}, "sweep.yaml");
  EXPECT_EQ(html.find("<b>model</b>"), std::string::npos);
  EXPECT_NE(html.find("&lt;b&gt;model&lt;/b&gt;"), std::string::npos);
  EXPECT_NE(html.find("51.0% ± 1.4%"), std::string::npos) << html;
  EXPECT_NE(html.find("$2.0000"), std::string::npos);
  // One error bar, for the group of two runs: mean -/+ 12.706 x 0.01414 / sqrt(2).
  EXPECT_EQ(Count(html, "class=\"interval\""), 1);
  std::smatch m;
  ASSERT_TRUE(
      std::regex_search(html, m, std::regex("data-low=\"([-0-9.e]+)\" data-high=\"([-0-9.e]+)\"")))
      << html;
  EXPECT_NEAR(std::stod(m[1]), 0.51 - 0.12706, 1e-9);
  EXPECT_NEAR(std::stod(m[2]), 0.51 + 0.12706, 1e-9);
  EXPECT_EQ(Count(html, "<rect class=\"bar\""), 4);
}

}  // namespace
}  // namespace sg::report
