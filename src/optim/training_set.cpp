#include "optim/training_set.h"

#include <algorithm>
#include <deque>

#include "core/py_random.h"

namespace sg::optim {

const char* ScheduleKindName(ScheduleKind kind) {
  return kind == ScheduleKind::kOneEpoch ? "one-epoch" : "fixed-updates";
}

Result<ScheduleKind> ParseScheduleKind(const std::string& name) {
  if (name == "one-epoch") return ScheduleKind::kOneEpoch;
  if (name == "fixed-updates") return ScheduleKind::kFixedUpdates;
  return InvalidArgument("unknown --schedule '" + name + "'; use one-epoch or fixed-updates");
}

Result<TrainingSchedule> MakeTrainingSchedule(const std::vector<std::string>& failure_pool,
                                              const TrainingOptions& options) {
  if (failure_pool.empty()) {
    return InvalidArgument(
        "the failure pool is empty: the seed skill passed every evolution task, so there is "
        "nothing to train on");
  }
  if (options.batch_size == 0) return InvalidArgument("--batch-size must be at least 1");
  if (options.n_train == 0) return InvalidArgument("--n-train must be at least 1");

  PyRandom rng(options.training_seed);
  std::vector<std::string> pool = failure_pool;
  rng.Shuffle(pool);
  pool.resize(std::min(pool.size(), options.n_train));

  TrainingSchedule schedule;
  schedule.training_seed = options.training_seed;
  schedule.schedule = options.schedule;
  schedule.batch_size = options.batch_size;
  schedule.train_ids = pool;

  std::vector<std::string> order = pool;
  rng.Shuffle(order);
  if (options.schedule == ScheduleKind::kOneEpoch) {
    for (size_t i = 0; i < order.size(); i += options.batch_size) {
      size_t end = std::min(order.size(), i + options.batch_size);
      schedule.batches.emplace_back(order.begin() + i, order.begin() + end);
    }
    return schedule;
  }

  if (options.batch_size > order.size()) {
    return InvalidArgument("--batch-size " + std::to_string(options.batch_size) +
                           " is larger than the training set of " + std::to_string(order.size()) +
                           " tasks: a batch would repeat a task; lower --batch-size or raise "
                           "--n-train");
  }
  if (options.iterations == 0) return InvalidArgument("--iterations must be at least 1");
  std::deque<std::string> stream(order.begin(), order.end());
  for (size_t t = 0; t < options.iterations; ++t) {
    std::vector<std::string> batch;
    auto it = stream.begin();
    while (batch.size() < options.batch_size) {
      if (it == stream.end()) {
        // Next epoch: the same list reshuffled in place, appended to the stream.
        size_t offset = static_cast<size_t>(it - stream.begin());
        rng.Shuffle(order);
        stream.insert(stream.end(), order.begin(), order.end());
        it = stream.begin() + static_cast<std::ptrdiff_t>(offset);
      }
      if (std::find(batch.begin(), batch.end(), *it) != batch.end()) {
        ++it;  // already in this batch: it stays in the stream for a later batch
        continue;
      }
      batch.push_back(*it);
      it = stream.erase(it);
    }
    schedule.batches.push_back(std::move(batch));
  }
  return schedule;
}

Json TrainingSchedule::ToJson() const {
  return {{"training_seed", training_seed},
          {"schedule", ScheduleKindName(schedule)},
          {"batch_size", batch_size},
          {"train_ids", train_ids},
          {"batches", batches}};
}

}  // namespace sg::optim
