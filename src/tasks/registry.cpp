#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "tasks/benchmark.h"
#include "tasks/spreadsheetbench.h"
#include "tasks/spreadsheetbench_grader.h"

namespace sg::tasks {
namespace {

using Opener = Result<std::unique_ptr<Benchmark>> (*)(const std::filesystem::path& data_dir,
                                                      const OpenOptions& options);

Result<std::unique_ptr<Benchmark>> OpenSpreadsheetBenchWith(const std::filesystem::path& data_dir,
                                                            const OpenOptions& options) {
  SpreadsheetBenchOptions spreadsheet;
  spreadsheet.honor_exclude = options.honor_exclude;
  SG_ASSIGN_OR_RETURN(spreadsheet.grader, ParseGraderKind(options.grader, "--grader"));
  return OpenSpreadsheetBench(data_dir, spreadsheet);
}

// WikiTableQuestions and external benchmarks have no exclude notes.
Result<std::unique_ptr<Benchmark>> OpenWtqWith(const std::filesystem::path& data_dir,
                                               const OpenOptions&) {
  return OpenWtqBenchmark(data_dir);
}
Result<std::unique_ptr<Benchmark>> OpenExternalWith(const std::filesystem::path& data_dir,
                                                    const OpenOptions&) {
  return OpenExternalBenchmark(data_dir);
}

struct Entry {
  std::string name;
  Opener open;
};

const std::vector<Entry>& Registry() {
  static const std::vector<Entry> kRegistry = {
      {"spreadsheetbench", &OpenSpreadsheetBenchWith},
      {"wtq", &OpenWtqWith},
      {"external", &OpenExternalWith},
  };
  return kRegistry;
}

}  // namespace

const std::vector<std::string>& BenchmarkNames() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (const Entry& e : Registry()) names.push_back(e.name);
    return names;
  }();
  return kNames;
}

std::string BenchmarkNamesText() {
  const auto& names = BenchmarkNames();
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

Result<std::unique_ptr<Benchmark>> OpenBenchmark(std::string_view name,
                                                 const std::filesystem::path& data_dir,
                                                 const OpenOptions& options) {
  const Entry* entry = nullptr;
  for (const Entry& e : Registry()) {
    if (e.name == name) entry = &e;
  }
  if (entry == nullptr) {
    return InvalidArgument("unknown --benchmark '" + std::string(name) +
                           "'; known: " + BenchmarkNamesText());
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(data_dir, ec)) {
    return InvalidArgument("--data-dir " + data_dir.string() +
                           " is not a directory; point it at the benchmark's root folder");
  }
  return entry->open(data_dir, options);
}

}  // namespace sg::tasks
