// Black-box tests of `skillgrad split` and `skillgrad grade wtq`: the real binary, its exit
// codes, the split.json it writes and the JSON lines it prints.
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
  std::string out;  // stdout, then stderr
};

std::string Quote(const std::string& s) { return "'" + s + "'"; }

CommandRun Skillgrad(const std::string& args) {
  testing::CommandResult result =
      testing::RunCommand(testing::SkillgradCommand() + " " + args + " 2>&1");
  return {result.exit_code, result.output};
}

Json ExpectedSplit(const std::string& ids, int64_t master, int64_t heldout) {
  auto all = ReadJsonFile(testing::SourceDir() / "tests/data/splits/expected.json");
  EXPECT_TRUE(all.ok());
  for (const Json& c : (*all)["splits"]) {
    if (c["tasks"] == ids && c["master_seed"] == master && c["heldout_seed"] == heldout &&
        c["n_test"].is_null()) {
      return c["expected"];
    }
  }
  ADD_FAILURE() << "no expected split for " << ids;
  return Json();
}

TEST(SplitCommand, WritesTheReferenceSplitOfTheWtqSamples) {
  testing::TempDir results;
  CommandRun run = Skillgrad("split --benchmark wtq --data-dir " +
                             Quote((testing::SamplesDir() / "wtq").string()) + " --results-root " +
                             Quote(results.path().string()) + " --master-seed 0 --heldout-seed 42");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  auto written = ReadJsonFile(results.path() / "splits/master_0_heldout_42/split.json");
  ASSERT_TRUE(written.ok()) << written.error().ToString();
  Json expected = ExpectedSplit("wtq_samples", 0, 42);
  for (const char* field :
       {"evolution_ids", "val_ids", "test_ids", "test_pool_ids", "evolution_indices", "val_indices",
        "test_indices", "test_pool_indices"}) {
    EXPECT_EQ((*written)[field], expected[field]) << field;
  }
  auto summary = ParseJson(run.out, "stdout");
  ASSERT_TRUE(summary.ok()) << run.out;
  EXPECT_EQ((*summary)["n_valid_tasks"], 40);
  EXPECT_EQ((*written)["data_dir"], (testing::SamplesDir() / "wtq").string());
  EXPECT_EQ((*written)["n_excluded"], 0);
}

// SpreadsheetBench's positions come from dataset.json: the binary's split of the sample
// folder is the fixture's, positions included.
TEST(SplitCommand, WritesTheAuthorsSplitOfTheSpreadsheetBenchSamples) {
  testing::TempDir results;
  CommandRun run = Skillgrad("split --benchmark spreadsheetbench --data-dir " +
                             Quote((testing::SamplesDir() / "spreadsheetbench").string()) +
                             " --results-root " + Quote(results.path().string()));
  ASSERT_EQ(run.exit_code, 0) << run.out;
  auto written = ReadJsonFile(results.path() / "splits/master_0_heldout_42/split.json");
  ASSERT_TRUE(written.ok()) << written.error().ToString();
  Json expected = ExpectedSplit("spreadsheetbench_samples", 0, 42);
  ASSERT_TRUE(expected.is_object());
  for (const auto& [field, value] : expected.items()) {
    EXPECT_EQ((*written)[field], value) << field;
  }
}

TEST(SplitCommand, TooLargeTestSplitIsAUsageError) {
  testing::TempDir results;
  CommandRun run =
      Skillgrad("split --benchmark external --data-dir " +
                Quote((testing::SourceDir() / "examples/external-benchmark").string()) +
                " --results-root " + Quote(results.path().string()) + " --n-test 5");
  EXPECT_EQ(run.exit_code, 2) << run.out;
  EXPECT_NE(run.out.find("--n-test 5"), std::string::npos) << run.out;
  EXPECT_FALSE(fs::exists(results.path() / "splits"));
}

TEST(SplitCommand, UnknownBenchmarkAndMissingFolderAreNamed) {
  testing::TempDir results;
  CommandRun unknown =
      Skillgrad("split --benchmark nosuch --data-dir " + Quote(results.path().string()) +
                " --results-root " + Quote(results.path().string()));
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.out.find("nosuch"), std::string::npos) << unknown.out;
  CommandRun missing =
      Skillgrad("split --benchmark wtq --data-dir /nonexistent/wtq --results-root " +
                Quote(results.path().string()));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.out.find("/nonexistent/wtq"), std::string::npos) << missing.out;
}

TEST(GradeWtqCommand, SingleAnswerPassAndFail) {
  CommandRun pass = Skillgrad(
      "grade wtq --target 'Saregamapa Challenge|Rock n Roll Family' "
      "--prediction 'rock n roll family|saregamapa challenge'");
  EXPECT_EQ(pass.exit_code, 0) << pass.out;
  auto verdict = ParseJson(pass.out, "stdout");
  ASSERT_TRUE(verdict.ok()) << pass.out;
  EXPECT_EQ((*verdict)["pass"], true);

  CommandRun fail = Skillgrad("grade wtq --target 5 --prediction 6");
  EXPECT_EQ(fail.exit_code, 1) << fail.out;
  auto failed = ParseJson(fail.out, "stdout");
  ASSERT_TRUE(failed.ok()) << fail.out;
  EXPECT_EQ((*failed)["pass"], false);
  EXPECT_EQ((*failed)["unmatched_targets"].size(), 1u);

  CommandRun canon = Skillgrad("grade wtq --target five --target-canon 5 --prediction 5.0");
  EXPECT_EQ(canon.exit_code, 0) << canon.out;
}

// The committed CPython verdicts, graded through the binary's batch mode.
TEST(GradeWtqCommand, BatchAgreesWithTheCPythonVerdicts) {
  fs::path pairs = testing::SourceDir() / "tests/data/wtq_agreement/pairs.jsonl";
  CommandRun run = Skillgrad("grade wtq --batch " + Quote(pairs.string()));
  ASSERT_EQ(run.exit_code, 0) << run.out.substr(0, 2000);
  auto text = ReadFile(pairs);
  ASSERT_TRUE(text.ok());
  std::istringstream expected(*text), actual(run.out);
  std::string want, got;
  int lines = 0;
  while (std::getline(expected, want)) {
    ASSERT_TRUE(std::getline(actual, got)) << "output ended at line " << lines + 1;
    EXPECT_EQ(Json::parse(got)["pass"], Json::parse(want)["pass"]) << want;
    ++lines;
  }
  EXPECT_GT(lines, 3000);
}

TEST(GradeWtqCommand, BadBatchLinesGetAnErrorLineInPlace) {
  testing::TempDir dir;
  fs::path batch = dir.path() / "batch.jsonl";
  ASSERT_TRUE(WriteFileAtomic(batch,
                              "{\"targets\": [\"a\"], \"predictions\": [\"A\"]}\n"
                              "not json\n"
                              "{\"targets\": [\"a\"]}\n"
                              "{\"targets\": [\"x\"], \"predictions\": [\"y\"]}\n")
                  .ok());
  CommandRun run = Skillgrad("grade wtq --batch " + Quote(batch.string()));
  EXPECT_EQ(run.exit_code, 1);
  std::istringstream lines(run.out);
  std::vector<Json> out;
  for (std::string line; std::getline(lines, line);) out.push_back(Json::parse(line));
  ASSERT_EQ(out.size(), 4u) << run.out;
  EXPECT_EQ(out[0]["pass"], true);
  EXPECT_EQ(out[1]["line"], 2);
  EXPECT_NE(out[1]["error"].get<std::string>().find("batch.jsonl:2"), std::string::npos);
  EXPECT_NE(out[2]["error"].get<std::string>().find("predictions"), std::string::npos);
  EXPECT_EQ(out[3]["pass"], false);

  CommandRun missing = Skillgrad("grade wtq --batch /nonexistent/batch.jsonl");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.out.find("/nonexistent/batch.jsonl"), std::string::npos);
}

}  // namespace
}  // namespace sg::cli
