#include "run/run_tasks.h"

#include <fmt/format.h>

#include <optional>

#include "core/log.h"
#include "core/parallel.h"
#include "core/progress.h"
#include "run/run_layout.h"

namespace sg::run {
namespace fs = std::filesystem;

Result<TaskBatchResult> RunTasks(const ExecutorEnv& env, const std::vector<std::string>& task_ids,
                                 const fs::path& skills_dir, const fs::path& parent_dir,
                                 int concurrency, const std::string& stage, int iteration,
                                 int rollout) {
  std::vector<const tasks::Task*> tasks;
  for (const auto& id : task_ids) {
    const tasks::Task* task = env.benchmark->FindTask(id);
    if (task == nullptr) {
      return NotFound(
          fmt::format("task '{}' is not in the {} benchmark's data; the split file "
                      "may come from another data directory",
                      id, env.benchmark->name()));
    }
    tasks.push_back(task);
  }
  std::vector<std::optional<Result<TaskAssessment>>> results(tasks.size());
  progress::SetStage(iteration, stage, static_cast<int>(tasks.size()));
  Status ran = ParallelFor(tasks.size(), concurrency, [&](size_t i) {
    llm::CallContext context;
    context.role = "executor";
    context.task_id = tasks[i]->id;
    context.iteration = iteration;
    context.stage = stage;
    context.rollout = rollout;
    results[i] =
        RunTask(env, *tasks[i], skills_dir, parent_dir / SafePathComponent(tasks[i]->id), context);
    progress::TaskDone();
  });
  progress::Hide();  // callers print results next; the next stage redraws the line
  SG_RETURN_IF_ERROR(ran);

  TaskBatchResult batch;
  std::optional<Error> first_error;
  int failed = 0;
  for (size_t i = 0; i < results.size(); ++i) {
    if (!results[i]->ok()) {
      ++failed;
      log::Warn(fmt::format("task {}: {}", tasks[i]->id, results[i]->error().message));
      // A refusal of the cost cap is the reason the batch stopped: it is reported first.
      const bool budget = results[i]->error().code == ErrorCode::kBudget;
      if (!first_error || (budget && first_error->code != ErrorCode::kBudget)) {
        first_error = results[i]->error();
      }
      continue;
    }
    batch.assessments.push_back(results[i]->value());
  }
  if (first_error) {
    return first_error->WithContext(fmt::format(
        "{} of {} tasks could not run in stage {} (finished ones are kept; rerun with --resume)",
        failed, tasks.size(), stage));
  }
  return BatchResultOf(std::move(batch.assessments));
}

TaskBatchResult BatchResultOf(std::vector<TaskAssessment> assessments) {
  TaskBatchResult batch;
  batch.assessments = std::move(assessments);
  for (const auto& a : batch.assessments) {
    batch.hard_accuracy += a.pass ? 1.0 : 0.0;
    batch.soft_accuracy += a.score;
  }
  if (!batch.assessments.empty()) {
    batch.hard_accuracy /= static_cast<double>(batch.assessments.size());
    batch.soft_accuracy /= static_cast<double>(batch.assessments.size());
  }
  return batch;
}

std::optional<TaskBatchResult> LoadFinishedTasks(const std::vector<std::string>& task_ids,
                                                 const std::filesystem::path& parent_dir) {
  std::vector<TaskAssessment> assessments;
  for (const auto& id : task_ids) {
    std::optional<TaskAssessment> done = LoadAssessment(parent_dir / SafePathComponent(id));
    if (!done) return std::nullopt;
    assessments.push_back(std::move(*done));
  }
  return BatchResultOf(std::move(assessments));
}

namespace {
// assessment.json's status; records written before it existed say only whether they graded.
std::string StatusOf(const TaskAssessment& a) {
  return a.json.value("status", a.graded ? "graded" : "error");
}
}  // namespace

Json MethodMetrics(const std::vector<TaskAssessment>& assessments) {
  int n_graded = 0, n_pass_graded = 0, n_pass = 0, n_cells = 0;
  double cell_sum = 0, cell_sum_graded = 0;
  for (const auto& a : assessments) {
    const bool graded = StatusOf(a) == "graded";
    const Json cell = a.json.value("cell_accuracy", Json(nullptr));
    n_pass += a.pass ? 1 : 0;
    if (graded) {
      ++n_graded;
      n_pass_graded += a.pass ? 1 : 0;
    }
    if (cell.is_number()) {
      ++n_cells;
      cell_sum += cell.get<double>();
      if (graded) cell_sum_graded += cell.get<double>();
    }
  }
  auto ratio = [](double part, int whole) {
    return whole > 0 ? Json(part / whole) : Json(nullptr);
  };
  const int n_total = static_cast<int>(assessments.size());
  return Json{{"n_total", n_total},
              {"n_graded", n_graded},
              {"n_pass_graded", n_pass_graded},
              {"mean_hard_graded", ratio(n_pass_graded, n_graded)},
              {"mean_hard", ratio(n_pass, n_total)},
              {"mean_cell_accuracy", n_cells > 0 ? ratio(cell_sum, n_total) : Json(nullptr)},
              {"mean_cell_graded", n_cells > 0 ? ratio(cell_sum_graded, n_graded) : Json(nullptr)}};
}

Json SummarizeAssessments(const std::vector<TaskAssessment>& assessments) {
  Json per_task = Json::array();
  std::map<std::string, std::tuple<int, double, int>> by_type;  // passes, score sum, count
  for (const auto& a : assessments) {
    per_task.push_back({{"task_id", a.task_id},
                        {"pass", a.pass},
                        {"score", a.score},
                        {"graded", a.graded},
                        {"status", StatusOf(a)},
                        {"cell_accuracy", a.json.value("cell_accuracy", Json(nullptr))},
                        {"match_count", a.json.value("match_count", Json(nullptr))},
                        {"total_count", a.json.value("total_count", Json(nullptr))},
                        {"stop_reason", a.stop_reason},
                        {"error", a.error}});
    std::string type = a.json.value("instruction_type", std::string());
    auto& [passes, score, count] = by_type[type.empty() ? "(none)" : type];
    passes += a.pass ? 1 : 0;
    score += a.score;
    count += 1;
  }
  Json per_type = Json::object();
  for (const auto& [type, totals] : by_type) {
    const auto& [passes, score, count] = totals;
    per_type[type] = {{"tasks", count},
                      {"hard_accuracy", static_cast<double>(passes) / count},
                      {"soft_accuracy", score / count}};
  }
  return Json{{"per_task", per_task},
              {"per_instruction_type", per_type},
              {"metrics", MethodMetrics(assessments)}};
}

}  // namespace sg::run
