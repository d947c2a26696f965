// skillgrad sweep end to end against the mock: a sweep file of 3 training seeds x 2 ablations
// (one iteration each, every run evaluated). The dry run prints the runs and the plan without
// a call or a file; a global cap stops the sweep mid-way with every ledger under it; the same
// command without the cap resumes and finishes; a rerun pays nothing; the summary table of the
// sweep file is recomputed here from the runs' own config.json files.
#include <cmath>
#include <numeric>

#include "tests/e2e/e2e_harness.h"

namespace sg::e2e {
namespace {

fs::path WriteSweep(const fs::path& dir, const fs::path& results) {
  const std::string text =
      "name: seeds\n"
      "train:\n"
      "  benchmark: wtq\n"
      "  data-dir: " +
      DataDir().string() +
      "\n"
      "  skills-dir: " +
      SeedSkills().string() +
      "\n"
      "  results-root: " +
      results.string() +
      "\n"
      "  model: gpt-4o-mini\n"
      "  batch-size: 2\n"
      "  n-iterations: 1\n"
      "grid:\n"
      "  training-seed: [0, 1, 2]\n"
      "  ablate: [none, momentum]\n"
      "eval: {}\n";
  const fs::path file = dir / "sweep.yaml";
  EXPECT_TRUE(WriteFileAtomic(file, text).ok());
  return file;
}

double SampleSd(const std::vector<double>& v) {
  const double mean = std::accumulate(v.begin(), v.end(), 0.0) / v.size();
  double ss = 0;
  for (double x : v) ss += (x - mean) * (x - mean);
  return std::sqrt(ss / (v.size() - 1));
}

TEST(E2eSweep, ThreeSeedsByTwoAblationsResumeUnderACapAndTabulate) {
  testing::TempDir work;
  const fs::path results = work.path() / "results";
  const fs::path sweep = WriteSweep(work.path(), results);
  auto mock = StartMock();
  ASSERT_NE(mock, nullptr);

  Outcome dry = RunSkillgrad(*mock, work.path(), {"sweep", sweep.string(), "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.output;
  EXPECT_NE(dry.output.find("sweep seeds: 6 runs, 1 collections"), std::string::npos) << dry.output;
  EXPECT_NE(dry.output.find("train --config-tag ablate-momentum_training-seed-2"),
            std::string::npos)
      << dry.output;
  EXPECT_NE(dry.output.find("total: $"), std::string::npos) << dry.output;
  EXPECT_EQ(mock->counters().requests, 0);
  EXPECT_FALSE(fs::exists(results));

  // The collect (18 calls at $0.0021) fits $0.06; the trains do not all fit.
  Outcome capped =
      RunSkillgrad(*mock, work.path(),
                   {"sweep", sweep.string(), "--concurrency", "2", "--max-cost-usd", "0.06"});
  EXPECT_EQ(capped.exit_code, 3) << capped.output;
  EXPECT_LE(ResultsCost(results), 0.06);
  EXPECT_GT(ResultsCost(results), 18 * 0.0021 - 1e-9);
  EXPECT_EQ(ReadJson(results / "sweeps" / "seeds.json")["status"], "budget_exhausted");

  Outcome finished =
      RunSkillgrad(*mock, work.path(), {"sweep", sweep.string(), "--concurrency", "2"});
  ASSERT_EQ(finished.exit_code, 0) << finished.output;
  const Json state = ReadJson(results / "sweeps" / "seeds.json");
  EXPECT_EQ(state["status"], "completed");
  EXPECT_EQ(state["steps"].size(), 13u);  // 1 collect, 6 trains, 6 evals
  for (const Json& step : state["steps"]) EXPECT_EQ(step["status"], "done") << step.dump();
  const int64_t paid = mock->counters().requests;
  const double cost = ResultsCost(results);

  Outcome again = RunSkillgrad(*mock, work.path(), {"sweep", sweep.string()});
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(mock->counters().requests, paid) << "a finished sweep called the model again";
  EXPECT_NEAR(ResultsCost(results), cost, 1e-12);

  Outcome table = RunSkillgrad(*mock, work.path(),
                               {"summarize", sweep.string(), "--format", "json", "--out",
                                (work.path() / "table.json").string()});
  ASSERT_EQ(table.exit_code, 0) << table.output;
  const Json rows = ReadJson(work.path() / "table.json");
  ASSERT_EQ(rows.size(), 2u) << rows.dump(2);
  for (const Json& row : rows) {
    const bool ablated = row["method"] == "skillgrad -momentum";
    EXPECT_TRUE(ablated || row["method"] == "skillgrad") << row.dump();
    ASSERT_EQ(row["n_runs"], 3) << row.dump();
    std::vector<double> hard;
    for (const Json& id : row["run_ids"]) {
      const std::string name = id.get<std::string>();
      EXPECT_NE(name.find(ablated ? "ablate-momentum" : "ablate-none"), std::string::npos);
      const Json config = ReadJson(results / "runs" / name / "config.json");
      hard.push_back(config["metrics"]["test_hard"].get<double>());
    }
    const double mean = std::accumulate(hard.begin(), hard.end(), 0.0) / 3;
    EXPECT_NEAR(row["mean"].get<double>(), mean, 1e-12);
    EXPECT_NEAR(row["sd"].get<double>(), SampleSd(hard), 1e-12);
    // t(0.975, 2) = 4.303; the half-width is t sd / sqrt(3).
    EXPECT_NEAR(row["interval"][1].get<double>(), mean + 4.303 * SampleSd(hard) / std::sqrt(3.0),
                1e-9);
  }
  // The sweep's comparison page: the table and a chart with one error bar per group.
  Outcome html = RunSkillgrad(*mock, work.path(),
                              {"summarize", sweep.string(), "--format", "html", "--out",
                               (work.path() / "table.html").string()});
  ASSERT_EQ(html.exit_code, 0) << html.output;
  const std::string page = ReadText(work.path() / "table.html");
  EXPECT_NE(ReadText(results / "sweeps" / "seeds.html").find("<section id=\"summary-table\">"),
            std::string::npos)
      << "the sweep wrote no comparison page";
  EXPECT_NE(page.find("<section id=\"summary-table\">"), std::string::npos);
  EXPECT_NE(page.find("skillgrad -momentum"), std::string::npos);
  size_t bars = 0;
  for (size_t at = page.find("class=\"interval\""); at != std::string::npos;
       at = page.find("class=\"interval\"", at + 1)) {
    ++bars;
  }
  EXPECT_EQ(bars, 2u) << page;
}

TEST(E2eSweep, ABadSweepFileNamesTheField) {
  testing::TempDir work;
  auto mock = StartMock();
  ASSERT_NE(mock, nullptr);
  const fs::path file = work.path() / "bad.yaml";
  ASSERT_TRUE(WriteFileAtomic(file, "train:\n  benchmark: wtq\ngrid:\n  training-seed: 3\n").ok());
  Outcome bad = RunSkillgrad(*mock, work.path(), {"sweep", file.string()});
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_NE(bad.output.find("grid.training-seed"), std::string::npos) << bad.output;
  EXPECT_EQ(mock->counters().requests, 0);
}

}  // namespace
}  // namespace sg::e2e
