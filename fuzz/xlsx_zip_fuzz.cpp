// An .xlsx file is a zip package from anywhere: the agent's output workbook is written by
// code the model chose. Any bytes must open into a workbook or give an error.
#include <cstdint>
#include <fstream>

#include "fuzz/xlsx_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = sg::fuzz::ScratchPath();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  sg::fuzz::ReadWholeWorkbook(path);
  return 0;
}
