#include "optim/diagnose.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/file_util.h"
#include "core/json.h"
#include "optim/iteration_layout.h"
#include "tasks/comparison_report.h"
#include "tools/role_tools.h"

namespace sg::optim {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kQuotedReplyChars = 600;

// What the grader said of the run in `task_dir`, as the diagnoser is shown it.
tasks::GradingReport GradingOf(const fs::path& task_dir) {
  auto assessment = ReadJsonFile(task_dir / "assessment.json");
  if (!assessment.ok()) {
    tasks::GradingReport report;
    report.accuracy_line = "Accuracy: not measured (no assessment)";
    report.comparison = "(no assessment: " + assessment.error().message + ")\n";
    return report;
  }
  return tasks::ReportGrading(*assessment);
}

// The graded output files, or the workspace when the grader names none.
std::string OutputPaths(const fs::path& task_dir, const tasks::GradingReport& report) {
  const fs::path workspace = task_dir / "workspace";
  if (report.outputs.empty()) return workspace.string();
  std::string out;
  for (const std::string& name : report.outputs) {
    out += (out.empty() ? "" : ", ") + (workspace / name).string();
  }
  return out;
}

std::string Trimmed(std::string_view text) {
  const auto space = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return std::string(text);
}

bool HasBlock(std::string_view message) {
  const std::size_t open = message.find("<diagnosis>");
  return open != std::string_view::npos &&
         message.find("</diagnosis>", open) != std::string_view::npos;
}

// The diagnosis the run wrote, or a record of why there is none (errored).
std::pair<std::string, bool> DiagnosisOf(const agent::AgentRunResult& run,
                                         const std::string& role) {
  const bool stopped_cleanly = run.stop_reason == agent::StopReason::kFinished ||
                               run.stop_reason == agent::StopReason::kTerminalTool;
  const std::string reply = Trimmed(run.final_text);
  if (HasBlock(reply) || (stopped_cleanly && !reply.empty())) {
    return {ExtractDiagnosis(reply), false};
  }
  std::string role_words = role;
  std::replace(role_words.begin(), role_words.end(), '_', ' ');
  std::string text = fmt::format(
      "LABEL: no diagnosis\n\n[diagnosis error] The {} stopped ({}, after {} turns) without "
      "writing a diagnosis; this task has none this iteration.",
      role_words, agent::StopReasonName(run.stop_reason), run.turns);
  if (!reply.empty()) {
    text += "\nIts last message began: " + reply.substr(0, kQuotedReplyChars);
  }
  return {text, true};
}

}  // namespace

std::string ExtractDiagnosis(std::string_view message) {
  const std::string_view open = "<diagnosis>", close = "</diagnosis>";
  const std::size_t start = message.find(open);
  if (start != std::string_view::npos) {
    const std::size_t end = message.find(close, start + open.size());
    if (end != std::string_view::npos) {
      return Trimmed(message.substr(start + open.size(), end - start - open.size()));
    }
  }
  return Trimmed(message);
}

Result<Diagnosis> DiagnoseTask(const run::RoleEnv& env, const DiagnosisInput& input) {
  const IterationContext& it = *input.iteration;
  const fs::path task_dir = it.TaskDir(input.task->id);
  const fs::path base_task_dir = it.BaseTaskDir(input.task->id);
  const fs::path out = IterationLayout::Diagnosis(task_dir);

  std::vector<fs::path> roots;
  SG_ASSIGN_OR_RETURN(roots.emplace_back(), CanonicalPath(task_dir, "the task's folder"));
  SG_ASSIGN_OR_RETURN(roots.emplace_back(), CanonicalPath(it.skill_dir, "the skill snapshot"));
  if (input.contrastive) {
    SG_ASSIGN_OR_RETURN(roots.emplace_back(),
                        CanonicalPath(base_task_dir, "the base run's folder of the task"));
  }
  const tasks::GradingReport graded = GradingOf(roots[0]);
  Diagnosis diagnosis;
  diagnosis.task_id = input.task->id;
  diagnosis.contrastive = input.contrastive;
  diagnosis.accuracy = graded.accuracy;
  const std::string trajectory = (roots[0] / "trajectory.json").string();
  const std::string outputs = OutputPaths(roots[0], graded);
  const std::string base_trajectory =
      input.contrastive ? (roots[2] / "trajectory.json").string() : std::string();
  if (input.contrastive) {
    diagnosis.evidence = {"trace (now succeeds): " + trajectory,
                          "trace (base run, failed): " + base_trajectory};
  } else {
    diagnosis.evidence = {"trace: " + trajectory, "output: " + outputs};
  }
  if (auto existing = ReadFile(out); existing.ok()) {
    diagnosis.text = Trimmed(*existing);
    diagnosis.errored = diagnosis.text.find("[diagnosis error]") != std::string::npos;
    return diagnosis;
  }

  SG_ASSIGN_OR_RETURN(tools::ToolSet tool_set, tools::MakeReadOnlyFileTools(roots));
  // A contrastive diagnosis explains the base run's failure, so it reads that comparison.
  const tasks::GradingReport shown = input.contrastive ? GradingOf(roots[2]) : graded;
  run::RoleCall call;
  call.role = input.contrastive ? "contrastive_diagnoser" : "failure_diagnoser";
  call.model = env.models.diagnoser;
  call.max_turns = env.diagnoser_max_turns;
  call.system_prompt = call.role;
  call.user_prompt = call.role + "_task";
  call.values = {
      {"task_id", input.task->id},
      {"iteration", std::to_string(it.iteration)},
      {"instruction", input.task->instruction},
      {"domain", it.domain},
      {"accuracy", shown.accuracy_line},
      {"comparison", shown.comparison},
      {"task_dir", roots[0].string()},
      {"trajectory_path", trajectory},
      {"output_dir", (roots[0] / "workspace").string()},
      {"output_path", outputs},
      {"skill_dir", roots[1].string()},
      {"base_task_dir", input.contrastive ? roots[2].string() : std::string()},
      {"base_trajectory", base_trajectory},
  };
  call.trajectory_path = IterationLayout::DiagnosisTrajectory(task_dir);
  call.context.task_id = input.task->id;
  call.context.iteration = it.iteration;
  call.context.stage = "diagnose";
  SG_ASSIGN_OR_RETURN(agent::AgentRunResult run, run::RunRole(env, call, tool_set));

  std::tie(diagnosis.text, diagnosis.errored) = DiagnosisOf(run, call.role);
  SG_RETURN_IF_ERROR(WriteFileAtomic(out, diagnosis.text + "\n"));
  return diagnosis;
}

std::string JoinDiagnoses(const std::vector<Diagnosis>& diagnoses) {
  std::vector<const Diagnosis*> ordered;
  for (const Diagnosis& d : diagnoses) {
    if (!d.contrastive) ordered.push_back(&d);
  }
  for (const Diagnosis& d : diagnoses) {
    if (d.contrastive) ordered.push_back(&d);
  }
  std::string out = "# Batch diagnoses\n";
  for (const Diagnosis* d : ordered) {
    const std::string status =
        d->contrastive
            ? "previously failed, now succeeds"
            : "failed, accuracy " + (d->accuracy ? tasks::FormatPercent(*d->accuracy) : "n/a");
    out += fmt::format("\n## Task {} ({})\n\n{}\n\nEvidence:\n", d->task_id, status, d->text);
    for (const std::string& line : d->evidence) out += "- " + line + "\n";
  }
  return out;
}

}  // namespace sg::optim
