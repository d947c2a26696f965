// What the run report shows, read from a run directory's artifacts (DESIGN section 4):
// train/training_results.json, train/iter_<t>/{patch.diff,momentum_memory.json},
// ledger.jsonl, eval/summary.json (the trained skill on the test split) and
// eval_seed/summary.json (the seed skill on the same split, the "before"; the demo writes
// it, and any eval summary of the seed copied there serves). Each artifact is optional; a run
// directory with none of them is an error. docs/report.md describes the convention.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/json.h"
#include "llm/ledger_totals.h"
#include "optim/momentum.h"

namespace sg::report {

struct ReportOutcome {
  std::string task_id;
  bool pass = false;
  double score = 0;
  std::string task_class;  // "failed" or "contrastive"
  std::string stop_reason;
};

struct ReportIteration {
  int iteration = 0;
  double batch_pass_rate = 0;
  std::vector<ReportOutcome> outcomes;
  std::optional<double> validation_before;  // hard accuracy on the validation split
  std::optional<double> validation_after;
  std::string decision;  // "kept", "rolled_back", or empty without validation
  bool accepted = true;
  int momentum_patterns = 0;
  std::vector<std::string> momentum_violations;
  Json patch_changes = Json::array();  // [{pattern, diagnosed, patched}]
  std::map<std::string, double> seconds_by_stage;
  std::map<std::string, double> cost_by_stage;  // USD
  double run_cost_usd = 0;                      // cumulative, at the end of the iteration
  std::string diff;                             // iter_<t>/patch.diff, empty when absent
};

struct ReportEval {
  std::filesystem::path file;
  std::string skills_dir;
  int tasks = 0;
  double hard_accuracy = 0;
  double soft_accuracy = 0;
  double seconds = 0;
  std::optional<double> cost_usd;
  // summary.json's "accuracy": over tasks x rollouts with its 95% interval (null in older
  // summaries), and "versus_seed": the paired comparison with the seed skill (eval/ only).
  Json accuracy;
  Json versus_seed;
};

struct ReportData {
  std::filesystem::path run_dir;
  std::string run_id;
  Json config;  // config.json, or null
  std::vector<ReportIteration> iterations;
  std::optional<ReportEval> eval_before;          // eval_seed/summary.json
  std::optional<ReportEval> eval_after;           // eval/summary.json
  std::optional<llm::LedgerSummary> ledger;       // its damaged lines, if any, are in `problems`
  std::optional<optim::MomentumRecord> momentum;  // the last iteration's momentum_memory.json
  int momentum_iteration = 0;
  // Artifacts that were present but unreadable; the report shows them, not hides them.
  std::vector<std::string> problems;
};

// Reads a run directory. Errors: the directory is missing, or holds none of the artifacts
// above, or training_results.json is not the array `train` writes.
Result<ReportData> LoadReportData(const std::filesystem::path& run_dir);

}  // namespace sg::report
