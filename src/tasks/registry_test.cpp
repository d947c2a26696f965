// The benchmark registry: the names every message and help text reads, and OpenBenchmark's
// errors for an unknown name or a missing folder.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/testing.h"
#include "tasks/benchmark.h"

namespace sg::tasks {
namespace {

TEST(BenchmarkRegistryTest, NamesInTheirListingOrder) {
  EXPECT_EQ(BenchmarkNames(), (std::vector<std::string>{"spreadsheetbench", "wtq", "external"}));
  EXPECT_EQ(BenchmarkNamesText(), "spreadsheetbench, wtq or external");
}

TEST(BenchmarkRegistryTest, UnknownNameListsTheKnownOnes) {
  testing::TempDir dir;
  auto opened = OpenBenchmark("spreadsheetbenchh", dir.path());
  ASSERT_FALSE(opened.ok());
  const std::string& m = opened.error().message;
  EXPECT_NE(m.find("unknown --benchmark 'spreadsheetbenchh'"), std::string::npos) << m;
  for (const std::string& name : BenchmarkNames()) {
    EXPECT_NE(m.find(name), std::string::npos) << m;
  }
}

TEST(BenchmarkRegistryTest, EveryKnownNameChecksItsFolder) {
  testing::TempDir dir;
  for (const std::string& name : BenchmarkNames()) {
    auto opened = OpenBenchmark(name, dir.path() / "missing");
    ASSERT_FALSE(opened.ok()) << name;
    EXPECT_NE(opened.error().message.find("--data-dir"), std::string::npos)
        << name << ": " << opened.error().message;
  }
}

}  // namespace
}  // namespace sg::tasks
