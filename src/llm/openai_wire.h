// The OpenAI chat-completions wire format (also spoken by Azure OpenAI and by
// OpenAI-compatible local servers: llama.cpp server, vLLM, Ollama). Decoding is
// tolerant of the local servers' known differences: arguments sent as an object,
// missing usage, other finish reasons, missing tool-call ids.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"
#include "llm/message.h"

namespace sg::llm {

struct OpenAIWireOptions {
  // api.openai.com and Azure want max_completion_tokens (reasoning models refuse
  // max_tokens); local servers know only max_tokens.
  bool use_max_completion_tokens = true;
};

Json EncodeOpenAIRequest(const ChatRequest& request, const OpenAIWireOptions& options);

// Decodes a non-streamed chat.completion object.
Result<ChatResponse> DecodeOpenAIResponse(const Json& body);

// An OpenAI refusal (the message's `refusal`, or a stream's refusal deltas) is kept as the
// reply's text when it has no other, and the finish becomes content_filter with the raw
// reason "refusal". An empty refusal changes nothing.
void ApplyOpenAIRefusal(const std::string& refusal, ChatResponse& r);

// Usage from an OpenAI `usage` object; reported=false when it is absent or null.
Usage DecodeOpenAIUsage(const Json* usage);

FinishReason MapOpenAIFinishReason(std::string_view raw);

// Arguments as the model produced them: a string is kept, an object/array is dumped.
std::string ArgumentsText(const Json& arguments);

// A deterministic id for a tool call that came without one.
std::string SynthesizeToolCallId(std::string_view response_id, size_t index, const ToolCall& call);

// The message of an OpenAI-style error body ({"error":{"message":...}}, {"error":"..."},
// {"detail":...}, {"message":...}); otherwise the body itself, cut to 500 bytes.
std::string OpenAIErrorMessage(std::string_view body);

}  // namespace sg::llm
