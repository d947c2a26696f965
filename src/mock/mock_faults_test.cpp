// Each fault kind as a raw HTTP client sees it, latency determinism, counters, concurrency.
#include <gtest/gtest.h>

#include <functional>
#include <thread>

#include "mock/fault_plan.h"
#include "mock/mock_server.h"
#include "mock/raw_http_test_util.h"

namespace sg::mock {
namespace {

using sg::mock::testing::PostJson;
using sg::mock::testing::RawHttp;
using sg::mock::testing::RawResponse;

std::unique_ptr<MockServer> StartMock(std::string_view scenario, uint64_t seed = 0) {
  auto sc = ParseScenario(scenario, "faults.json");
  EXPECT_TRUE(sc.ok()) << sc.error().message;
  MockOptions options;
  options.scenario = *sc;
  options.seed = seed;
  auto server = MockServer::Start(std::move(options));
  EXPECT_TRUE(server.ok()) << server.error().message;
  return std::move(*server);
}

Json Body(bool stream = false) {
  Json body = {{"model", "m"}, {"messages", {{{"role", "user"}, {"content", "hello there"}}}}};
  if (stream) body["stream"] = true;
  return body;
}

RawResponse Call(MockServer& server, bool stream = false) {
  return PostJson(server.port(), "/v1/chat/completions", Body(stream));
}

// Polls the server's counters until `done` holds or `limit` has passed (a sanitized build can
// be slow); the caller then asserts on the counters.
void WaitForCounters(const MockServer& server, const std::function<bool(const MockCounters&)>& done,
                     std::chrono::seconds limit = std::chrono::seconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done(server.counters()) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

constexpr const char* kReply =
    R"J({"match": {}, "reply": {"text": "a reply long enough to be cut somewhere in the middle", "tool_calls": [{"name": "f", "arguments": {"x": 1}}]}})J";

std::string WithFault(const std::string& fault) {
  return R"J({"faults": [)J" + fault + R"J(], "rules": [)J" + kReply + "]}";
}

TEST(MockFaultsTest, RateLimitByRequestNumberSendsRetryAfterHeaders) {
  auto server = StartMock(WithFault(
      R"J({"kind": "rate_limit", "requests": [2], "retry_after_s": 2, "retry_after_ms": 1500})J"));
  EXPECT_EQ(Call(*server).status, 200);
  auto limited = Call(*server);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.headers["retry-after"], "2");
  EXPECT_EQ(limited.headers["retry-after-ms"], "1500");
  EXPECT_EQ(limited.Json()["error"]["code"], "rate_limit_exceeded");
  EXPECT_EQ(limited.Json()["error"]["type"], "requests");
  EXPECT_EQ(Call(*server).status, 200);
  auto log = server->request_log();
  EXPECT_EQ(log[1]["fault"], "rate_limit");
  EXPECT_EQ(log[1]["retry_after_s"], 2.0);
  EXPECT_EQ(server->counters().faults["rate_limit"], 1);
  // The faulted request did not use up a reply: rule uses count delivered replies.
  EXPECT_EQ(server->counters().rule_uses["rule[0]"], 2);
}

TEST(MockFaultsTest, HttpErrorStatuses) {
  auto server = StartMock(WithFault(R"J({"kind": "http_error", "status": 503, "requests": [1]},
                                       {"kind": "http_error", "requests": [2]})J"));
  auto a = Call(*server);
  EXPECT_EQ(a.status, 503);
  EXPECT_EQ(a.Json()["error"]["type"], "server_error");
  EXPECT_EQ(Call(*server).status, 500);
  EXPECT_EQ(Call(*server).status, 200);
  auto c = server->counters();
  EXPECT_EQ(c.faults["http_error"], 2);
  EXPECT_EQ(c.by_status[503], 1);
  EXPECT_EQ(c.by_status[500], 1);
}

TEST(MockFaultsTest, ResetClosesTheConnectionWithoutAResponse) {
  auto server = StartMock(WithFault(R"J({"kind": "reset", "requests": [1]})J"));
  auto r = Call(*server);
  EXPECT_TRUE(r.connected);
  EXPECT_TRUE(r.raw.empty()) << r.raw;
  EXPECT_EQ(r.status, 0);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(Call(*server).status, 200);  // the server goes on serving
  auto c = server->counters();
  EXPECT_EQ(c.faults["reset"], 1);
  EXPECT_EQ(c.by_status[0], 1);
  EXPECT_EQ(server->request_log()[0]["status"], 0);
}

TEST(MockFaultsTest, StallHoldsTheRequestThenClosesWithoutAResponse) {
  auto server = StartMock(WithFault(R"J({"kind": "stall", "requests": [1], "stall_ms": 300})J"));
  // A client whose timeout is shorter than the stall gives up first.
  auto impatient = RawHttp(server->port(), "POST", "/v1/chat/completions", Body().dump(), {}, 100);
  EXPECT_TRUE(impatient.timed_out);
  EXPECT_TRUE(impatient.raw.empty());
  // The impatient client can give up before the server has numbered its request (a slow,
  // sanitized build); the next call must not overtake it and draw the stall itself.
  WaitForCounters(*server, [](const MockCounters& c) { return c.requests > 0; });
  ASSERT_EQ(server->counters().requests, 1);
  auto next = Call(*server);
  EXPECT_EQ(next.status, 200);
  server->Stop();
  auto log = server->request_log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0]["fault"], "stall");
  EXPECT_EQ(log[0]["latency_ms"], 300);
  EXPECT_EQ(log[0]["status"], 0);
}

TEST(MockFaultsTest, StopEndsAStallAtOnce) {
  auto server = StartMock(WithFault(R"J({"kind": "stall", "requests": [1], "stall_ms": 600000})J"));
  std::thread client([&] {
    auto r = Call(*server);
    EXPECT_TRUE(r.raw.empty());
  });
  WaitForCounters(*server, [](const MockCounters& c) { return c.in_flight > 0; });
  EXPECT_EQ(server->counters().in_flight, 1);
  server->Stop();  // must not wait ten minutes
  client.join();
  EXPECT_EQ(server->counters().in_flight, 0);
}

TEST(MockFaultsTest, MalformedBodyAndMalformedStreamEvent) {
  auto server = StartMock(WithFault(R"J({"kind": "malformed", "requests": [1, 2]})J"));
  auto r = Call(*server);
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.complete);
  EXPECT_TRUE(r.Json().is_discarded()) << r.body;
  auto s = Call(*server, true);
  EXPECT_EQ(s.status, 200);
  EXPECT_TRUE(s.complete);
  auto data = s.SseData();
  int invalid = 0;
  for (const auto& d : data) {
    if (d != "[DONE]" && Json::parse(d, nullptr, false).is_discarded()) ++invalid;
  }
  EXPECT_EQ(invalid, 1);
  EXPECT_EQ(Call(*server).Json()["choices"][0]["message"]["content"],
            "a reply long enough to be cut somewhere in the middle");
  EXPECT_EQ(server->counters().faults["malformed"], 2);
}

TEST(MockFaultsTest, TruncatedBodyAndTruncatedStream) {
  auto server = StartMock(WithFault(R"J({"kind": "truncate", "requests": [1, 2]})J"));
  auto r = Call(*server);
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(r.complete);  // fewer bytes than Content-Length, then the connection closed
  EXPECT_LT(r.body.size(), std::stoul(r.headers["content-length"]));
  EXPECT_FALSE(r.body.empty());
  auto s = Call(*server, true);
  EXPECT_EQ(s.status, 200);
  EXPECT_FALSE(s.complete);  // no final chunk
  auto data = s.SseData();
  ASSERT_FALSE(data.empty());
  EXPECT_NE(data.back(), "[DONE]");
  for (const auto& d : data) EXPECT_FALSE(Json::parse(d, nullptr, false).is_discarded()) << d;
  server->Stop();
  auto log = server->request_log();
  EXPECT_EQ(log[1]["fault"], "truncate");
  EXPECT_EQ(log[1]["completed"], false);
}

TEST(MockFaultsTest, ScriptedFaultReplyThenRecovery) {
  auto server =
      StartMock(R"J({"rules": [{"replies": [{"fault": {"kind": "http_error", "status": 502}},
                                                     {"text": "recovered"}]}]})J");
  EXPECT_EQ(Call(*server).status, 502);
  EXPECT_EQ(Call(*server).Json()["choices"][0]["message"]["content"], "recovered");
}

TEST(MockFaultsTest, RatesAndLatencyAreDeterministicGivenTheSeed) {
  auto pick = [](uint64_t seed) {
    FaultPlan plan({FaultRule{FaultAction{FaultKind::kReset}, {}, 0.3}}, seed);
    std::vector<int64_t> hit;
    for (int64_t n = 1; n <= 200; ++n) {
      if (plan.Decide(n, Api::kOpenAi)) hit.push_back(n);
    }
    return hit;
  };
  auto a = pick(7), b = pick(7), c = pick(8);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_GT(a.size(), 30u);  // about 60 of 200
  EXPECT_LT(a.size(), 90u);
  LatencySpec spread{10, 20};
  for (int64_t n = 1; n <= 50; ++n) {
    int64_t ms = DrawLatencyMs(spread, 3, n);
    EXPECT_GE(ms, 10);
    EXPECT_LE(ms, 20);
    EXPECT_EQ(ms, DrawLatencyMs(spread, 3, n));
  }
  FaultPlan capped({FaultRule{FaultAction{FaultKind::kReset}, {}, 1.0, std::nullopt, 2}}, 1);
  int fired = 0;
  for (int n = 1; n <= 10; ++n) fired += capped.Decide(n, Api::kOpenAi).has_value();
  EXPECT_EQ(fired, 2);
}

TEST(MockFaultsTest, ConcurrentRequestsAreServedInParallel) {
  // Each request waits 30 s unless the server stops: all of them must be in flight at
  // once for in_flight to reach the count; Stop() then ends them.
  auto server = StartMock(R"J({"latency_ms": 30000, "rules": [{"reply": {"text": "x"}}]})J");
  constexpr int kClients = 80;
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) clients.emplace_back([&] { Call(*server); });
  WaitForCounters(
      *server, [](const MockCounters& c) { return c.in_flight >= kClients; },
      std::chrono::seconds(25));
  EXPECT_EQ(server->counters().in_flight, kClients);
  server->Stop();
  for (auto& t : clients) t.join();
  EXPECT_EQ(server->counters().max_in_flight, kClients);
  EXPECT_EQ(server->counters().in_flight, 0);
}

}  // namespace
}  // namespace sg::mock
