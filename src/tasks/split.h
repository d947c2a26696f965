// Train/validation/test splits (DESIGN section 2.4), the SkillGrad authors' algorithm id for
// id; the shuffles are CPython's random.Random(seed).shuffle (core/py_random.h):
//
//   valid positions (data order) --shuffle(master_seed)--> [held out | evolution pool | unused]
//   held out --shuffle(heldout_seed)--> [validation | test pool];  test = test pool prefix
//
// A position is a task's index in the benchmark's data file (SpreadsheetBench's dataset.json),
// so that a record without a test case leaves a gap. The evolution pool, the validation set
// and the test set are sorted by position; the test pool keeps its shuffle order.
//
// With 400 or more valid tasks the sizes are the authors': 200 held out, 200 in the evolution
// pool (or --n-evolution), 20 validation, 180 in the test pool. A smaller benchmark (an
// extension: the authors' code refuses it) holds out half (rounded up), puts the rest in the
// evolution pool and validates on a tenth of the held-out tasks (at least one when two or more
// are held out). Asking for more tasks than exist is an error naming the flag.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/json.h"
#include "tasks/benchmark.h"

namespace sg::tasks {

struct SplitOptions {
  int64_t master_seed = 0;
  int64_t heldout_seed = 42;
  std::optional<size_t> n_heldout;    // default: 200, or half the tasks (rounded up)
  std::optional<size_t> n_evolution;  // default: 200, or the tasks not held out
  std::optional<size_t> n_val;        // default: 20, or a tenth of the held-out tasks
  std::optional<size_t> n_test;       // default: the whole test pool
};

// A valid task and its position in the benchmark's data.
struct SplitTask {
  std::string id;
  size_t position = 0;
};

struct Split {
  int64_t master_seed = 0;
  int64_t heldout_seed = 42;
  size_t n_valid_tasks = 0;
  std::vector<std::string> evolution_ids;  // sorted by position
  std::vector<std::string> val_ids;        // sorted by position
  std::vector<std::string> test_ids;       // test_pool_ids' prefix, sorted by position
  std::vector<std::string> test_pool_ids;  // in shuffled order
  // The same sets as positions (split.json's *_indices), when the split was made here or
  // read from a file that has them.
  std::vector<size_t> evolution_indices, val_indices, test_indices, test_pool_indices;
  // Where the split came from, for split.json: the data folder, and the records the benchmark
  // left out for an `exclude` note (--honor-exclude; 0 when the notes are not consulted).
  std::string data_dir;
  bool honor_exclude = false;
  size_t n_excluded = 0;
  // The grader self-check's findings when the split was made (Benchmark::SelfCheck).
  std::vector<SuspectTask> suspect_tasks;

  // split.json: the seeds, the counts, the ids and the *_indices lists, data_dir.
  Json ToJson() const;
  static Result<Split> FromJson(const Json& json, const std::string& what);
};

// `valid` in the benchmark's data order; a repeated id or position is an error.
Result<Split> MakeSplit(const std::vector<SplitTask>& valid, const SplitOptions& options);

// <results_root>/splits/master_<M>_heldout_<H>/split.json
std::filesystem::path SplitPath(const std::filesystem::path& results_root, int64_t master_seed,
                                int64_t heldout_seed);
// Writes the split atomically to SplitPath(); returns the path written.
Result<std::filesystem::path> WriteSplit(const std::filesystem::path& results_root,
                                         const Split& split);
Result<Split> ReadSplit(const std::filesystem::path& path);

}  // namespace sg::tasks
