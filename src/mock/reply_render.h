// Replies in the providers' wire formats: OpenAI chat completions (a JSON body, or SSE
// chunks ending in "data: [DONE]") and Anthropic Messages (a JSON body, or the event
// sequence message_start ... message_stop), plus each API's error body.
#pragma once

#include <string>
#include <vector>

#include "core/json.h"
#include "llm/message.h"
#include "mock/reply_template.h"
#include "mock/scenario.h"
#include "mock/wire_request.h"

namespace sg::mock {

// A reply with placeholders expanded, ids assigned and usage settled.
struct RenderedReply {
  std::string id_base;  // unique per request, e.g. "mock-17"
  std::string model;
  std::optional<std::string> text;
  std::optional<std::string> refusal;  // ReplySpec::refusal
  struct Call {
    std::string id;
    std::string name;
    std::string arguments_text;  // JSON text (or the verbatim string the scenario gave)
  };
  std::vector<Call> calls;
  std::string finish_reason;  // neutral: stop | tool_calls | length | content_filter | other text
  llm::Usage usage;
  bool omit_usage = false;
  bool arguments_as_object = false;
};

// Usage fields the scenario leaves out are estimated as characters / 4 (at least 1).
RenderedReply RenderReply(const ReplySpec& spec, const Captures& captures,
                          const WireRequest& request, int64_t request_number);

std::string OpenAiCompletionBody(const RenderedReply& reply);
// Each element is one "data: ...\n\n" event; the last is "data: [DONE]\n\n".
std::vector<std::string> OpenAiStreamEvents(const RenderedReply& reply, bool include_usage,
                                            size_t chunk_chars);

std::string AnthropicMessageBody(const RenderedReply& reply);
std::vector<std::string> AnthropicStreamEvents(const RenderedReply& reply, size_t chunk_chars);

// {"error": {"message", "type", "param": null, "code"}}
std::string OpenAiErrorBody(const std::string& message, const std::string& type,
                            const std::string& code = "");
// {"type": "error", "error": {"type", "message"}}
std::string AnthropicErrorBody(const std::string& message, const std::string& type);
// The error body in the request's API's shape.
std::string ErrorBodyFor(Api api, const std::string& message, const std::string& type,
                         const std::string& code = "");
// Default error type for a status in the given API ("rate_limit_error", ...).
std::string DefaultErrorType(Api api, int status);

}  // namespace sg::mock
