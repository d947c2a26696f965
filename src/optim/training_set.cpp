#include "optim/training_set.h"

#include <algorithm>
#include <set>

#include "core/py_random.h"

namespace sg::optim {
namespace {

// The fixed-updates batches over `train_ids` (see training_set.h).
std::vector<std::vector<std::string>> FixedUpdateBatches(const std::vector<std::string>& train_ids,
                                                         size_t batch_size, size_t iterations,
                                                         int64_t batch_seed) {
  PyRandom rng(batch_seed);
  std::vector<std::string> order = train_ids;
  size_t at = 0;
  std::vector<std::vector<std::string>> batches;
  while (batches.size() < iterations) {
    std::vector<std::string> batch;
    while (batch.size() < batch_size) {
      if (at == order.size()) {
        order = train_ids;
        rng.Shuffle(order);
        const std::set<std::string> held(batch.begin(), batch.end());
        std::stable_partition(order.begin(), order.end(),
                              [&](const std::string& id) { return held.count(id) == 0; });
        at = 0;
      }
      const size_t take = std::min(batch_size - batch.size(), order.size() - at);
      batch.insert(batch.end(), order.begin() + static_cast<std::ptrdiff_t>(at),
                   order.begin() + static_cast<std::ptrdiff_t>(at + take));
      at += take;
    }
    batches.push_back(std::move(batch));
  }
  return batches;
}

}  // namespace

const char* ScheduleKindName(ScheduleKind kind) {
  return kind == ScheduleKind::kOneEpoch ? "epoch" : "fixed-updates";
}

Result<ScheduleKind> ParseScheduleKind(const std::string& name) {
  if (name == "epoch" || name == "one-epoch") return ScheduleKind::kOneEpoch;
  if (name == "fixed-updates") return ScheduleKind::kFixedUpdates;
  return InvalidArgument("--batch-schedule " + name + ": use epoch or fixed-updates");
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

  TrainingSchedule schedule;
  schedule.training_seed = options.training_seed;
  schedule.schedule = options.schedule;
  schedule.batch_size = options.batch_size;
  schedule.batch_seed = options.batch_seed.value_or(options.training_seed);
  schedule.n_failures_available = failure_pool.size();

  PyRandom rng(options.training_seed);
  std::vector<std::string> drawn = failure_pool;
  rng.Shuffle(drawn);
  drawn.resize(std::min(drawn.size(), options.n_train));
  rng.Shuffle(drawn);
  schedule.train_ids = drawn;

  if (options.schedule == ScheduleKind::kOneEpoch) {
    for (size_t i = 0; i < drawn.size(); i += options.batch_size) {
      const size_t end = std::min(drawn.size(), i + options.batch_size);
      schedule.batches.emplace_back(drawn.begin() + static_cast<std::ptrdiff_t>(i),
                                    drawn.begin() + static_cast<std::ptrdiff_t>(end));
    }
    return schedule;
  }
  if (options.batch_size > drawn.size()) {
    return InvalidArgument("--batch-size " + std::to_string(options.batch_size) +
                           " is larger than the training set of " + std::to_string(drawn.size()) +
                           " tasks: a fixed-updates batch would repeat a task; lower --batch-size "
                           "or raise --n-train");
  }
  if (options.iterations == 0) {
    return InvalidArgument("--batch-schedule fixed-updates needs --n-iterations N (N >= 1)");
  }
  schedule.batches =
      FixedUpdateBatches(drawn, options.batch_size, options.iterations, schedule.batch_seed);
  return schedule;
}

Json TrainingSchedule::ToJson() const {
  Json json = {{"training_seed", training_seed},
               {"n_train", train_ids.size()},
               {"n_failures_available", n_failures_available},
               {"batch_size", batch_size},
               {"n_iterations", batches.size()},
               {"batch_schedule", ScheduleKindName(schedule)},
               {"train_ids", train_ids},
               {"batches", batches}};
  if (schedule == ScheduleKind::kFixedUpdates) json["batch_seed"] = batch_seed;
  return json;
}

}  // namespace sg::optim
