// RECORD: M_t gains this iteration's remedies; the iteration's entry (outcomes, momentum,
// patch, validation, cost and time) goes to train/training_results.json, and from it
// train/iteration_log.md and iter_<t>/summary.md; the state moves to
// S_{t+1} (the patched skills, or S_t when VALIDATE rolled the patch back) and iteration t+1.
// After an early stop (IterationWork::early_stop) it records the batch without a patch and
// ends the run.
// It makes no call and overwrites its own outputs, so it simply runs again on resume.
#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/file_util.h"
#include "core/json_fields.h"
#include "core/log.h"
#include "optim/iteration_layout.h"
#include "optim/iteration_record.h"
#include "optim/momentum_render.h"
#include "optim/skillgrad_stages.h"
#include "optim/stage_driver.h"

namespace sg::optim {
namespace fs = std::filesystem;

namespace {

// Replaces the entry of iteration t (a resumed RECORD) or appends it, then renders the
// iteration log from every entry and the iteration's one-page summary.
Status RecordIteration(const StageServices& s, const IterationContext& it, const Json& entry) {
  Json kept = Json::array();
  if (auto existing = ReadJsonFile(s.training_results); existing.ok() && existing->is_array()) {
    for (const auto& e : *existing) {
      if (e.value("iteration", 0) != it.iteration) kept.push_back(e);
    }
  }
  kept.push_back(entry);
  SG_RETURN_IF_ERROR(WriteJsonFile(s.training_results, kept));
  SG_RETURN_IF_ERROR(
      WriteFileAtomic(IterationLayout(it.iter_dir).Summary(), RenderIterationSummary(entry)));
  if (s.iteration_log.empty()) return Ok();
  return WriteFileAtomic(s.iteration_log, RenderIterationLog(kept));
}

// The assessment's value of `key`, null where the grader does not give one.
const Json& AssessmentField(const run::TaskAssessment& a, const char* key) {
  return AnyField(a.json, key);
}

// Per task, before the patch: the verdict, the score and the grader's cell counts.
Json OutcomeList(const run::TaskBatchResult& executed) {
  Json list = Json::array();
  for (const auto& a : executed.assessments) {
    list.push_back({{"task_id", a.task_id},
                    {"pass", a.pass},
                    {"score", a.score},
                    {"class", a.pass ? "contrastive" : "failed"},
                    {"status", AssessmentField(a, "status")},
                    {"cell_accuracy", AssessmentField(a, "cell_accuracy")},
                    {"match_count", AssessmentField(a, "match_count")},
                    {"total_count", AssessmentField(a, "total_count")},
                    {"stop_reason", a.stop_reason}});
  }
  return list;
}

// The iteration's seconds, cost and unpriced calls: the sums over its stages.
void AddTotals(Json& entry) {
  double seconds = 0, cost = 0;
  int64_t unpriced = 0;
  for (const auto& [stage, s] : entry["seconds_by_stage"].items()) {
    if (s.is_number()) seconds += s.get<double>();
  }
  for (const auto& [stage, c] : entry["cost_by_stage"].items()) {
    cost += c.value("cost_usd", 0.0);
    unpriced += c.value("calls_without_cost", int64_t{0});
  }
  entry["duration_s"] = seconds;
  entry["cost_usd"] = cost;
  entry["calls_without_cost"] = unpriced;
}

// The fields every entry has: the batch, its outcomes and counts before the patch (the
// authors' pre_correct and pre_soft_accuracy), the diagnosis labels, and what it took.
Json BaseEntry(const IterationWork& work, const IterationCosts& costs) {
  const run::TaskBatchResult& executed = *work.executed;
  size_t n_failed = 0;
  for (const auto& a : executed.assessments) n_failed += a.pass ? 0 : 1;
  const StageTimer timer(IterationLayout(work.context.iter_dir).Timings());
  Json outcomes = OutcomeList(executed);
  Json entry = {{"iteration", work.context.iteration},
                {"batch", work.context.batch},
                {"result", work.early_stop ? "all_correct" : "patched"},
                {"n_failed", n_failed},
                {"n_contrastive", executed.assessments.size() - n_failed},
                {"pre_correct", executed.assessments.size() - n_failed},
                {"pre_soft_accuracy", executed.soft_accuracy},
                {"batch_pass_rate", executed.hard_accuracy},
                {"all_correct", work.all_correct},
                {"diagnosis_labels", DiagnosisLabels(work.context, outcomes)},
                {"outcomes", std::move(outcomes)},
                {"seconds_by_stage", timer.seconds()},
                {"cost_by_stage", costs.by_stage},
                {"run_cost_usd", costs.run_total}};
  AddTotals(entry);
  return entry;
}

class RecordStage final : public IterationStage {
 public:
  explicit RecordStage(const StageServices& s) : s_(s) {}
  Stage id() const override { return Stage::kRecord; }
  Result<bool> Reload(IterationWork& work) override { return false; }

  Status Run(IterationWork& work) override {
    if (!work.executed) return InternalError("RECORD needs the results of EXECUTE");
    if (work.early_stop) return RecordEarlyStop(work);
    const IterationContext& it = work.context;
    const int t = it.iteration;
    if (s_.ablate_momentum) return RecordWithoutMomentum(work);
    if (!work.momentum || !work.patch) {
      return InternalError("RECORD needs the results of EXECUTE, MOMENTUM and PATCH");
    }
    const PatchStageResult& patch = *work.patch;
    MomentumRecord record = work.momentum->record;
    std::vector<std::string> remedy_problems;
    // The remedy log grows every iteration: the record is valid whether the agent's
    // submission was kept whole, in part, or not at all (then it is M_{t-1}).
    if (t >= 2) {
      remedy_problems = AppendRemedies(record, patch.report.changes, t);
    }
    SG_RETURN_IF_ERROR(WriteRecord(it, record));

    const bool accepted = !work.validation || work.validation->kept;
    Json entry = BaseEntry(work, s_.costs ? s_.costs(t) : IterationCosts{});
    entry["momentum"] = {{"accepted", work.momentum->accepted},
                         {"violations", work.momentum->violations},
                         {"dropped", work.momentum->dropped.size()},
                         {"patterns", record.patterns.size()},
                         {"remedy_problems", remedy_problems}};
    entry["patch"] = PatchJson(patch);
    entry["validation"] = work.validation ? work.validation->ToJson() : Json();
    entry["accepted"] = accepted;
    SG_RETURN_IF_ERROR(RecordIteration(s_, it, entry));
    Advance(work, accepted);
    return Ok();
  }

 private:
  // --ablate momentum: the patch is recorded as usual, without a momentum block; M_t stays
  // M_{t-1} (empty from M_0 on), so no iteration sees a record.
  Status RecordWithoutMomentum(IterationWork& work) {
    const IterationContext& it = work.context;
    if (!work.patch) return InternalError("RECORD needs the results of EXECUTE and PATCH");
    SG_RETURN_IF_ERROR(WriteRecord(it, work.previous));
    const bool accepted = !work.validation || work.validation->kept;
    Json entry = BaseEntry(work, s_.costs ? s_.costs(it.iteration) : IterationCosts{});
    entry["momentum"] = nullptr;
    entry["patch"] = PatchJson(*work.patch);
    entry["validation"] = work.validation ? work.validation->ToJson() : Json();
    entry["accepted"] = accepted;
    SG_RETURN_IF_ERROR(RecordIteration(s_, it, entry));
    Advance(work, accepted);
    return Ok();
  }

  static Json PatchJson(const PatchStageResult& patch) {
    return {{"changes", ToJson(patch.report)["changes"]},
            {"reported", patch.reported},
            {"repaired", patch.repaired},
            {"lint_violations", patch.lint_violations},
            {"diff_bytes", patch.diff.size()}};
  }

  // The state moves to S_{t+1} (or S_t when VALIDATE rolled the patch back) and iteration t+1.
  static void Advance(IterationWork& work, bool accepted) {
    const IterationContext& it = work.context;
    TrainState& state = *work.state;
    if (work.validation) {
      state.current_val_hard =
          accepted ? work.validation->after_hard : work.validation->before_hard;
      state.current_val_dir = accepted ? work.validation->after_dir : work.validation->before_dir;
    }
    const fs::path next = accepted ? work.patch->skills_after : it.skill_dir;
    state.current_skills = fs::absolute(next).lexically_normal().string();
    state.all_correct_streak = work.all_correct ? state.all_correct_streak + 1 : 0;
    state.iteration = it.iteration + 1;
    log::Info(fmt::format("iteration {}: batch pass rate {:.2f}, {} patch change(s){}",
                          it.iteration, work.executed->hard_accuracy,
                          work.patch->report.changes.size(), accepted ? "" : " (rolled back)"));
  }

  // The streak reached the limit at EXECUTE: nothing was diagnosed or patched, S_t is the
  // final skill and M_t is M_{t-1}.
  Status RecordEarlyStop(IterationWork& work) {
    const IterationContext& it = work.context;
    SG_RETURN_IF_ERROR(WriteRecord(it, work.previous));
    Json entry = BaseEntry(work, s_.costs ? s_.costs(it.iteration) : IterationCosts{});
    entry["momentum"] = nullptr;
    entry["patch"] = nullptr;
    entry["validation"] = nullptr;
    SG_RETURN_IF_ERROR(RecordIteration(s_, it, entry));
    TrainState& state = *work.state;
    state.current_skills = fs::absolute(it.skill_dir).lexically_normal().string();
    state.all_correct_streak += 1;
    state.iteration = it.iteration + 1;
    state.stop_reason =
        fmt::format("early stop: {} consecutive all-correct batches (iteration {} made no patch)",
                    state.all_correct_streak, it.iteration);
    work.stop = true;
    log::Info(
        fmt::format("iteration {}: every batch task passed; {}", it.iteration, state.stop_reason));
    return Ok();
  }

  static Status WriteRecord(const IterationContext& it, const MomentumRecord& record) {
    SG_RETURN_IF_ERROR(
        WriteJsonFile(IterationLayout(it.iter_dir).MomentumMemory(), ToJson(record)));
    return WriteFileAtomic(IterationLayout(it.iter_dir).MomentumMemoryMarkdown(),
                           RenderRecordMarkdown(record));
  }

 private:
  const StageServices& s_;
};

}  // namespace

std::unique_ptr<IterationStage> MakeRecordStage(const StageServices& services) {
  return std::make_unique<RecordStage>(services);
}

}  // namespace sg::optim
