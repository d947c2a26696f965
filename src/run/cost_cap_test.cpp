// The cost cap and the price table (run/run_inputs.h): a run with --max-cost-usd whose role
// models have no price is refused while its inputs are checked, before any call or write;
// a --prices entry for the model lets it go ahead; without a cap an unpriced model runs (its
// cost is unknown). In process, over the same seams as commands_test.cpp: the in-memory
// benchmark and the scripted executor answer instead of a provider.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/file_util.h"
#include "core/testing.h"
#include "llm/testing_chat_client.h"
#include "run/commands.h"
#include "run/testing_executor.h"
#include "tasks/testing_benchmark.h"

namespace sg::run {
namespace {
namespace fs = std::filesystem;
using sg::testing::MemoryTask;

constexpr const char* kSkill = "answers";
constexpr const char* kUnpriced = "no-such-model-1";

std::vector<MemoryTask> Tasks() { return {{"x2", "Which planet is red?", "Mars", true}}; }

class CostCapTest : public ::testing::Test {
 protected:
  CostCapTest()
      : benchmark_(Tasks()),
        client_([this](const llm::ChatRequest& request, const llm::CallContext& context) {
          return sg::testing::ScriptedExecutorReply(benchmark_, always_right_, kSkill, "", request,
                                                    context);
        }) {
    const fs::path skill = Root() / "seed" / kSkill;
    EXPECT_TRUE(MakeDirs(Root() / "data").ok());
    EXPECT_TRUE(MakeDirs(skill).ok());
    EXPECT_TRUE(WriteFileAtomic(skill / "SKILL.md",
                                std::string("---\nname: ") + kSkill +
                                    "\ndescription: Answer a short question.\n---\n# Answers\n")
                    .ok());
    options_.benchmark = "memory";
    options_.data_dir = Root() / "data";
    options_.skills_dir = skill;
    options_.results_root = ResultsRoot();
    options_.max_turns = 6;

    llm::ProviderConfig provider;
    provider.api_key = "sk-cost-cap-test-not-a-key-0123456789";
    provider.base_url = "http://127.0.0.1:9/v1";  // never reached: the test client answers
    provider.model = kUnpriced;
    llm_.provider = provider;
    llm_.cache_mode = llm::CacheMode::kOff;
    llm_.test_benchmark = [] { return std::make_unique<sg::testing::MemoryBenchmark>(Tasks()); };
    llm_.test_client = [this] {
      return std::make_unique<sg::testing::ForwardingChatClient>(client_);
    };
  }

  fs::path Root() const { return dir_.path(); }
  fs::path ResultsRoot() const { return Root() / "results"; }
  Result<ExecResult> Exec() { return ExecCommand(options_, llm_, "x2", {}, &phase_); }
  void ExpectRefusedBeforeAnyCallOrWrite(const Result<ExecResult>& result) {
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(phase_, CommandPhase::kCheckingInputs);
    EXPECT_EQ(client_.call_count(), 0u);
    EXPECT_FALSE(fs::exists(ResultsRoot()));
  }

  sg::testing::TempDir dir_;
  sg::testing::MemoryBenchmark benchmark_;
  std::set<std::string> always_right_ = {"x2"};
  sg::testing::ScriptedChatClient client_;
  CommonOptions options_;
  LlmSettings llm_;
  CommandPhase phase_ = CommandPhase::kCheckingInputs;
};

TEST_F(CostCapTest, ACapOverAnUnpricedModelIsRefusedNamingTheModelRolesAndFix) {
  options_.max_cost_usd = 5;
  auto result = Exec();
  ASSERT_NO_FATAL_FAILURE(ExpectRefusedBeforeAnyCallOrWrite(result));
  const std::string& message = result.error().message;
  EXPECT_NE(message.find("--max-cost-usd 5"), std::string::npos) << message;
  EXPECT_NE(message.find("\"no-such-model-1\" (executor, diagnoser, momentum, patcher)"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("--prices"), std::string::npos) << message;
  EXPECT_NE(message.find("drop --max-cost-usd"), std::string::npos) << message;
}

TEST_F(CostCapTest, OnlyTheRolesWhoseModelIsUnpricedAreNamed) {
  options_.max_cost_usd = 5;
  options_.models = {"gpt-5.4-mini", "gpt-5.4", "gpt-5.4", "no-such-model-2"};
  auto result = Exec();
  ASSERT_NO_FATAL_FAILURE(ExpectRefusedBeforeAnyCallOrWrite(result));
  const std::string& message = result.error().message;
  EXPECT_NE(message.find("\"no-such-model-2\" (patcher)"), std::string::npos) << message;
  EXPECT_EQ(message.find("executor"), std::string::npos) << message;
  EXPECT_EQ(message.find("gpt-5.4"), std::string::npos) << message;
}

TEST_F(CostCapTest, APricesFileEntryForTheModelLetsTheCappedRunGoAhead) {
  const fs::path prices = Root() / "prices.json";
  ASSERT_TRUE(WriteFileAtomic(prices, R"({"no-such-model-1": {"input": 1, "output": 2}})").ok());
  llm_.prices_file = prices;
  options_.max_cost_usd = 5;
  auto result = Exec();
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(phase_, CommandPhase::kWriting);
  EXPECT_TRUE(result->assessment.pass);
  EXPECT_EQ(client_.call_count(), 2u);
}

TEST_F(CostCapTest, WithoutACapAnUnpricedModelStillRuns) {
  auto result = Exec();
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(client_.call_count(), 2u);
}

// The price table is read while the inputs are checked, so a bad --prices file is named
// before anything is written or paid for.
TEST_F(CostCapTest, ABadPricesFileIsAnInputError) {
  const fs::path prices = Root() / "prices.json";
  ASSERT_TRUE(WriteFileAtomic(prices, R"({"no-such-model-1": {"input": "cheap"}})").ok());
  llm_.prices_file = prices;
  auto result = Exec();
  ASSERT_NO_FATAL_FAILURE(ExpectRefusedBeforeAnyCallOrWrite(result));
  EXPECT_NE(result.error().message.find("prices.json"), std::string::npos)
      << result.error().message;
}

}  // namespace
}  // namespace sg::run
