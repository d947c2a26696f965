#include "run/collect.h"

#include <fmt/format.h>

#include "core/file_util.h"
#include "core/log.h"
#include "run/run_layout.h"
#include "run/run_tasks.h"
#include "tasks/split_benchmark.h"

namespace sg::run {
namespace fs = std::filesystem;

Result<tasks::Split> LoadOrMakeSplit(const tasks::Benchmark& benchmark,
                                     const CommonOptions& options) {
  fs::path path = tasks::SplitPath(options.results_root, options.master_seed, options.heldout_seed);
  if (fs::exists(path)) {
    SG_ASSIGN_OR_RETURN(tasks::Split split, tasks::ReadSplit(path));
    if (split.honor_exclude != options.honor_exclude) {
      return InvalidArgument(fmt::format(
          "{} was made {} --honor-exclude but this command runs {} it; pass the same choice, or "
          "use another --results-root",
          path.string(), split.honor_exclude ? "with" : "without",
          options.honor_exclude ? "with" : "without"));
    }
    if (!split.suspect_tasks.empty()) {
      log::Warn(
          fmt::format("{} lists {} suspect task(s) (suspect_tasks): their grader verdicts "
                      "look wrong before any run",
                      path.string(), split.suspect_tasks.size()));
    }
    return split;
  }
  tasks::SplitOptions split_options;
  split_options.master_seed = options.master_seed;
  split_options.heldout_seed = options.heldout_seed;
  if (options.n_test_given) split_options.n_test = static_cast<size_t>(options.n_test);
  SG_ASSIGN_OR_RETURN(
      tasks::Split split,
      tasks::SplitBenchmark(benchmark, options.data_dir, tasks::OpenOptions{options.honor_exclude},
                            split_options, options.concurrency));
  auto written = tasks::WriteSplit(options.results_root, split);
  if (!written.ok()) return written.error();
  log::Info(fmt::format("split: {} evolution, {} validation, {} test tasks -> {}",
                        split.evolution_ids.size(), split.val_ids.size(), split.test_ids.size(),
                        path.string()));
  return split;
}

std::optional<CollectResult> LoadCollectResult(const fs::path& base_dir) {
  auto json = ReadJsonFile(base_dir / "failure_pool.json");
  if (!json.ok()) return std::nullopt;
  CollectResult result;
  result.base_dir = base_dir;
  try {
    result.evolution_ids = json->at("evolution_ids").get<std::vector<std::string>>();
    result.failure_pool = json->at("failure_pool").get<std::vector<std::string>>();
    result.hard_accuracy = json->value("hard_accuracy", 0.0);
  } catch (const Json::exception&) {
    return std::nullopt;
  }
  return result;
}

Result<CollectResult> RunCollect(Engine& engine, const CommonOptions& options,
                                 const tasks::Split& split) {
  ResultsLayout layout(options.results_root);
  CollectResult result;
  result.base_dir =
      layout.BaseDir(options.master_seed, options.heldout_seed, options.models.executor);
  if (auto done = LoadCollectResult(result.base_dir)) return *done;
  result.evolution_ids = split.evolution_ids;
  log::Info(fmt::format("collect: the seed skill on {} evolution-pool tasks with {}",
                        split.evolution_ids.size(), options.models.executor));
  ExecutorEnv env = engine.MakeExecutorEnv(options.models.executor, options.collect_max_turns);
  SG_ASSIGN_OR_RETURN(TaskBatchResult batch,
                      RunTasks(env, split.evolution_ids, options.skills_dir, result.base_dir,
                               options.concurrency, "collect", -1));
  for (const auto& a : batch.assessments) {
    if (a.score < 1.0) result.failure_pool.push_back(a.task_id);
  }
  result.hard_accuracy = batch.hard_accuracy;
  Json summary = SummarizeAssessments(batch.assessments);
  Json out = {{"model", options.models.executor},
              {"skills_dir", fs::absolute(options.skills_dir).lexically_normal().string()},
              {"evolution_ids", result.evolution_ids},
              {"failure_pool", result.failure_pool},
              {"hard_accuracy", batch.hard_accuracy},
              {"soft_accuracy", batch.soft_accuracy},
              {"per_task", summary["per_task"]}};
  SG_RETURN_IF_ERROR(WriteJsonFile(result.base_dir / "failure_pool.json", out));
  log::Info(fmt::format("collect: {} of {} tasks failed with the seed skill (hard accuracy {:.3f})",
                        result.failure_pool.size(), result.evolution_ids.size(),
                        batch.hard_accuracy));
  return result;
}

}  // namespace sg::run
