// The mock server reads request bodies from whatever client is under test. The first input
// byte picks the API (bit 0: Anthropic Messages, else OpenAI chat completions); the rest is
// the body. Every body must read into a request or give an error that names a field.
#include <cstdint>
#include <string_view>

#include "core/json.h"
#include "mock/wire_request.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto body = sg::ParseJson(text, "the request body");
  if (!body.ok()) return 0;
  auto request =
      data[0] & 1 ? sg::mock::ParseAnthropicRequest(*body) : sg::mock::ParseOpenAiRequest(*body);
  if (!request.ok() && request.error().message.find(':') == std::string::npos) {
    __builtin_trap();  // the error must say which field is wrong ("field: what")
  }
  return 0;
}
