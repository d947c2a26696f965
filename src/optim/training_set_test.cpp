#include "optim/training_set.h"

#include <gtest/gtest.h>

#include <set>

#include "core/json.h"
#include "core/testing.h"

namespace sg::optim {
namespace {

TEST(TrainingSet, MatchesTheAuthorsAlgorithmIdForId) {
  auto expected = ReadJsonFile(testing::SourceDir() / "tests/data/splits/expected.json");
  ASSERT_TRUE(expected.ok());
  auto pool = (*expected)["failure_pool"].get<std::vector<std::string>>();
  ASSERT_GT(pool.size(), 100u);
  for (const Json& c : (*expected)["schedules"]) {
    SCOPED_TRACE(c["options"].dump());
    TrainingOptions options;
    options.training_seed = c["options"]["seed"].get<int64_t>();
    options.n_train = c["options"]["n_train"].get<size_t>();
    options.batch_size = c["options"]["batch_size"].get<size_t>();
    auto kind = ParseScheduleKind(c["options"]["schedule"].get<std::string>());
    ASSERT_TRUE(kind.ok());
    options.schedule = *kind;
    if (!c["options"]["iterations"].is_null()) {
      options.iterations = c["options"]["iterations"].get<size_t>();
    }
    if (!c["options"]["batch_seed"].is_null()) {
      options.batch_seed = c["options"]["batch_seed"].get<int64_t>();
    }
    auto schedule = MakeTrainingSchedule(pool, options);
    ASSERT_TRUE(schedule.ok()) << schedule.error().ToString();
    EXPECT_EQ(schedule->train_ids, c["expected"]["train_ids"].get<std::vector<std::string>>());
    EXPECT_EQ(schedule->batches,
              c["expected"]["batches"].get<std::vector<std::vector<std::string>>>());
  }
}

TEST(TrainingSet, DefaultIsTenBatchesOfFourCoveringFortyTasksOnce) {
  std::vector<std::string> pool;
  for (int i = 0; i < 90; ++i) pool.push_back(std::to_string(i));
  auto schedule = MakeTrainingSchedule(pool, {});
  ASSERT_TRUE(schedule.ok());
  ASSERT_EQ(schedule->batches.size(), 10u);
  std::set<std::string> seen;
  for (const auto& batch : schedule->batches) {
    EXPECT_EQ(batch.size(), 4u);
    seen.insert(batch.begin(), batch.end());
  }
  EXPECT_EQ(seen.size(), 40u);
  EXPECT_EQ(seen, std::set<std::string>(schedule->train_ids.begin(), schedule->train_ids.end()));
}

TEST(TrainingSet, FixedUpdatesNeverRepeatsInsideABatch) {
  std::vector<std::string> pool{"a", "b", "c", "d", "e"};
  TrainingOptions options;
  options.schedule = ScheduleKind::kFixedUpdates;
  options.batch_size = 3;  // does not divide 5: batches straddle epoch boundaries
  options.iterations = 40;
  auto schedule = MakeTrainingSchedule(pool, options);
  ASSERT_TRUE(schedule.ok());
  ASSERT_EQ(schedule->batches.size(), 40u);
  for (const auto& batch : schedule->batches) {
    ASSERT_EQ(batch.size(), 3u);
    EXPECT_EQ(std::set<std::string>(batch.begin(), batch.end()).size(), 3u);
  }
}

TEST(TrainingSet, ClearErrors) {
  EXPECT_FALSE(MakeTrainingSchedule({}, {}).ok());
  TrainingOptions options;
  options.schedule = ScheduleKind::kFixedUpdates;
  options.batch_size = 8;
  auto too_big = MakeTrainingSchedule({"a", "b"}, options);
  ASSERT_FALSE(too_big.ok());
  EXPECT_NE(too_big.error().message.find("--batch-size 8"), std::string::npos);
  EXPECT_FALSE(ParseScheduleKind("weekly").ok());
}

}  // namespace
}  // namespace sg::optim
