#include "run/eval_rollouts.h"

#include <fmt/format.h>

#include "core/stats.h"
#include "run/compare.h"

namespace sg::run {
namespace fs = std::filesystem;

fs::path RolloutDir(const fs::path& eval_dir, int index) {
  return index == 0 ? eval_dir : eval_dir / fmt::format("rollout_{}", index + 1);
}

Result<std::vector<TaskBatchResult>> RunRollouts(const ExecutorEnv& env,
                                                 const std::vector<std::string>& task_ids,
                                                 const fs::path& skills_dir, const fs::path& dir,
                                                 int concurrency, const std::string& stage,
                                                 int iteration, int k) {
  std::vector<TaskBatchResult> rollouts;
  for (int r = 0; r < k; ++r) {
    SG_ASSIGN_OR_RETURN(
        rollouts.emplace_back(),
        RunTasks(env, task_ids, skills_dir, RolloutDir(dir, r), concurrency, stage, iteration, r));
  }
  return rollouts;
}

std::optional<std::vector<TaskBatchResult>> LoadRollouts(const std::vector<std::string>& task_ids,
                                                         const fs::path& dir, int k) {
  std::vector<TaskBatchResult> rollouts;
  for (int r = 0; r < k; ++r) {
    std::optional<TaskBatchResult> batch = LoadFinishedTasks(task_ids, RolloutDir(dir, r));
    if (!batch) return std::nullopt;
    rollouts.push_back(std::move(*batch));
  }
  return rollouts;
}

EvalSide SideOfRollouts(const std::vector<std::string>& task_ids,
                        const std::vector<TaskBatchResult>& rollouts, const std::string& name) {
  EvalSide side;
  side.summary = name;
  side.task_ids = task_ids;
  side.rollouts = static_cast<int>(rollouts.size());
  for (size_t t = 0; t < task_ids.size(); ++t) {
    double passes = 0;
    for (const TaskBatchResult& batch : rollouts) passes += batch.assessments.at(t).pass ? 1 : 0;
    side.pass_rate[task_ids[t]] = passes / static_cast<double>(rollouts.size());
  }
  return side;
}

double RolloutAccuracy(const std::vector<TaskBatchResult>& rollouts) {
  double sum = 0;
  for (const TaskBatchResult& batch : rollouts) sum += batch.hard_accuracy;
  return rollouts.empty() ? 0 : sum / static_cast<double>(rollouts.size());
}

Json MergeRollouts(const std::vector<TaskBatchResult>& rollouts, Json& per_task) {
  const int k = static_cast<int>(rollouts.size());
  Json per_rollout = Json::array();
  std::vector<double> all_pass, all_score, pass_sds;
  for (const TaskBatchResult& batch : rollouts) per_rollout.push_back(batch.hard_accuracy);
  for (size_t t = 0; t < per_task.size(); ++t) {
    std::vector<double> passes, scores;
    Json flags = Json::array();
    int n_pass = 0;
    for (const TaskBatchResult& batch : rollouts) {
      const TaskAssessment& a = batch.assessments.at(t);
      n_pass += a.pass ? 1 : 0;
      passes.push_back(a.pass ? 1.0 : 0.0);
      scores.push_back(a.score);
      flags.push_back(a.pass);
    }
    all_pass.insert(all_pass.end(), passes.begin(), passes.end());
    all_score.insert(all_score.end(), scores.begin(), scores.end());
    pass_sds.push_back(stats::StdDev(passes));
    if (k == 1) continue;
    Json& entry = per_task[t];
    entry["rollouts"] = k;
    entry["passes"] = n_pass;
    entry["pass_rate"] = stats::Mean(passes);
    entry["rollout_passes"] = flags;
    entry["mean_score"] = stats::Mean(scores);
    entry["score_sd"] = stats::StdDev(scores);
  }
  return Json{{"k", k},
              {"accuracy", stats::Mean(all_pass)},
              {"mean_score", stats::Mean(all_score)},
              {"per_rollout_accuracy", per_rollout},
              {"mean_pass_sd", stats::Mean(pass_sds)}};
}

Json AccuracyWithInterval(const EvalSide& side) {
  const CompareOptions options;
  Json out = SideAccuracy(side, options);
  out.erase("summary");
  out.erase("grader");
  out["resamples"] = options.resamples;
  out["seed"] = options.seed;
  return out;
}

}  // namespace sg::run
