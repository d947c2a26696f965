// Replies of OpenAI-compatible and Anthropic servers, whole or streamed, are parsed into
// ChatResponse values; a local server or a proxy can send anything. The first input byte
// picks the provider and the mode; the rest is the reply body. Every path must end in a
// response or an error, never a crash.
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "llm/provider.h"
#include "llm/provider_config.h"
#include "llm/sse_parser.h"

namespace {

void ParseStream(const sg::llm::Provider& provider, std::string_view body) {
  std::unique_ptr<sg::llm::StreamAssembler> assembler =
      provider.NewStreamAssembler([](std::string_view) {});
  sg::llm::SseParser parser;
  std::vector<sg::llm::SseEvent> events;
  parser.Feed(body, events);
  parser.Finish(events);
  for (const auto& event : events) {
    if (!assembler->OnEvent(event).ok()) return;
  }
  (void)assembler->Complete();
  (void)assembler->Finish();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const std::unique_ptr<sg::llm::Provider> kProviders[] = {
      sg::llm::MakeProvider({sg::llm::ProviderKind::kOpenAI, "key", "http://127.0.0.1:1/v1"}),
      sg::llm::MakeProvider({sg::llm::ProviderKind::kAnthropic, "key", "http://127.0.0.1:1"}),
  };
  const sg::llm::Provider& provider = *kProviders[data[0] & 1];
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] & 2) {
    ParseStream(provider, body);
  } else {
    (void)provider.ParseResponse(body);
    (void)provider.ErrorMessage(body);
  }
  return 0;
}
