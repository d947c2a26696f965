#include "llm/cost_ledger.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/file_util.h"
#include "core/testing.h"
#include "llm/cost_totals.h"
#include "llm/ledger_totals.h"

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

TEST(CostLedgerTest, SummaryLeavesOutDamagedLinesAndATornTailByTheOneRule) {
  testing::TempDir dir;
  auto path = dir.path() / "ledger.jsonl";
  std::string good = Entry("executor", "m", "eval", 1, 1, 0.1).ToJson().dump();
  ASSERT_TRUE(WriteFileAtomic(path, good + "\n" + good + "\n{\"role\":").ok());
  auto s = SummarizeLedger(path);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->total.calls, 2);
  EXPECT_TRUE(s->read.torn_tail);
  EXPECT_EQ(s->read.damaged_lines, 0);
  ASSERT_TRUE(WriteFileAtomic(path, good + "\ngarbage\n" + good + "\n").ok());
  s = SummarizeLedger(path);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->total.calls, 2);
  EXPECT_EQ(s->read.damaged_lines, 1);
  EXPECT_NE(s->read.Problem(path).find("ledger.jsonl:2"), std::string::npos)
      << s->read.Problem(path);
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

// Everything CostTotals answers, as JSON, for an exact comparison with a re-read.
Json TotalsJson(const CostTotals& totals, const std::vector<int>& iterations) {
  Json j = totals.Summary().ToJson();
  j["run_cost_usd"] = totals.RunCostUsd();
  j["total"] = totals.Total().ToJson();
  for (int t : iterations) j["iteration_" + std::to_string(t)] = totals.IterationByStage(t);
  return j;
}

// The same figures, from the file.
Json ReReadJson(const std::filesystem::path& path, const std::vector<int>& iterations) {
  CostTotals fresh;
  auto seeded = fresh.Seed(path);
  EXPECT_TRUE(seeded.ok()) << seeded.error().message;
  auto summary = SummarizeLedger(path);
  EXPECT_TRUE(summary.ok()) << summary.error().message;
  Json j = TotalsJson(fresh, iterations);
  EXPECT_EQ(j["total"], summary->total.ToJson());
  EXPECT_EQ(j["by_role"], summary->ToJson()["by_role"]);
  return j;
}

TEST(CostLedgerTest, TotalsEqualAReReadAfterAppendsFromManyThreads) {
  testing::TempDir dir;
  CostLedger ledger(dir.path() / "run" / "ledger.jsonl");
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 60; ++i) {
        LedgerEntry e =
            Entry(t % 2 ? "executor" : "patcher", t < 4 ? "gpt-4o" : "local",
                  i % 3 ? "execute" : "patch", 100 + i, 10 + t,
                  t < 6 ? std::optional<double>(0.001 * (i + 1) + 0.0001 * t) : std::nullopt);
        e.context.iteration = i % 4;  // 0..3; 0 stands for rows outside iterations here
        if (i % 17 == 0) e.error = "kTimeout";
        ASSERT_TRUE(ledger.Append(e).ok());
        // Readers run while writers append.
        if (i % 20 == 0) (void)ledger.totals().IterationByStage(1);
      }
    });
  }
  for (auto& th : threads) th.join();
  const std::vector<int> iterations = {0, 1, 2, 3, 7};
  EXPECT_EQ(ledger.totals().Total().calls, 480);
  // Exactly equal, floating sums included: rows are added in file order.
  EXPECT_EQ(TotalsJson(ledger.totals(), iterations), ReReadJson(ledger.path(), iterations));
  EXPECT_EQ(ledger.totals().IterationByStage(7), Json::object());
  EXPECT_EQ(ledger.totals().IterationByStage(1)["execute"]["calls"].get<int64_t>() +
                ledger.totals().IterationByStage(1)["patch"]["calls"].get<int64_t>(),
            8 * 15);
}

TEST(CostLedgerTest, AResumedLedgerSeedsItsTotalsByTheOneRule) {
  testing::TempDir dir;
  auto path = dir.path() / "ledger.jsonl";
  LedgerEntry first = Entry("executor", "gpt-4o", "execute", 10, 1, 0.25);
  first.context.iteration = 1;
  LedgerEntry second = Entry("patcher", "gpt-4o", "patch", 20, 2, 0.5);
  second.context.iteration = 1;
  const std::string torn = second.ToJson().dump();
  // An earlier run: a row, a line damaged in the middle, a row, a last line cut by a crash.
  ASSERT_TRUE(WriteFileAtomic(path, first.ToJson().dump() + "\n{\"role\": \"exec\n" +
                                        second.ToJson().dump() + "\n" +
                                        torn.substr(0, torn.size() / 2))
                  .ok());
  CostLedger ledger(path);
  EXPECT_EQ(ledger.totals().Total().calls, 2);
  EXPECT_DOUBLE_EQ(ledger.totals().RunCostUsd(), 0.75);
  EXPECT_EQ(ledger.totals().seed_read().damaged_lines, 1);
  EXPECT_EQ(ledger.totals().seed_read().first_damaged_line, 2);
  EXPECT_EQ(ledger.totals().IterationByStage(1)["patch"]["calls"], 1);
  // The cut line is gone from the file as soon as the ledger is opened.
  EXPECT_EQ(ReadFile(path).value_or("").back(), '\n');

  LedgerEntry third = Entry("momentum", "local", "momentum", 5, 5, std::nullopt);
  third.context.iteration = 2;
  ASSERT_TRUE(ledger.Append(third).ok());
  EXPECT_EQ(ledger.totals().Total().calls, 3);
  EXPECT_EQ(ledger.totals().Total().calls_without_cost, 1);
  EXPECT_DOUBLE_EQ(ledger.totals().RunCostUsd(), 0.75);
  const std::vector<int> iterations = {1, 2};
  Json reread = ReReadJson(path, iterations);
  Json mine = TotalsJson(ledger.totals(), iterations);
  EXPECT_EQ(mine, reread);
  // The re-read meets the same damaged line, counted the same way.
  auto summary = SummarizeLedger(path);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->read.damaged_lines, 1);
  EXPECT_EQ(summary->read.first_damaged_line, 2);
  EXPECT_FALSE(summary->read.torn_tail);
}

TEST(CostLedgerTest, ANewLedgerStartsAtZeroAndCreatesNothingUntilItsFirstRow) {
  testing::TempDir dir;
  auto path = dir.path() / "run" / "ledger.jsonl";
  CostLedger ledger(path);
  EXPECT_EQ(ledger.totals().Total().calls, 0);
  EXPECT_EQ(ledger.totals().RunCostUsd(), 0);
  EXPECT_EQ(ledger.totals().IterationByStage(1), Json::object());
  EXPECT_FALSE(std::filesystem::exists(path));
  ASSERT_TRUE(ledger.Append(Entry("executor", "m", "collect", 1, 1, 0.5)).ok());
  EXPECT_DOUBLE_EQ(ledger.totals().RunCostUsd(), 0.5);
  EXPECT_EQ(ledger.totals().ByRole().at("executor").calls, 1);
  EXPECT_EQ(ledger.totals().ByModel().at("m").calls, 1);
  EXPECT_EQ(ledger.totals().IterationByStage(2)["collect"]["calls"], 1);
}

TEST(CostLedgerTest, AFailedAppendIsNotInTheTotals) {
  CostLedger ledger("/dev/full");
  ASSERT_FALSE(ledger.Append(Entry("executor", "m", "eval", 1, 1, 0.1)).ok());
  EXPECT_EQ(ledger.totals().Total().calls, 0);
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
