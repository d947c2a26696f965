// What every stage of one training iteration reads (DESIGN 2.3): the iteration, the domain,
// the batch and the folders. One value per iteration, built by the trainer before its first
// stage and never changed by a stage.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace sg::optim {

struct IterationContext {
  int iteration = 0;                // t, from 1
  std::string domain;               // Benchmark::domain()
  std::vector<std::string> batch;   // the batch's task ids, in schedule order
  std::filesystem::path iter_dir;   // train/iter_<t>: where every stage writes
  std::filesystem::path skill_dir;  // S_t, the snapshot every stage reads (never written)
  std::filesystem::path base_dir;   // the collect run: <base_dir>/<task>/ per task

  // <iter_dir>/<task> and <base_dir>/<task>, with the id made safe as a folder name.
  std::filesystem::path TaskDir(const std::string& task_id) const;
  std::filesystem::path BaseTaskDir(const std::string& task_id) const;
};

}  // namespace sg::optim
