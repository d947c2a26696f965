// The agent loop against the mock LLM server over loopback, with the real client and real
// file tools: multi-turn and parallel tool use, bad arguments, the turn cap, budgets, a
// provider failure, a terminal tool, and the trajectory after each; secrets in tool results
// (never in a request or the response cache) and the cut of sandbox-capped output.
#include "agent/agent_loop.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>

#include "core/file_util.h"
#include "core/json.h"
#include "core/testing.h"
#include "llm/client.h"
#include "mock/mock_server.h"
#include "mock/scenario.h"
#include "sandbox/capped_output.h"
#include "tools/answer_tool.h"
#include "tools/file_tools.h"
#include "tools/path_policy.h"

namespace sg::agent {
namespace {
namespace fs = std::filesystem;

constexpr const char* kApiKey = "sk-agent-loop-test-secret-0123456789";

class AgentLoopTest : public ::testing::Test {
 protected:
  // Starts the mock with `rules` and a client pointed at it; with `cache_path`, the client
  // uses a read-write response cache there.
  void Start(const Json& rules, const fs::path& cache_path = {}) {
    auto scenario = mock::ScenarioFromJson(Json{{"rules", rules}}, "agent_loop_test");
    ASSERT_TRUE(scenario.ok()) << scenario.error().message;
    mock::MockOptions options;
    options.scenario = std::move(scenario).value();
    auto server = mock::MockServer::Start(std::move(options));
    ASSERT_TRUE(server.ok()) << server.error().message;
    server_ = std::move(server).value();
    llm::ProviderConfig config;
    config.kind = llm::ProviderKind::kOpenAI;
    config.api_key = kApiKey;
    config.base_url = server_->base_url() + "/v1";
    llm::ClientOptions client_options;
    client_options.retry.max_attempts = 2;
    client_options.retry.initial_backoff = std::chrono::milliseconds(1);
    llm::ClientParts parts;
    if (!cache_path.empty()) {
      auto cache = llm::ResponseCache::Open(cache_path, llm::CacheMode::kReadWrite);
      ASSERT_TRUE(cache.ok()) << cache.error().message;
      parts.cache = std::move(cache).value();
    }
    client_ = std::make_unique<llm::LlmClient>(config, std::move(parts), client_options);
    redactor_.AddSecret(kApiKey);
  }

  tools::ToolSet FileTools() {
    tools::ToolSet set;
    auto policy = tools::PathPolicy::Create({{dir_.path(), true}});
    EXPECT_TRUE(policy.ok());
    tools::AddFileTools(set, std::make_shared<const tools::PathPolicy>(std::move(policy).value()));
    set.Add(tools::MakeSubmitAnswerTool());
    return set;
  }

  AgentRunResult Run(tools::ToolSet& set, int max_turns = 10, int64_t max_tokens = 0,
                     AgentLimits limits = {}, bool with_redactor = true) {
    AgentRunSpec spec;
    spec.limits = limits;
    spec.system_prompt = "You are the test agent.";
    spec.user_message = "Do the task.";
    spec.model = "mock-model";
    spec.limits.max_turns = max_turns;
    spec.limits.max_total_tokens = max_tokens;
    spec.context.role = "executor";
    spec.context.task_id = "t1";
    spec.trajectory_path = dir_.path() / "out" / "trajectory.json";
    AgentRunner runner(*client_, clock_, with_redactor ? &redactor_ : nullptr);
    return runner.Run(spec, set);
  }

  // The trajectory as written on disk: it must always parse.
  Json Trajectory() {
    auto json = ReadJsonFile(dir_.path() / "out" / "trajectory.json");
    EXPECT_TRUE(json.ok()) << (json.ok() ? "" : json.error().message);
    return json.ok() ? *json : Json();
  }

  testing::TempDir dir_;
  std::unique_ptr<mock::MockServer> server_;
  std::unique_ptr<llm::LlmClient> client_;
  SystemClock clock_;
  SecretRedactor redactor_;
};

Json ToolCall(const std::string& name, const Json& arguments) {
  return Json{{"name", name}, {"arguments", arguments}};
}

// A tool that returns the same text on every call.
class FixedOutputTool : public tools::Tool {
 public:
  explicit FixedOutputTool(std::string output) : output_(std::move(output)) {}
  std::string name() const override { return "fixed_output"; }
  std::string description() const override { return "Returns a fixed text."; }
  Json parameters() const override { return Json{{"type", "object"}}; }
  tools::ToolOutput Invoke(const Json&) override { return tools::ToolOutput::Text(output_); }

 private:
  std::string output_;
};

tools::ToolSet FixedOutputTools(std::string output) {
  tools::ToolSet set;
  set.Add(std::make_unique<FixedOutputTool>(std::move(output)));
  return set;
}

// Turn 0 calls fixed_output, turn 1 finishes.
Json CallFixedOutputThenFinish() {
  return Json::array({{{"match", {{"turn", 0}}},
                       {"reply", {{"tool_calls", {ToolCall("fixed_output", Json::object())}}}}},
                      {{"match", {{"turn", 1}}}, {"reply", {{"text", "done"}}}}});
}

// The content of the first tool message of a request the mock received.
std::string FirstToolResult(const Json& logged_request) {
  for (const Json& m : logged_request["body"]["messages"]) {
    if (m.value("role", "") == "tool") return m.value("content", "");
  }
  ADD_FAILURE() << "no tool message in " << logged_request["body"].dump();
  return "";
}

size_t CountOf(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t pos = text.find(needle); pos != std::string::npos;
       pos = text.find(needle, pos + needle.size())) {
    ++count;
  }
  return count;
}

// Sets an environment variable for the scope of a test.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) { setenv(name, value, 1); }
  ~ScopedEnv() { unsetenv(name_); }

 private:
  const char* name_;
};

constexpr const char* kEnvSecret = "env-secret-value-9876543210-abcdef";

TEST_F(AgentLoopTest, MultiTurnAndParallelToolCallsAreAnsweredInOrder) {
  Start(Json::array(
      {{{"match", {{"turn", 0}}},
        {"reply",
         {{"tool_calls",
           {ToolCall("write_file", {{"path", "a.txt"}, {"content", "alpha"}}),
            ToolCall("write_file", {{"path", "b.txt"}, {"content", "beta"}})}}}}},
       {{"match", {{"turn", 1}}},
        {"reply", {{"tool_calls", {ToolCall("read_file", {{"path", "a.txt"}})}}}}},
       {{"match", {{"turn", 2}, {"last_message", {{"role", "tool"}, {"contains", "alpha"}}}}},
        {"reply", {{"text", "done: both files written"}}}}}));
  tools::ToolSet set = FileTools();
  AgentRunResult result = Run(set);

  EXPECT_EQ(result.stop_reason, StopReason::kFinished);
  EXPECT_EQ(result.turns, 3);
  EXPECT_EQ(result.tool_calls, 3);
  EXPECT_EQ(result.final_text, "done: both files written");
  EXPECT_EQ(*ReadFile(dir_.path() / "a.txt"), "alpha");
  EXPECT_EQ(*ReadFile(dir_.path() / "b.txt"), "beta");

  Json trajectory = Trajectory();
  EXPECT_EQ(trajectory["outcome"]["stop_reason"], "finished");
  const Json& messages = trajectory["messages"];
  // system, user, assistant(2 calls), tool, tool, assistant(1 call), tool, assistant(text)
  ASSERT_EQ(messages.size(), 8u);
  const Json& first_turn = messages[2];
  ASSERT_EQ(first_turn["tool_calls"].size(), 2u);
  EXPECT_EQ(messages[3]["tool_call_id"], first_turn["tool_calls"][0]["id"]);
  EXPECT_EQ(messages[4]["tool_call_id"], first_turn["tool_calls"][1]["id"]);
  EXPECT_EQ(messages[7]["content"], "done: both files written");
  EXPECT_EQ(server_->counters().requests, 3);
}

TEST_F(AgentLoopTest, BadArgumentsAndUnknownToolsGetErrorResults) {
  Start(Json::array({{{"match", {{"turn", 0}}},
                      {"reply",
                       {{"tool_calls",
                         {{{"name", "read_file"}, {"arguments", "{not json"}},
                          ToolCall("no_such_tool", Json::object()),
                          ToolCall("read_file", {{"path", "../../etc/passwd"}})}}}}},
                     {{"match", {{"turn", 1}}}, {"reply", {{"text", "recovered"}}}}}));
  tools::ToolSet set = FileTools();
  AgentRunResult result = Run(set);

  EXPECT_EQ(result.stop_reason, StopReason::kFinished);
  EXPECT_EQ(result.final_text, "recovered");
  Json trajectory = Trajectory();
  const Json& messages = trajectory["messages"];
  ASSERT_EQ(messages.size(), 7u);
  for (int i : {3, 4, 5}) {
    EXPECT_EQ(messages[i]["role"], "tool");
    EXPECT_TRUE(messages[i].value("is_error", false)) << messages[i].dump();
  }
  EXPECT_NE(messages[3]["content"].get<std::string>().find("JSON"), std::string::npos);
  EXPECT_NE(messages[4]["content"].get<std::string>().find("no tool named"), std::string::npos);
}

TEST_F(AgentLoopTest, TurnCapStopsARunThatNeverFinishes) {
  Start(Json::array({{{"reply", {{"tool_calls", {ToolCall("list_files", Json::object())}}}}}}));
  tools::ToolSet set = FileTools();
  AgentRunResult result = Run(set, /*max_turns=*/3);
  EXPECT_EQ(result.stop_reason, StopReason::kTurnCap);
  EXPECT_EQ(result.turns, 3);
  EXPECT_EQ(Trajectory()["outcome"]["stop_reason"], "turn_cap");
  EXPECT_EQ(server_->counters().requests, 3);
}

TEST_F(AgentLoopTest, ARunWhoseTrajectoryCannotBeWrittenStopsBeforeItsFirstCall) {
  Start(Json::array({{{"reply", {{"text", "never asked"}}}}}));
  // The trajectory's folder is a regular file: every write of the record fails.
  ASSERT_TRUE(WriteFileAtomic(dir_.path() / "out", "not a folder").ok());
  tools::ToolSet set = FileTools();
  AgentRunResult result = Run(set);
  EXPECT_EQ(result.stop_reason, StopReason::kRecordError);
  EXPECT_STREQ(StopReasonName(result.stop_reason), "record_error");
  ASSERT_TRUE(result.error.has_value());
  EXPECT_EQ(result.error->code, ErrorCode::kIo);
  EXPECT_NE(result.error->message.find((dir_.path() / "out").string()), std::string::npos)
      << result.error->message;
  EXPECT_EQ(result.turns, 0);
  EXPECT_EQ(server_->counters().requests, 0);
}

TEST_F(AgentLoopTest, TokenBudgetStopsTheRun) {
  Start(Json::array({{{"reply",
                       {{"tool_calls", {ToolCall("list_files", Json::object())}},
                        {"usage", {{"input", 5000}, {"output", 100}}}}}}}));
  tools::ToolSet set = FileTools();
  AgentRunResult result = Run(set, /*max_turns=*/10, /*max_tokens=*/8000);
  EXPECT_EQ(result.stop_reason, StopReason::kTokenBudget);
  EXPECT_EQ(result.turns, 2);
  EXPECT_EQ(result.usage.input_tokens, 10000);
  EXPECT_EQ(Trajectory()["outcome"]["stop_reason"], "token_budget");
}

TEST_F(AgentLoopTest, ProviderFailureIsRecordedWithoutTheKey) {
  Start(Json::array(
      {{{"reply",
         {{"status", 401},
          {"error", {{"message", std::string("Incorrect API key provided: ") + kApiKey}}}}}}}));
  tools::ToolSet set = FileTools();
  AgentRunResult result = Run(set);
  EXPECT_EQ(result.stop_reason, StopReason::kProviderError);
  ASSERT_TRUE(result.error.has_value());
  EXPECT_NE(result.error->message.find("Incorrect API key"), std::string::npos);
  EXPECT_EQ(server_->counters().requests, 1);  // a 401 is not retried
  std::string text = ReadFile(dir_.path() / "out" / "trajectory.json").value_or("");
  EXPECT_EQ(text.find(kApiKey), std::string::npos);
  Json trajectory = Trajectory();
  EXPECT_EQ(trajectory["outcome"]["stop_reason"], "provider_error");
  EXPECT_TRUE(trajectory["outcome"]["error"].is_string());
}

TEST_F(AgentLoopTest, TerminalToolEndsTheRunWithItsPayloadAndSecretsAreRedacted) {
  ASSERT_TRUE(WriteFileAtomic(dir_.path() / "notes.txt", std::string("key=") + kApiKey).ok());
  Start(Json::array(
      {{{"match", {{"turn", 0}}},
        {"reply", {{"tool_calls", {ToolCall("read_file", {{"path", "notes.txt"}})}}}}},
       {{"match", {{"turn", 1}}},
        {"reply", {{"tool_calls", {ToolCall("submit_answer", {{"answer", "42"}})}}}}}}));
  tools::ToolSet set = FileTools();
  AgentRunResult result = Run(set);
  EXPECT_EQ(result.stop_reason, StopReason::kTerminalTool);
  EXPECT_EQ(result.terminal_payload.dump().find("42") != std::string::npos, true)
      << result.terminal_payload.dump();
  std::string text = ReadFile(dir_.path() / "out" / "trajectory.json").value_or("");
  EXPECT_EQ(text.find(kApiKey), std::string::npos);
  EXPECT_NE(text.find("[REDACTED]"), std::string::npos);
}

// A tool result holding the runner's key and a secret of the environment (agent code that
// printed os.environ): neither reaches the provider, the response cache or the trajectory.
TEST_F(AgentLoopTest, SecretsInToolResultsNeverReachTheProviderOrTheCache) {
  ScopedEnv env("SKILLGRAD_TEST_API_KEY", kEnvSecret);
  const fs::path cache_path = dir_.path() / "cache" / "cache.sqlite";
  Start(CallFixedOutputThenFinish(), cache_path);
  tools::ToolSet set = FixedOutputTools(std::string("OPENAI_API_KEY=") + kApiKey +
                                        "\nSKILLGRAD_TEST_API_KEY=" + kEnvSecret + "\n");
  AgentRunResult result = Run(set);
  EXPECT_EQ(result.stop_reason, StopReason::kFinished);

  std::vector<Json> log = server_->request_log();
  ASSERT_EQ(log.size(), 2u);
  const std::string body = log[1]["body"].dump();
  EXPECT_EQ(body.find(kApiKey), std::string::npos) << body;
  EXPECT_EQ(body.find(kEnvSecret), std::string::npos) << body;
  EXPECT_EQ(FirstToolResult(log[1]),
            "OPENAI_API_KEY=[REDACTED]\nSKILLGRAD_TEST_API_KEY=[REDACTED]\n");

  client_.reset();  // closes the cache: its WAL is folded into the file
  std::string cache_bytes;
  for (const char* suffix : {"", "-wal", "-journal"}) {
    cache_bytes += ReadFile(cache_path.string() + suffix).value_or("");
  }
  ASSERT_FALSE(cache_bytes.empty());
  EXPECT_NE(cache_bytes.find("[REDACTED]"), std::string::npos) << "the tool result is stored";
  EXPECT_EQ(cache_bytes.find(kApiKey), std::string::npos);
  EXPECT_EQ(cache_bytes.find(kEnvSecret), std::string::npos);
  std::string trajectory = ReadFile(dir_.path() / "out" / "trajectory.json").value_or("");
  EXPECT_EQ(trajectory.find(kApiKey), std::string::npos);
  EXPECT_EQ(trajectory.find(kEnvSecret), std::string::npos);
}

// Without a redactor, the runner still knows the secrets of the process environment.
TEST_F(AgentLoopTest, ARunnerWithoutARedactorStillRedactsEnvironmentSecrets) {
  ScopedEnv env("SKILLGRAD_TEST_API_KEY", kEnvSecret);
  Start(CallFixedOutputThenFinish());
  tools::ToolSet set = FixedOutputTools(std::string("key: ") + kEnvSecret);
  AgentRunResult result = Run(set, 10, 0, {}, /*with_redactor=*/false);
  EXPECT_EQ(result.stop_reason, StopReason::kFinished);
  std::vector<Json> log = server_->request_log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[1]["body"].dump().find(kEnvSecret), std::string::npos);
  EXPECT_EQ(FirstToolResult(log[1]), "key: [REDACTED]");
  std::string trajectory = ReadFile(dir_.path() / "out" / "trajectory.json").value_or("");
  EXPECT_EQ(trajectory.find(kEnvSecret), std::string::npos);
}

// 1 GiB of output, cut by the sandbox's capture to 32 KiB with its marker, then cut again
// by the loop to 20000 bytes: the one marker left counts every byte the model cannot see.
TEST_F(AgentLoopTest, TheLoopsCutKeepsTheSandboxsOmittedFigure) {
  constexpr uint64_t kGiB = uint64_t{1} << 30;
  sandbox::CappedOutput captured(32 * 1024);
  const std::string chunk(1 << 20, 'x');
  captured.Append("BEGIN");
  for (uint64_t sent = 5; sent < kGiB - 3; sent += chunk.size()) {
    captured.Append(
        std::string_view(chunk).substr(0, std::min<uint64_t>(chunk.size(), kGiB - 3 - sent)));
  }
  captured.Append("END");
  ASSERT_EQ(captured.total_bytes(), kGiB);
  const std::string output = captured.Text();
  ASSERT_NE(output.find("bytes omitted"), std::string::npos);
  ASSERT_GT(output.size(), 20000u);

  Start(CallFixedOutputThenFinish());
  tools::ToolSet set = FixedOutputTools(output);
  AgentRunResult result = Run(set);
  EXPECT_EQ(result.stop_reason, StopReason::kFinished);
  std::vector<Json> log = server_->request_log();
  ASSERT_EQ(log.size(), 2u);
  const std::string content = FirstToolResult(log[1]);
  EXPECT_LE(content.size(), 20000u + 64);
  EXPECT_EQ(content.rfind("BEGIN", 0), 0u);
  EXPECT_EQ(content.substr(content.size() - 3), "END");
  ASSERT_EQ(CountOf(content, "bytes omitted"), 1u) << "one marker, the sandbox's folded in";
  // Every byte but the marker's is a byte of the original output.
  size_t open = content.find("\n[... ");
  size_t close = content.find(" bytes omitted ...]\n");
  ASSERT_NE(open, std::string::npos);
  ASSERT_NE(close, std::string::npos);
  const std::string figure = content.substr(open + 6, close - open - 6);
  const size_t marker_bytes = close + std::string(" bytes omitted ...]\n").size() - open;
  const uint64_t shown = content.size() - marker_bytes;
  EXPECT_EQ(figure, std::to_string(kGiB - shown)) << content.substr(open, marker_bytes);
  EXPECT_TRUE(Trajectory()["messages"][3].value("truncated", false));
}

TEST_F(AgentLoopTest, LongToolOutputIsCappedAndOldResultsMakeRoomInTheContext) {
  ASSERT_TRUE(
      WriteFileAtomic(dir_.path() / "big.txt", "HEAD" + std::string(20000, 'x') + "TAIL").ok());
  Start(Json::array({{{"match", {{"turn", {{"max", 5}}}}},
                      {"reply", {{"tool_calls", {ToolCall("read_file", {{"path", "big.txt"}})}}}}},
                     {{"reply", {{"text", "enough"}}}}}));
  tools::ToolSet set = FileTools();
  AgentLimits limits;
  limits.tool_output_cap_bytes = 3000;
  limits.context_window_tokens = 4000;  // about 16 kB: room for four capped results, not six
  AgentRunResult result = Run(set, 10, 0, limits);
  EXPECT_EQ(result.stop_reason, StopReason::kFinished);
  Json trajectory = Trajectory();
  const Json& messages = trajectory["messages"];
  int capped = 0;
  for (const Json& m : messages) {
    if (m["role"] != "tool") continue;
    const std::string content = m["content"].get<std::string>();
    EXPECT_LE(content.size(), 3100u);
    if (m.value("truncated", false)) {
      ++capped;
      EXPECT_NE(content.find("bytes omitted"), std::string::npos);
      EXPECT_NE(content.find("TAIL"), std::string::npos);
    }
  }
  EXPECT_EQ(capped, 6);
  // The requests the mock received: the later ones carry elided copies of early results.
  std::vector<Json> log = server_->request_log();
  ASSERT_EQ(log.size(), 7u);
  EXPECT_NE(log.back()["body"].dump().find("[elided"), std::string::npos);
}

TEST_F(AgentLoopTest, AConversationThatCannotFitStopsAsContextFull) {
  Start(Json::array({{{"reply", {{"text", "never reached"}}}}}));
  tools::ToolSet set = FileTools();
  AgentLimits limits;
  limits.context_window_tokens = 10;  // the prompts alone do not fit
  AgentRunResult result = Run(set, 10, 0, limits);
  EXPECT_EQ(result.stop_reason, StopReason::kContextFull);
  EXPECT_EQ(server_->counters().requests, 0);
  EXPECT_EQ(Trajectory()["outcome"]["stop_reason"], "context_full");
}

}  // namespace
}  // namespace sg::agent
