// collect (DESIGN 2.4): the seed skill on the evolution pool, once per executor model.
// Assessments and trajectories go under base_trajectories/master_<M>_heldout_<H>/<model>/;
// the tasks scored below 1.0 form the failure pool (failure_pool.json), which training
// draws from and whose failed trajectories the contrastive diagnoser reads.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "run/engine.h"
#include "run/options.h"
#include "tasks/split.h"

namespace sg::run {

// Reads the split file of (master, heldout) under the results root, or makes and writes it
// from the benchmark's valid tasks. A split that asks for more tasks than exist is an
// error naming the flag.
Result<tasks::Split> LoadOrMakeSplit(const tasks::Benchmark& benchmark,
                                     const CommonOptions& options);

struct CollectResult {
  std::filesystem::path base_dir;
  std::vector<std::string> evolution_ids;
  std::vector<std::string> failure_pool;  // evolution-pool order
  double hard_accuracy = 0;
};

// Reads <base_dir>/failure_pool.json when collect has finished for this model.
std::optional<CollectResult> LoadCollectResult(const std::filesystem::path& base_dir);

Result<CollectResult> RunCollect(Engine& engine, const CommonOptions& options,
                                 const tasks::Split& split);

}  // namespace sg::run
