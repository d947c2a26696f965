#include "tasks/benchmark.h"

namespace sg::tasks {

const Task* Benchmark::FindTask(std::string_view id) const {
  for (const Task& task : tasks()) {
    if (task.id == id) return &task;
  }
  return nullptr;
}

}  // namespace sg::tasks
