// The diagnoser's view of a grading (tasks/comparison_report.h) over real workbooks graded by
// both graders: at most 50 expected and 50 actual cells, a summary line, at most 20
// mismatches, the accuracy line, and a grader without cells kept as its own text.
#include "tasks/comparison_report.h"

#include <gtest/gtest.h>

#include <string>

#include "core/testing.h"
#include "tasks/cell_accuracy.h"
#include "tasks/spreadsheetbench_grader.h"
#include "tasks/testing_column_workbook.h"

namespace sg::tasks {
namespace {

namespace fs = std::filesystem;
using tasks_testing::Counting;
using tasks_testing::WriteColumnWorkbook;

std::size_t Occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

class ComparisonReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(WriteColumnWorkbook(golden_, Counting(60)));
    ASSERT_TRUE(WriteColumnWorkbook(output_, Counting(60, 31)));  // rows 31..60 wrong
  }
  testing::TempDir dir_;
  fs::path golden_ = dir_.path() / "golden.xlsx";
  fs::path output_ = dir_.path() / "1_t_output.xlsx";
};

TEST_F(ComparisonReportTest, SixtyExpectedCellsShowFiftyOfEachAndTwentyMismatches) {
  auto cmp = MeasureCellAccuracy(golden_, output_, "A1:A60");
  ASSERT_TRUE(cmp.ok()) << cmp.error().ToString();
  EXPECT_EQ(cmp->total_count, 60u);
  EXPECT_EQ(cmp->shown_expected.cells.size(), kShownCellLimit);
  EXPECT_EQ(cmp->shown_expected.total, 60u);
  const std::string text = FormatWorkbookComparison(cmp->ToJson());
  EXPECT_NE(text.find("Expected cells (50 of 60 shown):\n  Sheet1!A1: 1\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("  Sheet1!A50: 50\n  ... 10 more not shown\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Actual cells (50 of 60 shown):"), std::string::npos) << text;
  EXPECT_NE(text.find("  Sheet1!A50: 1050\n"), std::string::npos) << text;
  // The 51st cell is past both lists and past the 20 mismatches (A31..A50).
  EXPECT_EQ(text.find("A51"), std::string::npos) << text;
  EXPECT_NE(text.find("Summary: 30/60 cells match (50.0% accuracy)"), std::string::npos) << text;
  EXPECT_NE(text.find("Mismatches (20 of 30 shown):\n  Sheet1!A31: expected \"31\", got \"1031\""),
            std::string::npos)
      << text;
  EXPECT_EQ(Occurrences(text, ": expected \""), 20u) << text;
  EXPECT_NE(text.find("  ... 10 more not shown\n"), text.rfind("  ... 10 more not shown\n"));
}

TEST_F(ComparisonReportTest, TheOfficialGraderKeepsTheSameCappedView) {
  auto cmp = CompareWorkbookFiles(golden_, output_, "A1:A60");
  ASSERT_TRUE(cmp.ok()) << cmp.error().ToString();
  EXPECT_EQ(cmp->shown_expected.cells.size(), kShownCellLimit);
  EXPECT_EQ(cmp->shown_actual.total, 60u);
  const std::string text = FormatWorkbookComparison(cmp->ToJson());
  EXPECT_EQ(text.find("A51"), std::string::npos) << text;
  EXPECT_EQ(Occurrences(text, ": expected \""), 20u) << text;
}

TEST_F(ComparisonReportTest, SmallComparisonsAreShownWhole) {
  auto cmp = MeasureCellAccuracy(golden_, output_, "A29:A32");
  ASSERT_TRUE(cmp.ok());
  const std::string text = FormatWorkbookComparison(cmp->ToJson());
  EXPECT_NE(text.find("Expected cells (4):\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("not shown"), std::string::npos) << text;
  EXPECT_NE(text.find("Summary: 2/4 cells match (50.0% accuracy)\nMismatches (2):\n"),
            std::string::npos)
      << text;
}

TEST_F(ComparisonReportTest, AMissingOutputListsTheExpectedCellsAsGotNoFile) {
  auto cmp = MeasureCellAccuracy(golden_, dir_.path() / "absent.xlsx", "A1:A60");
  ASSERT_TRUE(cmp.ok());
  const std::string text = FormatWorkbookComparison(cmp->ToJson());
  EXPECT_NE(text.find("Actual cells: none, the output workbook was not produced."),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Summary: 0/60 cells match (0.0% accuracy)"), std::string::npos) << text;
  EXPECT_NE(text.find("Sheet1!A1: expected \"1\", got \"<no file>\""), std::string::npos) << text;
  EXPECT_EQ(Occurrences(text, ": expected \""), 20u) << text;
}

TEST_F(ComparisonReportTest, AnAssessmentGivesTheAccuracyLineAndTheOutputs) {
  auto cmp = MeasureCellAccuracy(golden_, output_, "A1:A60");
  ASSERT_TRUE(cmp.ok());
  Json entry = cmp->ToJson();
  entry["test_case"] = 1;
  entry["output"] = "1_t_output.xlsx";
  Json assessment = {{"match_count", 30},
                     {"total_count", 60},
                     {"cell_accuracy", 0.5},
                     {"verdict",
                      {{"pass", false},
                       {"details", {{"test_cases", Json::array({entry})}}},
                       {"comparison", cmp->ToText()}}}};
  GradingReport report = ReportGrading(assessment);
  EXPECT_EQ(report.accuracy_line, "Accuracy: 30/60 cells match (50.0%)");
  ASSERT_TRUE(report.accuracy.has_value());
  EXPECT_DOUBLE_EQ(*report.accuracy, 0.5);
  EXPECT_EQ(report.outputs, std::vector<std::string>{"1_t_output.xlsx"});
  EXPECT_EQ(report.comparison, FormatWorkbookComparison(entry));

  // Two test cases: one block each, headed; counts summed when the assessment has none.
  Json second = entry;
  second["test_case"] = 2;
  second["output"] = "2_t_output.xlsx";
  Json two = {{"verdict", {{"details", {{"test_cases", Json::array({entry, second})}}}}}};
  GradingReport both = ReportGrading(two);
  EXPECT_EQ(both.accuracy_line, "Accuracy: 60/120 cells match (50.0%)");
  EXPECT_NE(both.comparison.find("### Test case 2 (2_t_output.xlsx)"), std::string::npos);
  EXPECT_EQ(both.outputs.size(), 2u);
}

TEST(ComparisonReport, AGraderWithoutCellsKeepsItsTextCutAndSaysSo) {
  std::string long_text;
  for (int i = 0; i < 150; ++i) long_text += "line " + std::to_string(i) + "\n";
  Json assessment = {{"match_count", nullptr},
                     {"verdict", {{"pass", false}, {"comparison", long_text}}}};
  GradingReport report = ReportGrading(assessment);
  EXPECT_FALSE(report.accuracy.has_value());
  EXPECT_NE(report.accuracy_line.find("no cell counts"), std::string::npos);
  EXPECT_NE(report.comparison.find("line 99\n... 50 more lines not shown\n"), std::string::npos)
      << report.comparison;
  EXPECT_EQ(report.comparison.find("line 100"), std::string::npos);

  GradingReport errored = ReportGrading(Json{{"verdict", nullptr}, {"error", "golden unreadable"}});
  EXPECT_NE(errored.comparison.find("golden unreadable"), std::string::npos);
  EXPECT_NE(errored.accuracy_line.find("not measured"), std::string::npos);
}

TEST(ComparisonReport, ValuesReadAsTheMethodShowsThem) {
  EXPECT_EQ(DisplayCellValue(nullptr), "<empty>");
  EXPECT_EQ(DisplayCellValue(10.0), "10");
  EXPECT_EQ(DisplayCellValue(2.5), "2.5");
  EXPECT_EQ(DisplayCellValue(1.0 / 3.0), "0.333333");
  EXPECT_EQ(DisplayCellValue(true), "True");
  EXPECT_EQ(DisplayCellValue("Paris"), "Paris");
  EXPECT_EQ(FormatPercent(2.0 / 3.0), "66.7%");
}

}  // namespace
}  // namespace sg::tasks
