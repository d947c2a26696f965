#include "llm/cost_totals.h"

#include <gtest/gtest.h>

#include <string>

#include "core/file_util.h"
#include "core/testing.h"

namespace sg::llm {
namespace {

Json Row(const std::string& role, const std::string& model, const std::string& stage, int iteration,
         Json cost) {
  return {{"role", role},           {"model", model},     {"stage", stage},
          {"iteration", iteration}, {"input_tokens", 10}, {"cost_usd", cost}};
}

TEST(CostTotalsTest, AnswersByIterationStageRoleAndModel) {
  CostTotals totals;
  totals.Add(Row("executor", "a", "execute", 1, 0.5));
  totals.Add(Row("executor", "a", "execute", 1, 0.25));
  totals.Add(Row("patcher", "b", "patch", 1, 1.0));
  totals.Add(Row("patcher", "b", "patch", 2, 2.0));
  totals.Add(Row("executor", "c", "eval", -1, nullptr));  // no price
  EXPECT_DOUBLE_EQ(totals.RunCostUsd(), 3.75);
  EXPECT_EQ(totals.Total().calls, 5);
  EXPECT_EQ(totals.Total().calls_without_cost, 1);

  Json first = totals.IterationByStage(1);
  ASSERT_EQ(first.size(), 2u) << first.dump();
  EXPECT_EQ(first["execute"]["calls"], 2);
  EXPECT_DOUBLE_EQ(first["execute"]["cost_usd"].get<double>(), 0.75);
  EXPECT_DOUBLE_EQ(first["patch"]["cost_usd"].get<double>(), 1.0);
  EXPECT_EQ(totals.IterationByStage(-1)["eval"]["calls_without_cost"], 1);
  EXPECT_EQ(totals.IterationByStage(3), Json::object());

  EXPECT_EQ(totals.ByRole().at("executor").calls, 3);
  EXPECT_DOUBLE_EQ(totals.ByModel().at("b").cost_usd, 3.0);
  EXPECT_EQ(totals.ByStage().at("patch").calls, 2);
  EXPECT_EQ(totals.Summary().by_role.size(), 2u);
}

TEST(CostTotalsTest, SeedReadsTheFileByTheOneRule) {
  testing::TempDir dir;
  const auto path = dir.path() / "ledger.jsonl";
  ASSERT_TRUE(WriteFileAtomic(path, Row("executor", "a", "execute", 1, 0.5).dump() +
                                        "\nnot json\n" + Row("patcher", "a", "patch", 1, 1).dump() +
                                        "\n{\"cut")
                  .ok());
  CostTotals totals;
  auto seeded = totals.Seed(path);
  ASSERT_TRUE(seeded.ok()) << seeded.error().message;
  EXPECT_EQ(seeded->rows, 2);
  EXPECT_EQ(seeded->damaged_lines, 1);
  EXPECT_TRUE(seeded->torn_tail);
  EXPECT_EQ(totals.seed_read().first_damaged_line, 2);
  EXPECT_DOUBLE_EQ(totals.RunCostUsd(), 1.5);
  EXPECT_EQ(totals.Summary().read.damaged_lines, 1);
}

}  // namespace
}  // namespace sg::llm
