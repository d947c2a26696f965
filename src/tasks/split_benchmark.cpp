#include "tasks/split_benchmark.h"

#include "tasks/benchmark.h"

namespace sg::tasks {

Result<BenchmarkSplitResult> WriteBenchmarkSplit(std::string_view benchmark,
                                                 const std::filesystem::path& data_dir,
                                                 const std::filesystem::path& results_root,
                                                 const SplitOptions& options) {
  SG_ASSIGN_OR_RETURN(auto opened, OpenBenchmark(benchmark, data_dir));
  std::vector<std::string> ids;
  for (const Task& task : opened->tasks()) ids.push_back(task.id);
  auto split = MakeSplit(ids, options);
  if (!split.ok()) {
    return split.error().WithContext(std::string(benchmark) + " in " + data_dir.string());
  }
  BenchmarkSplitResult result;
  result.split = std::move(split).value();
  SG_ASSIGN_OR_RETURN(result.path, WriteSplit(results_root, result.split));
  return result;
}

Json BenchmarkSplitResult::Summary() const {
  return {{"path", path.string()},
          {"master_seed", split.master_seed},
          {"heldout_seed", split.heldout_seed},
          {"n_valid_tasks", split.n_valid_tasks},
          {"n_evolution", split.evolution_ids.size()},
          {"n_val", split.val_ids.size()},
          {"n_test", split.test_ids.size()},
          {"n_test_pool", split.test_pool_ids.size()}};
}

}  // namespace sg::tasks
