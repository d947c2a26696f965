#include "tasks/split_benchmark.h"

#include <algorithm>
#include <string>

#include "core/log.h"

namespace sg::tasks {

std::vector<SplitTask> SplitTasksOf(const Benchmark& benchmark) {
  const std::vector<Task>& all = benchmark.tasks();
  const bool positioned =
      std::all_of(all.begin(), all.end(), [](const Task& t) { return t.position.has_value(); });
  std::vector<SplitTask> out;
  out.reserve(all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    out.push_back({all[i].id, positioned ? *all[i].position : i});
  }
  return out;
}

Result<Split> SplitBenchmark(const Benchmark& benchmark, const std::filesystem::path& data_dir,
                             const OpenOptions& opened_with, const SplitOptions& options,
                             int concurrency) {
  auto split = MakeSplit(SplitTasksOf(benchmark), options);
  if (!split.ok()) {
    return split.error().WithContext(benchmark.name() + " in " + data_dir.string());
  }
  split->data_dir = data_dir.string();
  split->honor_exclude = opened_with.honor_exclude;
  split->n_excluded = benchmark.excluded_count();
  split->suspect_tasks = benchmark.SelfCheck(concurrency);
  for (const SuspectTask& s : split->suspect_tasks) {
    log::Warn(benchmark.name() + " task " + s.id + " is suspect: " + s.reason);
  }
  return split;
}

Result<BenchmarkSplitResult> WriteBenchmarkSplit(std::string_view benchmark,
                                                 const std::filesystem::path& data_dir,
                                                 const std::filesystem::path& results_root,
                                                 const SplitOptions& options,
                                                 const OpenOptions& open_options) {
  SG_ASSIGN_OR_RETURN(auto opened, OpenBenchmark(benchmark, data_dir, open_options));
  BenchmarkSplitResult result;
  SG_ASSIGN_OR_RETURN(result.split, SplitBenchmark(*opened, data_dir, open_options, options));
  SG_ASSIGN_OR_RETURN(result.path, WriteSplit(results_root, result.split));
  return result;
}

Json BenchmarkSplitResult::Summary() const {
  return {{"path", path.string()},
          {"master_seed", split.master_seed},
          {"heldout_seed", split.heldout_seed},
          {"n_valid_tasks", split.n_valid_tasks},
          {"n_excluded", split.n_excluded},
          {"n_suspect_tasks", split.suspect_tasks.size()},
          {"n_evolution", split.evolution_ids.size()},
          {"n_val", split.val_ids.size()},
          {"n_test", split.test_ids.size()},
          {"n_test_pool", split.test_pool_ids.size()}};
}

}  // namespace sg::tasks
