// `skillgrad split`: the train/validation/test split of a benchmark (DESIGN section 2.4),
// written to <results-root>/splits/master_<M>_heldout_<H>/split.json.
#include <iostream>

#include "cli/command.h"
#include "core/json.h"
#include "tasks/benchmark.h"
#include "tasks/split_benchmark.h"

namespace sg::cli {

void RegisterSplit(CLI::App& app) {
  struct Flags {
    std::string benchmark;
    std::string data_dir;
    std::string results_root = "results";
    int64_t master_seed = 0;
    int64_t heldout_seed = 42;
    std::optional<size_t> n_test, n_heldout, n_evolution, n_val;
    bool honor_exclude = false;
    std::string grader = "skillgrad";
  };
  auto flags = std::make_shared<Flags>();
  auto* cmd = app.add_subcommand(
      "split",
      "Split a benchmark's tasks into evolution pool, validation and test sets exactly as the "
      "SkillGrad authors' code does, id for id (CPython-compatible shuffles)");
  cmd->add_option("--benchmark", flags->benchmark, tasks::BenchmarkNamesText())->required();
  cmd->add_option("--data-dir", flags->data_dir, "The benchmark's root folder")->required();
  cmd->add_option("--results-root", flags->results_root, "Results folder")->capture_default_str();
  cmd->add_option("--master-seed", flags->master_seed,
                  "Seed of the shuffle that picks held-out and evolution tasks")
      ->capture_default_str();
  cmd->add_option("--heldout-seed", flags->heldout_seed,
                  "Seed of the shuffle that splits held-out tasks into validation and test")
      ->capture_default_str();
  cmd->add_option("--n-test", flags->n_test,
                  "Size of the test split, a prefix of the test pool (default: the whole pool)");
  cmd->add_option("--n-heldout", flags->n_heldout,
                  "Held-out tasks (default 200, or half the tasks when there are fewer than 400)");
  cmd->add_option("--n-evolution", flags->n_evolution,
                  "Evolution pool size (default 200, or the tasks not held out)");
  cmd->add_option("--n-val", flags->n_val,
                  "Validation tasks (default a tenth of the held-out tasks: 20 of 200)");
  cmd->add_option("--grader", flags->grader,
                  "The grader of the self-check: skillgrad (the method's cell accuracy) or "
                  "official (SpreadsheetBench's evaluation.py)")
      ->capture_default_str();
  cmd->add_flag("--honor-exclude", flags->honor_exclude,
                "Leave SpreadsheetBench records with an `exclude` note out (off: the note is not "
                "read, as in the SkillGrad authors' code; split.json records n_excluded)");
  cmd->callback([flags] {
    tasks::SplitOptions options;
    options.master_seed = flags->master_seed;
    options.heldout_seed = flags->heldout_seed;
    options.n_test = flags->n_test;
    options.n_heldout = flags->n_heldout;
    options.n_evolution = flags->n_evolution;
    options.n_val = flags->n_val;
    auto result =
        tasks::WriteBenchmarkSplit(flags->benchmark, flags->data_dir, flags->results_root, options,
                                   tasks::OpenOptions{flags->honor_exclude, flags->grader});
    if (!result.ok()) Fail(result.error());
    std::cout << DumpJson(result->Summary()) << "\n";
    ExitWith(0);
  });
}

}  // namespace sg::cli
