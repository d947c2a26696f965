// The training set and its batch schedule (DESIGN section 2.4), drawn with CPython's
// random.Random(training_seed) so that it matches the reference implementation:
//
//   rng = random.Random(training_seed)
//   pool = list(failure_pool)            # evolution-pool order (sorted ids)
//   rng.shuffle(pool); train = pool[:n_train]
//   rng.shuffle(train)                   # batch order
//   one-epoch:     batches = [train[i:i + batch_size] for i in range(0, len(train), batch_size)]
//
// `fixed-updates` runs a set number of iterations instead: the batch order above is the
// first epoch; when an epoch runs out the same list is shuffled again in place with the same
// generator and appended. A batch takes the first batch_size ids of that stream that are
// not already in it (an id skipped to avoid a repeat keeps its place for the next batch), so
// no batch repeats an id even across an epoch boundary.
#pragma once

#include <cstdint>
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
  size_t iterations = 10;  // fixed-updates only
};

struct TrainingSchedule {
  int64_t training_seed = 0;
  ScheduleKind schedule = ScheduleKind::kOneEpoch;
  size_t batch_size = 0;
  std::vector<std::string> train_ids;             // selection order (before the batch shuffle)
  std::vector<std::vector<std::string>> batches;  // one per iteration

  Json ToJson() const;
};

const char* ScheduleKindName(ScheduleKind kind);  // "one-epoch", "fixed-updates"
Result<ScheduleKind> ParseScheduleKind(const std::string& name);

// `failure_pool`: the evolution-pool tasks the seed skill failed, in evolution-pool order.
// Fewer failures than n_train means all of them are used (as Python's slice would).
Result<TrainingSchedule> MakeTrainingSchedule(const std::vector<std::string>& failure_pool,
                                              const TrainingOptions& options);

}  // namespace sg::optim
