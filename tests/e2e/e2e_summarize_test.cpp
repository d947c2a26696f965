// skillgrad summarize over a real results root: 2 training seeds x 2 configurations (the
// method, and its momentum ablation) trained and evaluated against the mock; the table's
// figures are recomputed here from each run's own config.json.
#include <cmath>

#include "core/stats.h"
#include "tests/e2e/e2e_harness.h"

namespace sg::e2e {
namespace {

TEST(E2eSummarize, TheTableOfTwoSeedsByTwoAblationsIsRecomputedFromTheRuns) {
  testing::TempDir work;
  const fs::path results = work.path() / "results";
  auto mock = StartMock();
  ASSERT_NE(mock, nullptr);
  for (const char* seed : {"0", "1"}) {
    for (bool ablate : {false, true}) {
      // An explicit --config-tag replaces the ablation's own tag: each run names its own.
      std::vector<std::string> extra = {
          "--n-iterations",  "1",
          "--training-seed", seed,
          "--config-tag",    std::string("s") + seed + (ablate ? "-ablate" : "")};
      if (ablate) extra.insert(extra.end(), {"--ablate", "momentum"});
      Outcome train = RunSkillgrad(*mock, work.path(), TrainArgs(results, extra));
      ASSERT_EQ(train.exit_code, 0) << train.output;
    }
  }
  const Json manifest = ReadJson(results / "manifest.json");
  ASSERT_EQ(manifest["runs"].size(), 4u) << manifest.dump();
  for (const auto& [id, entry] : manifest["runs"].items()) {
    Outcome eval = RunSkillgrad(*mock, work.path(), EvalArgs(results, id));
    ASSERT_EQ(eval.exit_code, 0) << eval.output;
  }

  Outcome json = RunSkillgrad(*mock, work.path(),
                              {"summarize", results.string(), "--format", "json", "--out",
                               (work.path() / "table.json").string()});
  ASSERT_EQ(json.exit_code, 0) << json.output;
  const Json table = ReadJson(work.path() / "table.json");
  ASSERT_EQ(table.size(), 2u) << table.dump(2);
  for (const Json& row : table) {
    const bool ablated = row["method"] == "skillgrad -momentum";
    EXPECT_TRUE(ablated || row["method"] == "skillgrad") << row.dump();
    EXPECT_EQ(row["backbone"], "gpt-4o-mini");
    EXPECT_EQ(row["benchmark"], "wtq");
    ASSERT_EQ(row["n_runs"], 2);
    std::vector<double> hard, cost;
    for (const Json& id : row["run_ids"]) {
      const Json config = ReadJson(results / "runs" / id.get<std::string>() / "config.json");
      EXPECT_EQ(!config["ablate"].empty(), ablated) << id;
      hard.push_back(config["metrics"]["test_hard"].get<double>());
      cost.push_back(config["metrics"]["train_cost_usd"].get<double>() +
                     config["metrics"]["eval_cost_usd"].get<double>());
    }
    const double mean = (hard[0] + hard[1]) / 2;
    const double sd = std::fabs(hard[0] - hard[1]) / std::sqrt(2.0);
    EXPECT_NEAR(row["mean"].get<double>(), mean, 1e-12);
    EXPECT_NEAR(row["sd"].get<double>(), sd, 1e-12);
    // t(0.975, 1) = 12.706; the half-width is t sd / sqrt(2).
    EXPECT_NEAR(row["interval"][0].get<double>(), mean - 12.706 * sd / std::sqrt(2.0), 1e-9);
    EXPECT_NEAR(row["interval"][1].get<double>(), mean + 12.706 * sd / std::sqrt(2.0), 1e-9);
    EXPECT_NEAR(row["cost_per_run_usd"].get<double>(), (cost[0] + cost[1]) / 2, 1e-12);
  }
  Outcome markdown = RunSkillgrad(*mock, work.path(), {"summarize", results.string()});
  ASSERT_EQ(markdown.exit_code, 0) << markdown.output;
  EXPECT_NE(markdown.output.find("| skillgrad -momentum | gpt-4o-mini |"), std::string::npos)
      << markdown.output;
  Outcome csv =
      RunSkillgrad(*mock, work.path(), {"summarize", results.string(), "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.output;
  EXPECT_NE(csv.output.find("\"skillgrad\",\"gpt-4o-mini\",\"wtq\",2,"), std::string::npos)
      << csv.output;
}

}  // namespace
}  // namespace sg::e2e
