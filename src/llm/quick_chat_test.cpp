#include "llm/quick_chat.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "core/file_util.h"
#include "core/testing.h"
#include "mock/mock_server.h"

namespace sg::llm {
namespace {

bool ProviderVariablesInEnvironment() {
  for (const char* v :
       {"OPENAI_API_KEY", "OPENAI_BASE_URL", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT",
        "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "MODEL"}) {
    const char* value = std::getenv(v);
    if (value && *value) return true;
  }
  return false;
}

TEST(QuickChatTest, OneCallThroughAnEnvFileAgainstTheMock) {
  if (ProviderVariablesInEnvironment())
    GTEST_SKIP() << "provider variables set in this environment";
  mock::MockOptions options;
  auto scenario =
      mock::ScenarioFromJson(Json::parse(R"({"rules": [{"match": {"system": {"contains": "terse"}},
        "reply": {"text": "Hi.", "usage": {"input": 9, "output": 2}}}]})"),
                             "quick-chat");
  ASSERT_TRUE(scenario.ok()) << scenario.error().message;
  options.scenario = std::move(*scenario);
  auto server = mock::MockServer::Start(std::move(options));
  ASSERT_TRUE(server.ok());
  testing::TempDir dir;
  auto env = dir.path() / "test.env";
  ASSERT_TRUE(WriteFileAtomic(env, "OPENAI_BASE_URL=" + (*server)->base_url() +
                                       "/v1\nOPENAI_API_KEY=sk-quick-0123456789\n")
                  .ok());

  QuickChatOptions o;
  o.text = "hello";
  o.system = "Be terse.";
  o.env_file = env;
  auto missing_model = QuickChat(o, nullptr);
  ASSERT_FALSE(missing_model.ok());
  EXPECT_NE(missing_model.error().message.find("--model"), std::string::npos);

  o.model = "gpt-4o";
  o.stream = true;
  std::string streamed;
  auto r = QuickChat(o, [&](std::string_view t) { streamed += t; });
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->response.message.content, "Hi.");
  EXPECT_EQ(streamed, "Hi.");
  std::string summary = FormatCallSummary(*r);
  EXPECT_NE(summary.find("input 9"), std::string::npos) << summary;
  EXPECT_NE(summary.find("output 2"), std::string::npos) << summary;
  EXPECT_NE(summary.find("latency:"), std::string::npos) << summary;
  EXPECT_NE(summary.find("test.env line 2"), std::string::npos) << summary;
  EXPECT_EQ(summary.find("sk-quick"), std::string::npos) << "the key never shows";

  // A cap below the call's worst case (4,096 output tokens of gpt-4o: about $0.04) refuses
  // it unsent.
  const int64_t sent = (*server)->counters().requests;
  o.max_cost_usd = 0.01;
  auto capped = QuickChat(o, nullptr);
  ASSERT_FALSE(capped.ok());
  EXPECT_EQ(capped.error().code, ErrorCode::kBudget);
  EXPECT_EQ((*server)->counters().requests, sent);
  o.max_tokens = 100;  // a worst case of 100 output tokens fits
  EXPECT_TRUE(QuickChat(o, nullptr).ok());
}

}  // namespace
}  // namespace sg::llm
