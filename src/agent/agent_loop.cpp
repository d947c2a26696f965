#include "agent/agent_loop.h"

#include <fmt/format.h>

#include "agent/trajectory.h"
#include "core/log.h"
#include "core/sha256.h"
#include "core/text_cap.h"

namespace sg::agent {
namespace {

constexpr double kElideAtFraction = 0.80;  // start eliding old tool results here
constexpr double kFullAtFraction = 0.95;   // give up here
constexpr size_t kKeepRecentToolResults = 4;

double MillisBetween(Clock::TimePoint a, Clock::TimePoint b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

std::vector<llm::ToolSpec> SpecsOf(const tools::ToolSet& tools) {
  std::vector<llm::ToolSpec> specs;
  for (const auto& tool : tools.all()) {
    specs.push_back({tool->name(), tool->description(), tool->parameters()});
  }
  return specs;
}

std::string ToolNames(const tools::ToolSet& tools) {
  std::string names;
  for (const auto& tool : tools.all()) {
    if (!names.empty()) names += ", ";
    names += tool->name();
  }
  return names;
}

// Runs one call; every failure becomes an error result the model can read.
tools::ToolOutput InvokeTool(tools::ToolSet& tools, const llm::ToolCall& call) {
  tools::Tool* tool = tools.Find(call.name);
  if (tool == nullptr) {
    return tools::ToolOutput::Failure(fmt::format(
        "error: there is no tool named '{}'. Available tools: {}.", call.name, ToolNames(tools)));
  }
  Json arguments;
  if (call.arguments.empty()) {
    arguments = Json::object();
  } else {
    auto parsed = ParseJson(call.arguments, "the arguments of " + call.name);
    if (!parsed.ok()) {
      return tools::ToolOutput::Failure("error: " + parsed.error().message +
                                        ". Call the tool again with its arguments as one JSON "
                                        "object.");
    }
    arguments = std::move(parsed).value();
  }
  if (!arguments.is_object()) {
    return tools::ToolOutput::Failure(
        fmt::format("error: the arguments of {} must be a JSON object, got {}.", call.name,
                    arguments.type_name()));
  }
  try {
    return tool->Invoke(arguments);
  } catch (const std::exception& e) {
    return tools::ToolOutput::Failure(
        fmt::format("error: the {} tool failed: {}", call.name, e.what()));
  }
}

// Replaces the content of older tool results with a marker until the estimate falls
// under `target` tokens. Returns the number of results elided.
int ElideOldToolResults(std::vector<llm::Message>& messages, int64_t target) {
  std::vector<size_t> tool_indexes;
  for (size_t i = 0; i < messages.size(); ++i) {
    if (messages[i].role == llm::Role::kTool) tool_indexes.push_back(i);
  }
  if (tool_indexes.size() <= kKeepRecentToolResults) return 0;
  int elided = 0;
  for (size_t k = 0; k + kKeepRecentToolResults < tool_indexes.size(); ++k) {
    if (EstimateTokens(messages) <= target) break;
    llm::Message& m = messages[tool_indexes[k]];
    if (m.content.rfind("[elided", 0) == 0) continue;
    m.content = fmt::format(
        "[elided: {} bytes of an earlier tool result, removed to fit the "
        "context window; call the tool again if you need it]",
        m.content.size());
    ++elided;
  }
  return elided;
}

}  // namespace

const char* StopReasonName(StopReason reason) {
  switch (reason) {
    case StopReason::kFinished:
      return "finished";
    case StopReason::kTerminalTool:
      return "terminal_tool";
    case StopReason::kTurnCap:
      return "turn_cap";
    case StopReason::kTokenBudget:
      return "token_budget";
    case StopReason::kCostBudget:
      return "cost_budget";
    case StopReason::kDeadline:
      return "deadline";
    case StopReason::kContextFull:
      return "context_full";
    case StopReason::kProviderError:
      return "provider_error";
    case StopReason::kRecordError:
      return "record_error";
  }
  return "unknown";
}

int64_t EstimateTokens(const std::vector<llm::Message>& messages) {
  size_t bytes = 0;
  for (const auto& m : messages) {
    bytes += m.content.size() + 16;
    for (const auto& call : m.tool_calls) bytes += call.name.size() + call.arguments.size() + 16;
  }
  return static_cast<int64_t>(bytes / 4);
}

AgentRunner::AgentRunner(llm::ChatClient& client, Clock& clock, const SecretRedactor* redactor)
    : client_(client), clock_(clock) {
  if (redactor != nullptr) redactor_.Merge(*redactor);
  redactor_.AddEnvironmentSecrets();
}

AgentRunResult AgentRunner::Run(const AgentRunSpec& spec, tools::ToolSet& tools) {
  AgentRunResult result;
  TrajectoryWriter trajectory(spec.trajectory_path, &redactor_);
  const Clock::TimePoint start = clock_.Now();

  Json header = {
      {"model", spec.model},
      {"role", spec.context.role},
      {"task_id", spec.context.task_id},
      {"iteration", spec.context.iteration},
      {"stage", spec.context.stage},
      {"system_prompt_sha256", Sha256Hex(spec.system_prompt)},
      {"tools", Json::array()},
      {"limits",
       {{"max_turns", spec.limits.max_turns},
        {"max_total_tokens", spec.limits.max_total_tokens},
        {"max_cost_usd", spec.limits.max_cost_usd},
        {"wall_deadline_ms", spec.limits.wall_deadline.count()},
        {"tool_output_cap_bytes", spec.limits.tool_output_cap_bytes},
        {"context_window_tokens", spec.limits.context_window_tokens}}},
      {"started_at", FormatUtcMillis(clock_.WallMillis())},
  };
  for (const auto& tool : tools.all()) header["tools"].push_back(tool->name());
  for (auto it = spec.trajectory_header.begin(); it != spec.trajectory_header.end(); ++it) {
    header[it.key()] = *it;
  }
  trajectory.SetHeader(header);

  std::vector<llm::Message> messages = {llm::Message::System(redactor_.Redact(spec.system_prompt)),
                                        llm::Message::User(redactor_.Redact(spec.user_message))};
  trajectory.AddMessage(messages[0], {{"t_ms", 0.0}});
  trajectory.AddMessage(messages[1], {{"t_ms", 0.0}});

  const std::vector<llm::ToolSpec> tool_specs = SpecsOf(tools);
  const int64_t window = spec.limits.context_window_tokens;
  bool stopped = false;
  // A run whose record cannot be written stops before its next model call: its work
  // could not be checked or resumed, and it would keep spending.
  auto record_failed = [&](Status flushed) {
    if (flushed.ok()) return false;
    result.stop_reason = StopReason::kRecordError;
    result.error = flushed.error();
    return true;
  };
  stopped = record_failed(trajectory.Flush());

  while (!stopped) {
    if (result.turns >= spec.limits.max_turns) {
      result.stop_reason = StopReason::kTurnCap;
      break;
    }
    if (spec.limits.wall_deadline.count() > 0 &&
        clock_.Now() - start >= spec.limits.wall_deadline) {
      result.stop_reason = StopReason::kDeadline;
      break;
    }
    if (window > 0 && EstimateTokens(messages) > kElideAtFraction * window) {
      int elided = ElideOldToolResults(messages, static_cast<int64_t>(kElideAtFraction * window));
      if (elided > 0) log::Debug(fmt::format("agent: elided {} old tool results", elided));
      if (EstimateTokens(messages) > kFullAtFraction * window) {
        result.stop_reason = StopReason::kContextFull;
        break;
      }
    }

    llm::ChatRequest request;
    request.model = spec.model;
    request.messages = messages;
    request.tools = tool_specs;
    request.sampling = spec.sampling;
    const Clock::TimePoint call_start = clock_.Now();
    Result<llm::ChatResponse> response = client_.Complete(request, spec.context);
    ++result.turns;
    if (!response.ok()) {
      result.stop_reason = StopReason::kProviderError;
      result.error = response.error();
      break;
    }
    llm::ChatResponse& reply = *response;
    result.usage.input_tokens += reply.usage.input_tokens;
    result.usage.cached_input_tokens += reply.usage.cached_input_tokens;
    result.usage.output_tokens += reply.usage.output_tokens;
    result.usage.reasoning_tokens += reply.usage.reasoning_tokens;
    result.usage.reported = result.usage.reported || reply.usage.reported;
    if (reply.cost_usd) {
      result.cost_usd += *reply.cost_usd;
    } else {
      result.cost_complete = false;
    }

    reply.message.role = llm::Role::kAssistant;
    messages.push_back(reply.message);
    trajectory.AddMessage(reply.message,
                          {{"turn", result.turns},
                           {"t_ms", MillisBetween(start, call_start)},
                           {"latency_ms", reply.latency_ms},
                           {"attempts", reply.attempts},
                           {"cache_hit", reply.cache_hit},
                           {"finish_reason", llm::FinishReasonName(reply.finish_reason)},
                           {"usage", llm::ToJson(reply.usage)},
                           {"cost_usd", reply.cost_usd ? Json(*reply.cost_usd) : Json(nullptr)}});
    if (!reply.message.content.empty()) result.final_text = reply.message.content;

    if (reply.message.tool_calls.empty()) {
      result.stop_reason = StopReason::kFinished;
      stopped = true;
    }
    bool terminal_called = false;
    for (const llm::ToolCall& call : reply.message.tool_calls) {
      const Clock::TimePoint tool_start = clock_.Now();
      tools::ToolOutput output;
      if (terminal_called) {
        output = tools::ToolOutput::Failure("not run: an earlier call in this turn ended the run");
      } else {
        output = InvokeTool(tools, call);
      }
      // After every call, of any tool: nothing agent code started may outlive it.
      if (std::string swept = tools.SweepAll(); !swept.empty()) {
        output.content += (output.content.empty() ? "" : "\n") + swept;
      }
      ++result.tool_calls;
      // Redacted before the cut, so that a secret straddling it cannot leave a fragment.
      // The content is the only part of the output that becomes message text: the payload
      // goes to the caller, and to the trajectory through its own redaction.
      const std::string redacted = redactor_.Redact(output.content);
      const bool truncated = redacted.size() > spec.limits.tool_output_cap_bytes;
      std::string content = CapHeadTail(redacted, spec.limits.tool_output_cap_bytes);
      messages.push_back(llm::Message::ToolResult(call.id, call.name, content, output.is_error));
      trajectory.AddMessage(messages.back(),
                            {{"t_ms", MillisBetween(start, tool_start)},
                             {"duration_ms", MillisBetween(tool_start, clock_.Now())},
                             {"content_bytes", output.content.size()},
                             {"truncated", truncated}});
      if (output.terminal && !terminal_called) {
        terminal_called = true;
        result.terminal_payload = output.payload;
      }
    }
    if (terminal_called) {
      result.stop_reason = StopReason::kTerminalTool;
      stopped = true;
    }
    if (record_failed(trajectory.Flush())) break;

    if (!stopped && spec.limits.max_total_tokens > 0 &&
        result.usage.input_tokens + result.usage.output_tokens >= spec.limits.max_total_tokens) {
      result.stop_reason = StopReason::kTokenBudget;
      stopped = true;
    }
    if (!stopped && spec.limits.max_cost_usd > 0 && result.cost_usd >= spec.limits.max_cost_usd) {
      result.stop_reason = StopReason::kCostBudget;
      stopped = true;
    }
  }

  Json outcome = {
      {"stop_reason", StopReasonName(result.stop_reason)},
      {"turns", result.turns},
      {"tool_calls", result.tool_calls},
      {"usage", llm::ToJson(result.usage)},
      {"cost_usd", result.cost_usd},
      {"cost_complete", result.cost_complete},
      {"duration_ms", MillisBetween(start, clock_.Now())},
      {"final_text", result.final_text},
      {"terminal_payload", result.terminal_payload},
      {"error", result.error ? Json(result.error->ToString()) : Json(nullptr)},
  };
  trajectory.SetOutcome(outcome);
  Status flushed = trajectory.Flush();
  if (!flushed.ok()) {
    log::Warn("agent: " + flushed.error().message);
    if (result.stop_reason != StopReason::kProviderError) record_failed(flushed);
  }
  result.trajectory = trajectory.record();
  return result;
}

}  // namespace sg::agent
