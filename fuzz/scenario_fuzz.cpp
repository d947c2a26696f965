// Mock scenarios are JSON or YAML files written by users to script a model. Any text must
// parse into a scenario or give an error naming the file.
#include <cstdint>
#include <string_view>

#include "mock/scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto scenario = sg::mock::ParseScenario(text, "fuzz.yaml");
  if (!scenario.ok() && scenario.error().message.find("fuzz.yaml") == std::string::npos) {
    __builtin_trap();  // an error that does not name the file leaves the user guessing
  }
  return 0;
}
