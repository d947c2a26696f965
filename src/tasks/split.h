// Train/validation/test splits (DESIGN section 2.4), reproducing the reference
// implementation id for id: the shuffles are CPython's random.Random(seed).shuffle.
//
//   valid ids (data order) --shuffle(master_seed)--> [held out | evolution pool | unused]
//   held out --shuffle(heldout_seed)--> [validation | test pool];  test = test pool prefix
//
// With 400 or more valid tasks the sizes are the reference's: 200 held out, 200 in the
// evolution pool, 20 validation, 180 in the test pool. A smaller benchmark holds out half
// (rounded up), puts the rest in the evolution pool and validates on a tenth of the held-out
// tasks (at least one when two or more are held out). Every size can be overridden; asking
// for more tasks than exist is an error naming the flag.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/json.h"

namespace sg::tasks {

struct SplitOptions {
  int64_t master_seed = 0;
  int64_t heldout_seed = 42;
  std::optional<size_t> n_heldout;    // default: 200, or half the tasks (rounded up)
  std::optional<size_t> n_evolution;  // default: 200, or the tasks not held out
  std::optional<size_t> n_val;        // default: 20, or a tenth of the held-out tasks
  std::optional<size_t> n_test;       // default: the whole test pool
};

struct Split {
  int64_t master_seed = 0;
  int64_t heldout_seed = 42;
  size_t n_valid_tasks = 0;
  // Sorted as Python's sorted() sorts strings: by code point, i.e. byte order of UTF-8.
  std::vector<std::string> evolution_ids;
  std::vector<std::string> val_ids;
  std::vector<std::string> test_ids;       // a prefix of test_pool_ids
  std::vector<std::string> test_pool_ids;  // in shuffled order

  // {"evolution_ids", "val_ids", "test_ids", "test_pool_ids", plus the seeds and counts}.
  Json ToJson() const;
  static Result<Split> FromJson(const Json& json, const std::string& what);
};

// `valid_ids` in the benchmark's data order; duplicates are an error.
Result<Split> MakeSplit(const std::vector<std::string>& valid_ids, const SplitOptions& options);

// <results_root>/splits/master_<M>_heldout_<H>/split.json
std::filesystem::path SplitPath(const std::filesystem::path& results_root, int64_t master_seed,
                                int64_t heldout_seed);
// Writes the split atomically to SplitPath(); returns the path written.
Result<std::filesystem::path> WriteSplit(const std::filesystem::path& results_root,
                                         const Split& split);
Result<Split> ReadSplit(const std::filesystem::path& path);

}  // namespace sg::tasks
