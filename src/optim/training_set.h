// The training set and its batch schedule (DESIGN section 2.4), the SkillGrad authors'
// algorithm id for id, with CPython's random.Random (core/py_random.h):
//
//   epoch          one Random(training_seed): shuffle a copy of the failure pool (in
//                  evolution-pool order), keep the first n_train (all of them when fewer),
//                  shuffle those again: that order is train_ids, cut into batches of
//                  batch_size (the last may be shorter).
//   fixed-updates  the same train_ids, then exactly `iterations` full batches from a second
//                  generator, Random(batch_seed, default training_seed): the first epoch is
//                  train_ids as they are; when an epoch runs out, a fresh copy of train_ids is
//                  shuffled with that generator, and the ids the unfinished batch already holds
//                  move to the back of the new order, so no batch repeats an id.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/json.h"

namespace sg::optim {

enum class ScheduleKind { kOneEpoch, kFixedUpdates };

struct TrainingOptions {
  int64_t training_seed = 0;
  size_t n_train = 40;
  size_t batch_size = 4;
  ScheduleKind schedule = ScheduleKind::kOneEpoch;
  size_t iterations = 10;             // fixed-updates only
  std::optional<int64_t> batch_seed;  // fixed-updates only; default: the training seed
};

struct TrainingSchedule {
  int64_t training_seed = 0;
  ScheduleKind schedule = ScheduleKind::kOneEpoch;
  size_t batch_size = 0;
  int64_t batch_seed = 0;  // fixed-updates: the seed of the epoch reshuffles
  size_t n_failures_available = 0;
  std::vector<std::string> train_ids;             // the drawn tasks, in first-epoch order
  std::vector<std::vector<std::string>> batches;  // one per iteration

  // The authors' keys: training_seed, n_train, n_failures_available, batch_size,
  // n_iterations, batch_schedule ("epoch" or "fixed-updates"), batch_seed (fixed-updates),
  // train_ids, batches.
  Json ToJson() const;
};

const char* ScheduleKindName(ScheduleKind kind);  // "epoch", "fixed-updates"
// "epoch" or "fixed-updates" (and "one-epoch", an older name of "epoch").
Result<ScheduleKind> ParseScheduleKind(const std::string& name);

// `failure_pool`: the evolution-pool tasks the seed skill failed, in evolution-pool order.
// Errors name the flag: an empty pool, a zero size, fixed-updates with a batch larger than
// the training set or without iterations.
Result<TrainingSchedule> MakeTrainingSchedule(const std::vector<std::string>& failure_pool,
                                              const TrainingOptions& options);

}  // namespace sg::optim
