#include "cli/run_flags.h"

#include <fmt/format.h>

#include "llm/response_cache.h"
#include "run/run_layout.h"
#include "tasks/benchmark.h"

namespace sg::cli {

void AddRunFlags(CLI::App* cmd, run::CommonOptions& o, run::LlmSettings& llm, RunFlags& flags) {
  cmd->add_option("--benchmark", o.benchmark, tasks::BenchmarkNamesText())->required();
  cmd->add_option("--data-dir", o.data_dir, "The benchmark's root folder")->required();
  cmd->add_option("--skills-dir", o.skills_dir,
                  "The seed skill: a folder holding skill folders (each with a SKILL.md)");
  cmd->add_option("--results-root", o.results_root, "Where results go")->capture_default_str();
  cmd->add_option("--base-trajectories-dir", o.base_trajectories_dir,
                  "The seed skill's collection that collect writes and train reads (default: "
                  "<results-root>/base_trajectories/master_<M>_heldout_<H>/<executor model>)");
  cmd->add_option("--model", flags.model, "Model of every role (default: MODEL from .env)");
  cmd->add_option("--executor-model", o.models.executor, "Model of the executor");
  cmd->add_option("--diagnoser-model", o.models.diagnoser, "Model of the diagnosers");
  cmd->add_option("--momentum-model", o.models.momentum, "Model of the momentum agent");
  cmd->add_option("--patcher-model", o.models.patcher, "Model of the patcher");
  cmd->add_option("--master-seed", o.master_seed, "Seed of the held-out/evolution split")
      ->capture_default_str();
  cmd->add_option("--heldout-seed", o.heldout_seed, "Seed of the validation/test split")
      ->capture_default_str();
  cmd->add_option("--n-test", o.n_test, "Test tasks (a prefix of the test pool)");
  cmd->add_flag("--honor-exclude", o.honor_exclude,
                "Leave SpreadsheetBench records with an `exclude` note out of the split (off: "
                "the note is not read, as in the SkillGrad authors' code)");
  cmd->add_option("--grader", o.grader,
                  "SpreadsheetBench's comparison: skillgrad (the SkillGrad method's cell "
                  "accuracy, pass at 1.0) or official (SpreadsheetBench's evaluation.py)")
      ->capture_default_str();
  cmd->add_option("--concurrency", o.concurrency, "Executors and diagnosers run in parallel")
      ->capture_default_str();
  cmd->add_option("--llm-concurrency", llm.llm_concurrency,
                  "LLM requests in flight at once, over all roles")
      ->capture_default_str();
  cmd->add_option("--llm-timeout", flags.llm_timeout_s,
                  "Seconds one LLM request attempt may take before it is abandoned and retried")
      ->capture_default_str();
  cmd->add_option("--llm-attempts", llm.llm_attempts,
                  "Attempts per LLM call, the first included (1: no retry)")
      ->capture_default_str();
  cmd->add_option("--max-turns", o.max_turns, "Executor turn cap in training and eval")
      ->capture_default_str();
  cmd->add_flag("--unsafe-sandbox", o.unsafe_sandbox,
                "Run agent code even where the sandbox cannot isolate its filesystem and "
                "network (see `skillgrad doctor`); recorded in config.json, the report and "
                "every trajectory");
  cmd->add_option("--executor", o.executor,
                  "The executor: reference (skillgrad's, with the SkillGrad method's prompt, "
                  "task message and tools)")
      ->capture_default_str();
  cmd->add_option("--executor-tools", o.executor_tools,
                  "Tools the executor gets beyond the method's set (activate_skill, "
                  "read_reference, read_file, write_file, shell): a comma-separated list of "
                  "python (a persistent interpreter), grep, list_files")
      ->delimiter(',');
  cmd->add_flag("--task-hints", o.task_hints,
                "Add the benchmark's hints to the executor's task message (SpreadsheetBench: "
                "instruction type, answer sheet, recalculation note) and the turn budget; off: "
                "the SkillGrad method's task message");
  cmd->add_option("--collect-max-turns", o.collect_max_turns, "Executor turn cap in collect")
      ->capture_default_str();
  cmd->add_option("--max-cost-usd", o.max_cost_usd,
                  "Hard cap on the spend: no call starts that could take the run past it; the "
                  "command stops cleanly (exit 3) and --resume with a higher cap goes on (0: no "
                  "limit)");
  cmd->add_flag("--force", o.force,
                "Run even when --max-cost-usd is below the low figure of the cost plan");
  cmd->add_option("--config-tag", o.config_tag, "Suffix of the run id, to keep runs apart");
  cmd->add_option("--prompts-dir", o.prompts_dir,
                  "Folder of prompt files overriding the built-in ones");
  cmd->add_option("--cache", flags.cache_mode, "Response cache: off, read-write or replay")
      ->capture_default_str();
  cmd->add_option("--cache-file", flags.cache_path, "Default: <results-root>/cache.sqlite");
  cmd->add_option("--env-file", flags.env_file, "Provider configuration (default: ./.env)");
  cmd->add_option("--prices", llm.prices_file, "JSON file overriding the built-in price table");
}

Status FinishRunFlags(CLI::App* cmd, run::CommonOptions& o, run::LlmSettings& llm,
                      const RunFlags& flags) {
  for (std::string* m :
       {&o.models.executor, &o.models.diagnoser, &o.models.momentum, &o.models.patcher}) {
    if (m->empty()) *m = flags.model;
  }
  o.n_test_given = cmd->count("--n-test") > 0;
  if (!flags.env_file.empty()) llm.env_file = flags.env_file;
  auto mode = llm::ParseCacheMode(flags.cache_mode);
  if (!mode.ok()) {
    return InvalidArgument("--cache " + flags.cache_mode + ": use off, read-write or replay");
  }
  llm.cache_mode = *mode;
  // Below a millisecond (or not a number) is no timeout; Validate names the flag.
  const double timeout_ms = flags.llm_timeout_s * 1000.0;
  if (!(timeout_ms >= 1.0)) {
    return InvalidArgument(fmt::format(
        "--llm-timeout {}: give the seconds one attempt may take, at least 0.001 (default 300)",
        flags.llm_timeout_s));
  }
  llm.llm_timeout = std::chrono::milliseconds(static_cast<int64_t>(std::min(timeout_ms, 1e12)));
  llm.cache_path = flags.cache_path.empty() ? run::ResultsLayout(o.results_root).CacheFile()
                                            : std::filesystem::path(flags.cache_path);
  return Ok();
}

}  // namespace sg::cli
