// collect (DESIGN 2.4): the seed skill on the evolution pool, once per executor model.
// Assessments and trajectories go under base_trajectories/master_<M>_heldout_<H>/<model>/;
// the tasks scored below 1.0 form the failure pool (failure_pool.json), which training
// draws from and whose failed trajectories the contrastive diagnoser reads.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "run/engine.h"
#include "run/options.h"
#include "tasks/split.h"

namespace sg::run {

// Reads the split file of (master, heldout) under the results root, or makes and writes it
// from the benchmark's valid tasks. A split that asks for more tasks than exist is an
// error naming the flag. With `write_new` false a new split is made but not written (a cost
// plan writes nothing).
Result<tasks::Split> LoadOrMakeSplit(const tasks::Benchmark& benchmark,
                                     const CommonOptions& options, bool write_new = true);
// Writes `split` to its file under the results root unless the file exists.
Status SaveSplitIfNew(const CommonOptions& options, const tasks::Split& split);

struct CollectResult {
  std::filesystem::path base_dir;
  std::vector<std::string> evolution_ids;
  std::vector<std::string> failure_pool;  // evolution-pool order
  double hard_accuracy = 0;
};

// The collection of this split and executor model: --base-trajectories-dir, or
// base_trajectories/master_<M>_heldout_<H>/<model>/ under the results root.
std::filesystem::path BaseTrajectoriesDir(const CommonOptions& options);

// Reads <base_dir>/failure_pool.json when collect has finished there (nullopt when it has
// not). With `seed_skills_dir`, a collection made with another seed skill (its files'
// fingerprint differs) is an error naming both, never reused silently.
Result<std::optional<CollectResult>> LoadCollectResult(
    const std::filesystem::path& base_dir, const std::filesystem::path& seed_skills_dir = {});

// Runs the seed on the evolution pool, reusing the tasks already done; with
// options.collect_ids, those tasks are run again first (each must be in the evolution pool).
Result<CollectResult> RunCollect(Engine& engine, const CommonOptions& options,
                                 const tasks::Split& split);

}  // namespace sg::run
