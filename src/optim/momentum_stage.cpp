#include "optim/momentum_stage.h"

#include <fmt/format.h>

#include "core/file_util.h"
#include "core/json.h"
#include "core/json_fields.h"
#include "optim/iteration_layout.h"
#include "optim/momentum_render.h"
#include "optim/momentum_schema.h"
#include "tools/role_tools.h"

namespace sg::optim {
namespace fs = std::filesystem;

namespace {

constexpr int kRetriesAfterViolations = 1;

// submit_momentum: validates the submission; on violations, answers with them (the
// agent may try again once), after which the last submission ends the run regardless.
class SubmitMomentumTool final : public tools::Tool {
 public:
  SubmitMomentumTool(const MomentumRecord& previous, MomentumContext context)
      : previous_(previous), context_(std::move(context)) {}

  std::string name() const override { return "submit_momentum"; }
  std::string description() const override {
    return "Submit the full updated pattern record and this iteration's overlay. The "
           "submission is validated; if it is rejected you get the list of problems and one "
           "more try.";
  }
  Json parameters() const override { return SubmitMomentumSchema(); }

  tools::ToolOutput Invoke(const Json& arguments) override {
    ++submissions_;
    CheckedMomentum checked = CheckMomentumSubmission(arguments, previous_, context_);
    Json payload = {{"violations", checked.violations}};
    // The completed submission (remedy logs carried forward), not the raw arguments.
    if (checked.submission) {
      payload["record"] = ToJson(checked.submission->record);
      payload["overlay"] = ToJson(checked.submission->overlay);
    }
    if (checked.accepted()) {
      tools::ToolOutput out = tools::ToolOutput::Text("accepted");
      out.terminal = true;
      out.payload = payload;
      return out;
    }
    tools::ToolOutput out = tools::ToolOutput::Failure(FormatViolations(checked.violations));
    if (submissions_ > kRetriesAfterViolations) {
      out.terminal = true;  // no more tries: the code records what still fails
      out.content += "\nNo more tries: the submission is recorded as rejected.";
    }
    out.payload = payload;
    return out;
  }

 private:
  const MomentumRecord& previous_;
  MomentumContext context_;
  int submissions_ = 0;
};

Status WriteOutputs(const fs::path& iter_dir, const MomentumStageResult& result) {
  SG_RETURN_IF_ERROR(
      WriteJsonFile(IterationLayout(iter_dir).MomentumOverlay(), ToJson(result.overlay)));
  SG_RETURN_IF_ERROR(WriteFileAtomic(IterationLayout(iter_dir).MomentumOverlayMarkdown(),
                                     RenderOverlayMarkdown(result.overlay, result.record)));
  SG_RETURN_IF_ERROR(WriteFileAtomic(IterationLayout(iter_dir).MomentumMemoryMarkdown(),
                                     RenderRecordMarkdown(result.record)));
  SG_RETURN_IF_ERROR(
      WriteJsonFile(IterationLayout(iter_dir).MomentumMemory(), ToJson(result.record)));
  Json submission = {{"accepted", result.accepted},
                     {"violations", result.violations},
                     {"record", ToJson(result.record)},
                     {"overlay", ToJson(result.overlay)}};
  // Written last: its presence marks the stage as done. momentum_memory.json is rewritten
  // later with this iteration's remedies; this file keeps the stage's own result.
  return WriteJsonFile(IterationLayout(iter_dir).MomentumStage(), submission);
}

}  // namespace

std::optional<MomentumStageResult> LoadMomentumStage(const fs::path& iter_dir) {
  auto stage = ReadJsonFile(IterationLayout(iter_dir).MomentumStage());
  if (!stage.ok() || !stage->is_object()) return std::nullopt;
  auto record = ParseMomentumRecord(ObjectField(*stage, "record"));
  auto overlay = ParseOverlay(ObjectField(*stage, "overlay"));
  if (!record.ok() || !overlay.ok()) return std::nullopt;
  MomentumStageResult result;
  result.record = std::move(record).value();
  result.overlay = std::move(overlay).value();
  result.accepted = BoolField(*stage, "accepted");
  result.violations = StringListField(*stage, "violations");
  return result;
}

Result<MomentumStageResult> RunMomentumStage(const run::RoleEnv& env,
                                             const MomentumStageInput& input) {
  const IterationContext& it = *input.iteration;
  if (auto done = LoadMomentumStage(it.iter_dir)) return *done;

  MomentumContext context;
  context.iteration = it.iteration;
  context.batch_task_ids = it.batch;
  context.outcomes = input.outcomes;

  SG_ASSIGN_OR_RETURN(fs::path iter_dir, CanonicalPath(it.iter_dir, "the iteration's folder"));
  SG_ASSIGN_OR_RETURN(fs::path skill_dir, CanonicalPath(it.skill_dir, "the skill snapshot"));
  SG_ASSIGN_OR_RETURN(tools::ToolSet tool_set, tools::MakeReadOnlyFileTools({iter_dir, skill_dir}));
  tool_set.Add(std::make_unique<SubmitMomentumTool>(input.previous, context));

  std::string batch;
  for (const auto& id : it.batch) {
    auto it = input.outcomes.find(id);
    std::string signal =
        it == input.outcomes.end() ? "unknown" : std::string(SignalName(it->second));
    batch += fmt::format("{}{} ({})", batch.empty() ? "" : ", ", id, signal);
  }
  run::RoleCall call;
  call.role = "momentum";
  call.model = env.models.momentum;
  call.max_turns = env.momentum_max_turns;
  call.system_prompt = "momentum";
  call.user_prompt = "momentum_task";
  call.values = {
      {"iteration", std::to_string(it.iteration)},
      {"batch_task_ids", batch},
      {"diagnoses", input.diagnoses},
      {"momentum_record",
       input.previous.empty() ? std::string("(empty)") : RenderRecordMarkdown(input.previous)},
      {"task_dir", iter_dir.string()},
      {"skill_dir", skill_dir.string()},
      {"domain", it.domain},
      {"patch_report", input.bootstrap ? input.patch_summary
                                       : std::string("(none: the patch comes after this stage)")},
  };
  call.trajectory_path = IterationLayout(it.iter_dir).MomentumTrajectory();
  call.context.iteration = it.iteration;
  call.context.stage = "momentum";
  SG_ASSIGN_OR_RETURN(agent::AgentRunResult run, run::RunRole(env, call, tool_set));

  MomentumStageResult result;
  result.record = input.previous;
  result.record.iteration = it.iteration;
  result.overlay.iteration = it.iteration;
  const Json& payload = run.terminal_payload;
  if (!payload.is_object()) {
    result.violations.push_back(
        fmt::format("the momentum agent stopped ({}) without calling submit_momentum",
                    agent::StopReasonName(run.stop_reason)));
  } else {
    result.violations = StringListField(payload, "violations");
    if (payload.contains("record")) {
      auto record = ParseMomentumRecord(payload["record"]);
      auto overlay = ParseOverlay(payload["overlay"]);
      if (record.ok() && overlay.ok()) {
        if (result.violations.empty()) {
          result.accepted = true;
          result.record = std::move(record).value();
        }
        // The overlay is kept even when the record is rejected: it only guides this
        // iteration's patch, it does not carry over.
        result.overlay = std::move(overlay).value();
      }
    }
  }
  SG_RETURN_IF_ERROR(WriteOutputs(it.iter_dir, result));
  return result;
}

}  // namespace sg::optim
