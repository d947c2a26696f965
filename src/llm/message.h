// The provider-neutral conversation model. Providers translate it to and from their
// wire formats (OpenAI chat completions, Anthropic Messages); the agent loop, the
// trajectory writer, the cache and the mock server all speak it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"

namespace sg::llm {

enum class Role { kSystem, kUser, kAssistant, kTool };
const char* RoleName(Role role);  // "system", "user", "assistant", "tool"

struct ToolCall {
  std::string id;  // provider's call id; tool results refer to it
  std::string name;
  std::string arguments;  // JSON text of the arguments object, as the model produced it
};

struct Message {
  Role role = Role::kUser;
  std::string content;               // text; may be empty for an assistant turn of tool calls
  std::vector<ToolCall> tool_calls;  // assistant only
  std::string tool_call_id;          // tool result only: the call it answers
  std::string tool_name;             // tool result only: the tool that produced it
  bool is_error = false;             // tool result only: the tool failed

  static Message System(std::string text);
  static Message User(std::string text);
  static Message Assistant(std::string text, std::vector<ToolCall> calls = {});
  static Message ToolResult(std::string call_id, std::string tool_name, std::string content,
                            bool is_error = false);
};

// A tool offered to the model; `parameters` is a JSON Schema of the arguments object.
struct ToolSpec {
  std::string name;
  std::string description;
  Json parameters = Json::object();
};

struct SamplingOptions {
  std::optional<double> temperature;
  std::optional<double> top_p;
  std::optional<int> max_tokens;
  std::optional<int64_t> seed;
  std::vector<std::string> stop;
  std::optional<std::string> reasoning_effort;  // "low" | "medium" | "high" where supported
};

struct ChatRequest {
  std::string model;
  std::vector<Message> messages;  // may start with a system message
  std::vector<ToolSpec> tools;
  std::string tool_choice = "auto";  // "auto" | "none" | "required"
  bool parallel_tool_calls = true;
  SamplingOptions sampling;
  bool stream = false;  // transport detail: the reply is assembled the same way either way
};

struct Usage {
  int64_t input_tokens = 0;         // all prompt tokens, cached ones included
  int64_t cached_input_tokens = 0;  // of which read from the provider's prompt cache
  int64_t output_tokens = 0;        // all completion tokens, reasoning ones included
  int64_t reasoning_tokens = 0;     // of which spent on hidden reasoning
  int64_t cache_write_tokens = 0;   // of input_tokens, written to the prompt cache (Anthropic)
  bool reported = false;            // false when the server sent no usage (some local servers)
};

enum class FinishReason { kStop, kToolCalls, kLength, kContentFilter, kOther };
const char* FinishReasonName(FinishReason reason);

struct ChatResponse {
  Message message;  // role kAssistant
  FinishReason finish_reason = FinishReason::kStop;
  std::string raw_finish_reason;  // what the server said ("end_turn", "eos", ...)
  Usage usage;
  std::string model;  // the model the server says answered
  std::string id;
  // Filled by the client, not the provider:
  int attempts = 1;
  double latency_ms = 0;
  bool cache_hit = false;
  std::optional<double> cost_usd;  // nullopt when the model's price is unknown
};

// Who is calling, for the ledger and the logs.
struct CallContext {
  std::string
      role;  // executor | failure_diagnoser | contrastive_diagnoser | momentum | patcher | chat
  std::string task_id;
  int iteration = -1;  // -1 outside training iterations
  std::string stage;   // collect | execute | diagnose | momentum | patch | validate | eval | chat
  // Which repetition of the same task this call serves (--rollouts, --val-rollouts): 0 for
  // the first. A later rollout's calls have cache keys of their own (response_cache.h), so
  // that they are run afresh instead of answered with the first rollout's replies.
  int rollout = 0;
};

// Canonical JSON forms, used in trajectories, cache keys and the mock's logs.
Json ToJson(const Message& message);
Json ToJson(const ToolSpec& tool);
Json ToJson(const Usage& usage);
Json ToJson(const ChatRequest& request);
Json ToJson(const ChatResponse& response);

}  // namespace sg::llm
