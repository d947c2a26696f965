#include "tools/file_tools.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>

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
    policy_ = std::make_shared<const PathPolicy>(std::move(policy).value());
    FileToolLimits limits;
    limits.max_output_bytes = 200;
    AddFileTools(tools_, policy_, limits);
  }
  ToolOutput Call(const std::string& tool, const Json& args) {
    return tools_.Find(tool)->Invoke(args);
  }

  testing::TempDir tmp_;
  fs::path root_;
  std::shared_ptr<const PathPolicy> policy_;
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
  EXPECT_NE(out.content.find("shell tool"), std::string::npos) << out.content;
  // Office documents are refused by name, whatever their bytes, in any letter case.
  for (const char* name : {"plain.xlsx", "macro.XLSM", "old.xls", "memo.docx", "deck.pptx"}) {
    WriteText(root_ / name, "looks like text\n");
    auto office = Call("read_file", {{"path", name}});
    EXPECT_TRUE(office.is_error) << name;
    EXPECT_NE(office.content.find("not a text file"), std::string::npos) << office.content;
    EXPECT_NE(office.content.find("shell tool"), std::string::npos) << office.content;
    EXPECT_EQ(office.content.find("looks like text"), std::string::npos) << office.content;
  }
  WriteText(root_ / "table.csv", "a,b\n1,2\n");
  EXPECT_EQ(Call("read_file", {{"path", "table.csv"}}).content, "a,b\n1,2\n");
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

TEST_F(FileToolsTest, GrepAnswersPathologicalPatternsWithoutBacktracking) {
  // std::regex never returned on the first of these; RE2 is linear in the line.
  std::string text(22, 'a');
  text += '\n';
  text.append(100'000, 'a');
  text += '\n';
  WriteText(root_ / "aaa.txt", text);
  for (const char* pattern : {"(a*)*b", "(a|aa)*b", "(a+)+$b"}) {
    auto out = Call("grep", {{"pattern", pattern}, {"path", "aaa.txt"}});
    EXPECT_FALSE(out.is_error) << pattern << ": " << out.content;
    EXPECT_EQ(out.content, fmt::format("no match for /{}/", pattern));
  }
  auto hit = Call("grep", {{"pattern", "^(a*)*$"}, {"path", "aaa.txt"}});
  EXPECT_NE(hit.content.find("aaa.txt:1: aaaa"), std::string::npos) << hit.content;
}

TEST_F(FileToolsTest, GrepSaysWhatRe2DoesNotSupport) {
  auto backref = Call("grep", {{"pattern", "(a)\\1"}});
  EXPECT_TRUE(backref.is_error);
  EXPECT_NE(backref.content.find("invalid regular expression '(a)\\1'"), std::string::npos)
      << backref.content;
  EXPECT_NE(backref.content.find("RE2 syntax"), std::string::npos) << backref.content;
  EXPECT_NE(backref.content.find("no backreferences"), std::string::npos) << backref.content;
  auto lookahead = Call("grep", {{"pattern", "SUM(?=IFS)"}});
  EXPECT_TRUE(lookahead.is_error);
  EXPECT_NE(lookahead.content.find("'SUM(?=IFS)'"), std::string::npos) << lookahead.content;
  EXPECT_NE(lookahead.content.find("lookaround"), std::string::npos) << lookahead.content;
  auto too_large = Call("grep", {{"pattern", "(\\pL{100}){10}"}});
  EXPECT_TRUE(too_large.is_error);
  EXPECT_NE(too_large.content.find("too large"), std::string::npos) << too_large.content;
  EXPECT_NE(tools_.Find("grep")->description().find("RE2 syntax"), std::string::npos);
}

TEST_F(FileToolsTest, GrepAndListFilesStopWithAnErrorWhenTheTimeBudgetPasses) {
  FileToolLimits limits;
  limits.time_budget = std::chrono::milliseconds(0);  // passed at the first check
  auto grep = MakeGrepTool(policy_, limits);
  auto out = grep->Invoke({{"pattern", "line"}});
  EXPECT_TRUE(out.is_error);
  EXPECT_EQ(out.content.rfind("grep stopped after the 0 s time budget: 0 files searched; "
                              "narrow the path or the pattern",
                              0),
            0u)
      << out.content;
  auto one_file = grep->Invoke({{"pattern", "line"}, {"path", "notes.md"}});
  EXPECT_TRUE(one_file.is_error);
  EXPECT_NE(one_file.content.find("time budget"), std::string::npos) << one_file.content;
  auto list = MakeListFilesTool(policy_, limits)->Invoke({{"pattern", "**/*.md"}});
  EXPECT_TRUE(list.is_error);
  EXPECT_EQ(list.content.rfind("list_files stopped after the 0 s time budget", 0), 0u)
      << list.content;
}

}  // namespace
}  // namespace sg::tools
