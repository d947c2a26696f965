#include "llm/openai_wire.h"

#include "core/json.h"
#include "core/json_fields.h"
#include "core/sha256.h"

namespace sg::llm {
namespace {

Json EncodeMessage(const Message& m) {
  switch (m.role) {
    case Role::kSystem:
    case Role::kUser:
      return {{"role", RoleName(m.role)}, {"content", m.content}};
    case Role::kAssistant: {
      Json j = {{"role", "assistant"}};
      j["content"] = m.content.empty() && !m.tool_calls.empty() ? Json(nullptr) : Json(m.content);
      if (!m.tool_calls.empty()) {
        Json calls = Json::array();
        for (const ToolCall& c : m.tool_calls) {
          calls.push_back(
              {{"id", c.id},
               {"type", "function"},
               {"function",
                {{"name", c.name}, {"arguments", c.arguments.empty() ? "{}" : c.arguments}}}});
        }
        j["tool_calls"] = std::move(calls);
      }
      return j;
    }
    case Role::kTool:
      return {{"role", "tool"}, {"tool_call_id", m.tool_call_id}, {"content", m.content}};
  }
  return Json::object();
}

std::string ContentText(const Json& content) {
  if (content.is_string()) return content.get<std::string>();
  std::string text;
  if (content.is_array()) {  // content parts: [{"type":"text","text":...}]
    for (const Json& part : content) {
      if (part.is_object() && StringField(part, "type") == "text" && part.contains("text") &&
          part["text"].is_string()) {
        text += part["text"].get<std::string>();
      }
    }
  }
  return text;
}

}  // namespace

Json EncodeOpenAIRequest(const ChatRequest& request, const OpenAIWireOptions& options) {
  Json body = {{"model", request.model}};
  Json messages = Json::array();
  for (const Message& m : request.messages) messages.push_back(EncodeMessage(m));
  body["messages"] = std::move(messages);
  if (!request.tools.empty()) {
    Json tools = Json::array();
    for (const ToolSpec& t : request.tools) {
      Json fn = {{"name", t.name},
                 {"parameters", t.parameters.is_null() ? Json::object() : t.parameters}};
      if (!t.description.empty()) fn["description"] = t.description;
      tools.push_back({{"type", "function"}, {"function", std::move(fn)}});
    }
    body["tools"] = std::move(tools);
    body["tool_choice"] = request.tool_choice;
    // true is every server's default; sending only false keeps strict local servers happy.
    if (!request.parallel_tool_calls) body["parallel_tool_calls"] = false;
  }
  const SamplingOptions& s = request.sampling;
  if (s.temperature) body["temperature"] = *s.temperature;
  if (s.top_p) body["top_p"] = *s.top_p;
  if (s.max_tokens) {
    body[options.use_max_completion_tokens ? "max_completion_tokens" : "max_tokens"] =
        *s.max_tokens;
  }
  if (s.seed) body["seed"] = *s.seed;
  if (!s.stop.empty()) body["stop"] = s.stop;
  if (s.reasoning_effort) body["reasoning_effort"] = *s.reasoning_effort;
  if (request.stream) {
    body["stream"] = true;
    body["stream_options"] = {{"include_usage", true}};
  }
  return body;
}

FinishReason MapOpenAIFinishReason(std::string_view raw) {
  if (raw == "stop") return FinishReason::kStop;
  if (raw == "tool_calls" || raw == "function_call") return FinishReason::kToolCalls;
  if (raw == "length") return FinishReason::kLength;
  if (raw == "content_filter") return FinishReason::kContentFilter;
  return FinishReason::kOther;
}

std::string ArgumentsText(const Json& arguments) {
  if (arguments.is_string()) return arguments.get<std::string>();
  if (arguments.is_null()) return "";
  return DumpJson(arguments);
}

std::string SynthesizeToolCallId(std::string_view response_id, size_t index, const ToolCall& call) {
  std::string seed = std::string(response_id) + "\n" + std::to_string(index) + "\n" + call.name +
                     "\n" + call.arguments;
  return "call_" + Sha256Hex(seed).substr(0, 24);
}

Usage DecodeOpenAIUsage(const Json* usage) {
  Usage u;
  if (usage == nullptr || !usage->is_object()) return u;
  u.reported = true;
  u.input_tokens = IntField(*usage, "prompt_tokens");
  u.output_tokens = IntField(*usage, "completion_tokens");
  if (auto it = usage->find("prompt_tokens_details"); it != usage->end()) {
    u.cached_input_tokens = IntField(*it, "cached_tokens");
  }
  if (auto it = usage->find("completion_tokens_details"); it != usage->end()) {
    u.reasoning_tokens = IntField(*it, "reasoning_tokens");
  }
  return u;
}

Result<ChatResponse> DecodeOpenAIResponse(const Json& body) {
  if (!body.is_object()) return ParseError("the chat completion is not a JSON object");
  auto choices = body.find("choices");
  if (choices == body.end() || !choices->is_array() || choices->empty() ||
      !(*choices)[0].is_object()) {
    return ParseError("the chat completion has no \"choices\"");
  }
  const Json& choice = (*choices)[0];
  auto msg = choice.find("message");
  if (msg == choice.end() || !msg->is_object()) {
    return ParseError("choices[0] of the chat completion has no \"message\" object");
  }
  ChatResponse r;
  if (auto it = body.find("id"); it != body.end() && it->is_string()) r.id = it->get<std::string>();
  if (auto it = body.find("model"); it != body.end() && it->is_string())
    r.model = it->get<std::string>();
  r.message.role = Role::kAssistant;
  if (auto it = msg->find("content"); it != msg->end()) r.message.content = ContentText(*it);
  if (auto it = msg->find("tool_calls"); it != msg->end() && it->is_array()) {
    for (const Json& tc : *it) {
      if (!tc.is_object()) continue;
      ToolCall call;
      if (auto id = tc.find("id"); id != tc.end() && id->is_string())
        call.id = id->get<std::string>();
      const Json* fn =
          tc.contains("function") && tc["function"].is_object() ? &tc["function"] : &tc;
      if (auto name = fn->find("name"); name != fn->end() && name->is_string()) {
        call.name = name->get<std::string>();
      }
      if (auto args = fn->find("arguments"); args != fn->end())
        call.arguments = ArgumentsText(*args);
      if (call.id.empty()) call.id = SynthesizeToolCallId(r.id, r.message.tool_calls.size(), call);
      r.message.tool_calls.push_back(std::move(call));
    }
  }
  if (auto it = choice.find("finish_reason"); it != choice.end() && it->is_string()) {
    r.raw_finish_reason = it->get<std::string>();
  }
  r.finish_reason = MapOpenAIFinishReason(r.raw_finish_reason);
  // Some local servers say "stop" for a turn of tool calls; the calls are what counts.
  if (!r.message.tool_calls.empty() && r.finish_reason == FinishReason::kStop) {
    r.finish_reason = FinishReason::kToolCalls;
  }
  if (auto it = msg->find("refusal"); it != msg->end() && it->is_string()) {
    ApplyOpenAIRefusal(it->get<std::string>(), r);
  }
  auto usage = body.find("usage");
  r.usage = DecodeOpenAIUsage(usage == body.end() ? nullptr : &*usage);
  return r;
}

void ApplyOpenAIRefusal(const std::string& refusal, ChatResponse& r) {
  if (refusal.empty()) return;
  if (r.message.content.empty()) r.message.content = refusal;
  r.raw_finish_reason = "refusal";
  r.finish_reason = FinishReason::kContentFilter;
}

std::string OpenAIErrorMessage(std::string_view body) {
  Json j = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_object()) {
    if (auto e = j.find("error"); e != j.end()) {
      if (e->is_string()) return e->get<std::string>();
      if (e->is_object() && e->contains("message") && (*e)["message"].is_string()) {
        std::string message = (*e)["message"].get<std::string>();
        if (e->contains("type") && (*e)["type"].is_string()) {
          message += " (" + (*e)["type"].get<std::string>() + ")";
        }
        return message;
      }
    }
    for (const char* key : {"detail", "message"}) {
      if (auto it = j.find(key); it != j.end())
        return it->is_string() ? it->get<std::string>() : DumpJson(*it);
    }
  }
  std::string text(body.substr(0, 500));
  if (body.size() > 500) text += "...";
  return text.empty() ? "(empty body)" : text;
}

}  // namespace sg::llm
