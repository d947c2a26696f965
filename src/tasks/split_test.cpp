#include "tasks/split.h"

#include <gtest/gtest.h>

#include "core/json.h"
#include "core/testing.h"

namespace sg::tasks {
namespace {

// Expected splits come from CPython's random.Random: tests/data/splits/make_expected.py.
Json LoadExpected() {
  auto json = ReadJsonFile(testing::SourceDir() / "tests/data/splits/expected.json");
  EXPECT_TRUE(json.ok()) << json.error().ToString();
  return json.ok() ? *json : Json();
}

std::vector<SplitTask> TasksOf(const Json& list) {
  std::vector<SplitTask> tasks;
  for (const Json& t : list) tasks.push_back({t[0].get<std::string>(), t[1].get<size_t>()});
  return tasks;
}

std::vector<SplitTask> Numbered(int n) {
  std::vector<SplitTask> tasks;
  for (int i = 0; i < n; ++i) tasks.push_back({std::to_string(i), static_cast<size_t>(i)});
  return tasks;
}

TEST(Split, MatchesTheAuthorsAlgorithmIdForIdInOrder) {
  Json expected = LoadExpected();
  ASSERT_GE(expected["splits"].size(), 12u);
  for (const Json& c : expected["splits"]) {
    SCOPED_TRACE(c["tasks"].get<std::string>() + " master " + c["master_seed"].dump() +
                 " heldout " + c["heldout_seed"].dump());
    SplitOptions options;
    options.master_seed = c["master_seed"].get<int64_t>();
    options.heldout_seed = c["heldout_seed"].get<int64_t>();
    if (!c["n_test"].is_null()) options.n_test = c["n_test"].get<size_t>();
    if (!c["n_evolution"].is_null()) options.n_evolution = c["n_evolution"].get<size_t>();
    auto split = MakeSplit(TasksOf(expected["task_lists"][c["tasks"].get<std::string>()]), options);
    ASSERT_TRUE(split.ok()) << split.error().ToString();
    const Json& want = c["expected"];
    using Ids = std::vector<std::string>;
    using Positions = std::vector<size_t>;
    EXPECT_EQ(split->evolution_ids, want["evolution_ids"].get<Ids>());
    EXPECT_EQ(split->val_ids, want["val_ids"].get<Ids>());
    EXPECT_EQ(split->test_pool_ids, want["test_pool_ids"].get<Ids>());
    EXPECT_EQ(split->test_ids, want["test_ids"].get<Ids>());
    EXPECT_EQ(split->evolution_indices, want["evolution_indices"].get<Positions>());
    EXPECT_EQ(split->val_indices, want["val_indices"].get<Positions>());
    EXPECT_EQ(split->test_pool_indices, want["test_pool_indices"].get<Positions>());
    EXPECT_EQ(split->test_indices, want["test_indices"].get<Positions>());
  }
}

TEST(Split, ReferenceSizesForFourHundredTasksSortedByPositionNotById) {
  // Ids whose string order differs from their data order: "10" sorts before "9".
  std::vector<SplitTask> tasks;
  for (int i = 0; i < 400; ++i) {
    tasks.push_back({std::to_string(400 - i), static_cast<size_t>(i)});
  }
  auto split = MakeSplit(tasks, {});
  ASSERT_TRUE(split.ok());
  EXPECT_EQ(split->evolution_ids.size(), 200u);
  EXPECT_EQ(split->val_ids.size(), 20u);
  EXPECT_EQ(split->test_pool_ids.size(), 180u);
  EXPECT_EQ(split->test_ids.size(), 180u);
  EXPECT_TRUE(std::is_sorted(split->evolution_indices.begin(), split->evolution_indices.end()));
  EXPECT_TRUE(std::is_sorted(split->test_indices.begin(), split->test_indices.end()));
  for (size_t i = 0; i < split->evolution_ids.size(); ++i) {
    EXPECT_EQ(split->evolution_ids[i], std::to_string(400 - split->evolution_indices[i]));
  }
  EXPECT_FALSE(std::is_sorted(split->test_pool_indices.begin(), split->test_pool_indices.end()));
}

TEST(Split, AGapInThePositionsChangesNothingButTheIdsAtThem) {
  // The shuffle permutes the list of positions, so a split depends only on how many tasks are
  // valid and which position each has.
  std::vector<SplitTask> dense = Numbered(40), gapped;
  for (int i = 0; i < 40; ++i) gapped.push_back({std::to_string(i), static_cast<size_t>(i * 2)});
  auto a = MakeSplit(dense, {});
  auto b = MakeSplit(gapped, {});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->test_pool_ids, b->test_pool_ids);
  EXPECT_EQ(a->evolution_ids, b->evolution_ids);
  for (size_t i = 0; i < a->val_indices.size(); ++i) {
    EXPECT_EQ(b->val_indices[i], a->val_indices[i] * 2);
  }
}

TEST(Split, AskingForMoreThanExistsNamesTheFlag) {
  std::vector<SplitTask> ids = Numbered(6);
  SplitOptions options;
  options.n_test = 50;
  auto split = MakeSplit(ids, options);
  ASSERT_FALSE(split.ok());
  EXPECT_NE(split.error().message.find("--n-test 50"), std::string::npos);
  EXPECT_NE(split.error().message.find("test pool of 2 tasks"), std::string::npos);

  SplitOptions big;
  big.n_heldout = 4;
  big.n_evolution = 3;
  auto too_many = MakeSplit(ids, big);
  ASSERT_FALSE(too_many.ok());
  EXPECT_NE(too_many.error().message.find("--n-evolution"), std::string::npos);

  EXPECT_FALSE(MakeSplit({}, {}).ok());
  auto dup = MakeSplit({{"a", 0}, {"b", 1}, {"a", 2}}, {});
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.error().message.find("'a' appears twice"), std::string::npos);
  auto same_place = MakeSplit({{"a", 0}, {"b", 0}}, {});
  ASSERT_FALSE(same_place.ok());
  EXPECT_NE(same_place.error().message.find("share the data position 0"), std::string::npos);
}

TEST(Split, WritesAndReadsBackAtTheReferencePath) {
  testing::TempDir dir;
  std::vector<SplitTask> ids = Numbered(30);
  SplitOptions options;
  options.master_seed = 3;
  options.heldout_seed = 9;
  auto split = MakeSplit(ids, options);
  ASSERT_TRUE(split.ok());
  split->data_dir = "/data/sb";
  split->honor_exclude = true;
  split->n_excluded = 2;
  auto path = WriteSplit(dir.path(), *split);
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(*path, dir.path() / "splits/master_3_heldout_9/split.json");
  auto back = ReadSplit(*path);
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_EQ(back->test_ids, split->test_ids);
  EXPECT_EQ(back->evolution_ids, split->evolution_ids);
  EXPECT_EQ(back->master_seed, 3);
  EXPECT_EQ(back->test_pool_indices, split->test_pool_indices);
  EXPECT_EQ(back->val_indices, split->val_indices);
  EXPECT_EQ(back->data_dir, "/data/sb");
  EXPECT_TRUE(back->honor_exclude);
  EXPECT_EQ(back->n_excluded, 2u);
  auto json = ReadJsonFile(*path);
  ASSERT_TRUE(json.ok());
  EXPECT_EQ((*json)["n_test"], split->test_ids.size());
  EXPECT_EQ((*json)["evolution_indices"].size(), split->evolution_ids.size());

  Json no_positions = split->ToJson();
  no_positions.erase("val_indices");
  EXPECT_TRUE(Split::FromJson(no_positions, "hand.json").ok());
  Json short_positions = split->ToJson();
  short_positions["val_indices"] = Json::array({1});
  auto mismatched = Split::FromJson(short_positions, "hand.json");
  ASSERT_FALSE(mismatched.ok());
  EXPECT_NE(mismatched.error().message.find("val_indices"), std::string::npos);

  auto bad = Split::FromJson(Json{{"evolution_ids", 3}}, "x.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("evolution_ids"), std::string::npos);
}

}  // namespace
}  // namespace sg::tasks
