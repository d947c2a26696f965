// Assembles a streamed OpenAI chat completion: text deltas concatenated, tool-call
// deltas merged by their index (id and name arrive first, arguments in fragments),
// the finish reason from the last choice chunk, usage from the final chunk that
// stream_options.include_usage asks for.
#pragma once

#include <map>
#include <string>

#include "llm/provider.h"

namespace sg::llm {

class OpenAIStreamAssembler final : public StreamAssembler {
 public:
  explicit OpenAIStreamAssembler(TextDeltaFn on_text = nullptr) : on_text_(std::move(on_text)) {}
  Status OnEvent(const SseEvent& event) override;
  bool Complete() const override { return done_; }
  Result<ChatResponse> Finish() override;

 private:
  void OnToolCallDelta(const Json& delta, size_t position);

  TextDeltaFn on_text_;
  ChatResponse response_;
  std::map<int, ToolCall> calls_;  // by the delta's index
  std::string refusal_;            // the refusal deltas, in order
  int last_index_ = -1;
  bool saw_chunk_ = false;
  bool saw_finish_ = false;
  bool done_ = false;
};

}  // namespace sg::llm
