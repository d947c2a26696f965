#include "llm/message_json.h"

#include <string>

#include "core/json_fields.h"

namespace sg::llm {
namespace {

std::string Str(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int64_t Int(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<int64_t>() : 0;
}

}  // namespace

Result<Role> RoleFromName(std::string_view name) {
  if (name == "system") return Role::kSystem;
  if (name == "user") return Role::kUser;
  if (name == "assistant") return Role::kAssistant;
  if (name == "tool") return Role::kTool;
  return InvalidArgument("unknown message role \"" + std::string(name) +
                         "\"; expected system, user, assistant or tool");
}

FinishReason FinishReasonFromName(std::string_view name) {
  if (name == "stop") return FinishReason::kStop;
  if (name == "tool_calls") return FinishReason::kToolCalls;
  if (name == "length") return FinishReason::kLength;
  if (name == "content_filter") return FinishReason::kContentFilter;
  return FinishReason::kOther;
}

Result<Message> MessageFromJson(const Json& j, std::string_view what) {
  if (!j.is_object()) return ParseError(std::string(what) + ": a message must be a JSON object");
  auto role = RoleFromName(Str(j, "role"));
  if (!role.ok()) return role.error().WithContext(std::string(what));
  Message m;
  m.role = *role;
  m.content = Str(j, "content");
  if (auto it = j.find("tool_calls"); it != j.end() && it->is_array()) {
    for (const Json& c : *it) {
      if (!c.is_object())
        return ParseError(std::string(what) + ": tool_calls entries must be objects");
      m.tool_calls.push_back({Str(c, "id"), Str(c, "name"), Str(c, "arguments")});
    }
  }
  m.tool_call_id = Str(j, "tool_call_id");
  m.tool_name = Str(j, "tool_name");
  m.is_error = BoolField(j, "is_error");
  return m;
}

Result<ToolSpec> ToolSpecFromJson(const Json& j, std::string_view what) {
  if (!j.is_object() || Str(j, "name").empty()) {
    return ParseError(std::string(what) + ": a tool needs an object with a \"name\"");
  }
  ToolSpec t;
  t.name = Str(j, "name");
  t.description = Str(j, "description");
  if (auto it = j.find("parameters"); it != j.end()) t.parameters = *it;
  return t;
}

Usage UsageFromJson(const Json& j) {
  Usage u;
  if (!j.is_object()) return u;
  u.input_tokens = Int(j, "input_tokens");
  u.cached_input_tokens = Int(j, "cached_input_tokens");
  u.output_tokens = Int(j, "output_tokens");
  u.reasoning_tokens = Int(j, "reasoning_tokens");
  u.cache_write_tokens = Int(j, "cache_write_tokens");
  u.reported = BoolField(j, "reported");
  return u;
}

Result<ChatRequest> ChatRequestFromJson(const Json& j, std::string_view what) {
  if (!j.is_object()) return ParseError(std::string(what) + ": a request must be a JSON object");
  ChatRequest r;
  r.model = Str(j, "model");
  if (auto it = j.find("messages"); it != j.end() && it->is_array()) {
    for (const Json& m : *it) {
      SG_ASSIGN_OR_RETURN(Message msg, MessageFromJson(m, what));
      r.messages.push_back(std::move(msg));
    }
  }
  if (auto it = j.find("tools"); it != j.end() && it->is_array()) {
    for (const Json& t : *it) {
      SG_ASSIGN_OR_RETURN(ToolSpec spec, ToolSpecFromJson(t, what));
      r.tools.push_back(std::move(spec));
    }
  }
  if (j.contains("tool_choice")) r.tool_choice = Str(j, "tool_choice");
  r.parallel_tool_calls = BoolField(j, "parallel_tool_calls", true);
  r.stream = BoolField(j, "stream");
  if (auto it = j.find("sampling"); it != j.end() && it->is_object()) {
    const Json& s = *it;
    if (s.contains("temperature")) r.sampling.temperature = s["temperature"].get<double>();
    if (s.contains("top_p")) r.sampling.top_p = s["top_p"].get<double>();
    if (s.contains("max_tokens")) r.sampling.max_tokens = s["max_tokens"].get<int>();
    if (s.contains("seed")) r.sampling.seed = s["seed"].get<int64_t>();
    if (s.contains("stop")) r.sampling.stop = s["stop"].get<std::vector<std::string>>();
    if (s.contains("reasoning_effort")) r.sampling.reasoning_effort = Str(s, "reasoning_effort");
  }
  return r;
}

Result<ChatResponse> ChatResponseFromJson(const Json& j, std::string_view what) {
  if (!j.is_object() || !j.contains("message")) {
    return ParseError(std::string(what) + ": a response needs an object with a \"message\"");
  }
  ChatResponse r;
  SG_ASSIGN_OR_RETURN(r.message, MessageFromJson(j["message"], what));
  r.finish_reason = FinishReasonFromName(Str(j, "finish_reason"));
  r.raw_finish_reason = Str(j, "raw_finish_reason");
  if (auto it = j.find("usage"); it != j.end()) r.usage = UsageFromJson(*it);
  r.model = Str(j, "model");
  r.id = Str(j, "id");
  r.attempts = static_cast<int>(Int(j, "attempts"));
  if (auto it = j.find("latency_ms"); it != j.end() && it->is_number())
    r.latency_ms = it->get<double>();
  r.cache_hit = BoolField(j, "cache_hit");
  if (auto it = j.find("cost_usd"); it != j.end() && it->is_number())
    r.cost_usd = it->get<double>();
  return r;
}

}  // namespace sg::llm
