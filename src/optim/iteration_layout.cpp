#include "optim/iteration_layout.h"

#include "run/run_layout.h"

namespace sg::optim {
namespace fs = std::filesystem;

fs::path IterationLayout::TaskDir(const std::string& task_id) const {
  return dir_ / run::SafePathComponent(task_id);
}

fs::path IterationLayout::Diagnosis(const fs::path& task_dir) { return task_dir / "diagnosis.md"; }

fs::path IterationLayout::DiagnosisTrajectory(const fs::path& task_dir) {
  return task_dir / "diagnosis_trajectory.json";
}

}  // namespace sg::optim
