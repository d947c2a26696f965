// The tool-calling loop shared by every role (executor, diagnosers, momentum, patcher).
// It knows nothing of training: it gets a prompt, a tool set, a model and limits, talks to
// a ChatClient until the model stops, and records the run as a trajectory.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/error.h"
#include "core/json.h"
#include "core/redact.h"
#include "llm/chat_client.h"
#include "tools/tool.h"

namespace sg::agent {

struct AgentLimits {
  int max_turns = 30;            // model calls; the run stops after this many
  int64_t max_total_tokens = 0;  // input + output over the run; 0 = unlimited
  double max_cost_usd = 0;       // 0 = unlimited; only counts calls whose price is known
  std::chrono::milliseconds wall_deadline{0};  // 0 = none
  // Each tool result, head and tail kept (CapHeadTail): the one marker of the cut reports
  // every byte the model does not see, those the sandbox already cut included.
  size_t tool_output_cap_bytes = 20000;
  int64_t context_window_tokens = 128000;  // the model's window, for the size watch
};

enum class StopReason {
  kFinished,       // a reply without tool calls
  kTerminalTool,   // a terminal tool such as submit_answer was called
  kTurnCap,        // max_turns model calls made and the model still wanted tools
  kTokenBudget,    // max_total_tokens reached
  kCostBudget,     // max_cost_usd reached
  kDeadline,       // wall_deadline passed
  kContextFull,    // the conversation no longer fits the context window
  kProviderError,  // the client gave up (after its retries) or the provider refused
  kRecordError,    // the trajectory could not be written (a full or read-only disk)
};
const char* StopReasonName(StopReason reason);

struct AgentRunSpec {
  std::string system_prompt;
  std::string user_message;
  std::string model;
  llm::SamplingOptions sampling;
  AgentLimits limits;
  llm::CallContext context;                 // role, task, iteration, stage for the ledger
  std::filesystem::path trajectory_path;    // empty: not written
  Json trajectory_header = Json::object();  // extra header fields (task id, workspace, ...)
};

struct AgentRunResult {
  StopReason stop_reason = StopReason::kFinished;
  std::string final_text;  // the last assistant text
  Json terminal_payload;   // the terminal tool's payload, or null
  int turns = 0;           // model calls made
  int tool_calls = 0;
  llm::Usage usage;            // summed over the run
  double cost_usd = 0;         // summed over calls with a known price
  bool cost_complete = true;   // false when some call's price was unknown
  std::optional<Error> error;  // the provider error for kProviderError, the write error
                               // for kRecordError
  Json trajectory;             // the full record, as written
};

// Every text the loop puts into the conversation (the prompts and each tool result) is
// redacted before it is appended, so that no secret reaches the provider, the response
// cache or the trajectory. The secrets are those of `redactor` (if given) plus those of
// the process environment (SecretRedactor::AddEnvironmentSecrets): redaction is never off.
class AgentRunner {
 public:
  AgentRunner(llm::ChatClient& client, Clock& clock, const SecretRedactor* redactor = nullptr);

  AgentRunResult Run(const AgentRunSpec& spec, tools::ToolSet& tools);

 private:
  llm::ChatClient& client_;
  Clock& clock_;
  SecretRedactor redactor_;
};

// Rough token estimate (bytes / 4, as the common tokenizers average on English and code),
// used only to watch the context window, never for cost.
int64_t EstimateTokens(const std::vector<llm::Message>& messages);

}  // namespace sg::agent
