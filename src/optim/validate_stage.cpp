// VALIDATE (--accept validate): S_{t+1} is kept only when it is not worse than S_t on the
// validation split. The decision, with both scores, is iter_<t>/validation.json; the stage
// leaves the state alone (RECORD carries the kept score forward), so a run resumed after
// this stage records the scores it measured.
#include <fmt/format.h>

#include <string>

#include "core/file_util.h"
#include "core/json_fields.h"
#include "core/log.h"
#include "optim/iteration_layout.h"
#include "optim/skillgrad_stages.h"

namespace sg::optim {
namespace fs = std::filesystem;

Json ValidationOutcome::ToJson() const {
  return Json{{"before_hard_accuracy", before_hard},
              {"after_hard_accuracy", after_hard},
              {"after_soft_accuracy", after_soft},
              {"decision", kept ? "kept" : "rolled_back"}};
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
    ValidationOutcome outcome;
    if (work.state->current_val_hard >= 0) {
      outcome.before_hard = work.state->current_val_hard;
    } else {
      SG_ASSIGN_OR_RETURN(run::TaskBatchResult before,
                          run::RunTasks(*s_.executor, s_.val_ids, it.skill_dir,
                                        IterationLayout(it.iter_dir).ValidateBefore(),
                                        s_.concurrency, "validate", it.iteration));
      outcome.before_hard = before.hard_accuracy;
    }
    SG_ASSIGN_OR_RETURN(run::TaskBatchResult after,
                        run::RunTasks(*s_.executor, s_.val_ids, work.patch->skills_after,
                                      IterationLayout(it.iter_dir).ValidateAfter(), s_.concurrency,
                                      "validate", it.iteration));
    outcome.after_hard = after.hard_accuracy;
    outcome.after_soft = after.soft_accuracy;
    outcome.kept = outcome.after_hard >= outcome.before_hard;
    SG_RETURN_IF_ERROR(WriteJsonFile(Output(work), outcome.ToJson()));
    log::Info(fmt::format("iteration {}: validation {:.3f} -> {:.3f}: patch {}", it.iteration,
                          outcome.before_hard, outcome.after_hard,
                          outcome.kept ? "kept" : "rolled back"));
    work.validation = outcome;
    return Ok();
  }

 private:
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
