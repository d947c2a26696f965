#include "run/eval.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "core/file_util.h"
#include "core/log.h"
#include "core/sha256.h"
#include "llm/ledger_totals.h"
#include "run/collect.h"
#include "run/command_plans.h"
#include "run/compare.h"
#include "run/eval_rollouts.h"
#include "run/run_layout.h"
#include "run/run_tasks.h"
#include "run/tree_copy.h"

namespace sg::run {
namespace fs = std::filesystem;

namespace {

// Task results in `eval_dir` are reused on a rerun (an interrupted eval continues), but only
// for the same skill: results of another skill, or of an edited one, are cleared first.
Status ClaimEvalDir(const fs::path& eval_dir, const fs::path& skills_dir) {
  const fs::path stamp = EvalSkillStamp(eval_dir);
  Json mine = {{"skills_dir", fs::absolute(skills_dir).lexically_normal().string()},
               {"fingerprint", TreeFingerprint(skills_dir)}};
  std::error_code ec;
  if (fs::exists(eval_dir, ec)) {
    auto stored = ReadJsonFile(stamp);
    if (!stored.ok() || stored->value("fingerprint", "") != mine["fingerprint"]) {
      log::Info(
          fmt::format("eval: {} holds results of another skill; starting over", eval_dir.string()));
      fs::remove_all(eval_dir, ec);
    }
  }
  SG_RETURN_IF_ERROR(MakeDirs(eval_dir));
  return WriteJsonFile(stamp, mine);
}

// The eval calls this invocation made: the ledger rows from byte `start` on (the ledger may
// hold other evals of the same run), read by the rule every ledger reader follows.
llm::LedgerTotals EvalCostSince(const fs::path& ledger, uintmax_t start) {
  Result<llm::LedgerSummary> since = llm::SummarizeLedger(ledger, start);
  if (!since.ok()) {
    log::Warn("eval: the cost in summary.json is left at zero: " + since.error().message);
    return {};
  }
  if (std::string problem = since->read.Problem(ledger); !problem.empty()) log::Warn(problem);
  return since->by_stage["eval"];
}

}  // namespace

Result<EvalResult> RunEval(Engine& engine, const CommonOptions& options, const fs::path& skills_dir,
                           const fs::path& eval_dir, const fs::path& ledger_path) {
  SG_ASSIGN_OR_RETURN(tasks::Split split, LoadOrMakeSplit(engine.benchmark(), options));
  SG_ASSIGN_OR_RETURN(std::vector<std::string> test_ids, EvalTaskIds(split, options));
  log::Info(fmt::format(
      "eval: {} on {} test tasks{}", skills_dir.string(), test_ids.size(),
      options.rollouts > 1 ? fmt::format(", {} rollouts each", options.rollouts) : std::string()));
  SG_RETURN_IF_ERROR(ClaimEvalDir(eval_dir, skills_dir));
  std::error_code size_ec;
  const uintmax_t ledger_start =
      fs::exists(ledger_path, size_ec) ? fs::file_size(ledger_path, size_ec) : 0;
  const auto start = std::chrono::steady_clock::now();
  ExecutorEnv env = engine.MakeExecutorEnv(options.models.executor, options.max_turns);
  SG_ASSIGN_OR_RETURN(std::vector<TaskBatchResult> rollouts,
                      RunRollouts(env, test_ids, skills_dir, eval_dir, options.concurrency, "eval",
                                  -1, options.rollouts));
  const TaskBatchResult& batch = rollouts.front();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  EvalResult result;
  result.tasks = static_cast<int>(test_ids.size());
  result.hard_accuracy = batch.hard_accuracy;
  result.soft_accuracy = batch.soft_accuracy;
  Json per = SummarizeAssessments(batch.assessments);
  Json rollout_figures = MergeRollouts(rollouts, per["per_task"]);
  Json cost = EvalCostSince(ledger_path, ledger_start).ToJson();
  result.summary = per["metrics"];  // mean_hard_graded (the paper's headline), mean_hard, ...
  result.summary.update(Json{{"skills_dir", fs::absolute(skills_dir).lexically_normal().string()},
                             {"benchmark", engine.benchmark().name()},
                             {"model", options.models.executor},
                             {"tasks", result.tasks},
                             {"hard_accuracy", result.hard_accuracy},
                             {"soft_accuracy", result.soft_accuracy},
                             {"grader", options.grader},
                             {"per_task", per["per_task"]},
                             {"per_instruction_type", per["per_instruction_type"]},
                             {"cost", cost},
                             {"seconds", seconds}});
  // Over tasks and rollouts, with its interval (docs/statistics.md); the method's metrics
  // above are the first rollout's.
  result.summary["accuracy"] = AccuracyWithInterval(SideOfRollouts(test_ids, rollouts, ""));
  if (options.rollouts > 1) result.summary["rollouts"] = rollout_figures;
  result.summary_path = EvalSummaryFile(eval_dir);
  SG_RETURN_IF_ERROR(WriteJsonFile(result.summary_path, result.summary));
  log::Info(fmt::format("eval: hard accuracy {:.3f}, soft accuracy {:.3f} -> {}",
                        result.hard_accuracy, result.soft_accuracy, result.summary_path.string()));
  return result;
}

Status AddSeedComparison(const RunLayout& run, EvalResult& result) {
  const fs::path seed_summary = EvalSummaryFile(run.SeedEvalDir());
  if (!fs::exists(seed_summary)) return Ok();
  Result<EvalSide> final_side = LoadEvalSide(result.summary_path);
  Result<EvalSide> seed_side = LoadEvalSide(seed_summary);
  if (!final_side.ok() || !seed_side.ok()) {
    log::Warn("eval: no comparison with the seed: " +
              (final_side.ok() ? seed_side.error() : final_side.error()).message);
    return Ok();
  }
  Result<Json> compared = CompareEvals(*final_side, *seed_side, CompareOptions{});
  if (!compared.ok()) {
    log::Warn("eval: no comparison with the seed: " + compared.error().message);
    return Ok();
  }
  // Named relative to the run, so that the summary is the same wherever the run lives.
  (*compared)["a"]["summary"] = "eval/summary.json";
  (*compared)["b"]["summary"] = "eval_seed/summary.json";
  log::Info("eval: final skill (A) against the seed skill (B)\n" + FormatComparison(*compared));
  result.summary["versus_seed"] = *compared;
  return WriteJsonFile(result.summary_path, result.summary);
}

}  // namespace sg::run
