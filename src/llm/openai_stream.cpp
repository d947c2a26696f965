#include "llm/openai_stream.h"

#include "core/json.h"
#include "core/json_fields.h"
#include "llm/openai_wire.h"

namespace sg::llm {

Status OpenAIStreamAssembler::OnEvent(const SseEvent& event) {
  if (event.IsDone()) {
    done_ = true;
    return Ok();
  }
  Json chunk = Json::parse(event.data, nullptr, /*allow_exceptions=*/false);
  if (chunk.is_discarded() || !chunk.is_object()) {
    std::string head = event.data.substr(0, 200);
    return ParseError("a streamed chunk is not a JSON object: " + head);
  }
  if (chunk.contains("error")) {
    return Error(ErrorCode::kProvider, "error in stream: " + OpenAIErrorMessage(event.data));
  }
  saw_chunk_ = true;
  if (auto it = chunk.find("id"); it != chunk.end() && it->is_string() && response_.id.empty()) {
    response_.id = it->get<std::string>();
  }
  if (auto it = chunk.find("model");
      it != chunk.end() && it->is_string() && response_.model.empty()) {
    response_.model = it->get<std::string>();
  }
  if (auto it = chunk.find("usage"); it != chunk.end() && it->is_object()) {
    response_.usage = DecodeOpenAIUsage(&*it);
  }
  auto choices = chunk.find("choices");
  if (choices == chunk.end() || !choices->is_array()) return Ok();
  for (const Json& choice : *choices) {
    if (!choice.is_object() || IntField(choice, "index") != 0) continue;
    if (auto delta = choice.find("delta"); delta != choice.end() && delta->is_object()) {
      if (auto c = delta->find("content"); c != delta->end() && c->is_string()) {
        const std::string& text = c->get_ref<const std::string&>();
        response_.message.content += text;
        if (on_text_ && !text.empty()) on_text_(text);
      }
      // A refusal streams as deltas of its own field; it is shown as the reply's text.
      if (auto c = delta->find("refusal"); c != delta->end() && c->is_string()) {
        const std::string& text = c->get_ref<const std::string&>();
        refusal_ += text;
        if (on_text_ && !text.empty()) on_text_(text);
      }
      if (auto tcs = delta->find("tool_calls"); tcs != delta->end() && tcs->is_array()) {
        for (size_t i = 0; i < tcs->size(); ++i) OnToolCallDelta((*tcs)[i], i);
      }
    }
    if (auto f = choice.find("finish_reason"); f != choice.end() && f->is_string()) {
      response_.raw_finish_reason = f->get<std::string>();
      saw_finish_ = true;
    }
  }
  return Ok();
}

void OpenAIStreamAssembler::OnToolCallDelta(const Json& delta, size_t position) {
  if (!delta.is_object()) return;
  int index;
  if (auto it = delta.find("index"); it != delta.end() && it->is_number_integer()) {
    // Bounded so that the next call's index (this one + 1) cannot overflow.
    index = static_cast<int>(std::clamp<int64_t>(it->get<int64_t>(), -1'000'000, 1'000'000));
  } else if (delta.contains("id") && delta["id"].is_string() &&
             !delta["id"].get<std::string>().empty() &&
             (last_index_ < 0 || calls_[last_index_].id != delta["id"].get<std::string>())) {
    index = last_index_ + 1;  // no index: a new id starts a new call
  } else {
    index = last_index_ < 0 ? static_cast<int>(position) : last_index_;
  }
  last_index_ = index;
  ToolCall& call = calls_[index];
  if (auto it = delta.find("id");
      it != delta.end() && it->is_string() && !it->get<std::string>().empty()) {
    call.id = it->get<std::string>();
  }
  if (auto fn = delta.find("function"); fn != delta.end() && fn->is_object()) {
    // The name arrives whole in the first delta; some servers repeat it in every one.
    if (auto n = fn->find("name"); n != fn->end() && n->is_string() && call.name.empty()) {
      call.name = n->get<std::string>();
    }
    if (auto a = fn->find("arguments"); a != fn->end()) call.arguments += ArgumentsText(*a);
  }
}

Result<ChatResponse> OpenAIStreamAssembler::Finish() {
  // Servers that omit [DONE] still end a whole reply with a finish reason.
  if (!done_ && !saw_finish_) {
    return Error(ErrorCode::kNetwork,
                 saw_chunk_ ? "the stream ended before the reply was complete (no finish_reason, "
                              "no [DONE])"
                            : "the stream ended without any chunk");
  }
  ChatResponse r = response_;
  r.message.role = Role::kAssistant;
  for (auto& [index, call] : calls_) {
    if (call.id.empty()) call.id = SynthesizeToolCallId(r.id, r.message.tool_calls.size(), call);
    r.message.tool_calls.push_back(call);
  }
  r.finish_reason = MapOpenAIFinishReason(r.raw_finish_reason);
  if (!r.message.tool_calls.empty() && r.finish_reason == FinishReason::kStop) {
    r.finish_reason = FinishReason::kToolCalls;
  }
  ApplyOpenAIRefusal(refusal_, r);
  return r;
}

}  // namespace sg::llm
