// RECORD: M_t gains this iteration's remedies; the iteration's entry (outcomes, momentum,
// patch, validation, cost and time) goes to train/training_results.json; the state moves to
// S_{t+1} (the patched skills, or S_t when VALIDATE rolled the patch back) and iteration t+1.
// It makes no call and overwrites its own outputs, so it simply runs again on resume.
#include <fmt/format.h>

#include <string>
#include <utility>
#include <vector>

#include "core/file_util.h"
#include "core/log.h"
#include "optim/iteration_layout.h"
#include "optim/momentum_render.h"
#include "optim/skillgrad_stages.h"
#include "optim/stage_driver.h"

namespace sg::optim {
namespace fs = std::filesystem;

namespace {

// Replaces the entry of iteration t (a resumed RECORD) or appends it.
Status RecordIteration(const fs::path& file, int t, const Json& entry) {
  Json kept = Json::array();
  if (auto existing = ReadJsonFile(file); existing.ok() && existing->is_array()) {
    for (const auto& e : *existing) {
      if (e.value("iteration", 0) != t) kept.push_back(e);
    }
  }
  kept.push_back(entry);
  return WriteJsonFile(file, kept);
}

Json OutcomeList(const run::TaskBatchResult& executed) {
  Json list = Json::array();
  for (const auto& a : executed.assessments) {
    list.push_back({{"task_id", a.task_id},
                    {"pass", a.pass},
                    {"score", a.score},
                    {"class", a.pass ? "contrastive" : "failed"},
                    {"stop_reason", a.stop_reason}});
  }
  return list;
}

class RecordStage final : public IterationStage {
 public:
  explicit RecordStage(const StageServices& s) : s_(s) {}
  Stage id() const override { return Stage::kRecord; }
  Result<bool> Reload(IterationWork& work) override { return false; }

  Status Run(IterationWork& work) override {
    const IterationContext& it = work.context;
    const int t = it.iteration;
    if (!work.executed || !work.momentum || !work.patch) {
      return InternalError("RECORD needs the results of EXECUTE, MOMENTUM and PATCH");
    }
    const PatchStageResult& patch = *work.patch;
    MomentumRecord record = work.momentum->record;
    std::vector<std::string> remedy_problems;
    if (t >= 2 && work.momentum->accepted) {
      remedy_problems = AppendRemedies(record, patch.report.changes, t);
    }
    SG_RETURN_IF_ERROR(
        WriteJsonFile(IterationLayout(it.iter_dir).MomentumMemory(), ToJson(record)));
    SG_RETURN_IF_ERROR(WriteFileAtomic(IterationLayout(it.iter_dir).MomentumMemoryMarkdown(),
                                       RenderRecordMarkdown(record)));

    const bool accepted = !work.validation || work.validation->kept;
    const StageTimer timer(IterationLayout(it.iter_dir).Timings());
    const IterationCosts costs = s_.costs ? s_.costs(t) : IterationCosts{};
    Json entry = {{"iteration", t},
                  {"batch", it.batch},
                  {"outcomes", OutcomeList(*work.executed)},
                  {"batch_pass_rate", work.executed->hard_accuracy},
                  {"all_correct", work.all_correct},
                  {"momentum",
                   {{"accepted", work.momentum->accepted},
                    {"violations", work.momentum->violations},
                    {"patterns", record.patterns.size()},
                    {"remedy_problems", remedy_problems}}},
                  {"patch",
                   {{"changes", ToJson(patch.report)["changes"]},
                    {"reported", patch.reported},
                    {"repaired", patch.repaired},
                    {"lint_violations", patch.lint_violations},
                    {"diff_bytes", patch.diff.size()}}},
                  {"validation", work.validation ? work.validation->ToJson() : Json()},
                  {"accepted", accepted},
                  {"seconds_by_stage", timer.seconds()},
                  {"cost_by_stage", costs.by_stage},
                  {"run_cost_usd", costs.run_total}};
    SG_RETURN_IF_ERROR(RecordIteration(s_.training_results, t, entry));

    TrainState& state = *work.state;
    if (work.validation) {
      state.current_val_hard =
          accepted ? work.validation->after_hard : work.validation->before_hard;
    }
    const fs::path next = accepted ? patch.skills_after : it.skill_dir;
    state.current_skills = fs::absolute(next).lexically_normal().string();
    state.all_correct_streak = work.all_correct ? state.all_correct_streak + 1 : 0;
    state.iteration = t + 1;
    log::Info(fmt::format("iteration {}: batch pass rate {:.2f}, {} patch change(s){}", t,
                          work.executed->hard_accuracy, patch.report.changes.size(),
                          accepted ? "" : " (rolled back)"));
    if (state.all_correct_streak >= s_.early_stop_after) {
      state.stop_reason =
          fmt::format("early stop: {} consecutive all-correct batches", state.all_correct_streak);
      work.stop = true;
    }
    return Ok();
  }

 private:
  const StageServices& s_;
};

}  // namespace

std::unique_ptr<IterationStage> MakeRecordStage(const StageServices& services) {
  return std::make_unique<RecordStage>(services);
}

}  // namespace sg::optim
