// results/manifest.json: an index of the runs under a results root, updated at the start
// and end of every command that writes a run.
#pragma once

#include <string>

#include "core/error.h"
#include "core/json.h"
#include "run/run_layout.h"

namespace sg::run {

// Sets manifest.runs[run_id] = {command, updated_at, ...state}, keeping other runs.
Status UpdateManifest(const ResultsLayout& layout, const std::string& run_id,
                      const std::string& command, const Json& state);

// Rewrites manifest.runs[run_id] only when its status differs from the state's: a kill between
// a run's last checkpoint and its manifest update leaves the index behind, and the next command
// that finds the checkpoint brings it level without touching an index that already agrees.
Status CatchUpManifest(const ResultsLayout& layout, const std::string& run_id,
                       const std::string& command, const Json& state);

// Merges `metrics` into manifest.runs[run_id].metrics (creating the entry, with `command`, for
// a run the index does not hold yet) and, when the run has a config.json, into its "metrics"
// object: the results of a run are found beside its inputs and in the index, as the authors
// record them. Other keys of both files are kept.
Status RecordRunMetrics(const ResultsLayout& layout, const std::string& run_id,
                        const std::string& command, const Json& metrics);

// The figures of an eval/summary.json that a run records: test_hard (mean_hard_graded, the
// paper's headline), test_cell_acc (mean_cell_graded), eval_n_graded, eval_n_total,
// eval_mean_hard, eval_grader, eval_cost_usd and eval_completed (UTC), and with a comparison
// against the seed test_hard_minus_seed and versus_seed_p. `prefix` is prepended
// to each key ("seed_" for the seed skill's eval).
Json EvalMetrics(const Json& summary, const std::string& prefix = "");

}  // namespace sg::run
