#include "skill/skill_file.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/file_util.h"
#include "core/testing.h"
#include "skill/lint.h"
#include "skill/skill_diff.h"
#include "skill/skill_package.h"

namespace sg::skill {
namespace {
namespace fs = std::filesystem;

// A file of `size` bytes that takes no disk: ftruncate leaves it sparse.
void WriteSparse(const fs::path& path, off_t size) {
  fs::create_directories(path.parent_path());
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0) << path;
  ASSERT_EQ(::ftruncate(fd, size), 0) << path;
  ::close(fd);
}

constexpr off_t kTwoGiB = off_t{2} << 30;

// Names the file, its size and the cap.
void ExpectTooBig(const Result<std::string>& read, const fs::path& path, std::uintmax_t size,
                  std::uintmax_t cap) {
  ASSERT_FALSE(read.ok());
  const std::string& message = read.error().message;
  EXPECT_EQ(read.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(message.find(path.string()), std::string::npos) << message;
  EXPECT_NE(message.find(std::to_string(size) + " bytes"), std::string::npos) << message;
  EXPECT_NE(message.find(std::to_string(cap) + " bytes"), std::string::npos) << message;
}

TEST(SkillFile, ATwoGigabyteSkillMdIsRefusedBeforeReading) {
  testing::TempDir tmp;
  const fs::path dir = tmp.path() / "huge";
  const fs::path skill_md = dir / "SKILL.md";
  WriteSparse(skill_md, kTwoGiB);
  ExpectTooBig(ReadSkillMd(skill_md), skill_md, kTwoGiB, kMaxSkillMdBytes);

  // Every loader goes through the cap: the commands that run a skill, and lint.
  auto loaded = LoadSkill(dir);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message.find("over the SKILL.md cap"), std::string::npos)
      << loaded.error().message;
  EXPECT_FALSE(LoadSkillsDir(tmp.path()).ok());
  auto linted = LintSkillDir(dir);
  ASSERT_FALSE(linted.ok());
  EXPECT_NE(linted.error().message.find(skill_md.string()), std::string::npos);
}

TEST(SkillFile, CapsAreInclusive) {
  testing::TempDir tmp;
  const fs::path at_cap = tmp.path() / "SKILL.md";
  WriteSparse(at_cap, static_cast<off_t>(kMaxSkillMdBytes));
  auto read = ReadSkillMd(at_cap);
  ASSERT_TRUE(read.ok()) << read.error().ToString();
  EXPECT_EQ(read->size(), kMaxSkillMdBytes);
  WriteSparse(at_cap, static_cast<off_t>(kMaxSkillMdBytes + 1));
  ExpectTooBig(ReadSkillMd(at_cap), at_cap, kMaxSkillMdBytes + 1, kMaxSkillMdBytes);

  ASSERT_TRUE(WriteFileAtomic(tmp.path() / "small.md", "hello\n").ok());
  auto small = ReadSkillResource(tmp.path() / "small.md");
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(*small, "hello\n");
}

TEST(SkillFile, AnOversizedResourceStopsTheDiff) {
  testing::TempDir tmp;
  const fs::path before = tmp.path() / "before";
  const fs::path after = tmp.path() / "after";
  for (const fs::path& dir : {before, after}) {
    ASSERT_TRUE(WriteFileAtomic(dir / "SKILL.md", "---\nname: s\n---\nbody\n").ok());
  }
  const fs::path big = after / "assets" / "big.bin";
  WriteSparse(big, kTwoGiB);
  ExpectTooBig(ReadSkillResource(big), big, kTwoGiB, kMaxSkillResourceBytes);
  auto diff = DiffSkillFolders(before, after);
  ASSERT_FALSE(diff.ok());
  EXPECT_NE(diff.error().message.find(big.string()), std::string::npos) << diff.error().message;
}

TEST(SkillFile, NotARegularFileIsRefusedWithoutBlocking) {
  testing::TempDir tmp;
  const fs::path fifo = tmp.path() / "SKILL.md";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  auto read = ReadSkillMd(fifo);  // would block forever on a plain open
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().message.find("not a regular file"), std::string::npos);
  auto missing = ReadSkillResource(tmp.path() / "nope.md");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace sg::skill
