// The mock over real loopback HTTP: reply formats, streaming, endpoints, auth, the log.
#include "mock/mock_server.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <string>

#include "core/testing.h"
#include "mock/raw_http_test_util.h"

namespace sg::mock {
namespace {

using sg::mock::testing::PostJson;
using sg::mock::testing::RawHttp;

std::unique_ptr<MockServer> StartMock(std::string_view scenario, MockOptions options = {}) {
  auto sc = ParseScenario(scenario, "test.json");
  EXPECT_TRUE(sc.ok()) << sc.error().message;
  options.scenario = *sc;
  auto server = MockServer::Start(std::move(options));
  EXPECT_TRUE(server.ok()) << server.error().message;
  return std::move(*server);
}

constexpr const char* kScenario = R"J({"rules": [
  {"name": "tool", "match": {"last_message": {"role": "user", "regex": "read (\\S+)"}},
   "reply": {"text": "Reading.", "tool_calls": [{"name": "read_file", "arguments": {"path": "{{last.1}}"}},
                                                {"name": "python", "arguments": {"code": "print(\"é\")"}}],
             "usage": {"input": 120, "cached": 100, "output": 30, "reasoning": 7}}},
  {"name": "text", "match": {"last_message": {"role": "tool"}},
   "reply": {"text": "The answer is 42, taken from a rather long sentence.", "usage": {"input": 200, "output": 12}}}
]})J";

Json OpenAiBody(const std::string& user, bool stream = false) {
  Json body = {{"model", "gpt-test"},
               {"messages",
                {{{"role", "system"}, {"content", "sys"}}, {{"role", "user"}, {"content", user}}}},
               {"tools",
                {{{"type", "function"},
                  {"function", {{"name", "read_file"}, {"parameters", {{"type", "object"}}}}}}}}};
  if (stream) {
    body["stream"] = true;
    body["stream_options"] = {{"include_usage", true}};
  }
  return body;
}

Json AnthropicBody(const std::string& user, bool stream = false) {
  Json body = {{"model", "claude-test"},
               {"max_tokens", 256},
               {"system", "sys"},
               {"messages", {{{"role", "user"}, {"content", user}}}}};
  if (stream) body["stream"] = true;
  return body;
}

TEST(MockServerTest, OpenAiCompletionWithToolCallsAndUsage) {
  auto server = StartMock(kScenario);
  EXPECT_EQ(server->base_url(), "http://127.0.0.1:" + std::to_string(server->port()));
  auto r = PostJson(server->port(), "/v1/chat/completions", OpenAiBody("please read data/a.xlsx"));
  ASSERT_EQ(r.status, 200) << r.raw;
  Json j = r.Json();
  EXPECT_EQ(j["object"], "chat.completion");
  EXPECT_EQ(j["model"], "gpt-test");
  const Json& choice = j["choices"][0];
  EXPECT_EQ(choice["finish_reason"], "tool_calls");
  EXPECT_EQ(choice["message"]["content"], "Reading.");
  const Json& calls = choice["message"]["tool_calls"];
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0]["type"], "function");
  EXPECT_EQ(calls[0]["function"]["name"], "read_file");
  EXPECT_EQ(Json::parse(calls[0]["function"]["arguments"].get<std::string>()),
            Json({{"path", "data/a.xlsx"}}));
  EXPECT_EQ(Json::parse(calls[1]["function"]["arguments"].get<std::string>())["code"],
            "print(\"é\")");
  EXPECT_NE(calls[0]["id"], calls[1]["id"]);
  EXPECT_EQ(j["usage"]["prompt_tokens"], 120);
  EXPECT_EQ(j["usage"]["completion_tokens"], 30);
  EXPECT_EQ(j["usage"]["total_tokens"], 150);
  EXPECT_EQ(j["usage"]["prompt_tokens_details"]["cached_tokens"], 100);
  EXPECT_EQ(j["usage"]["completion_tokens_details"]["reasoning_tokens"], 7);
}

TEST(MockServerTest, OpenAiStreamIsWellFormedAndReassembles) {
  auto server = StartMock(kScenario);
  auto r = PostJson(server->port(), "/v1/chat/completions", OpenAiBody("read x.csv", true));
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.headers["content-type"].rfind("text/event-stream", 0), 0u);
  auto data = r.SseData();
  ASSERT_GE(data.size(), 4u);
  EXPECT_EQ(data.back(), "[DONE]");
  std::string text;
  std::map<int, std::string> names, args;
  std::string finish;
  Json usage;
  for (size_t i = 0; i + 1 < data.size(); ++i) {
    Json chunk = Json::parse(data[i]);  // every event is valid JSON
    EXPECT_EQ(chunk["object"], "chat.completion.chunk");
    if (chunk["choices"].empty()) {
      usage = chunk["usage"];
      EXPECT_EQ(i, data.size() - 2) << "the usage chunk comes last";
      continue;
    }
    const Json& delta = chunk["choices"][0]["delta"];
    if (delta.contains("content") && delta["content"].is_string())
      text += delta["content"].get<std::string>();
    for (const auto& tc : delta.value("tool_calls", Json::array())) {
      int index = tc["index"];
      if (tc.contains("id")) names[index] = tc["function"]["name"];
      args[index] += tc["function"].value("arguments", "");
    }
    if (chunk["choices"][0]["finish_reason"].is_string())
      finish = chunk["choices"][0]["finish_reason"];
  }
  EXPECT_EQ(text, "Reading.");
  EXPECT_EQ(names[0], "read_file");
  EXPECT_EQ(Json::parse(args[0]), Json({{"path", "x.csv"}}));
  EXPECT_EQ(Json::parse(args[1])["code"], "print(\"é\")");
  EXPECT_EQ(finish, "tool_calls");
  EXPECT_EQ(usage["prompt_tokens"], 120);
  EXPECT_EQ(usage["prompt_tokens_details"]["cached_tokens"], 100);
}

TEST(MockServerTest, AnthropicMessageAndStreamEventSequence) {
  auto server = StartMock(kScenario);
  auto r = PostJson(server->port(), "/v1/messages", AnthropicBody("read b.txt"));
  ASSERT_EQ(r.status, 200) << r.raw;
  Json j = r.Json();
  EXPECT_EQ(j["type"], "message");
  EXPECT_EQ(j["stop_reason"], "tool_use");
  EXPECT_EQ(j["content"][0], Json({{"type", "text"}, {"text", "Reading."}}));
  EXPECT_EQ(j["content"][1]["type"], "tool_use");
  EXPECT_EQ(j["content"][1]["input"], Json({{"path", "b.txt"}}));
  EXPECT_EQ(j["usage"]["input_tokens"], 20);  // Anthropic counts cache reads apart
  EXPECT_EQ(j["usage"]["cache_read_input_tokens"], 100);
  EXPECT_EQ(j["usage"]["output_tokens"], 30);

  auto s = PostJson(server->port(), "/v1/messages", AnthropicBody("read b.txt", true));
  ASSERT_EQ(s.status, 200) << s.raw;
  EXPECT_TRUE(s.complete);
  auto events = s.SseEvents();
  ASSERT_GE(events.size(), 8u);
  EXPECT_EQ(events.front(), "message_start");
  EXPECT_EQ(events[events.size() - 2], "message_delta");
  EXPECT_EQ(events.back(), "message_stop");
  std::string partial;
  std::string stop_reason;
  for (const auto& d : s.SseData()) {
    Json e = Json::parse(d);
    if (e["type"] == "content_block_delta" && e["delta"]["type"] == "input_json_delta" &&
        e["index"] == 1) {
      partial += e["delta"]["partial_json"].get<std::string>();
    }
    if (e["type"] == "message_delta") {
      stop_reason = e["delta"]["stop_reason"];
      EXPECT_EQ(e["usage"]["output_tokens"], 30);
    }
  }
  EXPECT_EQ(Json::parse(partial), Json({{"path", "b.txt"}}));
  EXPECT_EQ(stop_reason, "tool_use");
}

TEST(MockServerTest, UnmatchedRequestGetsAClearErrorNamingIt) {
  auto server =
      StartMock(R"J({"rules": [{"match": {"model": "other"}, "reply": {"text": "x"}}]})J");
  auto r = PostJson(server->port(), "/v1/chat/completions",
                    OpenAiBody("Summarise the quarterly numbers"));
  EXPECT_EQ(r.status, 400);
  std::string message = r.Json()["error"]["message"];
  EXPECT_NE(message.find("no rule of test.json matched"), std::string::npos) << message;
  EXPECT_NE(message.find("gpt-test"), std::string::npos) << message;
  EXPECT_NE(message.find("Summarise the quarterly numbers"), std::string::npos) << message;
  EXPECT_EQ(r.Json()["error"]["code"], "mock_no_rule_matched");
  auto a = PostJson(server->port(), "/v1/messages", AnthropicBody("hi"));
  EXPECT_EQ(a.status, 400);
  EXPECT_EQ(a.Json()["type"], "error");
  EXPECT_EQ(a.Json()["error"]["type"], "invalid_request_error");
  EXPECT_EQ(server->counters().unmatched, 2);
}

TEST(MockServerTest, BadBodiesAndUnknownPathsGetJsonErrors) {
  auto server = StartMock(kScenario);
  auto r = RawHttp(server->port(), "POST", "/v1/chat/completions", "{oops");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.Json()["error"]["message"].get<std::string>().find("could not parse"),
            std::string::npos);
  r = PostJson(server->port(), "/v1/chat/completions", Json{{"model", "m"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.Json()["error"]["message"].get<std::string>().find("messages"), std::string::npos);
  r = RawHttp(server->port(), "GET", "/v2/nothing");
  EXPECT_EQ(r.status, 404);
  EXPECT_TRUE(r.Json()["error"].is_object());
  r = RawHttp(server->port(), "GET", "/v1/chat/completions");
  EXPECT_EQ(r.status, 405);
  EXPECT_TRUE(r.Json()["error"].is_object());
}

TEST(MockServerTest, ModelsStatsAndAzurePath) {
  auto server =
      StartMock(R"J({"models": ["gpt-a", "gpt-b"], "rules": [{"reply": {"text": "ok"}}]})J");
  auto m = RawHttp(server->port(), "GET", "/v1/models");
  ASSERT_EQ(m.status, 200);
  EXPECT_EQ(m.Json()["data"][1]["id"], "gpt-b");
  auto am = RawHttp(server->port(), "GET", "/v1/models", "", {{"anthropic-version", "2023-06-01"}});
  EXPECT_EQ(am.Json()["data"][0]["type"], "model");
  auto azure =
      PostJson(server->port(), "/openai/v1/chat/completions", OpenAiBody("hi"), {{"api-key", "k"}});
  EXPECT_EQ(azure.status, 200);
  EXPECT_EQ(azure.Json()["choices"][0]["message"]["content"], "ok");
  auto stats = RawHttp(server->port(), "GET", "/mock/stats");
  ASSERT_EQ(stats.status, 200);
  EXPECT_EQ(stats.Json()["requests"], 1);
  EXPECT_EQ(stats.Json()["by_status"]["200"], 1);
  EXPECT_EQ(stats.Json()["rule_uses"]["rule[0]"], 1);
  auto requests = RawHttp(server->port(), "GET", "/mock/requests");
  ASSERT_EQ(requests.status, 200);
  ASSERT_EQ(requests.Json().size(), 1u);
  EXPECT_EQ(requests.Json()[0]["path"], "/openai/v1/chat/completions");
  EXPECT_EQ(requests.Json()[0]["auth"], "api-key");
}

TEST(MockServerTest, StreamWithoutIncludeUsageHasNoUsageChunk) {
  auto server = StartMock(kScenario);
  Json body = OpenAiBody("read y", true);
  body.erase("stream_options");
  auto r = PostJson(server->port(), "/v1/chat/completions", body);
  ASSERT_EQ(r.status, 200);
  auto data = r.SseData();
  EXPECT_EQ(data.back(), "[DONE]");
  for (size_t i = 0; i + 1 < data.size(); ++i) {
    Json chunk = Json::parse(data[i]);
    EXPECT_FALSE(chunk.contains("usage")) << data[i];
    EXPECT_EQ(chunk["choices"].size(), 1u);
  }
}

TEST(MockServerTest, RequiredApiKeyAcceptsEachHeaderStyle) {
  MockOptions options;
  options.required_api_key = "sk-right";
  auto server = StartMock(kScenario, options);
  auto none = PostJson(server->port(), "/v1/chat/completions", OpenAiBody("read a"));
  EXPECT_EQ(none.status, 401);
  // As the real APIs say it: OpenAI's type and code, Anthropic's type; each reply's id header.
  EXPECT_EQ(none.Json()["error"]["type"], "invalid_request_error");
  EXPECT_EQ(none.Json()["error"]["code"], "invalid_api_key");
  EXPECT_EQ(none.headers["x-request-id"].rfind("req_mock_", 0), 0u) << none.headers.size();
  auto wrong = PostJson(server->port(), "/v1/messages", AnthropicBody("read a"),
                        {{"x-api-key", "sk-wrong"}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.Json()["error"]["type"], "authentication_error");
  EXPECT_EQ(wrong.headers["request-id"].rfind("req_mock_", 0), 0u);
  EXPECT_EQ(PostJson(server->port(), "/v1/chat/completions", OpenAiBody("read a"),
                     {{"Authorization", "Bearer sk-right"}})
                .status,
            200);
  EXPECT_EQ(PostJson(server->port(), "/openai/v1/chat/completions", OpenAiBody("read a"),
                     {{"api-key", "sk-right"}})
                .status,
            200);
  EXPECT_EQ(
      PostJson(server->port(), "/v1/messages", AnthropicBody("read a"), {{"x-api-key", "sk-right"}})
          .status,
      200);
  auto c = server->counters();
  EXPECT_EQ(c.by_status[401], 2);
  EXPECT_EQ(c.by_status[200], 3);
}

TEST(MockServerTest, ScriptedErrorReplyAndQuirks) {
  auto server = StartMock(R"J({"rules": [
    {"match": {"last_message": {"contains": "deny"}}, "reply": {"status": 403, "error": {"message": "nope", "type": "permission_error"}}},
    {"match": {"last_message": {"contains": "raw"}}, "reply": {"status": 418, "body": {"custom": true}}},
    {"reply": {"tool_calls": [{"name": "f", "arguments": {"a": 1}}], "omit_usage": true,
               "arguments_as_object": true, "finish_reason": "eos"}}]})J");
  auto deny = PostJson(server->port(), "/v1/chat/completions", OpenAiBody("deny"));
  EXPECT_EQ(deny.status, 403);
  EXPECT_EQ(deny.Json()["error"]["message"], "nope");
  EXPECT_EQ(deny.Json()["error"]["type"], "permission_error");
  auto raw = PostJson(server->port(), "/v1/chat/completions", OpenAiBody("raw"));
  EXPECT_EQ(raw.status, 418);
  EXPECT_EQ(raw.Json(), Json({{"custom", true}}));
  auto quirk = PostJson(server->port(), "/v1/chat/completions", OpenAiBody("x"));
  Json j = quirk.Json();
  EXPECT_FALSE(j.contains("usage"));
  EXPECT_EQ(j["choices"][0]["finish_reason"], "eos");
  EXPECT_EQ(j["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"], Json({{"a", 1}}));
}

TEST(MockServerTest, RequestLogRecordsEachRequestInMemoryAndAsJsonl) {
  sg::testing::TempDir dir;
  MockOptions options;
  options.request_log = dir.path() / "logs" / "requests.jsonl";
  auto server = StartMock(kScenario, options);
  PostJson(server->port(), "/v1/chat/completions", OpenAiBody("read a.txt"),
           {{"Authorization", "Bearer secret-key"}});
  PostJson(server->port(), "/v1/messages", AnthropicBody("nothing matches"));
  server->Stop();
  auto log = server->request_log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0]["seq"], 1);
  EXPECT_EQ(log[0]["path"], "/v1/chat/completions");
  EXPECT_EQ(log[0]["model"], "gpt-test");
  EXPECT_EQ(log[0]["rule"], "tool");
  EXPECT_EQ(log[0]["status"], 200);
  EXPECT_EQ(log[0]["auth"], "bearer");
  EXPECT_EQ(log[0]["headers"]["authorization"], "<redacted>");
  EXPECT_EQ(log[0]["body"]["messages"][1]["content"], "read a.txt");
  EXPECT_EQ(log[0]["body_sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(log[0]["tools"], Json({"read_file"}));
  EXPECT_EQ(log[1]["api"], "anthropic");
  EXPECT_EQ(log[1]["status"], 400);
  EXPECT_TRUE(log[1]["rule"].is_null());
  std::ifstream in(dir.path() / "logs" / "requests.jsonl");
  std::string line, all;
  int lines = 0;
  while (std::getline(in, line)) {
    ++lines;
    all += line;
    EXPECT_TRUE(Json::parse(line).is_object());
  }
  EXPECT_EQ(lines, 2);
  EXPECT_EQ(all.find("secret-key"), std::string::npos);
}

TEST(MockServerTest, StartThenStopAtOnceDoesNotHang) {
  using std::chrono::steady_clock;
  const auto began = steady_clock::now();
  for (int i = 0; i < 50; ++i) {
    SCOPED_TRACE(i);
    auto server = StartMock(kScenario);
    ASSERT_NE(server, nullptr);
    const int port = server->port();
    ASSERT_GT(port, 0);
    EXPECT_EQ(server->base_url(), "http://127.0.0.1:" + std::to_string(port));
    const auto stop_began = steady_clock::now();
    server->Stop();
    server->Stop();  // idempotent
    EXPECT_LT(steady_clock::now() - stop_began, std::chrono::seconds(5));
    // Stopped means the listening socket is closed: the port refuses connections.
    EXPECT_FALSE(RawHttp(port, "GET", "/v1/models", "", {}, 2000).connected) << "port " << port;
    EXPECT_EQ(server->counters().requests, 0);
  }
  for (int i = 0; i < 50; ++i) {  // destroyed without a request or a Stop call
    auto server = StartMock(kScenario);
    ASSERT_NE(server, nullptr);
    EXPECT_GT(server->port(), 0);
  }
  EXPECT_LT(steady_clock::now() - began, std::chrono::seconds(60));
}

}  // namespace
}  // namespace sg::mock
