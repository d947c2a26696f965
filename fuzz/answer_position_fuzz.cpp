// SpreadsheetBench's answer_position strings ("'Sheet 1'!A1:B2,C3") come from dataset files
// anyone can write. The parser, and the cell-range parser the grader hands each part to,
// must return a value or an error for any text.
#include <cstdint>
#include <string_view>

#include "tasks/answer_position.h"
#include "xlsx/cell_ref.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = sg::tasks::ParseAnswerPosition(text);
  if (!parsed.ok()) return 0;
  for (const auto& range : *parsed) {
    if (range.range.empty()) __builtin_trap();  // a success never holds an empty range
    (void)sg::xlsx::ParseCellRange(range.range);
  }
  return 0;
}
