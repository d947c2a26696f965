// One case per file in tests/data/answer_position/ (expected parts computed by the Python
// restatement of the official splitting, perf/spreadsheetbench_reference.py).
#include "tasks/answer_position.h"

#include <gtest/gtest.h>

#include <fstream>

#include "core/json.h"
#include "core/testing.h"

namespace sg::tasks {
namespace {

namespace fs = std::filesystem;

TEST(AnswerPositionTest, DataDrivenCases) {
  fs::path dir = testing::SourceDir() / "tests" / "data" / "answer_position";
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    SCOPED_TRACE(entry.path().filename().string());
    Json c = Json::parse(std::ifstream(entry.path()));
    auto parsed = ParseAnswerPosition(c["input"].get<std::string>());
    ++cases;
    if (c.contains("error")) {
      ASSERT_FALSE(parsed.ok());
      EXPECT_NE(parsed.error().message.find(c["error"].get<std::string>()), std::string::npos)
          << parsed.error().message;
      continue;
    }
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    const auto& want = c["expected"];
    ASSERT_EQ(parsed->size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
      const AnswerRange& got = (*parsed)[i];
      if (want[i]["sheet"].is_null()) {
        EXPECT_FALSE(got.sheet.has_value()) << i;
      } else {
        ASSERT_TRUE(got.sheet.has_value()) << i;
        EXPECT_EQ(*got.sheet, want[i]["sheet"].get<std::string>());
      }
      EXPECT_EQ(got.range, want[i]["range"].get<std::string>());
    }
  }
  EXPECT_GE(cases, 20);
}

TEST(AnswerPositionTest, EveryPositionInTheSamplesParses) {
  fs::path dataset = testing::SamplesDir() / "spreadsheetbench" / "dataset.json";
  Json records = Json::parse(std::ifstream(dataset));
  for (const auto& r : records) {
    auto parsed = ParseAnswerPosition(r["answer_position"].get<std::string>());
    EXPECT_TRUE(parsed.ok()) << r["answer_position"];
  }
}

}  // namespace
}  // namespace sg::tasks
