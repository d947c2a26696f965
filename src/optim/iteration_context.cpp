#include "optim/iteration_context.h"

#include "run/run_layout.h"

namespace sg::optim {

std::filesystem::path IterationContext::TaskDir(const std::string& task_id) const {
  return iter_dir / run::SafePathComponent(task_id);
}

std::filesystem::path IterationContext::BaseTaskDir(const std::string& task_id) const {
  return base_dir / run::SafePathComponent(task_id);
}

}  // namespace sg::optim
