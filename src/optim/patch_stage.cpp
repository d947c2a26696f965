#include "optim/patch_stage.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>
#include <string>
#include <vector>

#include "core/file_util.h"
#include "core/json.h"
#include "optim/iteration_layout.h"
#include "optim/momentum_render.h"
#include "optim/momentum_schema.h"
#include "run/tree_copy.h"
#include "skill/lint.h"
#include "skill/lint_projection.h"
#include "skill/skill_diff.h"
#include "skill/skill_package.h"
#include "tools/role_tools.h"

namespace sg::optim {
namespace fs = std::filesystem;

namespace {

// submit_patch_report: ends the patcher's run with its account of what it changed. A
// malformed report is answered with the parse error once; the second one ends the run.
class SubmitPatchReportTool final : public tools::Tool {
 public:
  std::string name() const override { return "submit_patch_report"; }
  std::string description() const override {
    return "Finish the patch: report, for each pattern you acted on, what was diagnosed and "
           "what you changed where.";
  }
  Json parameters() const override { return SubmitPatchReportSchema(); }
  tools::ToolOutput Invoke(const Json& arguments) override {
    ++calls_;
    auto report = ParsePatchReport(arguments);
    if (report.ok()) {
      tools::ToolOutput out = tools::ToolOutput::Text("recorded");
      out.terminal = true;
      out.payload = ToJson(*report);
      return out;
    }
    tools::ToolOutput out =
        tools::ToolOutput::Failure("error: " + report.error().message +
                                   ". Fix the report and call submit_patch_report again.");
    out.terminal = calls_ > 1;
    return out;
  }

 private:
  int calls_ = 0;
};

// The lint of every skill under `skills_dir`, by the skill's folder relative to it.
Result<std::map<std::string, std::vector<skill::Violation>>> LintAll(const fs::path& skills_dir) {
  // Recorded, not refused: a patch that breaks the frontmatter is a lint finding for the
  // repair round to fix, not the end of training.
  SG_ASSIGN_OR_RETURN(std::vector<skill::SkillPackage> skills,
                      skill::LoadSkillsDir(skills_dir, skill::FrontmatterPolicy::kRecord));
  std::map<std::string, std::vector<skill::Violation>> out;
  for (const auto& package : skills) {
    out[fs::relative(package.root, skills_dir).string()] = skill::LintSkill(package);
  }
  return out;
}

// What the patch broke: per skill of `after`, the findings skill::IntroducedViolations keeps
// against the same skill in `before` (S_t); one "<folder>:\n<findings>" entry per skill.
Result<std::vector<std::string>> IntroducedFindings(const fs::path& before, const fs::path& after) {
  SG_ASSIGN_OR_RETURN(auto had, LintAll(before));
  SG_ASSIGN_OR_RETURN(auto has, LintAll(after));
  std::vector<std::string> lines;
  for (const auto& entry : has) {
    const auto old = had.find(entry.first);
    std::vector<skill::Violation> introduced = skill::IntroducedViolations(
        old == had.end() ? std::vector<skill::Violation>{} : old->second, entry.second);
    if (introduced.empty()) continue;
    lines.push_back(entry.first + ":\n" + skill::FormatViolations(introduced));
  }
  return lines;
}

// The base run's folder of each batch task that has one, canonical: a contrastive diagnosis
// points at the trace of the first, failed attempt there.
Result<std::vector<fs::path>> BaseTaskDirs(const IterationContext& it) {
  std::vector<fs::path> out;
  if (it.base_dir.empty()) return out;
  for (const auto& id : it.batch) {
    std::error_code ec;
    if (!fs::is_directory(it.BaseTaskDir(id), ec)) continue;
    SG_ASSIGN_OR_RETURN(out.emplace_back(),
                        CanonicalPath(it.BaseTaskDir(id), "the base run's folder of " + id));
  }
  return out;
}

// Where the evidence of the iteration is, for the patcher's task message. `iter_dir` and
// `base_dirs` are the canonical folders the patcher's tools read, so that every path named
// here is one the tools accept.
std::string EvidencePaths(const fs::path& iter_dir, const std::vector<std::string>& batch,
                          const std::vector<fs::path>& base_dirs) {
  const IterationLayout layout(iter_dir);
  std::string out =
      fmt::format("- All diagnoses of the batch: `{}`\n", layout.BatchDiagnoses().string());
  out += fmt::format(
      "- Per task, under `{}`: `trajectory.json` (the executor's trace), `workspace/` (what it "
      "wrote) and `assessment.json` (the grader's verdict):\n",
      iter_dir.string());
  for (const auto& id : batch) {
    out += fmt::format("  - {}: `{}`\n", id, layout.TaskDir(id).string());
  }
  if (!base_dirs.empty()) {
    out += "- The base run's folders of the batch tasks (their first, failed attempts):\n";
    for (const auto& dir : base_dirs) out += fmt::format("  - `{}`\n", dir.string());
  }
  return out;
}

// The diff of the skill (train optimizes exactly one) between two skills dirs; paths are
// relative to the skill folder, so `patch -p1` applies it inside the old skill folder.
Result<std::string> DiffSkillsDirs(const fs::path& before, const fs::path& after) {
  SG_ASSIGN_OR_RETURN(std::vector<skill::SkillPackage> skills, skill::LoadSkillsDir(before));
  std::string out;
  for (const auto& package : skills) {
    fs::path new_root = after / fs::relative(package.root, before);
    if (!fs::is_directory(new_root)) {
      return NotFound(new_root.string() + " is missing after the patch");
    }
    SG_ASSIGN_OR_RETURN(std::vector<skill::FileDiff> diffs,
                        skill::DiffSkillFolders(package.root, new_root));
    out += skill::JoinDiffs(diffs);
  }
  return out;
}

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += line + "\n";
  return out;
}

}  // namespace

std::optional<PatchStageResult> LoadPatchStage(const fs::path& iter_dir) {
  auto json = ReadJsonFile(IterationLayout(iter_dir).PatchResult());
  if (!json.ok()) return std::nullopt;
  PatchStageResult result;
  result.skills_after = IterationLayout(iter_dir).PatchedSkills();
  auto report = ParsePatchReport(json->value("report", Json::object()));
  if (report.ok()) result.report = *report;
  result.reported = json->value("reported", false);
  result.lint_violations = json->value("lint_violations", std::vector<std::string>{});
  result.repaired = json->value("repaired", false);
  result.diff = ReadFile(IterationLayout(iter_dir).PatchDiff()).value_or("");
  return result;
}

Result<PatchStageResult> RunPatchStage(const run::RoleEnv& env, const PatchStageInput& input) {
  const IterationContext& it = *input.iteration;
  if (auto done = LoadPatchStage(it.iter_dir)) return *done;

  PatchStageResult result;
  result.skills_after = IterationLayout(it.iter_dir).PatchedSkills();
  // Redone from S_t on every attempt, so a resumed stage starts from the same state.
  SG_RETURN_IF_ERROR(run::CopyTree(it.skill_dir, result.skills_after));
  SG_ASSIGN_OR_RETURN(const fs::path after,
                      CanonicalPath(result.skills_after, "the patched skills' folder"));
  // Read-only evidence: the iteration's folder and the base run's folders of the batch.
  std::vector<fs::path> evidence;
  SG_ASSIGN_OR_RETURN(evidence.emplace_back(), CanonicalPath(it.iter_dir, "the iteration folder"));
  SG_ASSIGN_OR_RETURN(const std::vector<fs::path> base_dirs, BaseTaskDirs(it));
  evidence.insert(evidence.end(), base_dirs.begin(), base_dirs.end());

  run::PromptValues values = {
      {"iteration", std::to_string(it.iteration)},
      {"domain", it.domain},
      {"batch_task_ids", fmt::format("{}", fmt::join(it.batch, ", "))},
      {"diagnoses", input.diagnoses},
      {"momentum_record", input.record == nullptr || input.record->empty()
                              ? std::string("(empty)")
                              : RenderRecordMarkdown(*input.record)},
      {"overlay", input.overlay == nullptr
                      ? std::string("(none: in the first iteration the patch works from the "
                                    "diagnoses; the pattern record is built after it)")
                      : RenderOverlayMarkdown(*input.overlay,
                                              input.record ? *input.record : MomentumRecord{})},
      {"skill_dir", after.string()},
      {"evidence_paths", EvidencePaths(evidence.front(), it.batch, base_dirs)},
      {"lint_violations", ""},
  };

  auto run_patcher = [&](const std::string& user_prompt,
                         const fs::path& trajectory) -> Result<agent::AgentRunResult> {
    SG_ASSIGN_OR_RETURN(tools::ToolSet tool_set, tools::MakeSkillEditorTools(after, evidence));
    tool_set.Add(std::make_unique<SubmitPatchReportTool>());
    run::RoleCall call;
    call.role = "patcher";
    call.model = env.models.patcher;
    call.max_turns = env.patcher_max_turns;
    call.system_prompt = "patcher";
    call.user_prompt = user_prompt;
    call.values = values;
    call.trajectory_path = trajectory;
    call.context.iteration = it.iteration;
    call.context.stage = "patch";
    return run::RunRole(env, call, tool_set);
  };

  SG_ASSIGN_OR_RETURN(agent::AgentRunResult run,
                      run_patcher("patcher_task", IterationLayout(it.iter_dir).PatchTrajectory()));
  if (run.terminal_payload.is_object()) {
    auto report = ParsePatchReport(run.terminal_payload);
    if (report.ok()) {
      result.report = *report;
      result.reported = true;
    }
  }

  SG_ASSIGN_OR_RETURN(result.lint_violations, IntroducedFindings(it.skill_dir, after));
  if (input.projection && !result.lint_violations.empty()) {
    result.repaired = true;
    values["lint_violations"] = JoinLines(result.lint_violations);
    SG_ASSIGN_OR_RETURN(
        agent::AgentRunResult repair,
        run_patcher("patcher_repair", IterationLayout(it.iter_dir).PatchRepairTrajectory()));
    // The repair's own report lists no changes (its fixes go to notes), so that lint
    // repairs never enter the remedy logs.
    if (repair.terminal_payload.is_object()) {
      auto report = ParsePatchReport(repair.terminal_payload);
      if (report.ok() && !report->notes.empty()) {
        result.report.notes += (result.report.notes.empty() ? "" : "\n") +
                               std::string("lint repair: ") + report->notes;
      }
    }
    SG_ASSIGN_OR_RETURN(result.lint_violations, IntroducedFindings(it.skill_dir, after));
  }

  SG_ASSIGN_OR_RETURN(result.diff, DiffSkillsDirs(it.skill_dir, after));
  SG_RETURN_IF_ERROR(WriteFileAtomic(IterationLayout(it.iter_dir).PatchDiff(), result.diff));
  Json out = {{"report", ToJson(result.report)},
              {"reported", result.reported},
              {"lint_violations", result.lint_violations},
              {"repaired", result.repaired}};
  SG_RETURN_IF_ERROR(
      WriteJsonFile(IterationLayout(it.iter_dir).PatchReport(), ToJson(result.report)));
  // Written last: its presence marks the stage as done.
  SG_RETURN_IF_ERROR(WriteJsonFile(IterationLayout(it.iter_dir).PatchResult(), out));
  return result;
}

}  // namespace sg::optim
