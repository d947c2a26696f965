#include "optim/train.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/file_util.h"
#include "core/log.h"
#include "core/progress.h"
#include "llm/ledger_totals.h"
#include "optim/iteration_layout.h"
#include "optim/iteration_stage.h"
#include "optim/skillgrad_stages.h"
#include "optim/stage_driver.h"
#include "optim/train_plan.h"
#include "optim/training_set.h"
#include "run/collect.h"
#include "run/command_plans.h"
#include "run/results_root.h"
#include "run/run_layout.h"
#include "run/run_manifest.h"
#include "run/tree_copy.h"
#include "skill/skill_package.h"

namespace sg::optim {
namespace fs = std::filesystem;

namespace {

class Trainer {
 public:
  Trainer(run::Engine& engine, const TrainOptions& options, run::RunLayout run, fs::path base_dir,
          tasks::Split split, TrainingSchedule schedule)
      : engine_(engine),
        options_(options),
        run_(std::move(run)),
        base_dir_(std::move(base_dir)),
        schedule_(std::move(schedule)),
        role_env_(engine.MakeRoleEnv(options.common.models)),
        exec_env_(engine.MakeExecutorEnv(options.common.models.executor, options.common.max_turns)),
        driver_(run_.TrainState(), Budget{options.common.max_cost_usd,
                                          [this] { return engine_.costs().RunCostUsd(); }}) {
    services_.roles = &role_env_;
    services_.executor = &exec_env_;
    services_.benchmark = &engine.benchmark();
    services_.concurrency = options.common.concurrency;
    services_.val_ids = std::move(split.val_ids);
    services_.accept_rule = options.accept_rule;
    services_.alpha = options.alpha;
    services_.val_rollouts = options.val_rollouts;
    services_.training_results = run_.TrainingResults();
    services_.iteration_log = run_.IterationLog();
    services_.early_stop_after = options.early_stop_after;
    services_.projection = options.projection;
    services_.ablate_momentum = options.ablate_momentum;
    services_.ablate_contrastive = options.ablate_contrastive;
    services_.costs = [this](int iteration) {
      return IterationCosts{engine_.costs().RunCostUsd(),
                            engine_.costs().IterationByStage(iteration)};
    };
    stages_ = SkillGradStages(services_, options.accept);
  }

  // Runs iterations from state.iteration on; returns when done, stopped or failed.
  Status Run(TrainState& state);

 private:
  // The iteration's context, with S_t snapshotted once: every stage reads the snapshot.
  Result<IterationWork> StartIteration(TrainState& state);

  run::Engine& engine_;
  const TrainOptions& options_;
  run::RunLayout run_;
  fs::path base_dir_;
  TrainingSchedule schedule_;
  run::RoleEnv role_env_;
  run::ExecutorEnv exec_env_;
  StageServices services_;
  StageList stages_;
  StageDriver driver_;
};

Result<IterationWork> Trainer::StartIteration(TrainState& state) {
  const int t = state.iteration;
  IterationWork work;
  work.state = &state;
  work.context.iteration = t;
  work.context.domain = engine_.benchmark().domain();
  work.context.batch = schedule_.batches[t - 1];
  work.context.iter_dir = run_.IterDir(t);
  work.context.skill_dir = run_.SnapshotDir(t);
  work.context.base_dir = base_dir_;
  log::Info(fmt::format("iteration {}/{}: batch {}", t, state.iterations_total,
                        fmt::join(work.context.batch, ", ")));
  const fs::path marker = IterationLayout(work.context.iter_dir).SnapshotDone();
  if (!fs::exists(marker)) {
    SG_RETURN_IF_ERROR(run::CopyTree(state.current_skills, work.context.skill_dir));
    SG_RETURN_IF_ERROR(WriteFileAtomic(marker, state.current_skills + "\n"));
  }
  if (t >= 2) {
    SG_ASSIGN_OR_RETURN(work.previous,
                        ReadMomentumRecord(IterationLayout(run_.IterDir(t - 1)).MomentumMemory()));
  }
  return work;
}

Status Trainer::Run(TrainState& state) {
  progress::SetPlan(state.iterations_total);
  while (state.iteration <= state.iterations_total) {
    // True when the run stops after this iteration: the budget ran out, or early stop.
    Result<bool> stop = [&]() -> Result<bool> {
      SG_ASSIGN_OR_RETURN(IterationWork work, StartIteration(state));
      SG_ASSIGN_OR_RETURN(IterationEnd ended, driver_.Run(stages_, work));
      return ended == IterationEnd::kBudgetExhausted || work.stop;
    }();
    if (!stop.ok()) {
      state.status = RunStatus::kFailed;
      state.stop_reason = stop.error().message;
      // A full or read-only disk may refuse this too: the last checkpoint then stands, and
      // --resume continues from it.
      (void)SaveTrainState(run_.TrainState(), state);
      return stop.error();
    }
    if (state.status == RunStatus::kBudgetExhausted) return Ok();
    if (*stop) break;
  }
  SG_RETURN_IF_ERROR(run::CopyTree(state.current_skills, run_.FinalSkillsDir()));
  state.status = RunStatus::kCompleted;
  if (state.stop_reason.empty()) state.stop_reason = "all iterations done";
  return SaveTrainState(run_.TrainState(), state);
}

// The training's figures for config.json and the manifest (the authors' metrics block):
// iterations recorded, how many patched and how many were all-correct, the status and cost.
Json TrainMetrics(const run::RunLayout& run, const TrainState& state, double cost_usd) {
  int n_iterations = 0, n_patched = 0, n_all_correct = 0;
  if (auto entries = ReadJsonFile(run.TrainingResults()); entries.ok() && entries->is_array()) {
    for (const auto& e : *entries) {
      ++n_iterations;
      const std::string result = e.is_object() ? e.value("result", "") : "";
      n_patched += result == "patched" ? 1 : 0;
      n_all_correct += result == "all_correct" ? 1 : 0;
    }
  }
  return {{"n_iterations", n_iterations},
          {"n_patched", n_patched},
          {"n_all_correct", n_all_correct},
          {"train_status", RunStatusName(state.status)},
          {"train_cost_usd", cost_usd}};
}

Result<TrainResult> TrainSteps(TrainOptions& options, const run::LlmSettings& llm) {
  SG_ASSIGN_OR_RETURN(run::RunInputs inputs, run::RunInputs::Open(options.common, llm));
  SG_RETURN_IF_ERROR(options.ValidateTrainFlags());
  SG_RETURN_IF_ERROR(
      run::CheckResultsRootWritable(options.common.results_root, options.resume_hint));
  if (inputs.seeds().size() != 1) {
    return InvalidArgument(
        fmt::format("--skills-dir {} holds {} skills; train optimizes one "
                    "skill at a time: point it at that skill's folder",
                    options.common.skills_dir.string(), inputs.seeds().size()));
  }
  const fs::path seed_skill = inputs.seeds().front().root;
  run::ResultsLayout layout(options.common.results_root);
  TrainResult result;
  result.run_id = run::MakeRunId(options.common.method, options.common.models.executor,
                                 options.common.config_tag);
  result.run_dir = layout.RunDir(result.run_id);
  run::RunLayout run(result.run_dir);

  const bool has_state = fs::exists(run.TrainState());
  if (has_state && !options.resume) {
    return InvalidArgument(fmt::format(
        "run {} already exists in {}: pass --resume to continue it, or --config-tag TAG to "
        "start a separate run",
        result.run_id, result.run_dir.string()));
  }
  TrainState state;
  if (has_state) {
    SG_ASSIGN_OR_RETURN(state, LoadTrainState(run.TrainState()));
    if (state.status == RunStatus::kCompleted) {
      log::Info(fmt::format("train: run {} is already complete", result.run_id));
      SG_RETURN_IF_ERROR(run::CatchUpManifest(layout, result.run_id, "train", state.ToJson()));
      result.state = state;
      result.final_skills = run.FinalSkillsDir();
      // No client is started for a finished run: the ledger is read once, here.
      result.cost_usd =
          llm::SummarizeLedger(run.Ledger()).value_or(llm::LedgerSummary{}).total.cost_usd;
      return result;
    }
    log::Info(fmt::format("train: resuming {} at iteration {} (last completed stage: {})",
                          result.run_id, state.iteration, StageName(state.completed_stage)));
  } else if (options.resume) {
    log::Info(
        fmt::format("train: no checkpoint in {}; starting a new run", result.run_dir.string()));
  }

  SG_ASSIGN_OR_RETURN(tasks::Split split,
                      run::LoadOrMakeSplit(inputs.benchmark(), options.common, false));
  SG_ASSIGN_OR_RETURN(run::CostPlan plan, PlanTrain(inputs, options, split, run, result.run_id));
  run::LogPlan(plan);
  SG_RETURN_IF_ERROR(
      run::CheckCapAgainstPlan(plan, options.common.max_cost_usd, options.common.force));
  SG_RETURN_IF_ERROR(run::SaveSplitIfNew(options.common, split));
  SG_ASSIGN_OR_RETURN(std::unique_ptr<run::Engine> engine,
                      run::Engine::Start(std::move(inputs), run.Ledger()));
  log::SetLogFile(run.Log());
  if (!fs::exists(run.Config())) {
    Json config = options.ToJson();
    config["run_id"] = result.run_id;
    config["provider"] = engine->ProviderJson();
    config["sandbox"] = engine->SandboxJson();
    config["limits"] = engine->LimitsJson(options.common);
    config["version"] = SKILLGRAD_VERSION;
    SG_RETURN_IF_ERROR(WriteJsonFile(run.Config(), config));
  }

  fs::path base_dir = run::BaseTrajectoriesDir(options.common);
  SG_ASSIGN_OR_RETURN(std::optional<run::CollectResult> base,
                      run::LoadCollectResult(base_dir, options.common.skills_dir));
  if (!base) {
    log::Info(fmt::format("train: no base trajectories for {} in {}: running collect first",
                          options.common.models.executor, base_dir.string()));
    Result<run::CollectResult> collected = run::RunCollect(*engine, options.common, split);
    if (!collected.ok() && collected.error().code == ErrorCode::kBudget) {
      // The cap ran out during the run's own collect: its finished tasks are kept, and a
      // rerun with a higher cap collects only the rest.
      state.status = RunStatus::kBudgetExhausted;
      state.stop_reason = collected.error().message;
      log::Warn("train: " + state.stop_reason);
      SG_RETURN_IF_ERROR(run::UpdateManifest(layout, result.run_id, "train", state.ToJson()));
      result.state = state;
      result.cost_usd = engine->costs().RunCostUsd();
      return result;
    }
    SG_ASSIGN_OR_RETURN(base, std::move(collected));
  }
  SG_ASSIGN_OR_RETURN(TrainingSchedule schedule, ScheduleOf(options, base->failure_pool));
  Json train_set = schedule.ToJson();
  train_set["failure_pool"] = base->failure_pool;
  if (!fs::exists(run.TrainSet())) {
    SG_RETURN_IF_ERROR(WriteJsonFile(run.TrainSet(), train_set));
  } else if (auto stored = ReadJsonFile(run.TrainSet());
             stored.ok() && (*stored)["batches"] != train_set["batches"]) {
    // Resuming with other schedule flags would mix two training sets in one run.
    return InvalidArgument(fmt::format(
        "{} holds other batches than --training-seed, --n-train, --batch-size and "
        "--batch-schedule give now: resume with the flags the run started with (see {}), or "
        "pass --config-tag TAG to start a separate run",
        run.TrainSet().string(), run.Config().string()));
  }

  if (!has_state) {
    // S_1 is a copy of the seed, kept in the run, laid out as a folder of skill folders
    // (train/seed/<skill>/) whether --skills-dir named the skill or its parent.
    fs::path seed_copy = run.TrainDir() / "seed";
    SG_RETURN_IF_ERROR(run::CopyTree(seed_skill, seed_copy / seed_skill.filename()));
    state.current_skills = fs::absolute(seed_copy).lexically_normal().string();
    state.iterations_total = IterationsTotal(options, schedule);
    SG_RETURN_IF_ERROR(SaveTrainState(run.TrainState(), state));
  }
  state.status = RunStatus::kRunning;
  state.stop_reason.clear();  // a resumed run states its own reason, not the last stop's
  SG_RETURN_IF_ERROR(run::UpdateManifest(layout, result.run_id, "train", state.ToJson()));

  if (schedule.batches.empty()) {
    log::Warn(
        "train: the seed skill passed every evolution-pool task: nothing to train on; "
        "the final skill is the seed");
  }
  Trainer trainer(*engine, options, run, base_dir, std::move(split), std::move(schedule));
  Status trained = trainer.Run(state);
  progress::Hide();
  Status indexed = run::UpdateManifest(layout, result.run_id, "train", state.ToJson());
  if (!trained.ok()) {
    if (!indexed.ok()) log::Warn("train: " + indexed.error().message);
    return trained.error();
  }
  SG_RETURN_IF_ERROR(indexed);
  result.state = state;
  result.final_skills = run.FinalSkillsDir();
  result.cost_usd = engine->costs().RunCostUsd();
  SG_RETURN_IF_ERROR(run::RecordRunMetrics(layout, result.run_id, "train",
                                           TrainMetrics(run, state, result.cost_usd)));
  return result;
}

}  // namespace

Result<run::CostPlan> PlanTrainCommand(TrainOptions& options, const run::LlmSettings& llm) {
  SG_ASSIGN_OR_RETURN(run::RunInputs inputs, run::RunInputs::Open(options.common, llm));
  SG_RETURN_IF_ERROR(options.ValidateTrainFlags());
  const std::string run_id = run::MakeRunId(options.common.method, options.common.models.executor,
                                            options.common.config_tag);
  const run::RunLayout run(run::ResultsLayout(options.common.results_root).RunDir(run_id));
  SG_ASSIGN_OR_RETURN(tasks::Split split,
                      run::LoadOrMakeSplit(inputs.benchmark(), options.common, false));
  return PlanTrain(inputs, options, split, run, run_id);
}

Result<TrainResult> RunTrain(TrainOptions& options, const run::LlmSettings& llm) {
  Result<TrainResult> result = TrainSteps(options, llm);
  if (!result.ok()) {
    return run::WithDiskAdvice(result.error(), options.common.results_root, options.resume_hint);
  }
  return result;
}

}  // namespace sg::optim
