// The expansion of a sweep file (run/sweep_spec.h): the grid's product in order, the run tags
// and ids, the one shared collect per model, the eval command lines, and the errors that name
// the file and the field.
#include "run/sweep_spec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/file_util.h"
#include "core/testing.h"

namespace sg::run {
namespace {

Json Doc() {
  return Json{{"name", "seeds"},
              {"train",
               {{"benchmark", "wtq"},
                {"skills-dir", "seeds/wtq"},
                {"results-root", "out"},
                {"model", "gpt-4o-mini"},
                {"batch-size", 2},
                {"task-hints", true},
                {"unsafe-sandbox", false}}},
              {"grid", {{"training-seed", {0, 1, 2}}, {"ablate", {"none", "momentum"}}}},
              {"eval", {{"rollouts", 3}}}};
}

bool Has(const std::vector<std::string>& args, const std::vector<std::string>& words) {
  return std::search(args.begin(), args.end(), words.begin(), words.end()) != args.end();
}

TEST(SweepSpecTest, TheGridExpandsIntoTaggedRunsThatShareOneCollect) {
  auto spec = ExpandSweep(Doc(), "sweep.yaml");
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  EXPECT_EQ(spec->name, "seeds");
  EXPECT_EQ(spec->results_root, "out");
  ASSERT_EQ(spec->runs.size(), 6u);
  // Axes by name (ablate, training-seed), the last fastest.
  EXPECT_EQ(spec->runs[0].tag, "ablate-none_training-seed-0");
  EXPECT_EQ(spec->runs[1].tag, "ablate-none_training-seed-1");
  EXPECT_EQ(spec->runs[3].tag, "ablate-momentum_training-seed-0");
  EXPECT_EQ(spec->runs[5].run_id, "skillgrad_gpt-4o-mini_ablate-momentum_training-seed-2");
  EXPECT_EQ(spec->runs[5].cell["training-seed"], 2);
  const auto& train = spec->runs[4].train_args;
  EXPECT_EQ(train[0], "train");
  EXPECT_TRUE(Has(train, {"--config-tag", "ablate-momentum_training-seed-1"}));
  EXPECT_TRUE(Has(train, {"--training-seed", "1"}));
  EXPECT_TRUE(Has(train, {"--ablate", "momentum"}));
  EXPECT_TRUE(Has(train, {"--batch-size", "2"}));
  EXPECT_TRUE(Has(train, {"--task-hints"}));       // true: a bare flag
  EXPECT_FALSE(Has(train, {"--unsafe-sandbox"}));  // false: left out
  ASSERT_EQ(spec->collects.size(), 1u);            // one model, one split
  EXPECT_FALSE(Has(spec->collects[0], {"--training-seed"}));
  EXPECT_FALSE(Has(spec->collects[0], {"--batch-size"}));
  EXPECT_TRUE(Has(spec->collects[0], {"--skills-dir", "seeds/wtq"}));
  const auto& eval = spec->runs[2].eval_args;
  EXPECT_TRUE(Has(eval, {"eval", "--run", spec->runs[2].run_id}));
  EXPECT_TRUE(Has(eval, {"--rollouts", "3"}));
  EXPECT_FALSE(Has(eval, {"--skills-dir"}));
}

TEST(SweepSpecTest, AModelAxisGivesOneCollectPerModel) {
  Json doc = Doc();
  doc["grid"] = {{"model", {"gpt-4o-mini", "gpt-4o"}}, {"training-seed", {0, 1}}};
  doc.erase("eval");
  auto spec = ExpandSweep(doc, "sweep.yaml");
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  EXPECT_EQ(spec->runs.size(), 4u);
  EXPECT_EQ(spec->collects.size(), 2u);
  EXPECT_TRUE(spec->runs[0].eval_args.empty());
  EXPECT_EQ(spec->runs[0].run_id, "skillgrad_gpt-4o-mini_model-gpt-4o-mini_training-seed-0");
}

TEST(SweepSpecTest, AMappingValueSetsSeveralFlags) {
  Json doc = Doc();
  doc["grid"] = {{"benchmark",
                  {{{"benchmark", "wtq"}, {"data-dir", "data/wtq"}},
                   {{"benchmark", "spreadsheetbench"}, {"data-dir", "data/ssb"}}}}};
  auto spec = ExpandSweep(doc, "sweep.yaml");
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  ASSERT_EQ(spec->runs.size(), 2u);
  EXPECT_EQ(spec->runs[1].tag, "benchmark-spreadsheetbench");
  EXPECT_TRUE(Has(spec->runs[1].train_args, {"--data-dir", "data/ssb"}));
}

void ExpectError(const Json& doc, const std::string& words) {
  auto spec = ExpandSweep(doc, "sweep.yaml");
  ASSERT_FALSE(spec.ok()) << words;
  EXPECT_NE(spec.error().message.find("sweep.yaml"), std::string::npos) << spec.error().message;
  EXPECT_NE(spec.error().message.find(words), std::string::npos) << spec.error().message;
}

TEST(SweepSpecTest, ErrorsNameTheFileAndTheField) {
  Json doc = Doc();
  doc["train"].erase("model");
  ExpectError(doc, "train.model");
  doc = Doc();
  doc["train"]["concurrency"] = 8;
  ExpectError(doc, "train.concurrency: the sweep sets this flag itself");
  doc = Doc();
  doc["grid"]["training-seed"] = 3;
  ExpectError(doc, "grid.training-seed: expected a non-empty list");
  doc = Doc();
  doc["grids"] = Json::object();
  ExpectError(doc, "grids: unknown field");
  doc = Doc();
  doc["train"]["--batch-size"] = 2;
  ExpectError(doc, "not a flag name");
  doc = Doc();
  doc["grid"]["results-root"] = {"a", "b"};
  ExpectError(doc, "give results-root once");
}

TEST(SweepSpecTest, ABrokenFileNamesItsLine) {
  testing::TempDir dir;
  const auto path = dir.path() / "bad.yaml";
  ASSERT_TRUE(WriteFileAtomic(path, "train:\n  model: [unclosed\n").ok());
  auto spec = LoadSweep(path);
  ASSERT_FALSE(spec.ok());
  EXPECT_NE(spec.error().message.find(path.string() + ":"), std::string::npos)
      << spec.error().message;
  EXPECT_FALSE(LoadSweep(dir.path() / "missing.yaml").ok());
}

TEST(SweepSpecTest, TheExampleSweepExpands) {
  auto spec = LoadSweep(testing::SourceDir() / "examples" / "sweep.yaml");
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  EXPECT_EQ(spec->name, "wtq-momentum");
  EXPECT_EQ(spec->runs.size(), 6u);
  EXPECT_EQ(spec->collects.size(), 1u);
  EXPECT_FALSE(spec->runs[0].eval_args.empty());
}

}  // namespace
}  // namespace sg::run
