// The XML inside an .xlsx package: mutating raw zip bytes mostly breaks checksums, so this
// target lets the fuzzer write the parts themselves and zips them. Input: parts separated
// by the line "--part--"; each part's first line is its name in the package
// (e.g. "xl/worksheets/sheet1.xml"), the rest its content.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "fuzz/xlsx_common.h"
#include "xlsx/xlsx_test_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr std::string_view kSeparator = "\n--part--\n";
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::map<std::string, std::string> parts;
  while (!input.empty()) {
    size_t end = input.find(kSeparator);
    std::string_view chunk = input.substr(0, end);
    input =
        end == std::string_view::npos ? std::string_view() : input.substr(end + kSeparator.size());
    size_t newline = chunk.find('\n');
    std::string name(chunk.substr(0, newline));
    if (name.empty() || parts.size() >= 64) continue;
    parts[name] = newline == std::string_view::npos ? "" : std::string(chunk.substr(newline + 1));
  }
  const auto path = sg::fuzz::ScratchPath();
  if (!sg::xlsx_testing::WriteZip(path, parts)) return 0;
  sg::fuzz::ReadWholeWorkbook(path);
  return 0;
}
