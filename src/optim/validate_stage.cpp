// VALIDATE (--accept validate): S_{t+1} is kept only when --accept-rule says so on the
// validation split: by default (point, the method's rule) when its accuracy is not below
// S_t's; not-worse and better decide by the paired test of the two skills' per-task pass
// rates (exact McNemar for one rollout, a paired sign-flip permutation test for several).
// The decision, with both scores and the test, is iter_<t>/validation.json; the stage leaves
// the state alone (RECORD carries the kept score and its results folder forward), so a run
// resumed after this stage records the scores it measured.
#include <fmt/format.h>

#include <string>

#include "core/file_util.h"
#include "core/json_fields.h"
#include "core/log.h"
#include "optim/iteration_layout.h"
#include "optim/skillgrad_stages.h"
#include "run/eval_rollouts.h"

namespace sg::optim {
namespace fs = std::filesystem;

Json ValidationOutcome::ToJson() const {
  return Json{{"before_hard_accuracy", before_hard},
              {"after_hard_accuracy", after_hard},
              {"after_soft_accuracy", after_soft},
              {"decision", kept ? "kept" : "rolled_back"},
              {"before_dir", before_dir},
              {"after_dir", after_dir},
              {"test", test}};
}

Result<ValidationOutcome> ValidationOutcome::FromJson(const Json& json, const std::string& source) {
  const Json& before = AnyField(json, "before_hard_accuracy");
  const Json& after = AnyField(json, "after_hard_accuracy");
  const Json& decision = AnyField(json, "decision");
  if (!before.is_number() || !after.is_number() || !decision.is_string() ||
      (decision != "kept" && decision != "rolled_back")) {
    return InvalidArgument(fmt::format(
        "{}: not a validation decision (needs before_hard_accuracy, after_hard_accuracy and "
        "decision kept|rolled_back): delete it to validate this iteration again",
        source));
  }
  ValidationOutcome out;
  out.before_hard = before.get<double>();
  out.after_hard = after.get<double>();
  const Json& soft = AnyField(json, "after_soft_accuracy");
  out.after_soft = soft.is_number() ? soft.get<double>() : 0.0;
  out.kept = decision == "kept";
  out.before_dir = json.value("before_dir", "");
  out.after_dir = json.value("after_dir", "");
  out.test = json.value("test", Json());
  return out;
}

namespace {

class ValidateStage final : public IterationStage {
 public:
  explicit ValidateStage(const StageServices& s) : s_(s) {}
  Stage id() const override { return Stage::kValidate; }
  bool AppliesTo(const IterationWork& work) const override { return !work.early_stop; }

  Result<bool> Reload(IterationWork& work) override {
    const fs::path file = Output(work);
    if (!fs::exists(file)) return false;
    SG_ASSIGN_OR_RETURN(Json json, ReadJsonFile(file));
    SG_ASSIGN_OR_RETURN(work.validation, ValidationOutcome::FromJson(json, file.string()));
    return true;
  }

  Status Run(IterationWork& work) override {
    const IterationContext& it = work.context;
    if (!work.patch) return InternalError("VALIDATE needs the patch's result");
    const IterationLayout layout(it.iter_dir);
    const bool paired = s_.accept_rule != AcceptRule::kPoint;
    const int k = s_.val_rollouts;
    ValidationOutcome outcome;
    // S_t's results: carried from the iteration that measured it (the point rule needs only
    // its score; a paired rule its per-task results too), or measured now.
    std::optional<std::vector<run::TaskBatchResult>> before;
    const TrainState& state = *work.state;
    const bool carried = state.current_val_hard >= 0;
    if (carried && paired && !state.current_val_dir.empty()) {
      before = run::LoadRollouts(s_.val_ids, state.current_val_dir, k);
    }
    if (carried && (before || !paired)) outcome.before_dir = state.current_val_dir;
    if (!carried || (paired && !before)) {
      SG_ASSIGN_OR_RETURN(
          before, run::RunRollouts(*s_.executor, s_.val_ids, it.skill_dir, layout.ValidateBefore(),
                                   s_.concurrency, "validate", it.iteration, k));
      outcome.before_dir = fs::absolute(layout.ValidateBefore()).lexically_normal().string();
    }
    SG_ASSIGN_OR_RETURN(
        std::vector<run::TaskBatchResult> after,
        run::RunRollouts(*s_.executor, s_.val_ids, work.patch->skills_after, layout.ValidateAfter(),
                         s_.concurrency, "validate", it.iteration, k));
    outcome.after_dir = fs::absolute(layout.ValidateAfter()).lexically_normal().string();
    outcome.before_hard = before ? run::RolloutAccuracy(*before) : state.current_val_hard;
    outcome.after_hard = run::RolloutAccuracy(after);
    double soft = 0;
    for (const run::TaskBatchResult& batch : after) soft += batch.soft_accuracy;
    outcome.after_soft = soft / k;
    outcome.kept = outcome.after_hard >= outcome.before_hard;
    if (paired) SG_RETURN_IF_ERROR(DecideByTest(*before, after, outcome));
    SG_RETURN_IF_ERROR(WriteJsonFile(Output(work), outcome.ToJson()));
    log::Info(fmt::format(
        "iteration {}: validation {:.3f} -> {:.3f}{}: patch {}", it.iteration, outcome.before_hard,
        outcome.after_hard,
        paired ? fmt::format(" (p = {:.3g}, rule {})", outcome.test["p_value"].get<double>(),
                             AcceptRuleName(s_.accept_rule))
               : std::string(),
        outcome.kept ? "kept" : "rolled back"));
    work.validation = outcome;
    return Ok();
  }

 private:
  // not-worse: kept unless S_{t+1} is worse with p < alpha; better: kept only when it is
  // better with p < alpha. The comparison is S_{t+1} (a) against S_t (b).
  Status DecideByTest(const std::vector<run::TaskBatchResult>& before,
                      const std::vector<run::TaskBatchResult>& after,
                      ValidationOutcome& outcome) const {
    const run::EvalSide a = run::SideOfRollouts(s_.val_ids, after, outcome.after_dir);
    const run::EvalSide b = run::SideOfRollouts(s_.val_ids, before, outcome.before_dir);
    SG_ASSIGN_OR_RETURN(Json compared, run::CompareEvals(a, b, run::CompareOptions{}));
    const double difference = compared["difference"].get<double>();
    const double p = compared["test"]["p_value"].get<double>();
    outcome.kept = s_.accept_rule == AcceptRule::kBetter ? difference > 0 && p < s_.alpha
                                                         : !(difference < 0 && p < s_.alpha);
    outcome.test = Json{{"rule", AcceptRuleName(s_.accept_rule)},
                        {"alpha", s_.alpha},
                        {"rollouts", s_.val_rollouts},
                        {"difference", difference},
                        {"difference_interval", compared["difference_interval"]},
                        {"name", compared["test"]["name"]},
                        {"p_value", p},
                        {"after_better", compared["test"]["a_better"]},
                        {"before_better", compared["test"]["b_better"]}};
    return Ok();
  }

  static fs::path Output(const IterationWork& work) {
    return IterationLayout(work.context.iter_dir).Validation();
  }
  const StageServices& s_;
};

}  // namespace

std::unique_ptr<IterationStage> MakeValidateStage(const StageServices& services) {
  return std::make_unique<ValidateStage>(services);
}

}  // namespace sg::optim
