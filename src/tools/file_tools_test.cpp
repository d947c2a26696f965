#include "tools/file_tools.h"

#include <gtest/gtest.h>

#include "core/testing.h"
#include "tools/tool_test_util.h"

namespace sg::tools {
namespace {
namespace fs = std::filesystem;
using testing_util::WriteText;

class FileToolsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::canonical(tmp_.path());
    WriteText(root_ / "notes.md", "line one\nline two\nline three\n");
    WriteText(root_ / "refs" / "guide.md", "Use SUMIFS for totals\nnothing here\n");
    WriteText(root_ / "refs" / "deep" / "more.txt", "sumifs again\n");
    fs::copy_file(
        testing::SamplesDir() / "spreadsheetbench" / "spreadsheet" / "13284" / "initial.xlsx",
        root_ / "input.xlsx");
    auto policy = PathPolicy::Create({Root{root_, true}});
    ASSERT_TRUE(policy.ok());
    FileToolLimits limits;
    limits.max_output_bytes = 200;
    AddFileTools(tools_, std::make_shared<const PathPolicy>(std::move(policy).value()), limits);
  }
  ToolOutput Call(const std::string& tool, const Json& args) {
    return tools_.Find(tool)->Invoke(args);
  }

  testing::TempDir tmp_;
  fs::path root_;
  ToolSet tools_;
};

TEST_F(FileToolsTest, ReadFilePagesThroughLines) {
  EXPECT_EQ(Call("read_file", {{"path", "notes.md"}}).content, "line one\nline two\nline three\n");
  EXPECT_EQ(Call("read_file", {{"path", "notes.md"}, {"offset", 2}, {"limit", 1}}).content,
            "line two\n");
  auto past = Call("read_file", {{"path", "notes.md"}, {"offset", 10}});
  EXPECT_TRUE(past.is_error);
  auto missing = Call("read_file", {{"path", "nope.md"}});
  EXPECT_TRUE(missing.is_error);
  EXPECT_NE(missing.content.find("does not exist"), std::string::npos) << missing.content;
  auto dir = Call("read_file", {{"path", "refs"}});
  EXPECT_TRUE(dir.is_error);
  auto bad = Call("read_file", {{"path", 3}});
  EXPECT_TRUE(bad.is_error);
  EXPECT_NE(bad.content.find("'path'"), std::string::npos);
}

TEST_F(FileToolsTest, LongFilesAreCutWithAnOffsetToContinue) {
  std::string text;
  for (int i = 1; i <= 50; ++i) text += "row " + std::to_string(i) + "\n";
  WriteText(root_ / "long.txt", text);
  auto out = Call("read_file", {{"path", "long.txt"}});
  EXPECT_FALSE(out.is_error);
  EXPECT_EQ(out.content.rfind("row 1\n", 0), 0u);
  EXPECT_NE(out.content.find("offset="), std::string::npos) << out.content;
}

TEST_F(FileToolsTest, ReadFileRefusesWorkbooksAndSaysHowToOpenThem) {
  auto out = Call("read_file", {{"path", "input.xlsx"}});
  EXPECT_TRUE(out.is_error);
  EXPECT_NE(out.content.find("openpyxl"), std::string::npos) << out.content;
  EXPECT_NE(out.content.find("python tool"), std::string::npos) << out.content;
  WriteText(root_ / "blob.bin", std::string("\x01\x02\0\x03", 4));
  auto blob = Call("read_file", {{"path", "blob.bin"}});
  EXPECT_TRUE(blob.is_error);
  EXPECT_NE(blob.content.find("binary"), std::string::npos) << blob.content;
}

TEST_F(FileToolsTest, ListFilesMatchesGlobs) {
  auto out = Call("list_files", {{"pattern", "**/*.md"}});
  EXPECT_FALSE(out.is_error);
  EXPECT_NE(out.content.find("notes.md ("), std::string::npos) << out.content;
  EXPECT_NE(out.content.find("refs/guide.md ("), std::string::npos) << out.content;
  EXPECT_EQ(out.content.find("more.txt"), std::string::npos) << out.content;
  auto sub = Call("list_files", {{"pattern", "*"}, {"path", "refs"}});
  EXPECT_NE(sub.content.find("deep/"), std::string::npos) << sub.content;
  auto none = Call("list_files", {{"pattern", "*.zzz"}});
  EXPECT_NE(none.content.find("no file"), std::string::npos);
}

TEST_F(FileToolsTest, GrepFindsLinesAndSkipsBinaries) {
  auto out = Call("grep", {{"pattern", "sumifs"}, {"ignore_case", true}, {"path", "refs"}});
  EXPECT_FALSE(out.is_error) << out.content;
  EXPECT_NE(out.content.find("refs/guide.md:1: Use SUMIFS"), std::string::npos) << out.content;
  EXPECT_NE(out.content.find("refs/deep/more.txt:1:"), std::string::npos) << out.content;
  auto glob = Call("grep", {{"pattern", "sumifs"}, {"ignore_case", true}, {"glob", "*.txt"}});
  EXPECT_EQ(glob.content.find("guide.md"), std::string::npos) << glob.content;
  auto bad = Call("grep", {{"pattern", "("}});
  EXPECT_TRUE(bad.is_error);
  EXPECT_NE(bad.content.find("invalid regular expression"), std::string::npos);
  auto xlsx = Call("grep", {{"pattern", "."}, {"path", "input.xlsx"}});
  EXPECT_EQ(xlsx.content.find("input.xlsx:"), std::string::npos) << xlsx.content;
}

}  // namespace
}  // namespace sg::tools
