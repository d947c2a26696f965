// The options of collect, train and eval, with the reference implementation's flag names
// and defaults (DESIGN 2.4). The command line fills them; the library validates them.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/json.h"
#include "run/role_runner.h"

namespace sg::run {

struct CommonOptions {
  std::string benchmark;             // --benchmark
  std::filesystem::path data_dir;    // --data-dir
  std::filesystem::path skills_dir;  // --skills-dir: the seed skill (folder of skill folders)
  std::filesystem::path results_root = "results";  // --results-root
  std::filesystem::path prompts_dir;  // --prompts-dir: overrides of the built-in prompts
  RoleModels models;                  // --model, --executor-model, ...
  int64_t master_seed = 0;            // --master-seed
  int64_t heldout_seed = 42;          // --heldout-seed
  int n_test = 180;                   // --n-test
  bool n_test_given = false;          // --n-test was passed (else the whole test pool)
  int rollouts = 1;                   // --rollouts (eval): runs of each test task
  // --honor-exclude: leave SpreadsheetBench records with an `exclude` note out of the split
  // (an extension; the authors' code does not read the note).
  bool honor_exclude = false;
  // --grader: SpreadsheetBench's comparison, "skillgrad" (the method's cell accuracy, as the
  // paper's numbers) or "official" (evaluation.py, as the leaderboard's).
  std::string grader = "skillgrad";
  // --base-trajectories-dir: the collection train reads and collect writes (default:
  // base_trajectories/master_<M>_heldout_<H>/<executor model>/ under the results root).
  std::filesystem::path base_trajectories_dir;
  std::vector<std::string> collect_ids;  // collect --ids: evolution tasks to run again
  int concurrency = 4;                   // --concurrency: executors/diagnosers in parallel
  int max_turns = 30;                    // --max-turns: executor turn cap in training
  int collect_max_turns = 20;            // --collect-max-turns: executor turn cap in collect
  double max_cost_usd = 0;               // --max-cost-usd; 0 = no limit
  // --force: run even when --max-cost-usd is below the cost plan's low figure.
  bool force = false;
  std::string method = "skillgrad";      // run_id prefix
  std::string config_tag;                // --config-tag
  // --unsafe-sandbox: run agent code on a host that cannot isolate it (stamped everywhere).
  bool unsafe_sandbox = false;
  // --executor: the agent that runs the skill. "reference": skillgrad's own executor with the
  // method's prompt, task message and tools (the only profile today).
  std::string executor = "reference";
  // --executor-tools: tools the executor gets beyond the method's set (activate_skill,
  // read_reference, read_file, write_file, shell): any of python, grep, list_files.
  std::vector<std::string> executor_tools;
  // --task-hints: the executor's task message also carries the benchmark's hints (for
  // SpreadsheetBench the instruction type, answer sheet and recalculation note) and the
  // turn budget. Off: the method's task message.
  bool task_hints = false;

  // Checks what can be checked before any LLM call: folders exist, numbers in range.
  // Errors name the flag at fault.
  Status Validate() const;
  Json ToJson() const;
};

}  // namespace sg::run
