// Black-box tests of `skillgrad lint`: the real binary on the lint case folders, checking
// exit codes, the text output and the shape of --json.
#include <gtest/gtest.h>

#include "core/file_util.h"
#include "core/json.h"
#include "core/testing.h"

namespace sg::cli {
namespace {
namespace fs = std::filesystem;

testing::CommandResult Lint(const std::string& args) {
  return testing::RunCommand(testing::SkillgradCommand() + " lint " + args + " 2>&1");
}

std::string Case(const std::string& name) {
  return "'" + (testing::SourceDir() / "tests" / "data" / "lint" / name / "table-report").string() +
         "'";
}

TEST(LintCommand, CleanSkillExitsZero) {
  testing::CommandResult run = Lint(Case("clean"));
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find(": clean"), std::string::npos) << run.output;
}

TEST(LintCommand, ErrorsExitOneWithFileLineAndRule) {
  testing::CommandResult run = Lint(Case("orphan-reference"));
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("references/unused.md: error: "), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("[orphan-reference]"), std::string::npos);
  EXPECT_NE(run.output.find("1 error, 0 warnings"), std::string::npos);
}

TEST(LintCommand, WarningsExitZeroUnlessStrict) {
  testing::CommandResult run = Lint(Case("pointer-form"));
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("warning"), std::string::npos);
  EXPECT_EQ(Lint("--strict " + Case("pointer-form")).exit_code, 1);
  EXPECT_EQ(Lint("--strict " + Case("clean")).exit_code, 0);
}

TEST(LintCommand, JsonIsAListOfViolationObjects) {
  testing::CommandResult run = Lint("--json " + Case("body-code-blocks"));
  EXPECT_EQ(run.exit_code, 1) << run.output;
  auto json = Json::parse(run.output, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(json.is_array()) << run.output;
  ASSERT_EQ(json.size(), 1u);
  EXPECT_EQ(json[0]["rule"], "body-code-blocks");
  EXPECT_EQ(json[0]["severity"], "error");
  EXPECT_EQ(json[0]["file"], "SKILL.md");
  EXPECT_EQ(json[0]["line"], 44);
  EXPECT_TRUE(json[0]["message"].is_string());

  testing::CommandResult clean = Lint("--json " + Case("clean"));
  EXPECT_EQ(clean.exit_code, 0);
  EXPECT_EQ(Json::parse(clean.output, nullptr, false), Json::array());
}

TEST(LintCommand, MissingFrontmatterIsAViolationNotAReadError) {
  testing::CommandResult run = Lint("--json " + Case("missing-frontmatter"));
  EXPECT_EQ(run.exit_code, 1) << run.output;
  auto json = Json::parse(run.output, nullptr, false);
  ASSERT_TRUE(json.is_array());
  EXPECT_EQ(json[0]["rule"], "missing-frontmatter");
}

TEST(LintCommand, UnreadableFolderExitsTwoNamingIt) {
  testing::TempDir tmp;
  testing::CommandResult missing = Lint("'" + (tmp.path() / "nope").string() + "'");
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
  EXPECT_NE(missing.output.find("error: "), std::string::npos);
  EXPECT_NE(missing.output.find("nope"), std::string::npos);

  testing::CommandResult no_skill_md = Lint("--json '" + tmp.path().string() + "'");
  EXPECT_EQ(no_skill_md.exit_code, 2) << no_skill_md.output;
  EXPECT_NE(no_skill_md.output.find("has no SKILL.md"), std::string::npos);

  ASSERT_TRUE(WriteFileAtomic(tmp.path() / "alpha" / "SKILL.md", "---\nname: alpha\n---\n").ok());
  testing::CommandResult skills_dir = Lint("'" + tmp.path().string() + "'");
  EXPECT_EQ(skills_dir.exit_code, 2);
  EXPECT_NE(skills_dir.output.find("holds skills in subfolders (alpha)"), std::string::npos)
      << skills_dir.output;

  ASSERT_TRUE(WriteFileAtomic(tmp.path() / "file.md", "x").ok());
  EXPECT_EQ(Lint("'" + (tmp.path() / "file.md").string() + "'").exit_code, 2);
}

TEST(LintCommand, MissingArgumentIsAUsageError) {
  testing::CommandResult run = Lint("");
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.exit_code, 1);
  EXPECT_NE(run.output.find("DIR"), std::string::npos) << run.output;
}

}  // namespace
}  // namespace sg::cli
