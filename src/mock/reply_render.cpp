#include "mock/reply_render.h"

#include <fmt/format.h>

namespace sg::mock {
namespace {

int64_t EstimateTokens(size_t chars) {
  return std::max<int64_t>(1, static_cast<int64_t>(chars / 4));
}

// Splits text into pieces of about `n` bytes without cutting a UTF-8 sequence.
std::vector<std::string> SplitPieces(const std::string& text, size_t n) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = std::min(text.size(), pos + std::max<size_t>(1, n));
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
    out.push_back(text.substr(pos, end - pos));
    pos = end;
  }
  return out;
}

std::string OpenAiFinish(const std::string& neutral) { return neutral; }

std::string AnthropicStop(const std::string& neutral) {
  if (neutral == "stop") return "end_turn";
  if (neutral == "tool_calls") return "tool_use";
  if (neutral == "length") return "max_tokens";
  if (neutral == "content_filter") return "refusal";
  return neutral;
}

Json OpenAiUsage(const llm::Usage& u) {
  return {{"prompt_tokens", u.input_tokens},
          {"completion_tokens", u.output_tokens},
          {"total_tokens", u.input_tokens + u.output_tokens},
          {"prompt_tokens_details", {{"cached_tokens", u.cached_input_tokens}}},
          {"completion_tokens_details", {{"reasoning_tokens", u.reasoning_tokens}}}};
}

// Anthropic counts cache reads apart from input_tokens.
Json AnthropicUsage(const llm::Usage& u) {
  return {{"input_tokens", u.input_tokens - u.cached_input_tokens},
          {"cache_creation_input_tokens", 0},
          {"cache_read_input_tokens", u.cached_input_tokens},
          {"output_tokens", u.output_tokens}};
}

Json ArgumentsValue(const RenderedReply::Call& call, bool as_object) {
  if (as_object) {
    Json parsed = Json::parse(call.arguments_text, nullptr, false);
    if (!parsed.is_discarded()) return parsed;
  }
  return call.arguments_text;
}

Json AnthropicInput(const RenderedReply::Call& call) {
  Json parsed = Json::parse(call.arguments_text, nullptr, false);
  return parsed.is_object() ? parsed : Json::object();
}

std::string SseData(const Json& data) { return "data: " + DumpJson(data) + "\n\n"; }

std::string SseEvent(const std::string& event, const Json& data) {
  return "event: " + event + "\n" + "data: " + DumpJson(data) + "\n\n";
}

}  // namespace

RenderedReply RenderReply(const ReplySpec& spec, const Captures& captures,
                          const WireRequest& request, int64_t request_number) {
  RenderedReply r;
  r.id_base = fmt::format("mock-{}", request_number);
  r.model = spec.model ? *spec.model : request.chat.model;
  size_t output_chars = 0;
  if (spec.text) {
    r.text = ExpandTemplate(*spec.text, captures);
    output_chars += r.text->size();
  }
  if (spec.refusal) {
    r.refusal = ExpandTemplate(*spec.refusal, captures);
    output_chars += r.refusal->size();
  }
  for (size_t i = 0; i < spec.tool_calls.size(); ++i) {
    const ToolCallTemplate& t = spec.tool_calls[i];
    RenderedReply::Call call;
    call.id = t.id.empty() ? fmt::format("call_{}_{}", request_number, i) : t.id;
    call.name = ExpandTemplate(t.name, captures);
    call.arguments_text = t.arguments.is_string()
                              ? t.arguments.get<std::string>()
                              : DumpJson(ExpandJsonTemplate(t.arguments, captures));
    output_chars += call.name.size() + call.arguments_text.size();
    r.calls.push_back(std::move(call));
  }
  r.finish_reason =
      spec.finish_reason ? *spec.finish_reason : (r.calls.empty() ? "stop" : "tool_calls");
  size_t input_chars = 0;
  for (const auto& m : request.chat.messages) {
    input_chars += m.content.size();
    for (const auto& c : m.tool_calls) input_chars += c.name.size() + c.arguments.size();
  }
  for (const auto& t : request.chat.tools) input_chars += t.name.size() + t.description.size();
  r.usage.input_tokens = spec.usage.input.value_or(EstimateTokens(input_chars));
  r.usage.cached_input_tokens = spec.usage.cached.value_or(0);
  r.usage.output_tokens = spec.usage.output.value_or(EstimateTokens(output_chars));
  r.usage.reasoning_tokens = spec.usage.reasoning.value_or(0);
  r.usage.reported = !spec.omit_usage;
  r.omit_usage = spec.omit_usage;
  r.arguments_as_object = spec.arguments_as_object;
  return r;
}

std::string OpenAiCompletionBody(const RenderedReply& r) {
  Json message = {{"role", "assistant"},
                  {"content", r.text ? Json(*r.text) : Json(nullptr)},
                  {"refusal", r.refusal ? Json(*r.refusal) : Json(nullptr)}};
  if (!r.calls.empty()) {
    Json calls = Json::array();
    for (const auto& c : r.calls) {
      calls.push_back(
          {{"id", c.id},
           {"type", "function"},
           {"function",
            {{"name", c.name}, {"arguments", ArgumentsValue(c, r.arguments_as_object)}}}});
    }
    message["tool_calls"] = calls;
  }
  Json body = {{"id", "chatcmpl-" + r.id_base},
               {"object", "chat.completion"},
               {"created", 1700000000},
               {"model", r.model},
               {"system_fingerprint", "fp_mock"},
               {"choices", Json::array({{{"index", 0},
                                         {"message", message},
                                         {"logprobs", nullptr},
                                         {"finish_reason", OpenAiFinish(r.finish_reason)}}})}};
  if (!r.omit_usage) body["usage"] = OpenAiUsage(r.usage);
  return DumpJson(body);
}

std::vector<std::string> OpenAiStreamEvents(const RenderedReply& r, bool include_usage,
                                            size_t chunk_chars) {
  std::vector<std::string> events;
  auto chunk = [&](Json delta, Json finish) {
    Json c = {{"id", "chatcmpl-" + r.id_base},
              {"object", "chat.completion.chunk"},
              {"created", 1700000000},
              {"model", r.model},
              {"system_fingerprint", "fp_mock"},
              {"choices", Json::array({{{"index", 0},
                                        {"delta", std::move(delta)},
                                        {"logprobs", nullptr},
                                        {"finish_reason", std::move(finish)}}})}};
    if (include_usage && !r.omit_usage) c["usage"] = nullptr;
    events.push_back(SseData(c));
  };
  chunk({{"role", "assistant"}, {"content", r.text ? Json("") : Json(nullptr)}}, nullptr);
  if (r.text) {
    for (const auto& piece : SplitPieces(*r.text, chunk_chars))
      chunk({{"content", piece}}, nullptr);
  }
  if (r.refusal) {
    for (const auto& piece : SplitPieces(*r.refusal, chunk_chars))
      chunk({{"refusal", piece}}, nullptr);
  }
  for (size_t i = 0; i < r.calls.size(); ++i) {
    const auto& c = r.calls[i];
    chunk({{"tool_calls", Json::array({{{"index", i},
                                        {"id", c.id},
                                        {"type", "function"},
                                        {"function", {{"name", c.name}, {"arguments", ""}}}}})}},
          nullptr);
    if (r.arguments_as_object) {
      chunk(
          {{"tool_calls",
            Json::array({{{"index", i}, {"function", {{"arguments", ArgumentsValue(c, true)}}}}})}},
          nullptr);
      continue;
    }
    for (const auto& piece : SplitPieces(c.arguments_text, chunk_chars)) {
      chunk({{"tool_calls", Json::array({{{"index", i}, {"function", {{"arguments", piece}}}}})}},
            nullptr);
    }
  }
  chunk(Json::object(), OpenAiFinish(r.finish_reason));
  if (include_usage && !r.omit_usage) {
    Json c = {{"id", "chatcmpl-" + r.id_base},   {"object", "chat.completion.chunk"},
              {"created", 1700000000},           {"model", r.model},
              {"system_fingerprint", "fp_mock"}, {"choices", Json::array()},
              {"usage", OpenAiUsage(r.usage)}};
    events.push_back(SseData(c));
  }
  events.push_back("data: [DONE]\n\n");
  return events;
}

// Anthropic has no refusal field: a refusal is a text block that ends with stop_reason
// "refusal".
RenderedReply WithRefusalAsText(const RenderedReply& reply) {
  RenderedReply r = reply;
  if (r.refusal && !r.text) {
    r.text = r.refusal;
    r.finish_reason = "content_filter";
  }
  return r;
}

std::string AnthropicMessageBody(const RenderedReply& reply) {
  const RenderedReply r = WithRefusalAsText(reply);
  Json content = Json::array();
  if (r.text) content.push_back({{"type", "text"}, {"text", *r.text}});
  for (const auto& c : r.calls) {
    content.push_back(
        {{"type", "tool_use"}, {"id", c.id}, {"name", c.name}, {"input", AnthropicInput(c)}});
  }
  Json body = {{"id", "msg_" + r.id_base}, {"type", "message"},
               {"role", "assistant"},      {"model", r.model},
               {"content", content},       {"stop_reason", AnthropicStop(r.finish_reason)},
               {"stop_sequence", nullptr}};
  if (!r.omit_usage) body["usage"] = AnthropicUsage(r.usage);
  return DumpJson(body);
}

std::vector<std::string> AnthropicStreamEvents(const RenderedReply& reply, size_t chunk_chars) {
  const RenderedReply r = WithRefusalAsText(reply);
  std::vector<std::string> events;
  Json start_usage = AnthropicUsage(r.usage);
  start_usage["output_tokens"] = 1;
  Json message = {{"id", "msg_" + r.id_base}, {"type", "message"},        {"role", "assistant"},
                  {"model", r.model},         {"content", Json::array()}, {"stop_reason", nullptr},
                  {"stop_sequence", nullptr}, {"usage", start_usage}};
  events.push_back(SseEvent("message_start", {{"type", "message_start"}, {"message", message}}));
  events.push_back(SseEvent("ping", {{"type", "ping"}}));
  size_t index = 0;
  if (r.text) {
    events.push_back(
        SseEvent("content_block_start", {{"type", "content_block_start"},
                                         {"index", index},
                                         {"content_block", {{"type", "text"}, {"text", ""}}}}));
    for (const auto& piece : SplitPieces(*r.text, chunk_chars)) {
      events.push_back(
          SseEvent("content_block_delta", {{"type", "content_block_delta"},
                                           {"index", index},
                                           {"delta", {{"type", "text_delta"}, {"text", piece}}}}));
    }
    events.push_back(
        SseEvent("content_block_stop", {{"type", "content_block_stop"}, {"index", index}}));
    ++index;
  }
  for (const auto& c : r.calls) {
    events.push_back(SseEvent(
        "content_block_start",
        {{"type", "content_block_start"},
         {"index", index},
         {"content_block",
          {{"type", "tool_use"}, {"id", c.id}, {"name", c.name}, {"input", Json::object()}}}}));
    for (const auto& piece : SplitPieces(c.arguments_text, chunk_chars)) {
      events.push_back(
          SseEvent("content_block_delta",
                   {{"type", "content_block_delta"},
                    {"index", index},
                    {"delta", {{"type", "input_json_delta"}, {"partial_json", piece}}}}));
    }
    events.push_back(
        SseEvent("content_block_stop", {{"type", "content_block_stop"}, {"index", index}}));
    ++index;
  }
  Json delta_usage = {{"output_tokens", r.usage.output_tokens}};
  events.push_back(SseEvent(
      "message_delta",
      {{"type", "message_delta"},
       {"delta", {{"stop_reason", AnthropicStop(r.finish_reason)}, {"stop_sequence", nullptr}}},
       {"usage", delta_usage}}));
  events.push_back(SseEvent("message_stop", {{"type", "message_stop"}}));
  return events;
}

std::string OpenAiErrorBody(const std::string& message, const std::string& type,
                            const std::string& code) {
  return DumpJson({{"error",
                    {{"message", message},
                     {"type", type},
                     {"param", nullptr},
                     {"code", code.empty() ? Json(nullptr) : Json(code)}}}});
}

std::string AnthropicErrorBody(const std::string& message, const std::string& type) {
  return DumpJson({{"type", "error"}, {"error", {{"type", type}, {"message", message}}}});
}

std::string ErrorBodyFor(Api api, const std::string& message, const std::string& type,
                         const std::string& code) {
  return api == Api::kAnthropic ? AnthropicErrorBody(message, type)
                                : OpenAiErrorBody(message, type, code);
}

std::string DefaultErrorType(Api api, int status) {
  const bool anthropic = api == Api::kAnthropic;
  switch (status) {
    case 400:
      return "invalid_request_error";
    case 401:  // OpenAI: type invalid_request_error, code invalid_api_key
      return anthropic ? "authentication_error" : "invalid_request_error";
    case 403:
      return "permission_error";
    case 404:
      return anthropic ? "not_found_error" : "invalid_request_error";
    case 413:
      return "request_too_large";
    case 429:  // OpenAI: the limit hit ("requests" or "tokens"), code rate_limit_exceeded
      return anthropic ? "rate_limit_error" : "requests";
    case 529:
      return "overloaded_error";
    default:
      break;
  }
  if (status >= 500) return anthropic ? "api_error" : "server_error";
  return "invalid_request_error";
}

}  // namespace sg::mock
