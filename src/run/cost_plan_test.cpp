// The cost plan's arithmetic (run/cost_plan.h) against figures worked by hand: the bounded
// profile of a run from its turn cap and prompt size, the measured profile of runs read from a
// ledger, the low and high figures of n runs, the prices, and the refusal of a cap below the
// plan's low figure.
#include "run/cost_plan.h"

#include <gtest/gtest.h>

#include <string>

#include "core/file_util.h"
#include "core/json.h"
#include "core/testing.h"

namespace sg::run {
namespace {
namespace fs = std::filesystem;

TEST(CostPlanTest, BoundedProfileSumsTheGrowingTurns) {
  BoundInputs in;
  in.max_turns = 3;
  in.prompt_bytes = 4000;
  in.tool_output_cap_bytes = 3000;
  in.context_window_tokens = 100000;
  in.max_output_tokens = 100;
  const RunProfile p = BoundedProfile(in);
  EXPECT_FALSE(p.measured);
  EXPECT_DOUBLE_EQ(p.min.calls, 1);
  EXPECT_DOUBLE_EQ(p.min.input, 1000);  // 4000 bytes at 4 a token
  EXPECT_DOUBLE_EQ(p.min.output, 0);
  // ceil(4000 / 3) = 1334, growth 1000 + 100 a turn: 1334 + 2434 + 3534.
  EXPECT_DOUBLE_EQ(p.max.calls, 3);
  EXPECT_DOUBLE_EQ(p.max.input, 7302);
  EXPECT_DOUBLE_EQ(p.max.output, 300);
  // n runs: n times each.
  EXPECT_DOUBLE_EQ(LowUsage(p, 5).input, 5000);
  EXPECT_DOUBLE_EQ(HighUsage(p, 5).input, 36510);
  EXPECT_DOUBLE_EQ(HighUsage(p, 0).input, 0);

  in.context_window_tokens = 2000;  // every call after the first is cut to the window
  EXPECT_DOUBLE_EQ(BoundedProfile(in).max.input, 1334 + 2000 + 2000);
}

std::string Row(const std::string& role, const std::string& model, const std::string& task,
                double input, double output, bool error = false) {
  Json row = {{"role", role},
              {"model", model},
              {"task", task},
              {"iteration", 0},
              {"stage", "collect"},
              {"input_tokens", input},
              {"output_tokens", output},
              {"cached_input_tokens", 0}};
  if (error) row["error"] = "kUnavailable";
  return DumpJson(row) + "\n";
}

TEST(CostPlanTest, MeasuredProfileGroupsRowsIntoRuns) {
  testing::TempDir dir;
  const fs::path ledger = dir.path() / "ledger.jsonl";
  // Runs a (2 calls, 300 in, 30 out), b (1 call, 400 in, 50 out), c (3 calls, 300 in, 30 out);
  // an errored row, another role and another model are left out.
  const std::string text = Row("executor", "m", "a", 100, 10) + Row("executor", "m", "a", 200, 20) +
                           Row("executor", "m", "b", 400, 50) + Row("executor", "m", "c", 100, 10) +
                           Row("executor", "m", "c", 100, 10) + Row("executor", "m", "c", 100, 10) +
                           Row("executor", "m", "b", 9999, 9999, true) +
                           Row("patcher", "m", "d", 9999, 9999) +
                           Row("executor", "other", "e", 9999, 9999);
  ASSERT_TRUE(WriteFileAtomic(ledger, text).ok());
  auto measured = MeasureProfile({ledger, dir.path() / "missing.jsonl"}, {"executor"}, "m");
  ASSERT_TRUE(measured.ok()) << measured.error().message;
  ASSERT_TRUE(measured->has_value());
  const RunProfile& p = **measured;
  EXPECT_TRUE(p.measured);
  EXPECT_EQ(p.runs_seen, 3);
  EXPECT_DOUBLE_EQ(p.mean.calls, 2);
  EXPECT_DOUBLE_EQ(p.sd.calls, 1);
  EXPECT_NEAR(p.mean.input, 1000.0 / 3, 1e-9);
  EXPECT_NEAR(p.sd.input, 57.735026918962575, 1e-9);
  EXPECT_DOUBLE_EQ(p.min.input, 300);
  EXPECT_DOUBLE_EQ(p.max.input, 400);
  // 4 runs: calls 8 -/+ 1.959964 * 2 * 1, inside [4, 12].
  EXPECT_NEAR(LowUsage(p, 4).calls, 8 - 3.919928, 1e-9);
  EXPECT_NEAR(HighUsage(p, 4).calls, 8 + 3.919928, 1e-9);
  // Input: 1333.33 -/+ 3.919928 * 57.735 = 226.31, the low clamped to 4 x 300.
  EXPECT_DOUBLE_EQ(LowUsage(p, 4).input, 1200);
  EXPECT_NEAR(HighUsage(p, 4).input, 4000.0 / 3 + 3.919928 * 57.735026918962575, 1e-6);

  auto none = MeasureProfile({ledger}, {"momentum"}, "m");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST(CostPlanTest, RowsArePricedAndSummed) {
  llm::PriceTable prices;
  prices.Set("m", llm::ModelPrice{1.0, 0.5, 2.0, 0});
  BoundInputs in;
  in.max_turns = 2;
  in.prompt_bytes = 4e6;  // 1M tokens low; high ceil(4e6 / 3) = 1333334
  in.tool_output_cap_bytes = 0;
  in.max_output_tokens = 0;
  in.context_window_tokens = 1e9;
  CostPlan plan;
  plan.command = "collect";
  plan.Add("collect", "executor", "m", 2, 3, BoundedProfile(in), prices);
  ASSERT_EQ(plan.rows.size(), 1u);
  EXPECT_NEAR(*plan.LowUsd(), 2.0, 1e-9);                     // 2 runs x 1M tokens x $1/M
  EXPECT_NEAR(*plan.HighUsd(), 3 * 2 * 1333334 / 1e6, 1e-9);  // 3 runs x 2 calls
  EXPECT_DOUBLE_EQ(plan.LowTotal().calls, 2);
  EXPECT_DOUBLE_EQ(plan.HighTotal().calls, 6);
  const Json j = plan.ToJson();
  EXPECT_DOUBLE_EQ(j["usd_low"].get<double>(), *plan.LowUsd());
  EXPECT_EQ(j["rows"][0]["role"], "executor");
  EXPECT_NE(plan.ToText().find("$2.0000-$8.0000"), std::string::npos) << plan.ToText();

  // An unpriced model makes the totals unknown; the cap check then lets the command run (the
  // engine refuses a cap over an unpriced model on its own).
  plan.Add("patch", "patcher", "unpriced", 0, 1, BoundedProfile(in), prices);
  EXPECT_FALSE(plan.LowUsd().has_value());
  EXPECT_TRUE(CheckCapAgainstPlan(plan, 0.01, false).ok());
}

TEST(CostPlanTest, ACapBelowTheLowFigureIsRefusedUnlessForced) {
  llm::PriceTable prices;
  prices.Set("m", llm::ModelPrice{1.0, 0.5, 2.0, 0});
  BoundInputs in;
  in.prompt_bytes = 4e6;
  CostPlan plan;
  plan.command = "eval";
  plan.Add("eval", "executor", "m", 1, 1, BoundedProfile(in), prices);  // low: $1
  const Status refused = CheckCapAgainstPlan(plan, 0.5, false);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(refused.error().message.find("--max-cost-usd 0.5"), std::string::npos);
  EXPECT_NE(refused.error().message.find("--force"), std::string::npos);
  EXPECT_TRUE(CheckCapAgainstPlan(plan, 0.5, true).ok());
  EXPECT_TRUE(CheckCapAgainstPlan(plan, 1.0, false).ok());
  EXPECT_TRUE(CheckCapAgainstPlan(plan, 0, false).ok());  // no cap

  // A resumed command's ledger counts against its cap: $0.60 spent plus the $1 low.
  plan.spent_usd = 0.6;
  const Status resumed = CheckCapAgainstPlan(plan, 1.5, false);
  ASSERT_FALSE(resumed.ok());
  EXPECT_NE(resumed.error().message.find("$1.600000, $0.600000 of it spent already"),
            std::string::npos)
      << resumed.error().message;
  EXPECT_TRUE(CheckCapAgainstPlan(plan, 1.6, false).ok());
  // A ledger at the cap already is left to the hard cap (status budget_exhausted, exit 3).
  EXPECT_TRUE(CheckCapAgainstPlan(plan, 0.6, false).ok());
}

}  // namespace
}  // namespace sg::run
