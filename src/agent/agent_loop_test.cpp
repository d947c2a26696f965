// The agent loop against the mock LLM server over loopback, with the real client and real
// file tools: multi-turn and parallel tool use, bad arguments, the turn cap, budgets, a
// provider failure, a terminal tool, and the trajectory after each.
#include "agent/agent_loop.h"

#include <gtest/gtest.h>

#include "core/file_util.h"
#include "core/json.h"
#include "core/testing.h"
#include "llm/client.h"
#include "mock/mock_server.h"
#include "mock/scenario.h"
#include "tools/answer_tool.h"
#include "tools/file_tools.h"
#include "tools/path_policy.h"

namespace sg::agent {
namespace {
namespace fs = std::filesystem;

constexpr const char* kApiKey = "sk-agent-loop-test-secret-0123456789";

class AgentLoopTest : public ::testing::Test {
 protected:
  // Starts the mock with `rules` and a client pointed at it.
  void Start(const Json& rules) {
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
    client_ = std::make_unique<llm::LlmClient>(config, llm::ClientParts{}, client_options);
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
                     AgentLimits limits = {}) {
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
    AgentRunner runner(*client_, clock_, &redactor_);
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
