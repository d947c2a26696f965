// The real client over real HTTP against the in-process mock server on loopback.
#include "llm/client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "core/testing.h"
#include "llm/curl_transport.h"
#include "mock/mock_server.h"

namespace sg::llm {
namespace {

using std::chrono::milliseconds;
constexpr const char* kKey = "sk-test-secret-0123456789";

struct Harness {
  std::unique_ptr<mock::MockServer> server;
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>();
  std::unique_ptr<LlmClient> client;

  Harness(const std::string& scenario_json, ProviderKind kind = ProviderKind::kOpenAI,
          ClientParts parts = {}, ClientOptions options = {}, std::string required_key = "") {
    auto scenario = mock::ScenarioFromJson(Json::parse(scenario_json), "test-scenario");
    if (!scenario.ok()) throw std::runtime_error(scenario.error().message);
    mock::MockOptions mo;
    mo.scenario = std::move(*scenario);
    mo.required_api_key = std::move(required_key);
    auto started = mock::MockServer::Start(std::move(mo));
    if (!started.ok()) throw std::runtime_error(started.error().message);
    server = std::move(*started);
    if (!parts.clock) parts.clock = clock;
    if (options.jitter_seed == 0) options.jitter_seed = 1;
    ProviderConfig config{kind, kKey, server->base_url(), "", "test"};
    client = std::make_unique<LlmClient>(config, std::move(parts), options);
  }
  int64_t requests() const { return server->counters().requests; }
};

ChatRequest Ask(const std::string& text, bool stream = false) {
  ChatRequest r;
  r.model = "gpt-4o";
  r.messages.push_back(Message::System("You are a test."));
  r.messages.push_back(Message::User(text));
  r.stream = stream;
  return r;
}

const CallContext kCtx{"executor", "task-1", 0, "collect"};

const char* kHello = R"({"rules": [{"match": {"last_message": {"contains": "hello"}},
  "reply": {"text": "Hi there, friend.", "usage": {"input": 40, "cached": 8, "output": 6, "reasoning": 2}},
  "cycle": true}]})";

TEST(ClientTest, PlainTextBothApisStreamedAndNot) {
  for (ProviderKind kind :
       {ProviderKind::kOpenAI, ProviderKind::kAnthropic, ProviderKind::kAzureOpenAI}) {
    for (bool stream : {false, true}) {
      SCOPED_TRACE(std::string(ProviderKindName(kind)) + (stream ? " stream" : ""));
      Harness h(kHello, kind);
      std::string streamed;
      auto r = h.client->Complete(Ask("hello", stream), kCtx,
                                  [&](std::string_view t) { streamed += t; });
      ASSERT_TRUE(r.ok()) << r.error().message;
      EXPECT_EQ(r->message.content, "Hi there, friend.");
      EXPECT_EQ(r->finish_reason, FinishReason::kStop);
      EXPECT_EQ(r->attempts, 1);
      EXPECT_TRUE(r->usage.reported);
      EXPECT_EQ(r->usage.input_tokens, 40);
      EXPECT_EQ(r->usage.cached_input_tokens, 8);
      EXPECT_EQ(r->usage.output_tokens, 6);
      if (stream) {
        EXPECT_EQ(streamed, "Hi there, friend.");
      }
      ASSERT_TRUE(r->cost_usd.has_value()) << "gpt-4o has a price";
      h.server->Stop();  // log entries are written when a reply has been sent
      auto log = h.server->request_log();
      ASSERT_EQ(log.size(), 1u);
      EXPECT_EQ(log[0]["stream"], stream);
      const char* auth = kind == ProviderKind::kOpenAI        ? "bearer"
                         : kind == ProviderKind::kAzureOpenAI ? "api-key"
                                                              : "x-api-key";
      EXPECT_EQ(log[0]["auth"], auth);
      EXPECT_EQ(log[0]["path"], kind == ProviderKind::kAzureOpenAI ? "/openai/v1/chat/completions"
                                : kind == ProviderKind::kAnthropic ? "/v1/messages"
                                                                   : "/v1/chat/completions");
    }
  }
}

const char* kToolScript = R"({"rules": [
  {"match": {"turn": 0}, "reply": {"tool_calls": [{"name": "read_range", "arguments": {"range": "A1:A3"}}]}},
  {"match": {"turn": 1, "last_message": {"role": "tool", "contains": "[1,2,3]"}},
   "reply": {"text": "Checking twice.", "tool_calls": [
      {"name": "python", "arguments": {"code": "print(1+2+3)\n"}},
      {"name": "read_range", "arguments": {"range": "B1"}}]}},
  {"match": {"turn": 2}, "reply": {"text": "The sum is 6."}}]})";

Result<ChatResponse> RunToolLoop(LlmClient& client, bool stream, std::vector<ChatResponse>* turns) {
  ChatRequest req = Ask("Sum A1:A3", stream);
  req.tools.push_back({"read_range", "Read cells", Json{{"type", "object"}}});
  req.tools.push_back({"python", "Run code", Json{{"type", "object"}}});
  for (int turn = 0; turn < 5; ++turn) {
    auto r = client.Complete(req, kCtx);
    if (!r.ok() || r->message.tool_calls.empty()) return r;
    turns->push_back(*r);
    req.messages.push_back(r->message);
    for (const ToolCall& call : r->message.tool_calls) {
      std::string out =
          call.name == "read_range" && call.arguments.find("A1:A3") != std::string::npos ? "[1,2,3]"
                                                                                         : "6";
      req.messages.push_back(Message::ToolResult(call.id, call.name, out));
    }
  }
  return InternalError("no final answer");
}

TEST(ClientTest, ToolCallsOverSeveralTurns) {
  for (ProviderKind kind : {ProviderKind::kOpenAI, ProviderKind::kAnthropic}) {
    for (bool stream : {false, true}) {
      SCOPED_TRACE(std::string(ProviderKindName(kind)) + (stream ? " stream" : ""));
      Harness h(kToolScript, kind);
      std::vector<ChatResponse> turns;
      auto final = RunToolLoop(*h.client, stream, &turns);
      ASSERT_TRUE(final.ok()) << final.error().message;
      EXPECT_EQ(final->message.content, "The sum is 6.");
      ASSERT_EQ(turns.size(), 2u);
      ASSERT_EQ(turns[0].message.tool_calls.size(), 1u);
      EXPECT_EQ(Json::parse(turns[0].message.tool_calls[0].arguments), Json({{"range", "A1:A3"}}));
      EXPECT_EQ(turns[0].finish_reason, FinishReason::kToolCalls);
      ASSERT_EQ(turns[1].message.tool_calls.size(), 2u) << "parallel tool calls";
      EXPECT_EQ(turns[1].message.content, "Checking twice.");
      EXPECT_EQ(turns[1].message.tool_calls[0].name, "python");
      EXPECT_NE(turns[1].message.tool_calls[0].id, turns[1].message.tool_calls[1].id);
      h.server->Stop();  // log entries are written when a reply has been sent
      auto log = h.server->request_log();
      ASSERT_EQ(log.size(), 3u);
      EXPECT_EQ(log[2]["turn"], 2);
      EXPECT_EQ(log[2]["tools"], Json::array({"read_range", "python"}));
    }
  }
}

TEST(ClientTest, LocalServerQuirksAreTolerated) {
  Harness h(R"({"rules": [{"reply": {"tool_calls": [{"name": "f", "arguments": {"x": 1}}],
      "arguments_as_object": true, "omit_usage": true, "finish_reason": "eos"}}]})");
  auto r = h.client->Complete(Ask("anything"), kCtx);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->message.tool_calls.size(), 1u);
  EXPECT_EQ(r->message.tool_calls[0].arguments, R"({"x":1})");
  EXPECT_FALSE(r->usage.reported);
  EXPECT_EQ(r->raw_finish_reason, "eos");
}

std::string FaultScenario(const std::string& fault_json, const std::string& requests = "[1]") {
  return R"({"faults": [)" + fault_json.substr(0, fault_json.size() - 1) + R"(, "requests": )" +
         requests +
         R"(}], "rules": [{"reply": {"text": "recovered answer", "usage": {"input": 5, "output": 3}}, "cycle": true}]})";
}

struct FaultCase {
  std::string name;
  std::string fault;
  bool stream = false;
};

std::vector<FaultCase> AllFaults() {
  return {
      {"rate_limit", R"({"kind": "rate_limit", "retry_after_s": 1})"},
      {"http_error", R"({"kind": "http_error", "status": 500})"},
      {"http_error", R"({"kind": "http_error", "status": 503})"},
      {"http_error", R"({"kind": "http_error", "status": 408})"},
      {"reset", R"({"kind": "reset"})"},
      {"stall", R"({"kind": "stall", "stall_ms": 60000})"},  // ended by Stop()
      {"malformed", R"({"kind": "malformed"})"},
      {"malformed", R"({"kind": "malformed"})", true},
      {"truncate", R"({"kind": "truncate"})"},
      {"truncate", R"({"kind": "truncate"})", true},
  };
}

TEST(ClientTest, EachFaultKindIsRecoveredByRetry) {
  for (ProviderKind kind : {ProviderKind::kOpenAI, ProviderKind::kAnthropic}) {
    for (const FaultCase& fc : AllFaults()) {
      SCOPED_TRACE(std::string(ProviderKindName(kind)) + " " + fc.fault +
                   (fc.stream ? " stream" : ""));
      ClientOptions options;
      // Short enough to give up on the stall, long enough for any answer on a loaded
      // machine (a sanitized build running tests in parallel).
      if (fc.name == "stall") options.request_timeout = milliseconds(2000);
      Harness h(FaultScenario(fc.fault), kind, {}, options);
      auto r = h.client->Complete(Ask("q", fc.stream), kCtx);
      ASSERT_TRUE(r.ok()) << r.error().message;
      EXPECT_EQ(r->message.content, "recovered answer");
      EXPECT_EQ(r->attempts, 2);
      EXPECT_EQ(h.requests(), 2);
      h.server->Stop();  // a stalled handler is counted when it ends
      EXPECT_EQ(h.server->counters().faults[fc.name], 1);
    }
  }
}

TEST(ClientTest, AResetOnAReusedConnectionCountsTheResendAsAnAttempt) {
  // The second call goes over the first call's kept-alive connection; the mock closes it
  // without answering. curl then resends the request on a fresh connection by itself: the
  // server saw two requests, and the call's attempts (and its ledger line) say so.
  Harness h(FaultScenario(R"({"kind": "reset"})", "[2]"));
  auto first = h.client->Complete(Ask("q"), kCtx);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->attempts, 1);
  auto second = h.client->Complete(Ask("q"), kCtx);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->attempts, 2);
  h.server->Stop();  // a fault is counted when its handler ends, maybe after the reply
  EXPECT_EQ(h.requests(), 3);
  EXPECT_EQ(h.server->counters().faults["reset"], 1);
}

TEST(ClientTest, PersistentFaultsFailClearlyAfterTheRetryBudget) {
  for (const FaultCase& fc : AllFaults()) {
    SCOPED_TRACE(fc.fault + (fc.stream ? " stream" : ""));
    ClientOptions options;
    options.retry.max_attempts = 3;
    options.request_timeout = milliseconds(300);
    Harness h(FaultScenario(fc.fault, "[1, 2, 3, 4]"), ProviderKind::kOpenAI, {}, options);
    auto r = h.client->Complete(Ask("q", fc.stream), kCtx);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("gave up after 3 attempts"), std::string::npos)
        << r.error().message;
    EXPECT_TRUE(r.error().code == ErrorCode::kNetwork || r.error().code == ErrorCode::kTimeout ||
                r.error().code == ErrorCode::kProvider)
        << r.error().ToString();
    h.server->Stop();  // a request the client gave up on early may be numbered late
    EXPECT_EQ(h.requests(), 3);
  }
}

TEST(ClientTest, UnauthorizedIsNotRetriedAndTheKeyNeverShows) {
  ClientParts parts;
  Harness h(kHello, ProviderKind::kOpenAI, parts, {}, "the-right-key-000000");
  auto r = h.client->Complete(Ask("hello"), kCtx);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kProvider);
  EXPECT_NE(r.error().message.find("HTTP 401"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("Incorrect API key"), std::string::npos) << r.error().message;
  EXPECT_EQ(h.requests(), 1);
  EXPECT_EQ(h.clock->TotalSlept(), Clock::Duration::zero());

  // A provider that echoes the key: the client redacts it.
  Harness echo(
      std::string(R"({"rules": [{"reply": {"status": 400, "error": {"message": "bad key )") + kKey +
      R"( in request", "type": "invalid_request_error"}}}]})");
  r = echo.client->Complete(Ask("x"), kCtx);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(echo.requests(), 1) << "400 is final";
  EXPECT_EQ(r.error().message.find(kKey), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("[REDACTED]"), std::string::npos) << r.error().message;
}

TEST(ClientTest, FinalStatusesFailAtOnce) {
  for (int status : {400, 403, 404, 422}) {
    Harness h(R"({"rules": [{"reply": {"status": )" + std::to_string(status) +
              R"(, "error": {"message": "the model does not exist"}}}]})");
    auto r = h.client->Complete(Ask("x"), kCtx);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kProvider);
    EXPECT_NE(r.error().message.find("the model does not exist"), std::string::npos);
    EXPECT_EQ(h.requests(), 1) << status;
  }
}

TEST(ClientTest, RetryAfterIsHonoured) {
  // Seconds.
  Harness a(FaultScenario(R"({"kind": "rate_limit", "retry_after_s": 7})"));
  auto r = a.client->Complete(Ask("q"), kCtx);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(a.clock->TotalSlept(), milliseconds(7000));
  a.server->Stop();  // log entries are written when a reply has been sent
  auto log = a.server->request_log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0]["fault"], "rate_limit");
  EXPECT_EQ(log[0]["status"], 429);
  EXPECT_EQ(log[0]["retry_after_s"], 7);
  EXPECT_EQ(log[1]["status"], 200);
  // Milliseconds win over seconds.
  Harness b(FaultScenario(R"({"kind": "rate_limit", "retry_after_s": 9, "retry_after_ms": 1250})"));
  ASSERT_TRUE(b.client->Complete(Ask("q"), kCtx).ok());
  EXPECT_EQ(b.clock->TotalSlept(), milliseconds(1250));
  // A Retry-After beyond the overall deadline fails at once instead of sleeping.
  ClientOptions options;
  options.deadline = milliseconds(10'000);
  Harness c(FaultScenario(R"({"kind": "rate_limit", "retry_after_s": 30})"), ProviderKind::kOpenAI,
            {}, options);
  r = c.client->Complete(Ask("q"), kCtx);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kTimeout);
  EXPECT_NE(r.error().message.find("deadline"), std::string::npos);
  EXPECT_EQ(c.requests(), 1);
  EXPECT_EQ(c.clock->TotalSlept(), Clock::Duration::zero());
}

TEST(ClientTest, BackoffSleepsGoThroughTheClock) {
  ClientOptions options;
  options.retry.initial_backoff = milliseconds(1000);
  Harness h(FaultScenario(R"({"kind": "http_error", "status": 503})", "[1, 2, 3]"),
            ProviderKind::kOpenAI, {}, options);
  auto r = h.client->Complete(Ask("q"), kCtx);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->attempts, 4);
  // Full jitter: each wait is in [0, 1000 * 2^(k-1)] ms, so the total is at most 7 s.
  EXPECT_LE(h.clock->TotalSlept(), milliseconds(7000));
  double slept_ms = std::chrono::duration<double, std::milli>(h.clock->TotalSlept()).count();
  EXPECT_GE(r->latency_ms, slept_ms);
}

TEST(ClientTest, CacheHitAndReplayMiss) {
  testing::TempDir dir;
  auto path = dir.path() / "cache.sqlite";
  ClientParts parts;
  parts.cache =
      std::shared_ptr<ResponseCache>(ResponseCache::Open(path, CacheMode::kReadWrite)->release());
  parts.ledger = std::make_shared<CostLedger>(dir.path() / "ledger.jsonl");
  Harness h(kHello, ProviderKind::kOpenAI, parts);
  auto first = h.client->Complete(Ask("hello"), kCtx);
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->cache_hit);
  auto second = h.client->Complete(Ask("hello", /*stream=*/true), kCtx);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->cache_hit);
  EXPECT_EQ(second->message.content, first->message.content);
  EXPECT_EQ(second->usage.input_tokens, first->usage.input_tokens);
  EXPECT_EQ(h.requests(), 1) << "the hit made no call";

  ClientParts replay_parts;
  replay_parts.cache =
      std::shared_ptr<ResponseCache>(ResponseCache::Open(path, CacheMode::kReplay)->release());
  replay_parts.clock = h.clock;
  LlmClient replay_client(h.client->config(), replay_parts);
  auto hit = replay_client.Complete(Ask("hello"), kCtx);
  ASSERT_TRUE(hit.ok());
  EXPECT_TRUE(hit->cache_hit);
  auto miss = replay_client.Complete(Ask("hello again"), kCtx);
  ASSERT_FALSE(miss.ok());
  EXPECT_EQ(miss.error().code, ErrorCode::kNotFound);
  EXPECT_NE(miss.error().message.find(CacheKey(Ask("hello again"))), std::string::npos)
      << miss.error().message;
  EXPECT_NE(miss.error().message.find("hello again"), std::string::npos);
  EXPECT_EQ(h.requests(), 1) << "replay never calls the server";

  auto summary = SummarizeLedger(dir.path() / "ledger.jsonl");
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->total.calls, 2);
  EXPECT_EQ(summary->total.cache_hits, 1);
}

TEST(ClientTest, AnUnrecordableCallStopsEveryLaterCall) {
  ClientParts parts;
  parts.ledger = std::make_shared<CostLedger>("/dev/full");  // appends fail with ENOSPC
  Harness h(kHello, ProviderKind::kOpenAI, parts);
  auto first = h.client->Complete(Ask("hello"), kCtx);
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error().code, ErrorCode::kIo);
  EXPECT_NE(first.error().message.find("No space left on device"), std::string::npos)
      << first.error().message;
  EXPECT_NE(first.error().message.find("no further LLM call is made"), std::string::npos)
      << first.error().message;
  EXPECT_EQ(h.requests(), 1);
  // No spend goes unrecorded: the next calls fail before they are sent.
  for (int i = 0; i < 3; ++i) {
    auto next = h.client->Complete(Ask("hello"), kCtx);
    ASSERT_FALSE(next.ok());
    EXPECT_EQ(next.error().message, first.error().message);
  }
  EXPECT_EQ(h.requests(), 1);
}

TEST(ClientTest, InFlightLimitIsRespectedAcrossClients) {
  auto limiter = std::make_shared<InFlightLimiter>(3);
  auto transport = std::make_shared<CurlTransport>();
  ClientParts parts;
  parts.limiter = limiter;
  parts.transport = transport;
  parts.clock = std::make_shared<SystemClock>();
  Harness h(R"({"latency_ms": 20, "rules": [{"reply": {"text": "ok"}, "cycle": true}]})",
            ProviderKind::kOpenAI, parts);
  // A second client (another role) sharing the limiter and the transport.
  LlmClient other(h.client->config(), parts);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 12; ++t) {
    threads.emplace_back([&, t] {
      LlmClient& c = t % 2 ? other : *h.client;
      for (int i = 0; i < 3; ++i) {
        if (!c.Complete(Ask("q" + std::to_string(t)), kCtx).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(h.requests(), 36);
  EXPECT_LE(h.server->counters().max_in_flight, 3);
  EXPECT_GE(h.server->counters().max_in_flight, 1);
  EXPECT_LE(limiter->max_in_flight(), 3);
}

TEST(ClientTest, LedgerTotalsEqualTheUsageTheMockSent) {
  testing::TempDir dir;
  ClientParts parts;
  parts.ledger = std::make_shared<CostLedger>(dir.path() / "ledger.jsonl");
  parts.clock = std::make_shared<SystemClock>();
  Harness h(R"({"rules": [
      {"match": {"model": "gpt-4o"}, "reply": {"text": "a", "usage": {"input": 100, "cached": 30, "output": 20, "reasoning": 5}}, "cycle": true},
      {"match": {"model": "local-llama"}, "reply": {"text": "b", "usage": {"input": 7, "output": 3}}, "cycle": true}]})",
            ProviderKind::kOpenAI, parts);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        ChatRequest req = Ask("q");
        if (t == 3) req.model = "local-llama";
        CallContext ctx{t % 2 ? "executor" : "patcher", "task", i, t % 2 ? "collect" : "patch"};
        EXPECT_TRUE(h.client->Complete(req, ctx).ok());
      }
    });
  }
  for (auto& th : threads) th.join();
  auto s = SummarizeLedger(dir.path() / "ledger.jsonl");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->total.calls, 20);
  EXPECT_EQ(s->total.input_tokens, 15 * 100 + 5 * 7);
  EXPECT_EQ(s->total.cached_input_tokens, 15 * 30);
  EXPECT_EQ(s->total.output_tokens, 15 * 20 + 5 * 3);
  EXPECT_EQ(s->total.reasoning_tokens, 15 * 5);
  EXPECT_EQ(s->by_model["local-llama"].calls_without_cost, 5) << "no price: cost null, not a guess";
  // gpt-4o at 2.50 / 1.25 / 10 USD per million: (70 * 2.5 + 30 * 1.25 + 20 * 10) / 1e6 per call.
  EXPECT_NEAR(s->by_model["gpt-4o"].cost_usd, 15 * (70 * 2.5 + 30 * 1.25 + 20 * 10) / 1e6, 1e-12);
  EXPECT_EQ(s->by_role["executor"].calls, 10);
  EXPECT_EQ(s->by_stage["patch"].calls, 10);
  int64_t mock_requests = h.requests();
  EXPECT_EQ(mock_requests, 20);
}

TEST(ClientTest, ConnectionRefusedIsANetworkErrorAfterRetries) {
  ClientOptions options;
  options.retry.max_attempts = 2;
  auto clock = std::make_shared<ManualClock>();
  ClientParts parts;
  parts.clock = clock;
  // A port nobody listens on: bind one, read its number, close it.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  ::close(fd);
  ProviderConfig refused;
  refused.kind = ProviderKind::kOpenAI;
  refused.api_key = kKey;
  refused.base_url = "http://127.0.0.1:" + std::to_string(port);
  LlmClient client(refused, parts, options);
  auto r = client.Complete(Ask("hello"), kCtx);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNetwork);
  EXPECT_NE(r.error().message.find("gave up after 2 attempts"), std::string::npos)
      << r.error().message;
}

// Defects seen with real providers' replies (docs/providers.md, "What the client keeps").
TEST(ClientTest, AnOpenAIRefusalKeepsItsTextAndSaysContentFilter) {
  for (bool stream : {false, true}) {
    SCOPED_TRACE(stream ? "stream" : "whole");
    Harness h(R"({"rules": [{"reply": {"refusal": "I can't help with that."}, "cycle": true}]})");
    std::string shown;
    auto r = h.client->Complete(Ask("q", stream), kCtx, [&](std::string_view t) { shown += t; });
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->message.content, "I can't help with that.");
    EXPECT_EQ(r->finish_reason, FinishReason::kContentFilter);
    EXPECT_EQ(r->raw_finish_reason, "refusal");
    if (stream) EXPECT_EQ(shown, "I can't help with that.");
  }
}

TEST(ClientTest, XShouldRetryOverridesTheStatusRule) {
  // false on a 500 (retried by status): one attempt, the header named.
  Harness no(R"({"rules": [{"reply": {"status": 500, "error": {"message": "boom"},
      "headers": {"x-should-retry": "false"}}, "cycle": true}]})");
  auto failed = no.client->Complete(Ask("q"), kCtx);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(no.requests(), 1);
  EXPECT_NE(failed.error().message.find("x-should-retry: false"), std::string::npos)
      << failed.error().message;
  // true on a 400 (final by status): retried, and the second reply answers.
  Harness yes(R"({"rules": [{"replies": [
      {"status": 400, "error": {"message": "try again"}, "headers": {"x-should-retry": "true"}},
      {"text": "second time"}]}]})");
  auto retried = yes.client->Complete(Ask("q"), kCtx);
  ASSERT_TRUE(retried.ok()) << retried.error().message;
  EXPECT_EQ(retried->message.content, "second time");
  EXPECT_EQ(retried->attempts, 2);
}

TEST(ClientTest, AStreamRetriedMidReplyIsShownOnce) {
  // The first reply is cut after half its events; the retry streams it again from the start.
  Harness same(FaultScenario(R"({"kind": "truncate"})"));
  std::string shown;
  auto r = same.client->Complete(Ask("q", true), kCtx, [&](std::string_view t) { shown += t; });
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->attempts, 2);
  EXPECT_EQ(shown, "recovered answer");
  // A retry that says something else starts the shown reply over, once, with a marker.
  Harness other(R"({"rules": [{"replies": [
      {"text": "a first answer that is long", "fault": {"kind": "truncate", "truncate_fraction": 0.6}},
      {"text": "Another."}]}]})");
  shown.clear();
  r = other.client->Complete(Ask("q", true), kCtx, [&](std::string_view t) { shown += t; });
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->message.content, "Another.");
  const std::string marker = "\n[the reply restarted after a retry]\n";
  ASSERT_NE(shown.find(marker), std::string::npos) << shown;
  EXPECT_EQ(shown.substr(shown.find(marker) + marker.size()), "Another.");
  EXPECT_EQ(shown.find(marker), shown.rfind(marker));
}

TEST(ClientTest, AReplyFromAnotherModelIsPricedAsThatModelAndRecorded) {
  testing::TempDir dir;
  ClientParts parts;
  parts.ledger = std::make_shared<CostLedger>(dir.path() / "ledger.jsonl");
  Harness h(R"({"rules": [{"reply": {"text": "a", "model": "gpt-4o-mini",
      "usage": {"input": 1000, "output": 100}}, "cycle": true}]})",
            ProviderKind::kOpenAI, parts);
  auto r = h.client->Complete(Ask("q"), kCtx);  // asks for gpt-4o
  ASSERT_TRUE(r.ok()) << r.error().message;
  // gpt-4o-mini at 0.15 / 0.60 USD per million, not gpt-4o's 2.50 / 10.
  ASSERT_TRUE(r->cost_usd.has_value());
  EXPECT_NEAR(*r->cost_usd, (1000 * 0.15 + 100 * 0.60) / 1e6, 1e-12);
  std::vector<Json> rows;
  ASSERT_TRUE(
      ReadLedger(dir.path() / "ledger.jsonl", [&](const Json& row) { rows.push_back(row); }).ok());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["model"], "gpt-4o");
  EXPECT_EQ(rows[0]["reported_model"], "gpt-4o-mini");
}

}  // namespace
}  // namespace sg::llm
