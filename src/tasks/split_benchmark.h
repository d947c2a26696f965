// Splitting an opened benchmark, and the `split` command's library entry: open a benchmark,
// split its valid tasks and write <results_root>/splits/master_<M>_heldout_<H>/split.json.
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/json.h"
#include "tasks/benchmark.h"
#include "tasks/split.h"

namespace sg::tasks {

// The benchmark's valid tasks as the split's input, in tasks() order: each task at its data
// position when every task has one (SpreadsheetBench), else at its index in tasks().
std::vector<SplitTask> SplitTasksOf(const Benchmark& benchmark);

// MakeSplit over SplitTasksOf, with where the tasks came from (data_dir, whether exclude notes
// were honoured and how many records they left out) and the grader self-check's suspects
// (logged, one warning per task) recorded for split.json.
Result<Split> SplitBenchmark(const Benchmark& benchmark, const std::filesystem::path& data_dir,
                             const OpenOptions& opened_with, const SplitOptions& options,
                             int concurrency = 2);

struct BenchmarkSplitResult {
  Split split;
  std::filesystem::path path;  // the split.json written
  Json Summary() const;        // path, seeds and the size of each part
};

Result<BenchmarkSplitResult> WriteBenchmarkSplit(std::string_view benchmark,
                                                 const std::filesystem::path& data_dir,
                                                 const std::filesystem::path& results_root,
                                                 const SplitOptions& options,
                                                 const OpenOptions& open_options = {});

}  // namespace sg::tasks
