#include "optim/train.h"

#include <chrono>

#include "bench/training_set.h"
#include "core/file_util.h"
#include "core/log.h"
#include "core/parallel.h"
#include "core/progress.h"
#include "llm/cost_ledger.h"
#include "optim/collect.h"
#include "optim/diagnose.h"
#include "optim/momentum_render.h"
#include "optim/momentum_stage.h"
#include "optim/patch_stage.h"
#include "optim/results_root.h"
#include "optim/run_layout.h"
#include "optim/run_manifest.h"
#include "optim/run_tasks.h"
#include "optim/tree_copy.h"
#include "skill/skill_package.h"

namespace sg::optim {
namespace fs = std::filesystem;

namespace {

using SteadyClock = std::chrono::steady_clock;

// Accumulates wall seconds per stage in iter_<t>/timings.json (added to on resume).
class StageTimer {
 public:
  explicit StageTimer(fs::path file) : file_(std::move(file)) {
    auto json = ReadJsonFile(file_);
    if (json.ok() && json->is_object()) seconds_ = *json;
  }
  void Start() { start_ = SteadyClock::now(); }
  Status Stop(Stage stage) {
    double s = std::chrono::duration<double>(SteadyClock::now() - start_).count();
    seconds_[StageName(stage)] = seconds_.value(StageName(stage), 0.0) + s;
    return WriteJsonFile(file_, seconds_);
  }
  const Json& seconds() const { return seconds_; }

 private:
  fs::path file_;
  Json seconds_ = Json::object();
  SteadyClock::time_point start_;
};

// The run's cost so far, and this iteration's by stage, from the ledger.
struct CostView {
  double run_total = 0;
  Json by_stage = Json::object();
};

CostView ReadCosts(const fs::path& ledger, int iteration) {
  CostView view;
  auto text = ReadFile(ledger);
  if (!text.ok()) return view;
  std::map<std::string, llm::LedgerTotals> by_stage;
  size_t start = 0;
  while (start < text->size()) {
    size_t end = text->find('\n', start);
    if (end == std::string::npos) break;  // a line cut by a crash is not counted
    auto line = ParseJson(std::string_view(*text).substr(start, end - start), "ledger line");
    start = end + 1;
    if (!line.ok()) continue;
    if ((*line)["cost_usd"].is_number()) view.run_total += (*line)["cost_usd"].get<double>();
    if (line->value("iteration", -1) == iteration) {
      by_stage[line->value("stage", std::string("?"))].Add(*line);
    }
  }
  for (const auto& [stage, totals] : by_stage) view.by_stage[stage] = totals.ToJson();
  return view;
}

class Trainer {
 public:
  Trainer(Engine& engine, TrainOptions& options, RunLayout run, fs::path base_dir,
          bench::Split split, bench::TrainingSchedule schedule)
      : engine_(engine),
        options_(options),
        run_(std::move(run)),
        base_dir_(std::move(base_dir)),
        split_(std::move(split)),
        schedule_(std::move(schedule)),
        role_env_(engine.MakeRoleEnv(options.models)),
        exec_env_(engine.MakeExecutorEnv(options.models.executor, options.max_turns)) {}

  // Runs iterations from state.iteration on; returns when done, stopped or failed.
  Status Run(TrainState& state);

 private:
  Status Checkpoint(TrainState& state, Stage stage);
  bool OverBudget(TrainState& state);
  Status RunIteration(TrainState& state, bool* stop);
  Status RecordIteration(int t, const Json& entry);

  Engine& engine_;
  TrainOptions& options_;
  RunLayout run_;
  fs::path base_dir_;
  bench::Split split_;
  bench::TrainingSchedule schedule_;
  RoleEnv role_env_;
  ExecutorEnv exec_env_;
};

Status Trainer::Checkpoint(TrainState& state, Stage stage) {
  state.completed_stage = stage;
  progress::SetCost(ReadCosts(run_.Ledger(), -2).run_total);
  return SaveTrainState(run_.TrainState(), state);
}

bool Trainer::OverBudget(TrainState& state) {
  if (options_.max_cost_usd <= 0) return false;
  double spent = ReadCosts(run_.Ledger(), -2).run_total;
  if (spent < options_.max_cost_usd) return false;
  state.status = RunStatus::kBudgetExhausted;
  state.stop_reason = fmt::format(
      "--max-cost-usd {:.4f} reached (spent {:.4f}); rerun with "
      "--resume and a higher --max-cost-usd to continue",
      options_.max_cost_usd, spent);
  log::Warn("train: " + state.stop_reason);
  (void)SaveTrainState(run_.TrainState(), state);
  return true;
}

Status Trainer::RecordIteration(int t, const Json& entry) {
  Json results = Json::array();
  if (auto existing = ReadJsonFile(run_.TrainingResults()); existing.ok() && existing->is_array()) {
    results = *existing;
  }
  Json kept = Json::array();
  for (const auto& e : results) {
    if (e.value("iteration", 0) != t) kept.push_back(e);
  }
  kept.push_back(entry);
  return WriteJsonFile(run_.TrainingResults(), kept);
}

Status Trainer::RunIteration(TrainState& state, bool* stop) {
  const int t = state.iteration;
  const fs::path iter_dir = run_.IterDir(t);
  const fs::path snapshot = run_.SnapshotDir(t);
  const std::vector<std::string>& batch = schedule_.batches[t - 1];
  StageTimer timer(iter_dir / "timings.json");
  log::Info(
      fmt::format("iteration {}/{}: batch {}", t, state.iterations_total, fmt::join(batch, ", ")));

  // Snapshot S_t once; the snapshot is what every stage of the iteration reads.
  if (!fs::exists(iter_dir / "snapshot.done")) {
    SG_RETURN_IF_ERROR(CopyTree(state.current_skills, snapshot));
    SG_RETURN_IF_ERROR(WriteFileAtomic(iter_dir / "snapshot.done", state.current_skills + "\n"));
  }

  // EXECUTE
  timer.Start();
  SG_ASSIGN_OR_RETURN(TaskBatchResult executed, RunTasks(exec_env_, batch, snapshot, iter_dir,
                                                         options_.concurrency, "execute", t));
  SG_RETURN_IF_ERROR(timer.Stop(Stage::kExecute));
  SG_RETURN_IF_ERROR(Checkpoint(state, Stage::kExecute));
  if (OverBudget(state)) return *stop = true, Ok();

  // CLASSIFY: every training task failed in the base run; now failed or contrastive.
  std::map<std::string, Signal> outcomes;
  bool all_correct = true;
  for (const auto& a : executed.assessments) {
    outcomes[a.task_id] = a.pass ? Signal::kSuccess : Signal::kFailure;
    all_correct = all_correct && a.pass;
  }

  // DIAGNOSE
  timer.Start();
  progress::SetStage(t, "diagnose", static_cast<int>(batch.size()));
  std::vector<std::optional<Result<std::string>>> diagnoses(batch.size());
  ParallelFor(batch.size(), options_.concurrency, [&](size_t i) {
    DiagnosisInput input;
    input.task = engine_.benchmark().FindTask(batch[i]);
    input.domain = engine_.benchmark().domain();
    input.iteration = t;
    input.contrastive = outcomes[batch[i]] == Signal::kSuccess;
    input.task_dir = iter_dir / SafePathComponent(batch[i]);
    input.base_task_dir = base_dir_ / SafePathComponent(batch[i]);
    input.skill_dir = snapshot;
    diagnoses[i] = DiagnoseTask(role_env_, input);
    progress::TaskDone();
  });
  std::vector<std::pair<std::string, std::string>> by_task;
  for (size_t i = 0; i < batch.size(); ++i) {
    if (!diagnoses[i]->ok()) return diagnoses[i]->error().WithContext("diagnosing " + batch[i]);
    by_task.emplace_back(batch[i], diagnoses[i]->value());
  }
  const std::string batch_diagnoses = JoinDiagnoses(by_task);
  SG_RETURN_IF_ERROR(WriteFileAtomic(iter_dir / "batch_diagnoses.md", batch_diagnoses));
  SG_RETURN_IF_ERROR(timer.Stop(Stage::kDiagnose));
  SG_RETURN_IF_ERROR(Checkpoint(state, Stage::kDiagnose));
  if (OverBudget(state)) return *stop = true, Ok();

  // MOMENTUM (t >= 2): M_{t-1} -> M_t and O_t, before the patch.
  MomentumRecord previous;
  if (t >= 2) {
    SG_ASSIGN_OR_RETURN(previous, ReadMomentumRecord(run_.IterDir(t - 1) / "momentum_memory.json"));
  }
  MomentumStageInput momentum_input;
  momentum_input.iteration = t;
  momentum_input.domain = engine_.benchmark().domain();
  momentum_input.batch_task_ids = batch;
  momentum_input.outcomes = outcomes;
  momentum_input.iter_dir = iter_dir;
  momentum_input.skill_dir = snapshot;
  momentum_input.previous = previous;
  momentum_input.diagnoses = batch_diagnoses;
  std::optional<MomentumStageResult> momentum;
  if (t >= 2) {
    timer.Start();
    progress::SetStage(t, "momentum", 0);
    SG_ASSIGN_OR_RETURN(momentum, RunMomentumStage(role_env_, momentum_input));
    SG_RETURN_IF_ERROR(timer.Stop(Stage::kMomentum));
    SG_RETURN_IF_ERROR(Checkpoint(state, Stage::kMomentum));
    if (OverBudget(state)) return *stop = true, Ok();
  }

  // PATCH
  timer.Start();
  progress::SetStage(t, "patch", 0);
  PatchStageInput patch_input;
  patch_input.iteration = t;
  patch_input.domain = engine_.benchmark().domain();
  patch_input.batch_task_ids = batch;
  patch_input.iter_dir = iter_dir;
  patch_input.skills_before = snapshot;
  patch_input.diagnoses = batch_diagnoses;
  patch_input.record = momentum ? &momentum->record : &previous;
  patch_input.overlay = momentum ? &momentum->overlay : nullptr;
  SG_ASSIGN_OR_RETURN(PatchStageResult patch, RunPatchStage(role_env_, patch_input));
  SG_RETURN_IF_ERROR(timer.Stop(Stage::kPatch));
  SG_RETURN_IF_ERROR(Checkpoint(state, Stage::kPatch));
  if (OverBudget(state)) return *stop = true, Ok();

  // MOMENTUM (t == 1): bootstrap M_1 after the patch, from an empty record.
  if (t == 1) {
    timer.Start();
    progress::SetStage(t, "momentum", 0);
    momentum_input.bootstrap = true;
    momentum_input.patch_summary = fmt::format("Patch report of this iteration:\n{}\n\nDiff:\n{}",
                                               DumpJson(ToJson(patch.report), 2), patch.diff);
    SG_ASSIGN_OR_RETURN(momentum, RunMomentumStage(role_env_, momentum_input));
    SG_RETURN_IF_ERROR(timer.Stop(Stage::kMomentum));
    SG_RETURN_IF_ERROR(Checkpoint(state, Stage::kMomentum));
    if (OverBudget(state)) return *stop = true, Ok();
  }

  // VALIDATE (--accept validate): keep S_{t+1} only if not worse on the validation split.
  bool accepted = true;
  Json validation = nullptr;
  if (options_.accept == AcceptMode::kValidate) {
    timer.Start();
    if (state.current_val_hard < 0) {
      SG_ASSIGN_OR_RETURN(TaskBatchResult before, RunTasks(exec_env_, split_.val_ids, snapshot,
                                                           iter_dir / "validate" / "before",
                                                           options_.concurrency, "validate", t));
      state.current_val_hard = before.hard_accuracy;
    }
    SG_ASSIGN_OR_RETURN(
        TaskBatchResult after,
        RunTasks(exec_env_, split_.val_ids, patch.skills_after, iter_dir / "validate" / "after",
                 options_.concurrency, "validate", t));
    accepted = after.hard_accuracy >= state.current_val_hard;
    validation = {{"before_hard_accuracy", state.current_val_hard},
                  {"after_hard_accuracy", after.hard_accuracy},
                  {"after_soft_accuracy", after.soft_accuracy},
                  {"decision", accepted ? "kept" : "rolled_back"}};
    SG_RETURN_IF_ERROR(WriteJsonFile(iter_dir / "validation.json", validation));
    if (accepted) state.current_val_hard = after.hard_accuracy;
    log::Info(fmt::format("iteration {}: validation {:.3f} -> {:.3f}: patch {}", t,
                          validation["before_hard_accuracy"].get<double>(), after.hard_accuracy,
                          accepted ? "kept" : "rolled back"));
    SG_RETURN_IF_ERROR(timer.Stop(Stage::kValidate));
    SG_RETURN_IF_ERROR(Checkpoint(state, Stage::kValidate));
    if (OverBudget(state)) return *stop = true, Ok();
  }

  // RECORD: M_t with this iteration's remedies, outcomes, cost and time; move to S_{t+1}.
  MomentumRecord record = momentum->record;
  std::vector<std::string> remedy_problems;
  if (t >= 2 && momentum->accepted) {
    remedy_problems = AppendRemedies(record, patch.report.changes, t);
  }
  SG_RETURN_IF_ERROR(WriteJsonFile(iter_dir / "momentum_memory.json", ToJson(record)));
  SG_RETURN_IF_ERROR(
      WriteFileAtomic(iter_dir / "momentum_memory.md", RenderRecordMarkdown(record)));

  Json outcome_list = Json::array();
  for (const auto& a : executed.assessments) {
    outcome_list.push_back({{"task_id", a.task_id},
                            {"pass", a.pass},
                            {"score", a.score},
                            {"class", a.pass ? "contrastive" : "failed"},
                            {"stop_reason", a.stop_reason}});
  }
  CostView costs = ReadCosts(run_.Ledger(), t);
  Json entry = {{"iteration", t},
                {"batch", batch},
                {"outcomes", outcome_list},
                {"batch_pass_rate", executed.hard_accuracy},
                {"all_correct", all_correct},
                {"momentum",
                 {{"accepted", momentum->accepted},
                  {"violations", momentum->violations},
                  {"patterns", record.patterns.size()},
                  {"remedy_problems", remedy_problems}}},
                {"patch",
                 {{"changes", ToJson(patch.report)["changes"]},
                  {"reported", patch.reported},
                  {"repaired", patch.repaired},
                  {"lint_violations", patch.lint_violations},
                  {"diff_bytes", patch.diff.size()}}},
                {"validation", validation},
                {"accepted", accepted},
                {"seconds_by_stage", timer.seconds()},
                {"cost_by_stage", costs.by_stage},
                {"run_cost_usd", costs.run_total}};
  SG_RETURN_IF_ERROR(RecordIteration(t, entry));

  state.current_skills = (accepted ? fs::absolute(patch.skills_after) : fs::absolute(snapshot))
                             .lexically_normal()
                             .string();
  state.all_correct_streak = all_correct ? state.all_correct_streak + 1 : 0;
  state.iteration = t + 1;
  state.completed_stage = Stage::kNone;
  SG_RETURN_IF_ERROR(SaveTrainState(run_.TrainState(), state));
  log::Info(fmt::format("iteration {}: batch pass rate {:.2f}, {} patch change(s){}", t,
                        executed.hard_accuracy, patch.report.changes.size(),
                        accepted ? "" : " (rolled back)"));
  if (state.all_correct_streak >= options_.early_stop_after) {
    state.stop_reason =
        fmt::format("early stop: {} consecutive all-correct batches", state.all_correct_streak);
    *stop = true;
  }
  return Ok();
}

Status Trainer::Run(TrainState& state) {
  progress::SetPlan(state.iterations_total);
  while (state.iteration <= state.iterations_total) {
    bool stop = false;
    Status status = RunIteration(state, &stop);
    if (!status.ok()) {
      state.status = RunStatus::kFailed;
      state.stop_reason = status.error().message;
      // A full or read-only disk may refuse this too: the last checkpoint then stands, and
      // --resume continues from it.
      (void)SaveTrainState(run_.TrainState(), state);
      return status;
    }
    if (state.status == RunStatus::kBudgetExhausted) return Ok();
    if (stop) break;
  }
  SG_RETURN_IF_ERROR(CopyTree(state.current_skills, run_.FinalSkillsDir()));
  state.status = RunStatus::kCompleted;
  if (state.stop_reason.empty()) state.stop_reason = "all iterations done";
  return SaveTrainState(run_.TrainState(), state);
}

Result<bench::TrainingSchedule> MakeSchedule(const TrainOptions& options,
                                             const std::vector<std::string>& failure_pool) {
  bench::TrainingOptions t;
  t.training_seed = options.training_seed;
  t.n_train = static_cast<size_t>(options.n_train);
  t.batch_size = static_cast<size_t>(options.batch_size);
  t.schedule = options.batch_schedule == BatchSchedule::kEpoch ? bench::ScheduleKind::kOneEpoch
                                                               : bench::ScheduleKind::kFixedUpdates;
  if (options.n_iterations > 0) t.iterations = static_cast<size_t>(options.n_iterations);
  if (failure_pool.empty()) {
    // Nothing to train on: no batch, and RunTrain ends the run with the seed as final skill.
    bench::TrainingSchedule none;
    none.training_seed = t.training_seed;
    none.schedule = t.schedule;
    none.batch_size = t.batch_size;
    return none;
  }
  return bench::MakeTrainingSchedule(failure_pool, t);
}

std::string HowToRerun(const TrainOptions& options) {
  return options.method == "demo" ? "rerun skillgrad demo with --resume"
                                  : "rerun the same skillgrad train command with --resume";
}

Result<TrainResult> TrainSteps(TrainOptions& options, const LlmSettings& llm) {
  SG_ASSIGN_OR_RETURN(std::unique_ptr<Engine> engine, Engine::Open(options, llm));
  SG_RETURN_IF_ERROR(CheckResultsRootWritable(options.results_root, HowToRerun(options)));
  SG_RETURN_IF_ERROR(options.Validate());
  SG_ASSIGN_OR_RETURN(std::vector<skill::SkillPackage> seeds,
                      skill::LoadSkillsDir(options.skills_dir));
  if (seeds.size() != 1) {
    return InvalidArgument(
        fmt::format("--skills-dir {} holds {} skills; train optimizes one "
                    "skill at a time: point it at that skill's folder",
                    options.skills_dir.string(), seeds.size()));
  }
  ResultsLayout layout(options.results_root);
  TrainResult result;
  result.run_id = MakeRunId(options.method, options.models.executor, options.config_tag);
  result.run_dir = layout.RunDir(result.run_id);
  RunLayout run(result.run_dir);

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
      SG_RETURN_IF_ERROR(CatchUpManifest(layout, result.run_id, "train", state.ToJson()));
      result.state = state;
      result.final_skills = run.FinalSkillsDir();
      result.cost_usd = ReadCosts(run.Ledger(), -2).run_total;
      return result;
    }
    log::Info(fmt::format("train: resuming {} at iteration {} (last completed stage: {})",
                          result.run_id, state.iteration, StageName(state.completed_stage)));
  } else if (options.resume) {
    log::Info(
        fmt::format("train: no checkpoint in {}; starting a new run", result.run_dir.string()));
  }

  SG_ASSIGN_OR_RETURN(bench::Split split, LoadOrMakeSplit(engine->benchmark(), options));
  SG_RETURN_IF_ERROR(engine->StartClient(run.Ledger()));
  log::SetLogFile(run.Log());
  if (!fs::exists(run.Config())) {
    Json config = options.ToJson();
    config["run_id"] = result.run_id;
    config["provider"] = engine->ProviderJson();
    config["sandbox"] = engine->SandboxJson();
    config["version"] = SKILLGRAD_VERSION;
    SG_RETURN_IF_ERROR(WriteJsonFile(run.Config(), config));
  }

  fs::path base_dir =
      layout.BaseDir(options.master_seed, options.heldout_seed, options.models.executor);
  std::optional<CollectResult> base = LoadCollectResult(base_dir);
  if (!base) {
    log::Info(fmt::format("train: no base trajectories for {} in {}: running collect first",
                          options.models.executor, base_dir.string()));
    SG_ASSIGN_OR_RETURN(base, RunCollect(*engine, options, split));
  }
  SG_ASSIGN_OR_RETURN(bench::TrainingSchedule schedule, MakeSchedule(options, base->failure_pool));
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
    fs::path seed_skill = seeds.front().root;
    SG_RETURN_IF_ERROR(CopyTree(seed_skill, seed_copy / seed_skill.filename()));
    state.current_skills = fs::absolute(seed_copy).lexically_normal().string();
    state.iterations_total = static_cast<int>(schedule.batches.size());
    if (options.batch_schedule == BatchSchedule::kEpoch && options.n_iterations > 0) {
      state.iterations_total = std::min(state.iterations_total, options.n_iterations);
    }
    SG_RETURN_IF_ERROR(SaveTrainState(run.TrainState(), state));
  }
  state.status = RunStatus::kRunning;
  state.stop_reason.clear();  // a resumed run states its own reason, not the last stop's
  SG_RETURN_IF_ERROR(UpdateManifest(layout, result.run_id, "train", state.ToJson()));

  if (schedule.batches.empty()) {
    log::Warn(
        "train: the seed skill passed every evolution-pool task: nothing to train on; "
        "the final skill is the seed");
  }
  Trainer trainer(*engine, options, run, base_dir, split, schedule);
  Status trained = trainer.Run(state);
  progress::Hide();
  Status indexed = UpdateManifest(layout, result.run_id, "train", state.ToJson());
  if (!trained.ok()) {
    if (!indexed.ok()) log::Warn("train: " + indexed.error().message);
    return trained.error();
  }
  SG_RETURN_IF_ERROR(indexed);
  result.state = state;
  result.final_skills = run.FinalSkillsDir();
  result.cost_usd = ReadCosts(run.Ledger(), -2).run_total;
  return result;
}

}  // namespace

Result<TrainResult> RunTrain(TrainOptions& options, const LlmSettings& llm) {
  Result<TrainResult> result = TrainSteps(options, llm);
  if (!result.ok()) {
    return WithDiskAdvice(result.error(), options.results_root, HowToRerun(options));
  }
  return result;
}

}  // namespace sg::optim
