#include "optim/skillgrad_stages.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <optional>
#include <utility>

#include "core/file_util.h"
#include "core/log.h"
#include "core/parallel.h"
#include "core/progress.h"
#include "optim/diagnose.h"
#include "optim/iteration_layout.h"

namespace sg::optim {
namespace fs = std::filesystem;

namespace {

// EXECUTE runs S_t on the batch; CLASSIFY, part of it, labels each task: every training task
// failed in the base run, so one that passes now is contrastive and one that fails is failed.
// An all-correct batch that brings the streak to the early-stop limit ends the run here.
class ExecuteStage final : public IterationStage {
 public:
  explicit ExecuteStage(const StageServices& s) : s_(s) {}
  Stage id() const override { return Stage::kExecute; }

  Result<bool> Reload(IterationWork& work) override {
    std::optional<run::TaskBatchResult> done =
        run::LoadFinishedTasks(work.context.batch, work.context.iter_dir);
    if (!done) return false;
    Classify(std::move(*done), work);
    return true;
  }

  Status Run(IterationWork& work) override {
    const IterationContext& it = work.context;
    SG_ASSIGN_OR_RETURN(run::TaskBatchResult executed,
                        run::RunTasks(*s_.executor, it.batch, it.skill_dir, it.iter_dir,
                                      s_.concurrency, "execute", it.iteration));
    Classify(std::move(executed), work);
    return Ok();
  }

 private:
  void Classify(run::TaskBatchResult executed, IterationWork& work) const {
    work.outcomes.clear();
    work.all_correct = true;
    for (const auto& a : executed.assessments) {
      work.outcomes[a.task_id] = a.pass ? Signal::kSuccess : Signal::kFailure;
      work.all_correct = work.all_correct && a.pass;
    }
    const int streak = work.state != nullptr ? work.state->all_correct_streak : 0;
    work.early_stop =
        work.all_correct && s_.early_stop_after > 0 && streak + 1 >= s_.early_stop_after;
    work.executed = std::move(executed);
  }
  const StageServices& s_;
};

// DIAGNOSE: one diagnosis per batch task, in parallel; iter_<t>/batch_diagnoses.md marks the
// stage as done. A diagnoser that stops without a diagnosis is recorded as such and the stage
// goes on; only an Error (a provider failure, a missing folder) stops it, to be resumed.
class DiagnoseStage final : public IterationStage {
 public:
  explicit DiagnoseStage(const StageServices& s) : s_(s) {}
  Stage id() const override { return Stage::kDiagnose; }
  bool AppliesTo(const IterationWork& work) const override { return !work.early_stop; }

  Result<bool> Reload(IterationWork& work) override {
    auto text = ReadFile(Output(work));
    if (!text.ok()) return false;
    work.diagnoses = std::move(text).value();
    return true;
  }

  Status Run(IterationWork& work) override {
    const IterationContext& it = work.context;
    const std::vector<std::string> ids = TasksToDiagnose(work);
    progress::SetStage(it.iteration, "diagnose", static_cast<int>(ids.size()));
    std::vector<std::optional<Result<Diagnosis>>> diagnoses(ids.size());
    Status ran = ParallelFor(ids.size(), s_.concurrency, [&](size_t i) {
      DiagnosisInput input;
      input.iteration = &it;
      input.task = s_.benchmark->FindTask(ids[i]);
      // A lookup that never inserts: the workers share the map.
      const auto outcome = work.outcomes.find(ids[i]);
      input.contrastive = outcome != work.outcomes.end() && outcome->second == Signal::kSuccess;
      diagnoses[i] = input.task == nullptr ? Result<Diagnosis>(NotFound("task " + ids[i] +
                                                                        " is not in the "
                                                                        "benchmark"))
                                           : DiagnoseTask(*s_.roles, input);
      progress::TaskDone();
    });
    SG_RETURN_IF_ERROR(ran);
    std::vector<Diagnosis> done;
    for (size_t i = 0; i < ids.size(); ++i) {
      if (!diagnoses[i]->ok()) return diagnoses[i]->error().WithContext("diagnosing " + ids[i]);
      if (diagnoses[i]->value().errored) {
        log::Warn(
            fmt::format("iteration {}: task {} has no diagnosis (the diagnoser stopped "
                        "without one); recorded in its diagnosis.md",
                        it.iteration, ids[i]));
      }
      done.push_back(std::move(diagnoses[i]->value()));
    }
    std::string joined = JoinDiagnoses(done);
    SG_RETURN_IF_ERROR(WriteFileAtomic(Output(work), joined));
    work.diagnoses = std::move(joined);
    return Ok();
  }

 private:
  // The batch, less the tasks that passed under --ablate contrastive (they get no diagnosis).
  std::vector<std::string> TasksToDiagnose(const IterationWork& work) const {
    std::vector<std::string> ids;
    for (const auto& id : work.context.batch) {
      const auto outcome = work.outcomes.find(id);
      const bool passed = outcome != work.outcomes.end() && outcome->second == Signal::kSuccess;
      if (!(s_.ablate_contrastive && passed)) ids.push_back(id);
    }
    return ids;
  }
  static fs::path Output(const IterationWork& work) {
    return IterationLayout(work.context.iter_dir).BatchDiagnoses();
  }
  const StageServices& s_;
};

// MOMENTUM folds the diagnoses into M_t and writes O_t (optim/momentum_stage.h).
class MomentumStage final : public IterationStage {
 public:
  MomentumStage(const StageServices& s, bool bootstrap) : s_(s), bootstrap_(bootstrap) {}
  Stage id() const override { return Stage::kMomentum; }
  bool AppliesTo(const IterationWork& work) const override {
    return !work.early_stop && bootstrap_ == (work.context.iteration == 1);
  }

  Result<bool> Reload(IterationWork& work) override {
    work.momentum = LoadMomentumStage(work.context.iter_dir);
    return work.momentum.has_value();
  }

  Status Run(IterationWork& work) override {
    progress::SetStage(work.context.iteration, "momentum", 0);
    MomentumStageInput input;
    input.iteration = &work.context;
    input.outcomes = work.outcomes;
    input.previous = work.previous;
    input.diagnoses = work.diagnoses.value_or("");
    if (bootstrap_) {
      // The bootstrap reads what the patch just did, so it runs after PATCH.
      if (!work.patch) return InternalError("the momentum bootstrap needs the patch's result");
      input.bootstrap = true;
      input.patch_summary = fmt::format("Patch report of this iteration:\n{}\n\nDiff:\n{}",
                                        DumpJson(ToJson(work.patch->report), 2), work.patch->diff);
    }
    SG_ASSIGN_OR_RETURN(work.momentum, RunMomentumStage(*s_.roles, input));
    return Ok();
  }

 private:
  const StageServices& s_;
  bool bootstrap_;
};

// PATCH edits a copy of S_t into S_{t+1} (optim/patch_stage.h).
class PatchStage final : public IterationStage {
 public:
  explicit PatchStage(const StageServices& s) : s_(s) {}
  Stage id() const override { return Stage::kPatch; }
  bool AppliesTo(const IterationWork& work) const override { return !work.early_stop; }

  Result<bool> Reload(IterationWork& work) override {
    work.patch = LoadPatchStage(work.context.iter_dir);
    return work.patch.has_value();
  }

  Status Run(IterationWork& work) override {
    progress::SetStage(work.context.iteration, "patch", 0);
    PatchStageInput input;
    input.iteration = &work.context;
    input.diagnoses = work.diagnoses.value_or("");
    // At t == 1 the record is M_0 (empty) and there is no overlay yet: momentum comes after.
    input.record = work.momentum ? &work.momentum->record : &work.previous;
    input.overlay = work.momentum ? &work.momentum->overlay : nullptr;
    input.projection = s_.projection;
    SG_ASSIGN_OR_RETURN(work.patch, RunPatchStage(*s_.roles, input));
    return Ok();
  }

 private:
  const StageServices& s_;
};

}  // namespace

std::unique_ptr<IterationStage> MakeExecuteStage(const StageServices& services) {
  return std::make_unique<ExecuteStage>(services);
}
std::unique_ptr<IterationStage> MakeDiagnoseStage(const StageServices& services) {
  return std::make_unique<DiagnoseStage>(services);
}
std::unique_ptr<IterationStage> MakeMomentumStage(const StageServices& services, bool bootstrap) {
  return std::make_unique<MomentumStage>(services, bootstrap);
}
std::unique_ptr<IterationStage> MakePatchStage(const StageServices& services) {
  return std::make_unique<PatchStage>(services);
}

StageList SkillGradStages(const StageServices& services, AcceptMode accept) {
  StageList stages;
  stages.push_back(MakeExecuteStage(services));
  stages.push_back(MakeDiagnoseStage(services));
  // --ablate momentum drops both instances: the patcher sees the diagnoses only.
  if (!services.ablate_momentum) stages.push_back(MakeMomentumStage(services, false));
  stages.push_back(MakePatchStage(services));
  if (!services.ablate_momentum) stages.push_back(MakeMomentumStage(services, true));
  if (accept == AcceptMode::kValidate) stages.push_back(MakeValidateStage(services));
  stages.push_back(MakeRecordStage(services));
  return stages;
}

}  // namespace sg::optim
