// The cost plan end to end (docs/statistics.md, "The cost plan"): `skillgrad plan COMMAND`
// prints the plan of collect, eval and train without a call and without writing anything;
// after a collection the plan is measured from its ledger (the test recomputes the bounds
// from the ledger's rows); a cap below the plan's low figure is refused before any call
// unless --force.
#include <algorithm>
#include <numeric>

#include "tests/e2e/e2e_harness.h"

namespace sg::e2e {
namespace {

std::vector<std::string> Plan(std::vector<std::string> args) {
  args.insert(args.begin(), "plan");
  return args;
}

std::vector<std::string> Command(const char* name, const fs::path& results,
                                 const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = CommonArgs(results);
  args.insert(args.begin(), name);
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// The plan printed by --json: the output's last line that starts with '{'.
Json PlanJson(const Outcome& outcome) {
  const std::string& text = outcome.output;
  size_t at = text.rfind("\n{");
  at = at == std::string::npos ? (text.rfind('{', 0) == 0 ? 0 : std::string::npos) : at + 1;
  EXPECT_NE(at, std::string::npos) << text;
  if (at == std::string::npos) return Json::object();
  const size_t end = text.find('\n', at);
  auto parsed = ParseJson(text.substr(at, end == std::string::npos ? end : end - at), "plan");
  EXPECT_TRUE(parsed.ok()) << text;
  return parsed.ok() ? *parsed : Json::object();
}

const Json* RowOf(const Json& plan, const std::string& stage) {
  for (const auto& row : plan["rows"]) {
    if (row["stage"] == stage) return &row;
  }
  return nullptr;
}

TEST(E2ePlan, PlanPrintsWithoutCallingOrWriting) {
  testing::TempDir work;
  auto mock = StartMock();
  ASSERT_NE(mock, nullptr);
  const fs::path results = work.path() / "results";
  Outcome collect = RunSkillgrad(*mock, work.path(), Plan(Command("collect", results)));
  ASSERT_EQ(collect.exit_code, 0) << collect.output;
  EXPECT_NE(collect.output.find("cost plan of collect"), std::string::npos) << collect.output;
  EXPECT_NE(collect.output.find("bounded by 20 turns"), std::string::npos) << collect.output;

  Outcome train = RunSkillgrad(*mock, work.path(), Plan(TrainArgs(results)));
  ASSERT_EQ(train.exit_code, 0) << train.output;
  EXPECT_NE(train.output.find("the base collection is missing"), std::string::npos) << train.output;
  const Json plan =
      PlanJson(RunSkillgrad(*mock, work.path(), Plan(TrainArgs(results, {"--json"}))));
  ASSERT_NE(RowOf(plan, "collect"), nullptr) << plan.dump();
  ASSERT_NE(RowOf(plan, "patch"), nullptr) << plan.dump();
  EXPECT_EQ((*RowOf(plan, "execute"))["runs_low"], 0);  // the seed may fail no task
  EXPECT_GT(plan["usd_high"].get<double>(), plan["usd_low"].get<double>());

  Outcome eval =
      RunSkillgrad(*mock, work.path(), Plan(Command("eval", results, {"--rollouts", "3"})));
  ASSERT_EQ(eval.exit_code, 0) << eval.output;
  EXPECT_NE(eval.output.find("cost plan of eval"), std::string::npos) << eval.output;

  EXPECT_EQ(mock->counters().requests, 0);
  EXPECT_FALSE(fs::exists(results)) << "a plan wrote under the results root";
}

// Per agent run (task) of the executor in `ledger`: calls.
std::vector<double> CallsPerTask(const fs::path& ledger) {
  std::map<std::string, double> calls;
  for (const Json& row : JsonLines(ledger)) {
    if (row["role"] == "executor") calls[row["task"].get<std::string>()] += 1;
  }
  std::vector<double> out;
  for (const auto& [task, n] : calls) out.push_back(n);
  return out;
}

TEST(E2ePlan, AfterACollectThePlanIsMeasuredFromItsLedger) {
  testing::TempDir work;
  auto mock = StartMock();
  ASSERT_NE(mock, nullptr);
  const fs::path results = work.path() / "results";
  ASSERT_EQ(RunSkillgrad(*mock, work.path(), Command("collect", results)).exit_code, 0);
  const int64_t paid = mock->counters().requests;
  const fs::path base = results / "base_trajectories" / "master_0_heldout_42" / "gpt-4o-mini";
  const std::vector<double> calls = CallsPerTask(base / "ledger.jsonl");
  ASSERT_FALSE(calls.empty());
  const double mean = std::accumulate(calls.begin(), calls.end(), 0.0) / calls.size();
  const double lo = *std::min_element(calls.begin(), calls.end());
  const double hi = *std::max_element(calls.begin(), calls.end());

  // Collected already: nothing left to run.
  const Json collect =
      PlanJson(RunSkillgrad(*mock, work.path(), Plan(Command("collect", results, {"--json"}))));
  EXPECT_EQ((*RowOf(collect, "collect"))["runs_high"], 0) << collect.dump();
  EXPECT_EQ(collect["usd_high"], 0.0);

  // Eval: every test task once, each like the collected runs.
  const Json split = ReadJson(results / "splits" / "master_0_heldout_42" / "split.json");
  const double n = static_cast<double>(split["test_ids"].size());
  const Json eval =
      PlanJson(RunSkillgrad(*mock, work.path(), Plan(Command("eval", results, {"--json"}))));
  const Json& row = *RowOf(eval, "eval");
  EXPECT_EQ(row["runs_high"].get<double>(), n);
  EXPECT_NE(row["basis"].get<std::string>().find("measured over " + std::to_string(calls.size()) +
                                                 " runs"),
            std::string::npos)
      << row.dump();
  const double low = row["low"]["calls"].get<double>(), high = row["high"]["calls"].get<double>();
  EXPECT_GE(low, n * lo - 1e-9);
  EXPECT_LE(low, n * mean + 1e-9);
  EXPECT_GE(high, n * mean - 1e-9);
  EXPECT_LE(high, n * hi + 1e-9);
  EXPECT_GT(row["usd_low"].get<double>(), 0.0);

  // Train: one executor run per failing task (batches of 2), at least until the earliest
  // early stop (4 all-correct batches).
  const size_t pool = ReadJson(base / "failure_pool.json")["failure_pool"].size();
  const Json train =
      PlanJson(RunSkillgrad(*mock, work.path(), Plan(TrainArgs(results, {"--json"}))));
  const Json& execute = *RowOf(train, "execute");
  EXPECT_EQ(execute["runs_high"].get<double>(), static_cast<double>(pool)) << train.dump();
  EXPECT_EQ(execute["runs_low"].get<double>(), static_cast<double>(std::min<size_t>(pool, 8)));
  EXPECT_EQ(RowOf(train, "collect"), nullptr);
  EXPECT_EQ(mock->counters().requests, paid);
}

TEST(E2ePlan, ACapBelowThePlansLowFigureIsRefusedUnlessForced) {
  testing::TempDir work;
  auto mock = StartMock();
  ASSERT_NE(mock, nullptr);
  const fs::path results = work.path() / "results";
  // train exits 1 for any error, collect and eval 2 for an input error.
  Outcome refused =
      RunSkillgrad(*mock, work.path(), TrainArgs(results, {"--max-cost-usd", "0.000001"}));
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  EXPECT_NE(refused.output.find("below the low figure of this command's cost plan"),
            std::string::npos)
      << refused.output;
  EXPECT_NE(refused.output.find("--force"), std::string::npos) << refused.output;
  EXPECT_EQ(mock->counters().requests, 0);
  EXPECT_FALSE(fs::exists(results / "runs")) << "a refused command started its run";
  Outcome collect =
      RunSkillgrad(*mock, work.path(), Command("collect", results, {"--max-cost-usd", "0.000001"}));
  EXPECT_EQ(collect.exit_code, 2) << collect.output;
  EXPECT_NE(collect.output.find("--force"), std::string::npos) << collect.output;
  EXPECT_EQ(mock->counters().requests, 0);

  // With --force the command runs until the hard cap stops it: here before its first call.
  Outcome forced = RunSkillgrad(*mock, work.path(),
                                TrainArgs(results, {"--max-cost-usd", "0.000001", "--force"}));
  EXPECT_EQ(forced.exit_code, 3) << forced.output;
  EXPECT_EQ(mock->counters().requests, 0);
}

}  // namespace
}  // namespace sg::e2e
