#include "run/collect.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/file_util.h"
#include "core/log.h"
#include "run/run_layout.h"
#include "run/run_tasks.h"
#include "run/tree_copy.h"
#include "tasks/split_benchmark.h"

namespace sg::run {
namespace fs = std::filesystem;

Result<tasks::Split> LoadOrMakeSplit(const tasks::Benchmark& benchmark,
                                     const CommonOptions& options, bool write_new) {
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
      tasks::SplitBenchmark(benchmark, options.data_dir,
                            tasks::OpenOptions{options.honor_exclude, options.grader},
                            split_options, options.concurrency));
  if (!write_new) return split;
  SG_RETURN_IF_ERROR(SaveSplitIfNew(options, split));
  return split;
}

Status SaveSplitIfNew(const CommonOptions& options, const tasks::Split& split) {
  const fs::path path =
      tasks::SplitPath(options.results_root, options.master_seed, options.heldout_seed);
  if (fs::exists(path)) return Ok();
  auto written = tasks::WriteSplit(options.results_root, split);
  if (!written.ok()) return written.error();
  log::Info(fmt::format("split: {} evolution, {} validation, {} test tasks -> {}",
                        split.evolution_ids.size(), split.val_ids.size(), split.test_ids.size(),
                        path.string()));
  return Ok();
}

fs::path BaseTrajectoriesDir(const CommonOptions& options) {
  if (!options.base_trajectories_dir.empty()) return options.base_trajectories_dir;
  return ResultsLayout(options.results_root)
      .BaseDir(options.master_seed, options.heldout_seed, options.models.executor);
}

Result<std::optional<CollectResult>> LoadCollectResult(const fs::path& base_dir,
                                                       const fs::path& seed_skills_dir) {
  const fs::path file = FailurePoolFile(base_dir);
  auto json = ReadJsonFile(file);
  if (!json.ok()) return std::optional<CollectResult>();
  CollectResult result;
  result.base_dir = base_dir;
  try {
    result.evolution_ids = json->at("evolution_ids").get<std::vector<std::string>>();
    result.failure_pool = json->at("failure_pool").get<std::vector<std::string>>();
    result.hard_accuracy = json->value("hard_accuracy", 0.0);
  } catch (const Json::exception&) {
    return std::optional<CollectResult>();
  }
  const std::string stored = json->value("seed_fingerprint", std::string());
  if (!seed_skills_dir.empty() && !stored.empty() && stored != TreeFingerprint(seed_skills_dir)) {
    return InvalidArgument(fmt::format(
        "{} was collected with another seed skill ({}) than --skills-dir {}: its failure pool "
        "does not belong to this seed; collect into another --base-trajectories-dir (or "
        "--results-root), or pass the seed it was collected with",
        file.string(), json->value("skills_dir", std::string("unknown folder")),
        seed_skills_dir.string()));
  }
  return std::optional<CollectResult>(std::move(result));
}

namespace {

// collect --ids: the listed tasks' folders and the failure pool are removed, so that the run
// below does those tasks again and reuses the others.
Status ForgetTasks(const fs::path& base_dir, const std::vector<std::string>& ids,
                   const tasks::Split& split) {
  for (const std::string& id : ids) {
    if (std::find(split.evolution_ids.begin(), split.evolution_ids.end(), id) ==
        split.evolution_ids.end()) {
      return InvalidArgument("--ids: task '" + id +
                             "' is not in this split's evolution pool; collect runs only "
                             "evolution-pool tasks (see split.json's evolution_ids)");
    }
  }
  std::error_code ec;
  fs::remove(FailurePoolFile(base_dir), ec);
  for (const std::string& id : ids) {
    fs::remove_all(TaskLayout(base_dir / SafePathComponent(id)).dir(), ec);
    if (ec)
      return IoError("--ids: cannot remove " + (base_dir / id).string() + ": " + ec.message());
  }
  return Ok();
}

}  // namespace

Result<CollectResult> RunCollect(Engine& engine, const CommonOptions& options,
                                 const tasks::Split& split) {
  CollectResult result;
  result.base_dir = BaseTrajectoriesDir(options);
  SG_ASSIGN_OR_RETURN(std::optional<CollectResult> done,
                      LoadCollectResult(result.base_dir, options.skills_dir));
  if (!options.collect_ids.empty()) {
    SG_RETURN_IF_ERROR(ForgetTasks(result.base_dir, options.collect_ids, split));
    log::Info(fmt::format("collect: running {} task(s) again (--ids)", options.collect_ids.size()));
  } else if (done) {
    return *done;
  }
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
              {"seed_fingerprint", TreeFingerprint(options.skills_dir)},
              {"evolution_ids", result.evolution_ids},
              {"failure_pool", result.failure_pool},
              {"hard_accuracy", batch.hard_accuracy},
              {"soft_accuracy", batch.soft_accuracy},
              {"per_task", summary["per_task"]}};
  SG_RETURN_IF_ERROR(WriteJsonFile(FailurePoolFile(result.base_dir), out));
  log::Info(fmt::format("collect: {} of {} tasks failed with the seed skill (hard accuracy {:.3f})",
                        result.failure_pool.size(), result.evolution_ids.size(),
                        batch.hard_accuracy));
  return result;
}

}  // namespace sg::run
