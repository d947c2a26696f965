// `skillgrad summarize RESULTS_ROOT`: the table of a study (docs/statistics.md, "Tables over
// training seeds"). Every run of the root's manifest.json that has a test accuracy
// (metrics.test_hard, written by `eval --run` or `eval`) joins a group: its method with its
// ablations, its role models, its benchmark. The runs of a group are its training seeds
// (config tags and seeds tell them apart; nothing else may differ). Per group: the number of
// runs, the mean and sample standard deviation of test_hard, the 95% t interval of that mean,
// the seed skill's mean accuracy where the runs measured it (metrics.seed_test_hard), the mean
// cost per run (training plus evaluations), and the run ids.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/json.h"

namespace sg::run {

struct SummaryGroup {
  std::string method;     // "skillgrad", "skillgrad -momentum", "eval" (a skill evaluated alone)
  std::string backbone;   // the executor's model; "executor / diagnoser / ..." when roles differ
  std::string benchmark;  // wtq, spreadsheetbench
  std::vector<std::string> run_ids;
  std::vector<double> test_hard;  // per run, in run id order
  std::vector<double> seed_hard;  // per run that measured its seed skill
  std::vector<double> cost_usd;   // per run with a known cost
};

// The groups of the root, sorted by method, backbone and benchmark; with `only_runs`, of
// those runs alone (a sweep's). An unreadable manifest, or a run whose config.json cannot be
// read, is an error naming the file.
Result<std::vector<SummaryGroup>> SummarizeRoot(const std::filesystem::path& results_root,
                                                const std::set<std::string>* only_runs = nullptr);

// One JSON object per group: method, backbone, benchmark, n_runs, mean, sd, interval [low,
// high] (null for one run), seed_baseline (null when unmeasured), cost_per_run_usd, run_ids.
Json SummaryJson(const std::vector<SummaryGroup>& groups);
// The paper's kind of table: a row per method and backbone, a column per benchmark, each cell
// "mean ± sd (n) [low, high]"; then the seed baseline and cost per run, in the same layout.
std::string SummaryMarkdown(const std::vector<SummaryGroup>& groups);
// One line per group, the fields of SummaryJson (run ids joined by ';').
std::string SummaryCsv(const std::vector<SummaryGroup>& groups);

}  // namespace sg::run
