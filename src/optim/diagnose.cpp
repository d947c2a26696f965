#include "optim/diagnose.h"

#include <fmt/format.h>

#include "core/file_util.h"
#include "core/json.h"
#include "optim/iteration_layout.h"
#include "run/run_layout.h"
#include "tools/role_tools.h"

namespace sg::optim {
namespace fs = std::filesystem;

namespace {

std::string ComparisonOf(const fs::path& task_dir) {
  auto assessment = ReadJsonFile(task_dir / "assessment.json");
  if (!assessment.ok()) return "(no assessment: " + assessment.error().message + ")";
  const Json& verdict = (*assessment)["verdict"];
  if (verdict.is_object() && verdict.contains("comparison")) {
    return verdict["comparison"].get<std::string>();
  }
  return "(the grader could not run: " + assessment->value("error", std::string()) + ")";
}

}  // namespace

Result<std::string> DiagnoseTask(const run::RoleEnv& env, const DiagnosisInput& input) {
  const IterationContext& it = *input.iteration;
  const fs::path task_dir = it.TaskDir(input.task->id);
  const fs::path base_task_dir = it.BaseTaskDir(input.task->id);
  const fs::path out = IterationLayout::Diagnosis(task_dir);
  if (auto existing = ReadFile(out); existing.ok()) return *existing;

  std::vector<fs::path> roots;
  SG_ASSIGN_OR_RETURN(roots.emplace_back(), CanonicalPath(task_dir, "the task's folder"));
  SG_ASSIGN_OR_RETURN(roots.emplace_back(), CanonicalPath(it.skill_dir, "the skill snapshot"));
  if (input.contrastive) {
    SG_ASSIGN_OR_RETURN(roots.emplace_back(),
                        CanonicalPath(base_task_dir, "the base run's folder of the task"));
  }
  SG_ASSIGN_OR_RETURN(tools::ToolSet tool_set, tools::MakeReadOnlyFileTools(roots));

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
      // A contrastive diagnosis explains the base run's failure, so it reads that comparison.
      {"comparison", ComparisonOf(input.contrastive ? base_task_dir : task_dir)},
      {"task_dir", roots[0].string()},
      {"trajectory_path", (roots[0] / "trajectory.json").string()},
      {"output_dir", (roots[0] / "workspace").string()},
      {"skill_dir", roots[1].string()},
      {"base_task_dir", input.contrastive ? roots[2].string() : std::string()},
  };
  call.trajectory_path = IterationLayout::DiagnosisTrajectory(task_dir);
  call.context.task_id = input.task->id;
  call.context.iteration = it.iteration;
  call.context.stage = "diagnose";
  SG_ASSIGN_OR_RETURN(agent::AgentRunResult run, run::RunRole(env, call, tool_set));

  std::string diagnosis = run.final_text;
  if (diagnosis.empty()) {
    diagnosis =
        fmt::format("LABEL: no-diagnosis\n\nThe {} stopped ({}) without writing a diagnosis.\n",
                    call.role, agent::StopReasonName(run.stop_reason));
  }
  if (diagnosis.back() != '\n') diagnosis.push_back('\n');
  SG_RETURN_IF_ERROR(WriteFileAtomic(out, diagnosis));
  return diagnosis;
}

std::string JoinDiagnoses(const std::vector<std::pair<std::string, std::string>>& by_task) {
  std::string out;
  for (const auto& [task_id, text] : by_task) {
    out += fmt::format("## Task {}\n\n{}\n", task_id, text);
  }
  return out;
}

}  // namespace sg::optim
