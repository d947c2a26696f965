// The `split` command's library entry: open a benchmark, split its valid task ids and write
// <results_root>/splits/master_<M>_heldout_<H>/split.json.
#pragma once

#include <filesystem>
#include <string_view>

#include "core/error.h"
#include "core/json.h"
#include "tasks/split.h"

namespace sg::tasks {

struct BenchmarkSplitResult {
  Split split;
  std::filesystem::path path;  // the split.json written
  Json Summary() const;        // path, seeds and the size of each part
};

Result<BenchmarkSplitResult> WriteBenchmarkSplit(std::string_view benchmark,
                                                 const std::filesystem::path& data_dir,
                                                 const std::filesystem::path& results_root,
                                                 const SplitOptions& options);

}  // namespace sg::tasks
