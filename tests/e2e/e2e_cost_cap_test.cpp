// The hard cost cap of every command that calls a model (collect, eval, exec; train's is in
// e2e_resume_test.cpp): the command stops mid-stage with exit 3 and the cap named, its
// ledger never passes the cap, and the same command with a higher cap finishes the work
// without paying twice (finished tasks are kept, paid replies come from the response cache).
// Each mock reply costs $0.0021 (gpt-4o-mini, 10000 input and 1000 output tokens); a call's
// worst case is about $0.0026 (its input at 3 bytes a token, 4,096 output tokens).
#include "tests/e2e/e2e_harness.h"

namespace sg::e2e {
namespace {

std::vector<std::string> With(std::vector<std::string> args,
                              const std::vector<std::string>& extra) {
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

std::vector<std::string> Command(const char* name, const fs::path& results) {
  std::vector<std::string> args = CommonArgs(results);
  args.insert(args.begin(), name);
  return args;
}

void ExpectStoppedAtTheCap(const Outcome& stopped, const fs::path& results, double cap) {
  EXPECT_EQ(stopped.exit_code, 3) << stopped.output;
  EXPECT_NE(stopped.output.find("the cost cap --max-cost-usd"), std::string::npos)
      << stopped.output;
  EXPECT_NE(stopped.output.find("the call was not sent"), std::string::npos) << stopped.output;
  EXPECT_LE(ResultsCost(results), cap);
  EXPECT_GT(ResultsCost(results), 0.0);
}

TEST(E2eCostCap, CollectStopsAtTheCapAndAHigherCapFinishesWithoutPayingTwice) {
  testing::TempDir work;
  auto mock = StartMock();
  ASSERT_NE(mock, nullptr);
  const fs::path results = work.path() / "results";
  Outcome stopped = RunSkillgrad(*mock, work.path(),
                                 With(Command("collect", results), {"--max-cost-usd", "0.02"}));
  ExpectStoppedAtTheCap(stopped, results, 0.02);
  const int64_t paid = mock->counters().requests;
  EXPECT_GT(paid, 0);
  EXPECT_LT(paid, 18);  // an uncapped collect makes 18 calls

  Outcome finished =
      RunSkillgrad(*mock, work.path(), With(Command("collect", results), {"--max-cost-usd", "1"}));
  ASSERT_EQ(finished.exit_code, 0) << finished.output;
  EXPECT_EQ(mock->counters().requests, 18);
  EXPECT_NEAR(ResultsCost(results), 18 * 0.0021, 1e-9);
}

TEST(E2eCostCap, EvalStopsAtTheCapAndAHigherCapFinishesWithoutPayingTwice) {
  testing::TempDir work;
  auto uncapped_mock = StartMock();
  ASSERT_NE(uncapped_mock, nullptr);
  Outcome uncapped =
      RunSkillgrad(*uncapped_mock, work.path(), Command("eval", work.path() / "uncapped"));
  ASSERT_EQ(uncapped.exit_code, 0) << uncapped.output;
  const int64_t calls = uncapped_mock->counters().requests;

  auto mock = StartMock();
  ASSERT_NE(mock, nullptr);
  const fs::path results = work.path() / "results";
  Outcome stopped =
      RunSkillgrad(*mock, work.path(), With(Command("eval", results), {"--max-cost-usd", "0.01"}));
  ExpectStoppedAtTheCap(stopped, results, 0.01);
  EXPECT_LT(mock->counters().requests, calls);
  Outcome finished =
      RunSkillgrad(*mock, work.path(), With(Command("eval", results), {"--max-cost-usd", "1"}));
  ASSERT_EQ(finished.exit_code, 0) << finished.output;
  EXPECT_EQ(mock->counters().requests, calls);
  EXPECT_NEAR(ResultsCost(results), ResultsCost(work.path() / "uncapped"), 1e-9);
}

TEST(E2eCostCap, ExecStopsAtTheCapAndAHigherCapFinishesFromTheCache) {
  testing::TempDir work;
  auto mock = StartMock();
  ASSERT_NE(mock, nullptr);
  const fs::path results = work.path() / "results";
  const std::vector<std::string> exec = With(Command("exec", results), {"--task", "nu-0"});
  // nu-0 takes 3 calls: the 1st and 2nd fit $0.005 ($0.0021 each plus a $0.0026 hold), the
  // 3rd does not.
  Outcome stopped = RunSkillgrad(*mock, work.path(), With(exec, {"--max-cost-usd", "0.005"}));
  ExpectStoppedAtTheCap(stopped, results, 0.005);
  EXPECT_EQ(mock->counters().requests, 2);
  Outcome finished = RunSkillgrad(*mock, work.path(), With(exec, {"--max-cost-usd", "1"}));
  ASSERT_EQ(finished.exit_code, 0) << finished.output;
  EXPECT_NE(finished.output.find("grade: fail"), std::string::npos) << finished.output;
  EXPECT_EQ(mock->counters().requests, 3);
}

TEST(E2eCostCap, ACapBelowOneCallsWorstCaseSpendsNothing) {
  testing::TempDir work;
  auto mock = StartMock();
  ASSERT_NE(mock, nullptr);
  const fs::path results = work.path() / "results";
  // Below the cost plan's low figure too: refused unless --force (e2e_plan_test.cpp).
  Outcome stopped =
      RunSkillgrad(*mock, work.path(),
                   With(Command("collect", results), {"--max-cost-usd", "0.000001", "--force"}));
  EXPECT_EQ(stopped.exit_code, 3) << stopped.output;
  EXPECT_EQ(mock->counters().requests, 0);
  EXPECT_EQ(ResultsCost(results), 0.0);
}

}  // namespace
}  // namespace sg::e2e
