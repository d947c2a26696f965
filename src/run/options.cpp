#include "run/options.h"

#include <fmt/format.h>

#include <algorithm>

#include "tasks/benchmark.h"
#include "tools/role_tools.h"

namespace sg::run {
namespace fs = std::filesystem;

namespace {

// A recorded path, absolute and normal; an unset one stays "" (fs::absolute throws on "").
std::string AbsoluteOrEmpty(const fs::path& path) {
  return path.empty() ? "" : fs::absolute(path).lexically_normal().string();
}

Status CheckDir(const fs::path& dir, const char* flag, const char* what) {
  std::error_code ec;
  if (dir.empty()) return InvalidArgument(fmt::format("{} is required: {}", flag, what));
  if (!fs::is_directory(dir, ec)) {
    return InvalidArgument(fmt::format("{} {} is not a directory: {}", flag, dir.string(), what));
  }
  return Ok();
}

Json ModelsJson(const RoleModels& m) {
  return Json{{"executor", m.executor},
              {"diagnoser", m.diagnoser},
              {"momentum", m.momentum},
              {"patcher", m.patcher}};
}

}  // namespace

Status CommonOptions::Validate() const {
  if (benchmark.empty()) {
    return InvalidArgument("--benchmark is required (" + tasks::BenchmarkNamesText() + ")");
  }
  SG_RETURN_IF_ERROR(CheckDir(data_dir, "--data-dir", "point it at the benchmark's root folder"));
  SG_RETURN_IF_ERROR(
      CheckDir(skills_dir, "--skills-dir", "point it at the folder that holds the seed skill"));
  if (!prompts_dir.empty()) {
    SG_RETURN_IF_ERROR(CheckDir(prompts_dir, "--prompts-dir", "a folder of prompt overrides"));
  }
  if (models.executor.empty() || models.diagnoser.empty() || models.momentum.empty() ||
      models.patcher.empty()) {
    return InvalidArgument(
        "no model given: pass --model (or set MODEL in .env), or a model per "
        "role with --executor-model, --diagnoser-model, --momentum-model "
        "and --patcher-model");
  }
  if (concurrency < 1) return InvalidArgument("--concurrency must be at least 1");
  if (max_turns < 1) return InvalidArgument("--max-turns must be at least 1");
  if (collect_max_turns < 1) return InvalidArgument("--collect-max-turns must be at least 1");
  if (n_test < 1) return InvalidArgument("--n-test must be at least 1");
  if (rollouts < 1 || rollouts > 100) {
    return InvalidArgument(
        fmt::format("--rollouts {}: give from 1 to 100 runs of each test task", rollouts));
  }
  if (max_cost_usd < 0) return InvalidArgument("--max-cost-usd cannot be negative");
  if (grader != "skillgrad" && grader != "official") {
    return InvalidArgument("--grader: unknown grader '" + grader +
                           "'; choose skillgrad (the SkillGrad method's cell accuracy) or "
                           "official (SpreadsheetBench's evaluation.py)");
  }
  if (executor != "reference") {
    return InvalidArgument("--executor " + executor +
                           ": unknown executor; use reference (skillgrad's executor with the "
                           "SkillGrad method's prompt, task message and tools)");
  }
  for (const std::string& tool : executor_tools) {
    const auto& known = tools::ExecutorOptionalTools();
    if (std::find(known.begin(), known.end(), tool) == known.end()) {
      return InvalidArgument("--executor-tools: unknown tool '" + tool +
                             "'; give a comma-separated list of python, grep, list_files");
    }
  }
  return Ok();
}

Json CommonOptions::ToJson() const {
  return Json{{"benchmark", benchmark},
              {"data_dir", AbsoluteOrEmpty(data_dir)},
              {"skills_dir", AbsoluteOrEmpty(skills_dir)},
              {"results_root", AbsoluteOrEmpty(results_root)},
              {"prompts_dir", AbsoluteOrEmpty(prompts_dir)},
              {"models", ModelsJson(models)},
              {"master_seed", master_seed},
              {"heldout_seed", heldout_seed},
              {"n_test", n_test},
              {"honor_exclude", honor_exclude},
              {"grader", grader},
              {"base_trajectories_dir", AbsoluteOrEmpty(base_trajectories_dir)},
              {"concurrency", concurrency},
              {"max_turns", max_turns},
              {"collect_max_turns", collect_max_turns},
              {"max_cost_usd", max_cost_usd},
              {"method", method},
              {"config_tag", config_tag},
              {"unsafe_sandbox", unsafe_sandbox},
              {"executor", executor},
              {"executor_tools", executor_tools},
              {"task_hints", task_hints}};
}

}  // namespace sg::run
