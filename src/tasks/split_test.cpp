#include "tasks/split.h"

#include <gtest/gtest.h>

#include "core/json.h"
#include "core/testing.h"

namespace sg::tasks {
namespace {

// Expected ids come from CPython: tests/data/splits/reference.py.
Json LoadExpected() {
  auto json = ReadJsonFile(testing::SourceDir() / "tests/data/splits/expected.json");
  EXPECT_TRUE(json.ok()) << json.error().ToString();
  return json.ok() ? *json : Json();
}

TEST(Split, MatchesTheCPythonReferenceIdForId) {
  Json expected = LoadExpected();
  ASSERT_GE(expected["splits"].size(), 8u);
  for (const Json& c : expected["splits"]) {
    SCOPED_TRACE(c["ids"].get<std::string>() + " master " + c["master_seed"].dump() + " heldout " +
                 c["heldout_seed"].dump());
    auto ids = expected["id_lists"][c["ids"].get<std::string>()].get<std::vector<std::string>>();
    SplitOptions options;
    options.master_seed = c["master_seed"].get<int64_t>();
    options.heldout_seed = c["heldout_seed"].get<int64_t>();
    if (!c["n_test"].is_null()) options.n_test = c["n_test"].get<size_t>();
    auto split = MakeSplit(ids, options);
    ASSERT_TRUE(split.ok()) << split.error().ToString();
    const Json& want = c["expected"];
    EXPECT_EQ(split->evolution_ids, want["evolution_ids"].get<std::vector<std::string>>());
    EXPECT_EQ(split->val_ids, want["val_ids"].get<std::vector<std::string>>());
    EXPECT_EQ(split->test_pool_ids, want["test_pool_ids"].get<std::vector<std::string>>());
    EXPECT_EQ(split->test_ids, want["test_ids"].get<std::vector<std::string>>());
  }
}

TEST(Split, ReferenceSizesForFourHundredTasks) {
  std::vector<std::string> ids;
  for (int i = 0; i < 400; ++i) ids.push_back("t" + std::to_string(i));
  auto split = MakeSplit(ids, {});
  ASSERT_TRUE(split.ok());
  EXPECT_EQ(split->evolution_ids.size(), 200u);
  EXPECT_EQ(split->val_ids.size(), 20u);
  EXPECT_EQ(split->test_pool_ids.size(), 180u);
  EXPECT_EQ(split->test_ids.size(), 180u);
  EXPECT_TRUE(std::is_sorted(split->evolution_ids.begin(), split->evolution_ids.end()));
}

TEST(Split, AskingForMoreThanExistsNamesTheFlag) {
  std::vector<std::string> ids{"a", "b", "c", "d", "e", "f"};
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
  auto dup = MakeSplit({"a", "b", "a"}, {});
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.error().message.find("'a' appears twice"), std::string::npos);
}

TEST(Split, WritesAndReadsBackAtTheReferencePath) {
  testing::TempDir dir;
  std::vector<std::string> ids;
  for (int i = 0; i < 30; ++i) ids.push_back(std::to_string(i));
  SplitOptions options;
  options.master_seed = 3;
  options.heldout_seed = 9;
  auto split = MakeSplit(ids, options);
  ASSERT_TRUE(split.ok());
  auto path = WriteSplit(dir.path(), *split);
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(*path, dir.path() / "splits/master_3_heldout_9/split.json");
  auto back = ReadSplit(*path);
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_EQ(back->test_ids, split->test_ids);
  EXPECT_EQ(back->evolution_ids, split->evolution_ids);
  EXPECT_EQ(back->master_seed, 3);

  auto bad = Split::FromJson(Json{{"evolution_ids", 3}}, "x.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("evolution_ids"), std::string::npos);
}

}  // namespace
}  // namespace sg::tasks
