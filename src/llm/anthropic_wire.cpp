#include "llm/anthropic_wire.h"

#include "core/json.h"
#include "core/json_fields.h"
#include "llm/openai_wire.h"

namespace sg::llm {
namespace {

Json ToolInput(const std::string& arguments) {
  if (arguments.empty()) return Json::object();
  Json input = Json::parse(arguments, nullptr, /*allow_exceptions=*/false);
  if (input.is_object()) return input;
  // The API wants an object; keep what the model wrote rather than dropping it.
  return {{"raw_arguments", arguments}};
}

// Appends blocks to the last message when it has the same role (the API wants turns to
// alternate, and all tool results answering one assistant turn in a single user turn).
void AppendBlocks(Json& messages, const char* role, Json blocks) {
  if (blocks.empty()) return;
  if (!messages.empty() && messages.back()["role"] == role) {
    for (Json& b : blocks) messages.back()["content"].push_back(std::move(b));
  } else {
    messages.push_back({{"role", role}, {"content", std::move(blocks)}});
  }
}

}  // namespace

Json EncodeAnthropicRequest(const ChatRequest& request) {
  Json body = {{"model", request.model}};
  std::string system;
  Json messages = Json::array();
  for (const Message& m : request.messages) {
    switch (m.role) {
      case Role::kSystem:
        if (!system.empty()) system += "\n\n";
        system += m.content;
        break;
      case Role::kUser:
        if (!m.content.empty()) {
          AppendBlocks(messages, "user", Json::array({{{"type", "text"}, {"text", m.content}}}));
        }
        break;
      case Role::kAssistant: {
        Json blocks = Json::array();
        if (!m.content.empty()) blocks.push_back({{"type", "text"}, {"text", m.content}});
        for (const ToolCall& c : m.tool_calls) {
          blocks.push_back({{"type", "tool_use"},
                            {"id", c.id},
                            {"name", c.name},
                            {"input", ToolInput(c.arguments)}});
        }
        AppendBlocks(messages, "assistant", std::move(blocks));
        break;
      }
      case Role::kTool: {
        Json block = {
            {"type", "tool_result"}, {"tool_use_id", m.tool_call_id}, {"content", m.content}};
        if (m.is_error) block["is_error"] = true;
        AppendBlocks(messages, "user", Json::array({std::move(block)}));
        break;
      }
    }
  }
  if (!system.empty()) body["system"] = system;
  body["messages"] = std::move(messages);
  body["max_tokens"] = request.sampling.max_tokens.value_or(kAnthropicDefaultMaxTokens);
  if (!request.tools.empty()) {
    Json tools = Json::array();
    for (const ToolSpec& t : request.tools) {
      Json schema = t.parameters.is_object() && !t.parameters.empty()
                        ? t.parameters
                        : Json{{"type", "object"}, {"properties", Json::object()}};
      Json tool = {{"name", t.name}, {"input_schema", std::move(schema)}};
      if (!t.description.empty()) tool["description"] = t.description;
      tools.push_back(std::move(tool));
    }
    body["tools"] = std::move(tools);
    Json choice;
    if (request.tool_choice == "required") {
      choice = {{"type", "any"}};
    } else if (request.tool_choice == "none") {
      choice = {{"type", "none"}};
    } else {
      choice = {{"type", "auto"}};
    }
    if (!request.parallel_tool_calls && request.tool_choice != "none") {
      choice["disable_parallel_tool_use"] = true;
    }
    body["tool_choice"] = std::move(choice);
  }
  const SamplingOptions& s = request.sampling;
  if (s.temperature) body["temperature"] = *s.temperature;
  if (s.top_p) body["top_p"] = *s.top_p;
  if (!s.stop.empty()) body["stop_sequences"] = s.stop;
  // seed and reasoning_effort have no Messages API equivalent and are not sent.
  if (request.stream) body["stream"] = true;
  return body;
}

FinishReason MapAnthropicStopReason(std::string_view raw) {
  if (raw == "end_turn" || raw == "stop_sequence") return FinishReason::kStop;
  if (raw == "tool_use") return FinishReason::kToolCalls;
  if (raw == "max_tokens") return FinishReason::kLength;
  if (raw == "refusal") return FinishReason::kContentFilter;
  return FinishReason::kOther;
}

Usage DecodeAnthropicUsage(const Json& usage) {
  Usage u;
  if (!usage.is_object()) return u;
  u.reported = true;
  int64_t cache_read = IntField(usage, "cache_read_input_tokens");
  int64_t cache_write = IntField(usage, "cache_creation_input_tokens");
  u.input_tokens = IntField(usage, "input_tokens") + cache_read + cache_write;
  u.cached_input_tokens = cache_read;
  u.cache_write_tokens = cache_write;
  u.output_tokens = IntField(usage, "output_tokens");
  return u;
}

Result<ChatResponse> DecodeAnthropicResponse(const Json& body) {
  if (!body.is_object()) return ParseError("the Messages reply is not a JSON object");
  auto content = body.find("content");
  if (content == body.end() || !content->is_array()) {
    return ParseError("the Messages reply has no \"content\" array");
  }
  ChatResponse r;
  r.message.role = Role::kAssistant;
  if (auto it = body.find("id"); it != body.end() && it->is_string()) r.id = it->get<std::string>();
  if (auto it = body.find("model"); it != body.end() && it->is_string())
    r.model = it->get<std::string>();
  for (const Json& block : *content) {
    if (!block.is_object()) continue;
    std::string type = StringField(block, "type");
    if (type == "text") {
      r.message.content += StringField(block, "text");
    } else if (type == "tool_use") {
      ToolCall call;
      call.id = StringField(block, "id");
      call.name = StringField(block, "name");
      call.arguments = block.contains("input") ? ArgumentsText(block["input"]) : "{}";
      if (call.id.empty()) call.id = SynthesizeToolCallId(r.id, r.message.tool_calls.size(), call);
      r.message.tool_calls.push_back(std::move(call));
    }
    // thinking / redacted_thinking blocks are not part of the visible reply.
  }
  if (auto it = body.find("stop_reason"); it != body.end() && it->is_string()) {
    r.raw_finish_reason = it->get<std::string>();
  }
  r.finish_reason = MapAnthropicStopReason(r.raw_finish_reason);
  if (auto it = body.find("usage"); it != body.end()) r.usage = DecodeAnthropicUsage(*it);
  return r;
}

std::string AnthropicErrorMessage(std::string_view body) {
  // Same shapes as OpenAI's at the level we read: {"error":{"message","type"}}.
  return OpenAIErrorMessage(body);
}

}  // namespace sg::llm
