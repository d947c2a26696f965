// Black-box tests of `skillgrad grade spreadsheetbench`: the real binary on the real
// samples, single pair and --batch, exit codes and the JSON it prints.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "core/file_util.h"
#include "core/json.h"
#include "core/testing.h"

namespace sg::cli {
namespace {
namespace fs = std::filesystem;

struct CommandRun {
  int exit_code = -1;
  std::string out;  // stdout only
};

std::string Quote(const std::string& s) { return "'" + s + "'"; }

CommandRun Grade(const std::string& args) {
  testing::CommandResult result = testing::RunCommand(
      testing::SkillgradCommand() + " grade spreadsheetbench " + args + " 2>/dev/null");
  return {result.exit_code, result.output};
}

fs::path Sample(const std::string& id, const std::string& file) {
  return testing::SamplesDir() / "spreadsheetbench" / "spreadsheet" / id / file;
}

TEST(GradeSpreadsheetBenchCommandTest, PassAndFailWithDiffs) {
  std::string golden = Quote(Sample("32293", "1_32293_golden.xlsx").string());
  CommandRun pass =
      Grade("--golden " + golden + " --output " + golden + " --answer-position B14:B17");
  EXPECT_EQ(pass.exit_code, 0) << pass.out;
  Json p = Json::parse(pass.out);
  EXPECT_TRUE(p["pass"].get<bool>());
  EXPECT_TRUE(p["diffs"].empty());

  CommandRun fail =
      Grade("--golden " + golden + " --output " +
            Quote(Sample("32293", "1_32293_init.xlsx").string()) + " --answer-position B14:B17");
  EXPECT_EQ(fail.exit_code, 1) << fail.out;
  Json f = Json::parse(fail.out);
  EXPECT_FALSE(f["pass"].get<bool>());
  ASSERT_FALSE(f["diffs"].empty());
  EXPECT_EQ(f["diffs"][0]["sheet"], "Sheet1");
  EXPECT_NE(f["comparison"].get<std::string>().find("'Sheet1'!B"), std::string::npos);
}

TEST(GradeSpreadsheetBenchCommandTest, QuotedSheetWithCommas) {
  std::string golden = Quote(Sample("130-9", "1_130-9_golden.xlsx").string());
  CommandRun run = Grade("--golden " + golden + " --output " + golden +
                         " --answer-position \"'b2b, sez, de'!A5:V10\"");
  EXPECT_EQ(run.exit_code, 0) << run.out;
  EXPECT_EQ(Json::parse(run.out)["cells_compared"], 6 * 22);
}

// 283-32's "Sheet3'!A:G,'Sheet4'!A:G": the method's split keeps the comma inside the quote
// the first part opens, so the input reads as one valueless cell and passes; the official
// evaluator compares both sheets' columns and fails it.
TEST(GradeSpreadsheetBenchCommandTest, TheGraderFlagChoosesTheMethodOrTheOfficialVerdict) {
  const std::string args = "--golden " + Quote(Sample("283-32", "1_283-32_golden.xlsx").string()) +
                           " --output " + Quote(Sample("283-32", "1_283-32_init.xlsx").string()) +
                           " --answer-position \"Sheet3'!A:G,'Sheet4'!A:G\"";
  CommandRun method = Grade(args);
  EXPECT_EQ(method.exit_code, 0) << method.out;
  Json m = Json::parse(method.out);
  EXPECT_EQ(m["grader"], "skillgrad");
  EXPECT_EQ(m["match_count"], 1);
  EXPECT_EQ(m["total_count"], 1);
  CommandRun official = Grade(args + " --grader official");
  EXPECT_EQ(official.exit_code, 1) << official.out;
  Json o = Json::parse(official.out);
  EXPECT_EQ(o["grader"], "official");
  EXPECT_FALSE(o["pass"].get<bool>());
  EXPECT_LT(o["match_count"].get<int>(), o["total_count"].get<int>());
  CommandRun bad = Grade(args + " --grader nope");
  EXPECT_EQ(bad.exit_code, 2);
}

TEST(GradeSpreadsheetBenchCommandTest, UsageAndGoldenErrorsExitTwo) {
  EXPECT_EQ(Grade("--golden x.xlsx").exit_code, 2);
  testing::TempDir tmp;
  CommandRun run = Grade("--golden " + Quote((tmp.path() / "none.xlsx").string()) +
                         " --output x --answer-position A1");
  EXPECT_EQ(run.exit_code, 2);
}

TEST(GradeSpreadsheetBenchCommandTest, BatchAnswersEveryLineInOrder) {
  testing::TempDir tmp;
  std::string golden = Sample("14240", "1_14240_golden.xlsx").string();
  std::string input = Sample("14240", "1_14240_init.xlsx").string();
  std::ostringstream lines;
  lines << Json{{"golden", golden}, {"output", golden}, {"answer_position", "U4:U75"}}.dump()
        << "\n"
        << "not json\n"
        << Json{{"golden", golden}, {"output", input}, {"answer_position", "U4:U75"}}.dump()
        << "\n\n"
        << Json{{"golden", golden}, {"answer_position", "U4:U75"}}.dump() << "\n"
        << Json{{"golden", (tmp.path() / "none.xlsx").string()},
                {"output", golden},
                {"answer_position", "A1"}}
               .dump()
        << "\n"
        << Json{{"golden", golden},
                {"output", (tmp.path() / "missing.xlsx").string()},
                {"answer_position", "U4:U75"}}
               .dump()
        << "\n";
  fs::path batch = tmp.path() / "batch.jsonl";
  ASSERT_TRUE(WriteFileAtomic(batch, lines.str()).ok());
  for (const char* jobs : {"1", "3"}) {
    CommandRun run = Grade("--batch " + Quote(batch.string()) + " --jobs " + jobs);
    EXPECT_EQ(run.exit_code, 0) << run.out;
    std::vector<Json> answers;
    std::istringstream in(run.out);
    for (std::string line; std::getline(in, line);) answers.push_back(Json::parse(line));
    ASSERT_EQ(answers.size(), 6u) << run.out;
    EXPECT_TRUE(answers[0]["pass"].get<bool>());
    EXPECT_TRUE(answers[1].contains("error"));
    EXPECT_FALSE(answers[2]["pass"].get<bool>());
    EXPECT_FALSE(answers[2]["diffs"].empty());
    EXPECT_NE(answers[3]["error"].get<std::string>().find("output"), std::string::npos);
    EXPECT_NE(answers[4]["error"].get<std::string>().find("golden"), std::string::npos);
    EXPECT_FALSE(answers[5]["pass"].get<bool>());
    EXPECT_NE(answers[5]["problems"][0].get<std::string>().find("does not exist"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace sg::cli
