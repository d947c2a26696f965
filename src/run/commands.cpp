#include "run/commands.h"

#include <memory>
#include <system_error>

#include "run/command_plans.h"
#include "run/results_root.h"
#include "run/run_layout.h"
#include "run/run_manifest.h"

namespace sg::run {
namespace fs = std::filesystem;

namespace {

// The results root must take writes before anything runs; from here on the command writes.
Status StartWriting(const CommonOptions& options, const std::string& rerun, CommandPhase* phase) {
  *phase = CommandPhase::kWriting;
  return CheckResultsRootWritable(options.results_root, rerun);
}

}  // namespace

Result<CollectResult> CollectCommand(CommonOptions& options, const LlmSettings& llm,
                                     CommandPhase* phase) {
  *phase = CommandPhase::kCheckingInputs;
  const std::string rerun = "rerun the same skillgrad collect command";
  SG_ASSIGN_OR_RETURN(RunInputs inputs, RunInputs::Open(options, llm));
  SG_ASSIGN_OR_RETURN(tasks::Split split, LoadOrMakeSplit(inputs.benchmark(), options, false));
  SG_ASSIGN_OR_RETURN(CostPlan plan, PlanCollect(inputs, options, split));
  LogPlan(plan);
  SG_RETURN_IF_ERROR(CheckCapAgainstPlan(plan, options.max_cost_usd, options.force));
  SG_RETURN_IF_ERROR(StartWriting(options, rerun, phase));
  SG_RETURN_IF_ERROR(SaveSplitIfNew(options, split));
  SG_ASSIGN_OR_RETURN(std::unique_ptr<Engine> engine,
                      Engine::Start(std::move(inputs), BaseLedgerIn(BaseTrajectoriesDir(options))));
  Result<CollectResult> result = RunCollect(*engine, options, split);
  if (!result.ok()) return WithDiskAdvice(result.error(), options.results_root, rerun);
  return result;
}

Result<CostPlan> CollectPlanCommand(CommonOptions& options, const LlmSettings& llm) {
  SG_ASSIGN_OR_RETURN(RunInputs inputs, RunInputs::Open(options, llm));
  SG_ASSIGN_OR_RETURN(tasks::Split split, LoadOrMakeSplit(inputs.benchmark(), options, false));
  return PlanCollect(inputs, options, split);
}

namespace {

// The run eval writes into: `run_id`'s (its final skill unless --skills-dir names another), or
// without it eval_<model>[_tag] for --skills-dir. Fills in options.skills_dir or method.
Status EvalTargetOf(CommonOptions& options, const std::string& run_id) {
  if (run_id.empty()) {
    options.method = "eval";
    return Ok();
  }
  const RunLayout run(ResultsLayout(options.results_root).RunDir(run_id));
  if (!fs::is_directory(run.FinalSkillsDir())) {
    return NotFound("--run " + run_id + ": " + run.FinalSkillsDir().string() +
                    " does not exist; finish the run with `skillgrad train --resume` first");
  }
  if (options.skills_dir.empty()) options.skills_dir = run.FinalSkillsDir();
  return Ok();
}

// Without --run the id depends on the model, known once the inputs filled it in.
std::string EvalRunId(const CommonOptions& options, const std::string& run_id) {
  return run_id.empty() ? MakeRunId("eval", options.models.executor, options.config_tag) : run_id;
}

Result<CostPlan> PlanOfEval(const RunInputs& inputs, const CommonOptions& options,
                            const std::string& id) {
  SG_ASSIGN_OR_RETURN(tasks::Split split, LoadOrMakeSplit(inputs.benchmark(), options, false));
  const RunLayout run(ResultsLayout(options.results_root).RunDir(id));
  return PlanEval(inputs, options, split, run.EvalDir(), run.Ledger());
}

}  // namespace

Result<EvalResult> EvalCommand(CommonOptions& options, const LlmSettings& llm,
                               const std::string& run_id, CommandPhase* phase) {
  *phase = CommandPhase::kCheckingInputs;
  const std::string rerun = "rerun the same skillgrad eval command";
  const ResultsLayout layout(options.results_root);
  SG_RETURN_IF_ERROR(EvalTargetOf(options, run_id));
  SG_ASSIGN_OR_RETURN(RunInputs inputs, RunInputs::Open(options, llm));
  const std::string id = EvalRunId(options, run_id);
  SG_ASSIGN_OR_RETURN(CostPlan plan, PlanOfEval(inputs, options, id));
  LogPlan(plan);
  SG_RETURN_IF_ERROR(CheckCapAgainstPlan(plan, options.max_cost_usd, options.force));
  SG_RETURN_IF_ERROR(StartWriting(options, rerun, phase));
  const RunLayout run(layout.RunDir(id));
  SG_ASSIGN_OR_RETURN(std::unique_ptr<Engine> engine,
                      Engine::Start(std::move(inputs), run.Ledger()));
  Result<EvalResult> result =
      RunEval(*engine, options, options.skills_dir, run.EvalDir(), run.Ledger());
  if (!result.ok()) return WithDiskAdvice(result.error(), options.results_root, rerun);
  if (!run_id.empty()) {
    Status compared = AddSeedComparison(run, *result);
    if (!compared.ok()) return WithDiskAdvice(compared.error(), options.results_root, rerun);
  }
  // The figures go back into the run's config.json (a trained run's) and its manifest entry.
  Status recorded =
      RecordRunMetrics(layout, id, run_id.empty() ? "eval" : "train", EvalMetrics(result->summary));
  if (!recorded.ok()) return WithDiskAdvice(recorded.error(), options.results_root, rerun);
  return result;
}

Result<CostPlan> EvalPlanCommand(CommonOptions& options, const LlmSettings& llm,
                                 const std::string& run_id) {
  SG_RETURN_IF_ERROR(EvalTargetOf(options, run_id));
  SG_ASSIGN_OR_RETURN(RunInputs inputs, RunInputs::Open(options, llm));
  return PlanOfEval(inputs, options, EvalRunId(options, run_id));
}

Result<ExecResult> ExecCommand(CommonOptions& options, const LlmSettings& llm,
                               const std::string& task_id, const fs::path& out_dir,
                               CommandPhase* phase) {
  *phase = CommandPhase::kCheckingInputs;
  SG_ASSIGN_OR_RETURN(RunInputs inputs, RunInputs::Open(options, llm));
  const tasks::Task* task = inputs.benchmark().FindTask(task_id);
  if (task == nullptr) {
    return NotFound("--task " + task_id + " is not a task of " + options.data_dir.string());
  }
  ExecResult result;
  result.task_dir =
      out_dir.empty()
          ? ResultsLayout(options.results_root).ExecTaskDir(options.models.executor, task_id)
          : out_dir;
  const fs::path& dir = result.task_dir;
  std::error_code ec;
  // The task folder is redone from scratch; never wipe a folder that is not one.
  if (!out_dir.empty() && !fs::is_empty(dir, ec) && !ec && !fs::exists(dir / "workspace") &&
      !fs::exists(dir / "trajectory.json")) {
    return InvalidArgument("--out " + dir.string() +
                           " is a folder that is not empty and holds no earlier task run; "
                           "exec replaces the folder's content: pass a new or empty folder");
  }
  *phase = CommandPhase::kWriting;
  ec.clear();
  fs::remove_all(dir, ec);
  SG_ASSIGN_OR_RETURN(std::unique_ptr<Engine> engine,
                      Engine::Start(std::move(inputs), dir.parent_path() / "ledger.jsonl"));
  ExecutorEnv env = engine->MakeExecutorEnv(options.models.executor, options.max_turns);
  llm::CallContext context;
  context.role = "executor";
  context.stage = "exec";
  SG_ASSIGN_OR_RETURN(result.assessment, RunTask(env, *task, options.skills_dir, dir, context));
  return result;
}

}  // namespace sg::run
