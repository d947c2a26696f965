#include "mock/wire_request.h"

#include <fmt/format.h>

#include "core/json_fields.h"

namespace sg::mock {

const char* ApiName(Api api) { return api == Api::kOpenAi ? "openai" : "anthropic"; }

const char* RoleWireName(llm::Role role) {
  switch (role) {
    case llm::Role::kSystem:
      return "system";
    case llm::Role::kUser:
      return "user";
    case llm::Role::kAssistant:
      return "assistant";
    case llm::Role::kTool:
      return "tool";
  }
  return "user";
}

namespace {

Error Bad(const std::string& field, const std::string& what) {
  return InvalidArgument(field + ": " + what);
}

// OpenAI content: a string, null, or a list of parts of which the text parts count.
Result<std::string> OpenAiText(const Json& content, const std::string& field) {
  if (content.is_null()) return std::string();
  if (content.is_string()) return content.get<std::string>();
  if (!content.is_array()) return Bad(field, "expected a string or a list of content parts");
  std::string text;
  for (const auto& part : content) {
    if (part.is_object() && StringField(part, "type") == "text" && part.contains("text") &&
        part["text"].is_string()) {
      if (!text.empty()) text += "\n";
      text += part["text"].get<std::string>();
    }
  }
  return text;
}

Status ReadCommon(const Json& body, WireRequest& out) {
  if (!body.is_object()) return Bad("body", "expected a JSON object");
  if (!body.contains("model") || !body["model"].is_string()) {
    return Bad("model", "missing or not a string");
  }
  out.chat.model = body["model"].get<std::string>();
  if (!body.contains("messages") || !body["messages"].is_array()) {
    return Bad("messages", "missing or not a list");
  }
  if (body.contains("stream")) {
    if (!body["stream"].is_boolean()) return Bad("stream", "expected true or false");
    out.chat.stream = body["stream"].get<bool>();
  }
  if (body.contains("temperature") && body["temperature"].is_number()) {
    out.chat.sampling.temperature = body["temperature"].get<double>();
  }
  return Ok();
}

}  // namespace

Result<WireRequest> ParseOpenAiRequest(const Json& body) {
  WireRequest out;
  out.api = Api::kOpenAi;
  SG_RETURN_IF_ERROR(ReadCommon(body, out));
  const Json& messages = body["messages"];
  if (messages.empty()) return Bad("messages", "must not be empty");
  for (size_t i = 0; i < messages.size(); ++i) {
    const Json& m = messages[i];
    std::string field = fmt::format("messages[{}]", i);
    if (!m.is_object() || !m.contains("role") || !m["role"].is_string()) {
      return Bad(field + ".role", "missing or not a string");
    }
    std::string role = m["role"].get<std::string>();
    llm::Message msg;
    SG_ASSIGN_OR_RETURN(msg.content, OpenAiText(m.value("content", Json()), field + ".content"));
    if (role == "system" || role == "developer") {
      msg.role = llm::Role::kSystem;
      if (!out.system.empty()) out.system += "\n";
      out.system += msg.content;
    } else if (role == "user") {
      msg.role = llm::Role::kUser;
    } else if (role == "assistant") {
      msg.role = llm::Role::kAssistant;
      if (m.contains("tool_calls") && !m["tool_calls"].is_null()) {
        if (!m["tool_calls"].is_array()) return Bad(field + ".tool_calls", "expected a list");
        for (size_t j = 0; j < m["tool_calls"].size(); ++j) {
          const Json& c = m["tool_calls"][j];
          std::string cf = fmt::format("{}.tool_calls[{}]", field, j);
          if (!c.is_object() || !c.contains("function") || !c["function"].is_object()) {
            return Bad(cf + ".function", "missing");
          }
          llm::ToolCall call;
          call.id = StringField(c, "id");
          call.name = StringField(c["function"], "name");
          const Json& args = c["function"].value("arguments", Json(""));
          call.arguments = args.is_string() ? args.get<std::string>() : args.dump();
          msg.tool_calls.push_back(std::move(call));
        }
      }
    } else if (role == "tool") {
      msg.role = llm::Role::kTool;
      if (!m.contains("tool_call_id") || !m["tool_call_id"].is_string()) {
        return Bad(field + ".tool_call_id", "a tool message needs the id of the call it answers");
      }
      msg.tool_call_id = m["tool_call_id"].get<std::string>();
    } else {
      return Bad(field + ".role", "unknown role \"" + role + "\"");
    }
    out.chat.messages.push_back(std::move(msg));
  }
  if (body.contains("tools") && !body["tools"].is_null()) {
    if (!body["tools"].is_array()) return Bad("tools", "expected a list");
    for (size_t i = 0; i < body["tools"].size(); ++i) {
      const Json& t = body["tools"][i];
      if (!t.is_object() || !t.contains("function") || !t["function"].is_object() ||
          !t["function"].contains("name") || !t["function"]["name"].is_string()) {
        return Bad(fmt::format("tools[{}].function.name", i), "missing or not a string");
      }
      llm::ToolSpec spec;
      spec.name = t["function"]["name"].get<std::string>();
      spec.description = StringField(t["function"], "description");
      spec.parameters = t["function"].value("parameters", Json::object());
      out.chat.tools.push_back(std::move(spec));
    }
  }
  if (body.contains("stream_options") && body["stream_options"].is_object()) {
    out.include_usage = BoolField(body["stream_options"], "include_usage");
  }
  return out;
}

Result<WireRequest> ParseAnthropicRequest(const Json& body) {
  WireRequest out;
  out.api = Api::kAnthropic;
  SG_RETURN_IF_ERROR(ReadCommon(body, out));
  if (!body.contains("max_tokens") || !body["max_tokens"].is_number_integer()) {
    return Bad("max_tokens", "missing or not an integer (the Messages API requires it)");
  }
  if (body.contains("system")) {
    const Json& sys = body["system"];
    if (sys.is_string()) {
      out.system = sys.get<std::string>();
    } else if (sys.is_array()) {
      for (const auto& block : sys) {
        if (block.is_object() && block.contains("text") && block["text"].is_string()) {
          if (!out.system.empty()) out.system += "\n";
          out.system += block["text"].get<std::string>();
        }
      }
    } else {
      return Bad("system", "expected a string or a list of text blocks");
    }
    out.chat.messages.push_back(llm::Message{llm::Role::kSystem, out.system});
  }
  const Json& messages = body["messages"];
  if (messages.empty()) return Bad("messages", "must not be empty");
  for (size_t i = 0; i < messages.size(); ++i) {
    const Json& m = messages[i];
    std::string field = fmt::format("messages[{}]", i);
    if (!m.is_object() || !m.contains("role") || !m["role"].is_string()) {
      return Bad(field + ".role", "missing or not a string");
    }
    std::string role = m["role"].get<std::string>();
    if (role != "user" && role != "assistant") {
      return Bad(field + ".role", "must be \"user\" or \"assistant\", got \"" + role + "\"");
    }
    llm::Message msg;
    msg.role = role == "user" ? llm::Role::kUser : llm::Role::kAssistant;
    const Json& content = m.value("content", Json());
    if (content.is_string()) {
      msg.content = content.get<std::string>();
      out.chat.messages.push_back(std::move(msg));
      continue;
    }
    if (!content.is_array())
      return Bad(field + ".content", "expected a string or a list of blocks");
    // Tool results travel as user blocks; each becomes a tool message of its own.
    std::vector<llm::Message> results;
    for (size_t j = 0; j < content.size(); ++j) {
      const Json& block = content[j];
      std::string bf = fmt::format("{}.content[{}]", field, j);
      std::string type = StringField(block, "type");
      if (type == "text") {
        if (!msg.content.empty()) msg.content += "\n";
        msg.content += StringField(block, "text");
      } else if (type == "tool_use") {
        llm::ToolCall call;
        call.id = StringField(block, "id");
        call.name = StringField(block, "name");
        call.arguments = block.value("input", Json::object()).dump();
        msg.tool_calls.push_back(std::move(call));
      } else if (type == "tool_result") {
        llm::Message result;
        result.role = llm::Role::kTool;
        result.tool_call_id = StringField(block, "tool_use_id");
        result.is_error = BoolField(block, "is_error");
        const Json& rc = block.value("content", Json(""));
        if (rc.is_string()) {
          result.content = rc.get<std::string>();
        } else if (rc.is_array()) {
          for (const auto& part : rc) {
            if (part.is_object() && StringField(part, "type") == "text") {
              if (!result.content.empty()) result.content += "\n";
              result.content += StringField(part, "text");
            }
          }
        }
        results.push_back(std::move(result));
      } else if (type.empty()) {
        return Bad(bf + ".type", "missing");
      }  // images, documents, thinking: not matched on
    }
    if (!msg.content.empty() || !msg.tool_calls.empty() || results.empty()) {
      out.chat.messages.push_back(std::move(msg));
    }
    for (auto& r : results) out.chat.messages.push_back(std::move(r));
  }
  if (body.contains("tools") && !body["tools"].is_null()) {
    if (!body["tools"].is_array()) return Bad("tools", "expected a list");
    for (size_t i = 0; i < body["tools"].size(); ++i) {
      const Json& t = body["tools"][i];
      if (!t.is_object() || !t.contains("name") || !t["name"].is_string()) {
        return Bad(fmt::format("tools[{}].name", i), "missing or not a string");
      }
      llm::ToolSpec spec;
      spec.name = t["name"].get<std::string>();
      spec.description = StringField(t, "description");
      spec.parameters = t.value("input_schema", Json::object());
      out.chat.tools.push_back(std::move(spec));
    }
  }
  return out;
}

}  // namespace sg::mock
