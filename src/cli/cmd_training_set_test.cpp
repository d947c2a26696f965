// Black-box tests of `skillgrad training-set`: the schedules it prints are the fixture's
// (tests/data/splits/make_expected.py, the authors' algorithm in CPython), from a file of ids
// or from a collected failure pool, and bad flags are usage errors that name the flag.
#include <gtest/gtest.h>

#include <string>

#include "core/file_util.h"
#include "core/json.h"
#include "core/testing.h"

namespace sg::cli {
namespace {
namespace fs = std::filesystem;

std::string Quote(const fs::path& p) { return "'" + p.string() + "'"; }

testing::CommandResult TrainingSet(const std::string& args) {
  return testing::RunCommand(testing::SkillgradCommand() + " training-set " + args + " 2>&1");
}

Json Fixture() {
  auto json = ReadJsonFile(testing::SourceDir() / "tests/data/splits/expected.json");
  EXPECT_TRUE(json.ok());
  return json.ok() ? *json : Json();
}

std::string FlagsOf(const Json& o) {
  std::string flags = "--training-seed " + o["seed"].dump() + " --n-train " + o["n_train"].dump() +
                      " --batch-size " + o["batch_size"].dump() + " --batch-schedule " +
                      o["schedule"].get<std::string>();
  if (!o["iterations"].is_null()) flags += " --n-iterations " + o["iterations"].dump();
  if (!o["batch_seed"].is_null()) flags += " --batch-seed " + o["batch_seed"].dump();
  return flags;
}

TEST(TrainingSetCommand, PrintsTheFixtureSchedulesFromAFileOfIds) {
  Json fixture = Fixture();
  testing::TempDir dir;
  const fs::path ids = dir.path() / "failures.json";
  ASSERT_TRUE(WriteJsonFile(ids, fixture["failure_pool"]).ok());
  ASSERT_GE(fixture["schedules"].size(), 8u);
  for (const Json& c : fixture["schedules"]) {
    SCOPED_TRACE(c["options"].dump());
    auto run = TrainingSet("--failure-ids " + Quote(ids) + " " + FlagsOf(c["options"]) + " --json");
    ASSERT_EQ(run.exit_code, 0) << run.output;
    auto printed = ParseJson(run.output, "stdout");
    ASSERT_TRUE(printed.ok()) << run.output;
    EXPECT_EQ((*printed)["train_ids"], c["expected"]["train_ids"]);
    EXPECT_EQ((*printed)["batches"], c["expected"]["batches"]);
    EXPECT_EQ((*printed)["batch_schedule"], c["options"]["schedule"]);
  }
}

TEST(TrainingSetCommand, ReadsTheFailurePoolThatCollectLeft) {
  Json fixture = Fixture();
  testing::TempDir results;
  const fs::path base = results.path() / "base_trajectories/master_1_heldout_42/some-model";
  Json pool = {{"evolution_ids", fixture["failure_pool"]},
               {"failure_pool", fixture["failure_pool"]},
               {"hard_accuracy", 0.0}};
  ASSERT_TRUE(WriteJsonFile(base / "failure_pool.json", pool).ok());
  const Json& first = fixture["schedules"][0];
  auto run =
      TrainingSet("--results-root " + Quote(results.path()) +
                  " --model some-model --master-seed 1 " + FlagsOf(first["options"]) + " --json");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  auto printed = ParseJson(run.output, "stdout");
  ASSERT_TRUE(printed.ok()) << run.output;
  EXPECT_EQ((*printed)["train_ids"], first["expected"]["train_ids"]);

  auto text = TrainingSet("--results-root " + Quote(results.path()) +
                          " --model some-model --master-seed 1 --n-train 8 --batch-size 4");
  ASSERT_EQ(text.exit_code, 0) << text.output;
  EXPECT_NE(
      text.output.find("8 of " + std::to_string(fixture["failure_pool"].size()) + " failures"),
      std::string::npos)
      << text.output;
  EXPECT_NE(text.output.find("batch 2: "), std::string::npos) << text.output;

  auto missing = TrainingSet("--results-root " + Quote(results.path()) + " --model other");
  EXPECT_NE(missing.exit_code, 0) << missing.output;
  EXPECT_NE(missing.output.find("skillgrad collect"), std::string::npos) << missing.output;
}

TEST(TrainingSetCommand, BadFlagsAreUsageErrorsNamingTheFlag) {
  testing::TempDir dir;
  const fs::path ids = dir.path() / "ids.json";
  ASSERT_TRUE(WriteJsonFile(ids, Json::array({"a", "b", "c"})).ok());
  auto neither = TrainingSet("--n-train 2");
  EXPECT_NE(neither.exit_code, 0);
  EXPECT_NE(neither.output.find("--failure-ids"), std::string::npos) << neither.output;
  auto seed_with_epoch = TrainingSet("--failure-ids " + Quote(ids) + " --batch-seed 3");
  EXPECT_NE(seed_with_epoch.exit_code, 0);
  EXPECT_NE(seed_with_epoch.output.find("--batch-seed"), std::string::npos)
      << seed_with_epoch.output;
  auto too_big = TrainingSet("--failure-ids " + Quote(ids) +
                             " --batch-schedule fixed-updates --n-iterations 2 --batch-size 5");
  EXPECT_NE(too_big.exit_code, 0);
  EXPECT_NE(too_big.output.find("--batch-size 5"), std::string::npos) << too_big.output;
  ASSERT_TRUE(WriteJsonFile(ids, Json{{"ids", 1}}).ok());
  auto not_a_list = TrainingSet("--failure-ids " + Quote(ids));
  EXPECT_NE(not_a_list.exit_code, 0);
  EXPECT_NE(not_a_list.output.find("JSON list"), std::string::npos) << not_a_list.output;
}

}  // namespace
}  // namespace sg::cli
