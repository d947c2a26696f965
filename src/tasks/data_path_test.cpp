#include "tasks/data_path.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "core/file_util.h"
#include "core/testing.h"

namespace sg::tasks {
namespace {

namespace fs = std::filesystem;

// A data folder holding data/in/a.txt, and a "host" file outside it.
class DataPathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(WriteFileAtomic(data() / "in" / "a.txt", "inside\n").ok());
    ASSERT_TRUE(WriteFileAtomic(host(), "HOST-SECRET\n").ok());
    fs::create_directories(ws());
  }
  fs::path data() const { return tmp_.path() / "data"; }
  fs::path host() const { return tmp_.path() / "host" / "secret.txt"; }
  fs::path ws() const { return tmp_.path() / "ws"; }

  // The refusal names the task and the file and states the rule.
  static void ExpectRefused(const Status& status, const std::string& file) {
    ASSERT_FALSE(status.ok());
    const std::string& message = status.error().message;
    EXPECT_EQ(status.error().code, ErrorCode::kPermission) << message;
    EXPECT_NE(message.find("task t-1"), std::string::npos) << message;
    EXPECT_NE(message.find(file), std::string::npos) << message;
    EXPECT_NE(message.find("benchmark data must be regular files inside the data directory"),
              std::string::npos)
        << message;
  }

  testing::TempDir tmp_;
};

TEST_F(DataPathTest, CopiesARegularFileAndReplacesTheTarget) {
  ASSERT_TRUE(WriteFileAtomic(ws() / "a.txt", "old").ok());
  fs::permissions(ws() / "a.txt", fs::perms::owner_read);  // read-only: replaced anyway
  ASSERT_TRUE(CopyDataFile(data(), "in/a.txt", ws() / "a.txt", "t-1").ok());
  EXPECT_EQ(ReadFile(ws() / "a.txt").value(), "inside\n");
  EXPECT_TRUE((fs::status(ws() / "a.txt").permissions() & fs::perms::owner_write) !=
              fs::perms::none);
  auto resolved = ResolveDataFile(data(), "./in/a.txt", "t-1");
  ASSERT_TRUE(resolved.ok()) << resolved.error().ToString();
  EXPECT_EQ(*resolved, data() / "./in/a.txt");
}

TEST_F(DataPathTest, ASymlinkedFileIsRefusedAndNothingIsCopied) {
  fs::create_symlink(host(), data() / "in" / "link.txt");
  ExpectRefused(CopyDataFile(data(), "in/link.txt", ws() / "link.txt", "t-1"), "in/link.txt");
  EXPECT_FALSE(fs::exists(ws() / "link.txt"));
  auto resolved = ResolveDataFile(data(), "in/link.txt", "t-1");
  ASSERT_FALSE(resolved.ok());
  ExpectRefused(resolved.error(), "in/link.txt");
  // Even a link that stays inside the data folder: data files are regular files.
  fs::create_symlink("a.txt", data() / "in" / "alias.txt");
  ExpectRefused(CopyDataFile(data(), "in/alias.txt", ws() / "alias.txt", "t-1"), "in/alias.txt");
}

TEST_F(DataPathTest, ASymlinkedFolderComponentIsRefused) {
  fs::create_directory_symlink(host().parent_path(), data() / "linked");
  Status status = CopyDataFile(data(), "linked/secret.txt", ws() / "secret.txt", "t-1");
  ExpectRefused(status, "linked/secret.txt");
  EXPECT_NE(status.error().message.find((data() / "linked").string() + ", a symbolic link"),
            std::string::npos)
      << status.error().message;
  EXPECT_FALSE(fs::exists(ws() / "secret.txt"));
}

TEST_F(DataPathTest, EscapesAndOddFilesAreRefused) {
  ExpectRefused(CopyDataFile(data(), "../host/secret.txt", ws() / "x", "t-1"), "..");
  ExpectRefused(CopyDataFile(data(), "in/../../host/secret.txt", ws() / "x", "t-1"), "..");
  ExpectRefused(CopyDataFile(data(), host(), ws() / "x", "t-1"), "absolute");
  ExpectRefused(CopyDataFile(data(), "", ws() / "x", "t-1"), "empty");
  ExpectRefused(CopyDataFile(data(), "in", ws() / "x", "t-1"), "not a regular file");
  ASSERT_EQ(::mkfifo((data() / "in" / "pipe").c_str(), 0644), 0);
  ExpectRefused(CopyDataFile(data(), "in/pipe", ws() / "x", "t-1"), "in/pipe");  // no hang
  EXPECT_FALSE(fs::exists(ws() / "x"));

  auto missing = ResolveDataFile(data(), "in/nope.txt", "t-1");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("task t-1"), std::string::npos);
  auto through_file = ResolveDataFile(data(), "in/a.txt/b", "t-1");
  ASSERT_FALSE(through_file.ok());
  EXPECT_EQ(through_file.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace sg::tasks
