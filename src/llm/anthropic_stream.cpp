#include "llm/anthropic_stream.h"

#include "core/json.h"
#include "core/json_fields.h"
#include "llm/anthropic_wire.h"
#include "llm/openai_wire.h"

namespace sg::llm {

Status AnthropicStreamAssembler::OnEvent(const SseEvent& event) {
  Json j = Json::parse(event.data, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return ParseError("a streamed event is not a JSON object: " + event.data.substr(0, 200));
  }
  std::string type = StringField(j, "type", event.event);
  if (type == "message_start") {
    started_ = true;
    const Json& m = j.contains("message") ? j["message"] : Json::object();
    if (m.is_object()) {
      response_.id = StringField(m, "id");
      response_.model = StringField(m, "model");
      if (m.contains("usage") && m["usage"].is_object()) usage_.update(m["usage"]);
    }
  } else if (type == "content_block_start") {
    Block& b = blocks_[IntField(j, "index")];
    const Json& cb = j.contains("content_block") ? j["content_block"] : Json::object();
    if (cb.is_object()) {
      b.type = StringField(cb, "type");
      if (b.type == "text") {
        b.text = StringField(cb, "text");
      } else if (b.type == "tool_use") {
        b.call.id = StringField(cb, "id");
        b.call.name = StringField(cb, "name");
        if (cb.contains("input") && cb["input"].is_object() && !cb["input"].empty()) {
          b.call.arguments = DumpJson(cb["input"]);
        }
      }
    }
  } else if (type == "content_block_delta") {
    Block& b = blocks_[IntField(j, "index")];
    const Json& d = j.contains("delta") ? j["delta"] : Json::object();
    if (d.is_object()) {
      std::string dtype = StringField(d, "type");
      if (dtype == "text_delta") {
        std::string text = StringField(d, "text");
        b.text += text;
        if (on_text_ && !text.empty()) on_text_(text);
      } else if (dtype == "input_json_delta") {
        b.partial_json += StringField(d, "partial_json");
        b.saw_delta = true;
      }
    }
  } else if (type == "message_delta") {
    if (j.contains("delta") && j["delta"].is_object()) {
      const Json& d = j["delta"];
      if (d.contains("stop_reason") && d["stop_reason"].is_string()) {
        response_.raw_finish_reason = d["stop_reason"].get<std::string>();
      }
    }
    // message_delta usage is cumulative; its fields override message_start's.
    if (j.contains("usage") && j["usage"].is_object()) {
      for (auto& [key, value] : j["usage"].items()) {
        if (!value.is_null()) usage_[key] = value;
      }
    }
  } else if (type == "message_stop") {
    done_ = true;
  } else if (type == "error") {
    return Error(ErrorCode::kProvider, "error in stream: " + AnthropicErrorMessage(event.data));
  }
  // ping and unknown event types are ignored, as the API asks of clients.
  return Ok();
}

Result<ChatResponse> AnthropicStreamAssembler::Finish() {
  if (!done_) {
    return Error(ErrorCode::kNetwork, started_
                                          ? "the stream ended before message_stop (truncated reply)"
                                          : "the stream ended without a message_start event");
  }
  ChatResponse r = response_;
  r.message.role = Role::kAssistant;
  for (auto& [index, b] : blocks_) {
    if (b.type == "text") {
      r.message.content += b.text;
    } else if (b.type == "tool_use") {
      ToolCall call = b.call;
      if (b.saw_delta) call.arguments = b.partial_json.empty() ? "{}" : b.partial_json;
      if (call.arguments.empty()) call.arguments = "{}";
      if (call.id.empty()) call.id = SynthesizeToolCallId(r.id, r.message.tool_calls.size(), call);
      r.message.tool_calls.push_back(std::move(call));
    }
  }
  r.finish_reason = MapAnthropicStopReason(r.raw_finish_reason);
  if (!usage_.empty()) r.usage = DecodeAnthropicUsage(usage_);
  return r;
}

}  // namespace sg::llm
