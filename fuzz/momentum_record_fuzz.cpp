// The momentum record is read back from disk on every iteration and resume, and the momentum
// agent's submissions arrive as tool-call JSON written by a model. Any JSON text must parse
// into a record, overlay, submission or patch report, or give an error; a record that
// parses must survive a write and a read unchanged.
#include <cstdint>
#include <string_view>

#include "core/json.h"
#include "optim/momentum.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto json = sg::ParseJson(text, "fuzz input");
  if (!json.ok()) return 0;
  auto record = sg::optim::ParseMomentumRecord(*json);
  if (record.ok()) {
    auto again = sg::optim::ParseMomentumRecord(sg::optim::ToJson(*record));
    if (!again.ok() || sg::optim::ToJson(*again) != sg::optim::ToJson(*record)) __builtin_trap();
  }
  (void)sg::optim::ParseOverlay(*json);
  (void)sg::optim::ParseMomentumSubmission(*json);
  (void)sg::optim::ParsePatchReport(*json);
  return 0;
}
