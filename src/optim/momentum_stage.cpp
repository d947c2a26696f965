#include "optim/momentum_stage.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/file_util.h"
#include "core/json.h"
#include "core/json_fields.h"
#include "optim/iteration_layout.h"
#include "optim/momentum_render.h"
#include "optim/momentum_rounds.h"
#include "optim/momentum_schema.h"
#include "tools/role_tools.h"

namespace sg::optim {
namespace fs = std::filesystem;

namespace {

// submit_momentum: hands each call to MomentumRounds, which keeps what validates and
// answers with what does not; the call that leaves nothing to resend, or the last one
// allowed, ends the run.
class SubmitMomentumTool final : public tools::Tool {
 public:
  explicit SubmitMomentumTool(MomentumRounds& rounds) : rounds_(rounds) {}

  std::string name() const override { return "submit_momentum"; }
  std::string description() const override {
    return "Submit the full updated pattern record and this iteration's overlay. Every item "
           "that validates is kept; the others come back with the reasons, and you then "
           "resubmit only those (at most two more times). What is still rejected after that "
           "is dropped and recorded.";
  }
  Json parameters() const override { return SubmitMomentumSchema(); }

  tools::ToolOutput Invoke(const Json& arguments) override {
    MomentumRounds::Reply reply = rounds_.Submit(arguments);
    tools::ToolOutput out = reply.all_kept ? tools::ToolOutput::Text(reply.text)
                                           : tools::ToolOutput::Failure(reply.text);
    out.terminal = reply.done;
    out.payload = {{"all_kept", reply.all_kept},
                   {"not_accepted", rounds_.rejected().size()},
                   {"submissions", rounds_.submissions()}};
    return out;
  }

 private:
  MomentumRounds& rounds_;
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
  Json dropped = Json::array();
  for (const RejectedItem& item : result.dropped) dropped.push_back(ToJson(item));
  SG_RETURN_IF_ERROR(WriteJsonFile(IterationLayout(iter_dir).MomentumDropped(),
                                   {{"iteration", result.record.iteration}, {"dropped", dropped}}));
  Json submission = {{"accepted", result.accepted},
                     {"violations", result.violations},
                     {"dropped", result.dropped.size()},
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
  auto dropped = ReadJsonFile(IterationLayout(iter_dir).MomentumDropped());
  if (dropped.ok() && dropped->is_object()) {
    for (const Json& item : dropped->value("dropped", Json::array())) {
      auto parsed = ParseRejectedItem(item);
      if (parsed.ok()) result.dropped.push_back(std::move(parsed).value());
    }
  }
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
  // The bootstrap runs after the patch and reads the skill it produced (S_{t+1}), so that
  // anchors can name the sections the patch just made; later iterations read S_t.
  SG_ASSIGN_OR_RETURN(fs::path skill_dir,
                      input.bootstrap
                          ? CanonicalPath(IterationLayout(it.iter_dir).PatchedSkills(),
                                          "the patched skill (the patch stage's output)")
                          : CanonicalPath(it.skill_dir, "the skill snapshot"));
  SG_ASSIGN_OR_RETURN(tools::ToolSet tool_set, tools::MakeReadOnlyFileTools({iter_dir, skill_dir}));
  MomentumRounds rounds(input.previous, context);
  tool_set.Add(std::make_unique<SubmitMomentumTool>(rounds));

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
  if (rounds.took_any()) {
    // Whole or in part, the record is the agent's: what was not accepted is dropped.
    result.accepted = true;
    result.record = rounds.record();
    result.overlay = rounds.overlay();
    result.dropped = rounds.rejected();
    for (const RejectedItem& item : result.dropped) {
      result.violations.push_back(
          fmt::format("{} (dropped): {}", item.label, fmt::join(item.reasons, "; ")));
    }
  } else {
    result.record = input.previous;
    result.record.iteration = it.iteration;
    result.overlay.iteration = it.iteration;
    result.violations.push_back(
        rounds.last_error().empty()
            ? fmt::format("the momentum agent stopped ({}) without calling submit_momentum",
                          agent::StopReasonName(run.stop_reason))
            : fmt::format("no submission of the momentum agent could be read: {}",
                          rounds.last_error()));
  }
  SG_RETURN_IF_ERROR(WriteOutputs(it.iter_dir, result));
  return result;
}

}  // namespace sg::optim
