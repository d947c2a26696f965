// The hard cost cap: admission by worst case, waiting on calls in flight, refusal once
// exhausted; then the real client over HTTP against the in-process mock, where the ledger's
// total never passes the cap and a refused call is never sent.
#include "llm/spend_cap.h"

#include <gtest/gtest.h>

#include <thread>

#include "core/testing.h"
#include "llm/client.h"
#include "mock/mock_server.h"

namespace sg::llm {
namespace {

WorstCase Costing(double usd) {
  WorstCase w;
  w.usd = usd;
  return w;
}

TEST(SpendCapTest, AdmitsWhileSpentPlusHeldPlusWorstFitsTheCap) {
  SpendCap cap(1.0, 0.5);
  Result<SpendCap::Hold> a = cap.Admit(Costing(0.3), "a");
  ASSERT_TRUE(a.ok());
  Result<SpendCap::Hold> b = cap.Admit(Costing(0.2), "b");  // 0.5 + 0.3 + 0.2 = 1.0: fits
  ASSERT_TRUE(b.ok());
  EXPECT_DOUBLE_EQ(cap.reserved_usd(), 0.5);
  cap.Settle(*a, 0.1);
  cap.Settle(*b, 0.05);
  EXPECT_DOUBLE_EQ(cap.spent_usd(), 0.65);
  EXPECT_DOUBLE_EQ(cap.reserved_usd(), 0.0);
  EXPECT_FALSE(cap.exhausted());
}

TEST(SpendCapTest, ACallThatDoesNotFitWaitsForTheCallsInFlight) {
  SpendCap cap(1.0, 0.0);
  Result<SpendCap::Hold> a = cap.Admit(Costing(0.6), "a");
  ASSERT_TRUE(a.ok());
  Result<SpendCap::Hold> b = Error(ErrorCode::kInternal, "not run");
  // b does not fit while a holds 0.6; a settles for 0.1, so b fits: whichever runs first.
  std::thread waiter([&] { b = cap.Admit(Costing(0.6), "b"); });
  cap.Settle(*a, 0.1);
  waiter.join();
  ASSERT_TRUE(b.ok()) << b.error().message;
  cap.Settle(*b, 0.6);
  EXPECT_DOUBLE_EQ(cap.spent_usd(), 0.7);
}

TEST(SpendCapTest, AWaitingCallIsRefusedWhenTheCallsInFlightSpendTheRoom) {
  SpendCap cap(1.0, 0.0);
  Result<SpendCap::Hold> a = cap.Admit(Costing(0.6), "a");
  ASSERT_TRUE(a.ok());
  Result<SpendCap::Hold> b = Error(ErrorCode::kInternal, "not run");
  std::thread waiter([&] { b = cap.Admit(Costing(0.6), "model b"); });
  cap.Settle(*a, 0.6);
  waiter.join();
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().code, ErrorCode::kBudget);
  EXPECT_NE(b.error().message.find("--max-cost-usd 1.000000 is reached: 0.600000 spent"),
            std::string::npos)
      << b.error().message;
  EXPECT_NE(b.error().message.find("model b"), std::string::npos);
  EXPECT_TRUE(cap.exhausted());
}

TEST(SpendCapTest, OnceExhaustedEveryLaterCallIsRefusedEvenASmallOne) {
  SpendCap cap(0.1, 0.05);
  Result<SpendCap::Hold> big = cap.Admit(Costing(0.06), "big");
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code, ErrorCode::kBudget);
  Result<SpendCap::Hold> small = cap.Admit(Costing(0.001), "small");
  ASSERT_FALSE(small.ok());
  EXPECT_NE(small.error().message.find("refused since the cap ran out"), std::string::npos);
  EXPECT_DOUBLE_EQ(cap.spent_usd(), 0.05);
}

TEST(SpendCapTest, WorstCaseCountsThreeBytesPerTokenAndTheHigherInputPrice) {
  ChatRequest request;
  request.model = "m";
  request.messages.push_back(Message::User(std::string(284, 'x')));  // 284 + 16 framing bytes
  request.sampling.max_tokens = 1000;
  ModelPrice price{2.0, 0.2, 10.0, 2.5};
  WorstCase worst = WorstCaseOf(request, price, 4096);
  EXPECT_EQ(worst.input_tokens, 100);
  EXPECT_EQ(worst.output_tokens, 1000);
  EXPECT_DOUBLE_EQ(worst.usd, (100 * 2.5 + 1000 * 10.0) / 1e6);

  request.sampling.max_tokens.reset();
  EXPECT_EQ(WorstCaseOf(request, price, 4096).output_tokens, 4096);
  SpendCap cap(1.0, 0);
  EXPECT_EQ(cap.OutputTokensIfUnset(), 4096);
  cap.ObserveOutputTokens(3000);
  cap.ObserveOutputTokens(1200);
  EXPECT_EQ(cap.OutputTokensIfUnset(), 6000);  // twice the largest seen
}

// The real client: gpt-4o at $2.50 / $10 per million; each reply reports 1000 input and 100
// output tokens ($0.0035), while a call's worst case is its few input tokens plus 4,096
// output tokens (about $0.041).
const char* kPriced = R"({"rules": [{"match": {"last_message": {"contains": "hello"}},
  "reply": {"text": "Hi.", "usage": {"input": 1000, "output": 100}}, "cycle": true},
  {"match": {"last_message": {"contains": "silent"}},
  "reply": {"text": "No usage.", "omit_usage": true}, "cycle": true}]})";

struct CappedClient {
  std::unique_ptr<mock::MockServer> server;
  std::shared_ptr<SpendCap> cap;
  std::shared_ptr<CostLedger> ledger;
  std::unique_ptr<LlmClient> client;

  CappedClient(double cap_usd, const std::filesystem::path& ledger_path) {
    auto scenario = mock::ScenarioFromJson(Json::parse(kPriced), "priced");
    EXPECT_TRUE(scenario.ok());
    mock::MockOptions mo;
    mo.scenario = std::move(*scenario);
    server = std::move(mock::MockServer::Start(std::move(mo))).value();
    cap = std::make_shared<SpendCap>(cap_usd, 0.0);
    ledger = std::make_shared<CostLedger>(ledger_path);
    ClientParts parts;
    parts.spend_cap = cap;
    parts.ledger = ledger;
    ClientOptions options;
    options.jitter_seed = 1;
    ProviderConfig config{ProviderKind::kOpenAI, "sk-cap-test-0123456789", server->base_url(), "",
                          "test"};
    client = std::make_unique<LlmClient>(config, std::move(parts), options);
  }
  Result<ChatResponse> Ask(const std::string& text) {
    ChatRequest r;
    r.model = "gpt-4o";
    r.messages.push_back(Message::User(text));
    return client->Complete(r, CallContext{"executor", "t", 0, "collect"});
  }
};

TEST(SpendCapClientTest, TheLedgerNeverPassesTheCapAndARefusedCallIsNotSent) {
  sg::testing::TempDir dir;
  CappedClient c(0.1, dir.path() / "ledger.jsonl");
  int answered = 0;
  Result<ChatResponse> last = Error(ErrorCode::kInternal, "no call");
  for (int i = 0; i < 40; ++i) {
    last = c.Ask("hello");
    if (!last.ok()) break;
    ++answered;
  }
  ASSERT_FALSE(last.ok());
  EXPECT_EQ(last.error().code, ErrorCode::kBudget);
  // Admitted while spent + $0.041 <= $0.10: 17 calls ($0.0595), the 18th refused.
  EXPECT_EQ(answered, 17);
  EXPECT_EQ(c.server->counters().requests, 17);
  EXPECT_LE(c.ledger->totals().RunCostUsd(), 0.1);
  EXPECT_NEAR(c.ledger->totals().RunCostUsd(), 17 * 0.0035, 1e-9);
  // Later calls are refused without a request either.
  EXPECT_FALSE(c.Ask("hello").ok());
  EXPECT_EQ(c.server->counters().requests, 17);
}

TEST(SpendCapClientTest, AReplyWithoutUsageHasNoCostAndIsChargedItsWorstCase) {
  sg::testing::TempDir dir;
  CappedClient c(1.0, dir.path() / "ledger.jsonl");
  Result<ChatResponse> reply = c.Ask("silent");
  ASSERT_TRUE(reply.ok()) << reply.error().message;
  EXPECT_FALSE(reply->usage.reported);
  EXPECT_FALSE(reply->cost_usd.has_value());  // unknown, not $0
  EXPECT_GT(c.cap->spent_usd(), 0.04);        // the hold: 4,096 output tokens at $10 / M
  EXPECT_DOUBLE_EQ(c.cap->reserved_usd(), 0.0);
}

TEST(SpendCapClientTest, AModelWithoutAPriceCannotBeCalledUnderACap) {
  sg::testing::TempDir dir;
  CappedClient c(1.0, dir.path() / "ledger.jsonl");
  ChatRequest r;
  r.model = "no-such-model-9";
  r.messages.push_back(Message::User("hello"));
  Result<ChatResponse> reply = c.client->Complete(r, CallContext{"executor", "t", 0, "collect"});
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().code, ErrorCode::kBudget);
  EXPECT_NE(reply.error().message.find("--prices"), std::string::npos);
  EXPECT_EQ(c.server->counters().requests, 0);
}

}  // namespace
}  // namespace sg::llm
