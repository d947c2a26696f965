#include "core/temp_files.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/file_util.h"
#include "core/testing.h"

namespace sg {
namespace {
namespace fs = std::filesystem;

// The pid of a process that has ended (reaped).
pid_t EndedPid() {
  pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  return child;
}

TEST(TempFiles, TempPathNamesTheTargetAndThisProcess) {
  fs::path tmp = TempPathFor("/r/state.json");
  std::string prefix = "/r/state.json.tmp-" + std::to_string(::getpid()) + "-";
  ASSERT_EQ(tmp.string().rfind(prefix, 0), 0u) << tmp;
  EXPECT_EQ(tmp.string().size(), prefix.size() + 16) << tmp;
  EXPECT_NE(TempPathFor("/r/state.json"), tmp);
}

TEST(TempFiles, RemovesOnlyTheTemporariesOfEndedProcesses) {
  testing::TempDir dir;
  const fs::path root = dir.path();
  const std::string ended = std::to_string(EndedPid());
  const std::string hex = "0123456789abcdef";
  std::vector<fs::path> stale = {
      root / ("state.json.tmp-" + ended + "-" + hex),
      root / "iter_1" / "t1" / ("assessment.json.tmp-" + ended + "-" + hex)};
  const fs::path stale_dir = root / ("skill.tmp-" + ended + "-" + hex);
  std::vector<fs::path> kept = {
      TempPathFor(root / "mine.json"),                           // this process
      root / ("other.json.tmp-1-" + hex),                        // init runs
      root / "notes.tmp-draft",                                  // not our name
      root / ("short.json.tmp-" + ended + "-0123"),              // not our name
      root / ("upper.json.tmp-" + ended + "-0123456789ABCDEF"),  // not our name
      root / "state.json"};
  for (const auto& p : stale) ASSERT_TRUE(WriteFileAtomic(p, "{\"half\":").ok());
  ASSERT_TRUE(WriteFileAtomic(stale_dir / "SKILL.md", "half a copy").ok());
  for (const auto& p : kept) ASSERT_TRUE(WriteFileAtomic(p, "{}").ok());

  EXPECT_EQ(RemoveStaleTempFiles(root), 3);
  for (const auto& p : stale) EXPECT_FALSE(fs::exists(p)) << p;
  EXPECT_FALSE(fs::exists(stale_dir));
  for (const auto& p : kept) EXPECT_TRUE(fs::exists(p)) << p;
  EXPECT_EQ(RemoveStaleTempFiles(root), 0);
  EXPECT_EQ(RemoveStaleTempFiles(root / "does-not-exist"), 0);
}

}  // namespace
}  // namespace sg
