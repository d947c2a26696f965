#include "tasks/benchmark.h"

namespace sg::tasks {

Result<std::unique_ptr<Benchmark>> OpenBenchmark(std::string_view name,
                                                 const std::filesystem::path& data_dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(data_dir, ec)) {
    return InvalidArgument("--data-dir " + data_dir.string() +
                           " is not a directory; point it at the benchmark's root folder");
  }
  if (name == "spreadsheetbench") return OpenSpreadsheetBench(data_dir);
  if (name == "wtq") return OpenWtqBenchmark(data_dir);
  if (name == "external") return OpenExternalBenchmark(data_dir);
  return InvalidArgument("unknown --benchmark '" + std::string(name) +
                         "'; known: spreadsheetbench, wtq, external");
}

}  // namespace sg::tasks
