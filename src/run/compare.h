// `skillgrad compare A B`: two evaluations of skills on the same tasks, compared as paired
// samples (docs/statistics.md). Each side is an eval/summary.json, the eval folder holding it,
// or a run folder holding eval/summary.json. Per task an eval gives a pass rate over its
// rollouts (`pass_rate`, or `pass` for one rollout) and, where the grader counts cells, a mean
// cell accuracy.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/json.h"

namespace sg::run {

// One side: the summary file and its per-task pass rates, in the summary's task order.
struct EvalSide {
  std::filesystem::path summary;
  std::string grader;
  std::vector<std::string> task_ids;
  std::map<std::string, double> pass_rate;  // by task id
  int rollouts = 1;                         // the most rollouts any task had
};

// Reads a side from a path as described above; the error names the path and what it lacks.
Result<EvalSide> LoadEvalSide(const std::filesystem::path& path);

struct CompareOptions {
  int resamples = 10000;  // bootstrap and sampled-permutation draws
  uint64_t seed = 0;      // of those draws
};

// One side's accuracy over tasks and rollouts with its 95% interval (Wilson for one rollout,
// a bootstrap over tasks otherwise): {"summary", "grader", "tasks", "rollouts", "accuracy",
// "interval": [low, high], "interval_method"}.
Json SideAccuracy(const EvalSide& side, const CompareOptions& options);

// The paired comparison A - B as JSON: each side's accuracy with its 95% interval (Wilson for
// one rollout, a bootstrap over tasks otherwise), the difference with a bootstrap interval
// over tasks, and the test (exact McNemar for one rollout per side, a paired sign-flip
// permutation test otherwise) with its p-value. Refused, naming the tasks, when the two task
// sets differ; refused when the graders differ.
Result<Json> CompareEvals(const EvalSide& a, const EvalSide& b, const CompareOptions& options);

// The comparison as a few lines of text.
std::string FormatComparison(const Json& comparison);

}  // namespace sg::run
