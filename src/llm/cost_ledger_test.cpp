#include "llm/cost_ledger.h"

#include <gtest/gtest.h>

#include <thread>

#include "core/file_util.h"
#include "core/testing.h"

namespace sg::llm {
namespace {

LedgerEntry Entry(std::string role, std::string model, std::string stage, int64_t in, int64_t out,
                  std::optional<double> cost) {
  LedgerEntry e;
  e.time_ms = 1'700'000'000'000;
  e.context = {std::move(role), "task-1", 2, std::move(stage)};
  e.model = std::move(model);
  e.usage.input_tokens = in;
  e.usage.cached_input_tokens = in / 2;
  e.usage.output_tokens = out;
  e.usage.reasoning_tokens = out / 4;
  e.usage.reported = true;
  e.cost_usd = cost;
  e.attempts = 1;
  e.latency_ms = 10;
  return e;
}

TEST(CostLedgerTest, LineCarriesEveryField) {
  Json j = Entry("executor", "gpt-4o", "collect", 100, 20, std::nullopt).ToJson();
  for (const char* key : {"time", "role", "model", "task", "iteration", "stage", "input_tokens",
                          "cached_input_tokens", "output_tokens", "reasoning_tokens", "latency_ms",
                          "attempts", "cost_usd", "cache_hit"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_TRUE(j["cost_usd"].is_null());
  EXPECT_EQ(j["time"], "2023-11-14T22:13:20.000Z");
}

TEST(CostLedgerTest, ConcurrentAppendsSumExactly) {
  testing::TempDir dir;
  CostLedger ledger(dir.path() / "run" / "ledger.jsonl");
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        std::string role = t % 2 ? "executor" : "patcher";
        ASSERT_TRUE(ledger
                        .Append(Entry(role, t < 4 ? "gpt-4o" : "local", t % 2 ? "collect" : "patch",
                                      100, 10, t < 4 ? std::optional<double>(0.5) : std::nullopt))
                        .ok());
      }
    });
  }
  for (auto& th : threads) th.join();
  auto s = SummarizeLedger(ledger.path());
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->total.calls, 400);
  EXPECT_EQ(s->total.input_tokens, 40'000);
  EXPECT_EQ(s->total.cached_input_tokens, 20'000);
  EXPECT_EQ(s->total.output_tokens, 4'000);
  EXPECT_EQ(s->total.reasoning_tokens, 800);
  EXPECT_NEAR(s->total.cost_usd, 100.0, 1e-9);
  EXPECT_EQ(s->total.calls_without_cost, 200);
  EXPECT_EQ(s->by_role["executor"].calls, 200);
  EXPECT_EQ(s->by_model["gpt-4o"].calls, 200);
  EXPECT_NEAR(s->by_model["gpt-4o"].cost_usd, 100.0, 1e-9);
  EXPECT_EQ(s->by_stage["patch"].calls, 200);
}

TEST(CostLedgerTest, DamagedLineNamesFileAndLineButTornTailIsSkipped) {
  testing::TempDir dir;
  auto path = dir.path() / "ledger.jsonl";
  std::string good = Entry("executor", "m", "eval", 1, 1, 0.1).ToJson().dump();
  ASSERT_TRUE(WriteFileAtomic(path, good + "\n" + good + "\n{\"role\":").ok());
  auto s = SummarizeLedger(path);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->total.calls, 2);
  ASSERT_TRUE(WriteFileAtomic(path, good + "\ngarbage\n" + good + "\n").ok());
  s = SummarizeLedger(path);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("ledger.jsonl:2"), std::string::npos) << s.error().message;
}

TEST(CostLedgerTest, CutLastLineIsDroppedBeforeTheNextAppend) {
  testing::TempDir dir;
  auto path = dir.path() / "ledger.jsonl";
  std::string good = Entry("executor", "m", "eval", 1, 1, 0.1).ToJson().dump();
  // A line that only partly fit on a full disk, then a run resumed on the same ledger.
  ASSERT_TRUE(WriteFileAtomic(path, good + "\n" + good.substr(0, 20)).ok());
  {
    CostLedger ledger(path);
    ASSERT_TRUE(ledger.Append(Entry("executor", "m", "eval", 1, 1, 0.1)).ok());
  }
  EXPECT_EQ(ReadFile(path).value_or(""), good + "\n" + good + "\n");
  auto s = SummarizeLedger(path);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->total.calls, 2);
}

TEST(CostLedgerTest, FullDiskIsAnErrorNamingTheLedger) {
  CostLedger ledger("/dev/full");  // every write fails with ENOSPC
  Status appended = ledger.Append(Entry("executor", "m", "eval", 1, 1, 0.1));
  ASSERT_FALSE(appended.ok());
  EXPECT_EQ(appended.error().code, ErrorCode::kIo);
  EXPECT_NE(appended.error().message.find("/dev/full: No space left on device"), std::string::npos)
      << appended.error().message;
}

}  // namespace
}  // namespace sg::llm
