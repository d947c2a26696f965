#include "skill/lint.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

#include "core/file_util.h"
#include "core/testing.h"

namespace sg::skill {
namespace {
namespace fs = std::filesystem;

const char* kHealthyBody =
    "# Demo\n\n## Workflow\n\n1. Plan.\n2. Verify.\n\n## Load\n\nText.\n\n## Filter\n\nText.\n\n"
    "## Sort\n\nText.\n\n## Save\n\nRead references/save.md when saving CSV. Skip when saving "
    "xlsx.\n\n## Common Pitfalls\n\n- One.\n";

SkillPackage Package(std::string_view skill_md, std::vector<std::string> resources = {}) {
  SkillPackage p;
  ParseSkillMd(skill_md, p);
  p.resources = std::move(resources);
  return p;
}

std::vector<std::string> Rules(const std::vector<Violation>& vs) {
  std::vector<std::string> out;
  for (const auto& v : vs) out.push_back(v.rule);
  return out;
}

TEST(LintSkill, HealthyPackageInMemoryIsClean) {
  auto p = Package(std::string("---\nname: demo\ndescription: Demo.\n---\n") + kHealthyBody,
                   {"references/save.md"});
  EXPECT_EQ(FormatViolations(LintSkill(p)), "");
}

TEST(LintSkill, LinesAreSkillMdLinesAlsoWithCrlf) {
  std::string text = std::string("---\nname: demo\ndescription: Demo.\n---\n") + kHealthyBody;
  text.replace(text.find("## Common Pitfalls"), 0, "## Pitfalls again\n\n");
  std::string crlf;
  for (char c : text) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  for (const auto& t : {text, crlf}) {
    auto vs = LintSkill(Package(t, {"references/save.md"}));
    ASSERT_EQ(Rules(vs), std::vector<std::string>{"pitfalls-sections"});
    EXPECT_EQ(vs[0].file, "SKILL.md");
    EXPECT_EQ(vs[0].line, 30);  // the second pitfalls heading ("## Common Pitfalls")
    EXPECT_NE(vs[0].message.find("merge them into one"), std::string::npos);
  }
}

TEST(LintSkill, MessagesSayWhatAndHowToFix) {
  auto p = Package("---\nname: demo\ndescription: Demo.\n---\n## Workflow\n1. a\n",
                   {"references/lonely.md"});
  auto vs = LintSkill(p);
  const Violation* orphan = nullptr;
  for (const auto& v : vs) {
    if (v.rule == "orphan-reference") orphan = &v;
  }
  ASSERT_NE(orphan, nullptr);
  EXPECT_EQ(orphan->file, "references/lonely.md");
  EXPECT_EQ(orphan->line, 0);
  EXPECT_EQ(orphan->severity, Severity::kError);
  EXPECT_NE(orphan->message.find("Read references/lonely.md when"), std::string::npos);
  EXPECT_EQ(orphan->ToString().rfind("references/lonely.md: error: ", 0), 0u);
  EXPECT_NE(orphan->ToString().find("[orphan-reference]"), std::string::npos);
}

TEST(LintSkill, JsonHasRuleFileMessageSeverityAndLineWhenKnown) {
  auto vs = LintSkill(Package("# no frontmatter\n"));
  Json j = ViolationsToJson(vs);
  ASSERT_TRUE(j.is_array());
  ASSERT_FALSE(j.empty());
  for (const auto& v : j) {
    EXPECT_TRUE(v["rule"].is_string());
    EXPECT_TRUE(v["file"].is_string());
    EXPECT_TRUE(v["message"].is_string());
    EXPECT_TRUE(v["severity"] == "error" || v["severity"] == "warning");
    if (v.contains("line")) {
      EXPECT_GT(v["line"].get<int>(), 0);
    }
  }
  EXPECT_EQ(j[0]["rule"], "missing-frontmatter");
  EXPECT_EQ(j[0]["line"], 1);
}

TEST(LintSkill, OptionsMoveTheThresholds) {
  auto p = Package(
      std::string("---\nname: demo\ndescription: One two three four.\n---\n") + kHealthyBody,
      {"references/save.md"});
  LintOptions tight;
  tight.max_description_words = 3;
  tight.max_workflow_items = 1;
  tight.min_operation_sections = 5;
  EXPECT_EQ(Rules(LintSkill(p, tight)),
            (std::vector<std::string>{"description-too-long", "workflow-too-long",
                                      "operation-sections"}));
  EXPECT_TRUE(HasErrors(LintSkill(p, tight)));
  EXPECT_TRUE(LintSkill(p).empty());
}

TEST(LintSkill, NoRootSkipsFolderChecks) {
  auto p = Package(std::string("---\nname: other-name\ndescription: Demo.\n---\n") + kHealthyBody,
                   {"references/save.md"});
  EXPECT_TRUE(LintSkill(p).empty());
  p.root = "/skills/demo/";
  EXPECT_EQ(Rules(LintSkill(p)), std::vector<std::string>{"name-mismatch"});
}

TEST(LintSkill, FolderMentionIsNotABrokenPointer) {
  testing::TempDir tmp;
  fs::path dir = tmp.path() / "demo";
  std::string body = kHealthyBody;
  body += "\nTemplates live in assets/templates and scripts/ holds helpers.\n";
  ASSERT_TRUE(
      WriteFileAtomic(dir / "SKILL.md", "---\nname: demo\ndescription: Demo.\n---\n" + body).ok());
  ASSERT_TRUE(WriteFileAtomic(dir / "references" / "save.md", "x").ok());
  ASSERT_TRUE(WriteFileAtomic(dir / "assets" / "templates" / "a.xlsx", "x").ok());
  auto vs = LintSkillDir(dir);
  ASSERT_TRUE(vs.ok());
  EXPECT_EQ(FormatViolations(*vs), "");
}

// Random SKILL.md-like texts: parsing and lint never crash, and the text comes back intact.
TEST(LintSkill, RandomInputsRoundTripAndDoNotCrash) {
  const std::vector<std::string> pieces = {"---\n",
                                           "---\r\n",
                                           "name: x\n",
                                           "description: a. B\n",
                                           "# T\n",
                                           "## Workflow\n",
                                           "## Common Pitfalls\n",
                                           "```\n",
                                           "~~~~\n",
                                           "1. step\n",
                                           "- item\n",
                                           "references/a.md ",
                                           "Read references/b.md when x. Skip when y.\n",
                                           "key: [\n",
                                           "\r\n",
                                           "\n",
                                           "text",
                                           "scripts/",
                                           "./assets/x.png",
                                           "\xEF\xBB\xBF",
                                           ": {\n",
                                           "  - nested\n",
                                           "\t",
                                           "#"};
  std::mt19937 rng(11);
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    int n = static_cast<int>(rng() % 40);
    for (int i = 0; i < n; ++i) text += pieces[rng() % pieces.size()];
    SkillPackage p = Package(text, {"references/a.md", "references/c.md"});
    EXPECT_EQ(RenderSkillMd(p), text);
    for (const auto& v : LintSkill(p)) {
      EXPECT_FALSE(v.message.empty());
      EXPECT_GE(v.line, 0);
    }
  }
}

TEST(LintSkillDir, SeedExampleIsClean) {
  auto vs = LintSkillDir(testing::SourceDir() / "examples" / "skills" / "spreadsheet");
  ASSERT_TRUE(vs.ok()) << vs.error().ToString();
  EXPECT_EQ(FormatViolations(*vs), "");
}

TEST(LintSkillDir, UnreadableFolderIsAnError) {
  testing::TempDir tmp;
  auto vs = LintSkillDir(tmp.path() / "missing");
  ASSERT_FALSE(vs.ok());
  EXPECT_NE(vs.error().message.find("missing"), std::string::npos);
}

TEST(LintRules, IdsAreUniqueAndDescribed) {
  std::set<std::string> ids;
  for (const auto& rule : LintRules()) {
    EXPECT_TRUE(ids.insert(rule.id).second) << rule.id;
    EXPECT_GT(std::string(rule.summary).size(), 10u);
  }
  // The rules docs/skills.md documents, each under its own heading.
  auto docs = ReadFile(testing::SourceDir() / "docs" / "skills.md");
  ASSERT_TRUE(docs.ok());
  for (const auto& id : ids) {
    EXPECT_NE(docs->find("### `" + id + "`"), std::string::npos) << id << " undocumented";
  }
}

}  // namespace
}  // namespace sg::skill
