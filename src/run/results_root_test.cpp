#include "run/results_root.h"

#include <gtest/gtest.h>

#include "core/file_util.h"
#include "core/testing.h"

namespace sg::run {
namespace {

TEST(ResultsRoot, AWritableRootPassesAndKeepsNoProbe) {
  testing::TempDir dir;
  const auto root = dir.path() / "results";
  ASSERT_TRUE(CheckResultsRootWritable(root, "rerun").ok());
  EXPECT_TRUE(std::filesystem::is_directory(root));
  EXPECT_TRUE(std::filesystem::is_empty(root));
}

TEST(ResultsRoot, ARootThatCannotBeCreatedNamesItAndTheFix) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir.path() / "file", "x").ok());
  Status status = CheckResultsRootWritable(dir.path() / "file" / "results", "rerun it");
  ASSERT_FALSE(status.ok());
  const std::string& m = status.error().message;
  EXPECT_NE(
      m.find("the results root " + (dir.path() / "file" / "results").string() + " is not writable"),
      std::string::npos)
      << m;
  EXPECT_NE(m.find("no LLM call was made"), std::string::npos) << m;
  EXPECT_NE(m.find("pass --results-root"), std::string::npos) << m;
  EXPECT_NE(m.find("then rerun it"), std::string::npos) << m;
}

TEST(ResultsRoot, DiskAdviceForAFullOrReadOnlyDiskOnlyAndOnce) {
  const Error full = IoError("cannot write /r/runs/x/state.json: No space left on device");
  Error advised = WithDiskAdvice(full, "/r", "rerun with --resume");
  EXPECT_EQ(advised.message,
            full.message +
                "; to go on: free space on the disk holding /r (df -h /r shows it), then rerun "
                "with --resume; finished work is kept");
  EXPECT_EQ(WithDiskAdvice(advised, "/r", "again").message, advised.message);

  Error read_only =
      WithDiskAdvice(IoError("cannot write /r/a.json: Read-only file system"), "/r", "rerun");
  EXPECT_NE(read_only.message.find("make /r writable again"), std::string::npos)
      << read_only.message;

  const Error other = IoError("cannot write /r/a.json: Permission denied");
  EXPECT_EQ(WithDiskAdvice(other, "/r", "rerun").message, other.message);
}

}  // namespace
}  // namespace sg::run
