#include "llm/price_table.h"

#include <gtest/gtest.h>

#include "core/file_util.h"
#include "core/testing.h"

namespace sg::llm {
namespace {

TEST(PriceTableTest, FindsExactAndDatedNamesButNotOtherModels) {
  PriceTable t = PriceTable::BuiltIn();
  ASSERT_TRUE(t.Find("gpt-4o"));
  EXPECT_DOUBLE_EQ(t.Find("gpt-4o-2024-08-06")->input, 2.50);
  EXPECT_DOUBLE_EQ(t.Find("gpt-4o-mini")->input, 0.15) << "gpt-4o-mini is not gpt-4o";
  EXPECT_DOUBLE_EQ(t.Find("claude-sonnet-4-20250514")->output, 15.0);
  EXPECT_DOUBLE_EQ(t.Find("claude-opus-4-5-20251101")->input, 5.0);
  EXPECT_FALSE(t.Find("gpt-4o-turbo-preview"));
  EXPECT_FALSE(t.Find("llama-3.1-8b-instruct"));
}

TEST(PriceTableTest, PricesCurrentModelsOfEachProvider) {
  PriceTable t = PriceTable::BuiltIn();
  ASSERT_TRUE(t.Find("gpt-5.4"));
  EXPECT_DOUBLE_EQ(t.Find("gpt-5.4")->input, 2.50);
  EXPECT_DOUBLE_EQ(t.Find("gpt-5.4")->cached_input, 0.25);
  EXPECT_DOUBLE_EQ(t.Find("gpt-5.4")->output, 15.00);
  ASSERT_TRUE(t.Find("claude-opus-4-6"));
  EXPECT_DOUBLE_EQ(t.Find("claude-opus-4-6")->cache_write, 6.25);
  EXPECT_DOUBLE_EQ(t.Find("claude-opus-4-1")->input, 15.00) << "Opus 4.1 kept the old rate";
  EXPECT_DOUBLE_EQ(t.Find("claude-sonnet-4-0")->output, 15.00);
  ASSERT_TRUE(t.Find("gemini-2.5-pro"));
  EXPECT_DOUBLE_EQ(t.Find("gemini-2.5-pro")->input, 1.25) << "the <= 200K tier";
  EXPECT_DOUBLE_EQ(t.Find("gemini-2.5-pro")->cached_input, 0.125);
  // A model whose page lists no cached rate gets no discount.
  EXPECT_DOUBLE_EQ(t.Find("o3-pro")->cached_input, t.Find("o3-pro")->input);
  EXPECT_DOUBLE_EQ(t.Find("gpt-5.4-pro")->cached_input, 30.00);
}

TEST(PriceTableTest, ALongerNameIsAnotherModelUnlessItIsADateOrLatest) {
  PriceTable t = PriceTable::BuiltIn();
  EXPECT_DOUBLE_EQ(t.Find("gpt-5.4-2026-03-05")->input, 2.50);
  EXPECT_DOUBLE_EQ(t.Find("gpt-5.4-mini")->input, 0.75) << "gpt-5.4-mini is not gpt-5.4";
  EXPECT_DOUBLE_EQ(t.Find("gpt-5.4-mini-2026-03-17")->input, 0.75);
  EXPECT_DOUBLE_EQ(t.Find("gpt-5.4-nano-2026-03-17")->output, 1.25);
  EXPECT_DOUBLE_EQ(t.Find("gpt-5-mini-2025-08-07")->input, 0.25) << "not gpt-5";
  EXPECT_DOUBLE_EQ(t.Find("o3-pro-2025-06-10")->output, 80.00) << "not o3";
  EXPECT_DOUBLE_EQ(t.Find("claude-opus-4-5-20251101")->input, 5.00) << "not claude-opus-4";
  EXPECT_DOUBLE_EQ(t.Find("claude-haiku-4-5-20251001")->output, 5.00);
  EXPECT_DOUBLE_EQ(t.Find("gemini-2.5-flash-lite")->input, 0.10) << "not gemini-2.5-flash";
  EXPECT_DOUBLE_EQ(t.Find("gemini-2.5-flash-latest")->input, 0.30);
  // Previews and other variants may be priced differently: unknown, not guessed.
  EXPECT_FALSE(t.Find("gemini-2.5-pro-preview-06-05"));
  EXPECT_FALSE(t.Find("gemini-2.5-flash-preview-09-2025"));
  EXPECT_FALSE(t.Find("gpt-5.4-turbo"));
  EXPECT_FALSE(t.Find("gpt-5.41"));
  EXPECT_FALSE(t.Find("claude-opus-4-9"));
}

TEST(PriceTableTest, CostSplitsCachedAndWrittenInput) {
  PriceTable t;
  t.Set("m", {1.0, 0.1, 4.0, 1.25});
  Usage u;
  u.input_tokens = 1'000'000;
  u.cached_input_tokens = 400'000;
  u.cache_write_tokens = 100'000;
  u.output_tokens = 500'000;
  u.reasoning_tokens = 100'000;  // inside output: not counted twice
  // 0.5M plain * 1 + 0.4M * 0.1 + 0.1M * 1.25 + 0.5M * 4
  EXPECT_NEAR(*t.Cost("m", u), 0.5 + 0.04 + 0.125 + 2.0, 1e-12);
}

TEST(PriceTableTest, UnknownModelHasNoCost) {
  PriceTable t = PriceTable::BuiltIn();
  Usage u;
  u.input_tokens = 10;
  EXPECT_FALSE(t.Cost("my-local-model", u).has_value());
  EXPECT_FALSE(t.Cost("my-local-model", u).has_value());
}

TEST(PriceTableTest, OverridesFromFile) {
  testing::TempDir dir;
  auto path = dir.path() / "prices.json";
  ASSERT_TRUE(
      WriteFileAtomic(
          path, R"({"gpt-4o": {"input": 1, "output": 2}, "local": {"input": 0, "output": 0}})")
          .ok());
  PriceTable t = PriceTable::BuiltIn();
  ASSERT_TRUE(t.LoadOverrides(path).ok());
  EXPECT_DOUBLE_EQ(t.Find("gpt-4o")->input, 1.0);
  EXPECT_DOUBLE_EQ(t.Find("gpt-4o")->cached_input, 1.0) << "defaults to the input price";
  Usage u;
  u.input_tokens = 5;
  EXPECT_EQ(t.Cost("local", u), 0.0);

  ASSERT_TRUE(WriteFileAtomic(path, R"({"x": {"input": "cheap", "output": 2}})").ok());
  Status bad = t.LoadOverrides(path);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("prices.json"), std::string::npos);
  EXPECT_NE(bad.error().message.find("\"x\""), std::string::npos);
}

}  // namespace
}  // namespace sg::llm
