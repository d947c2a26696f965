#include "skill/skill_package.h"

#include <gtest/gtest.h>

#include "core/file_util.h"
#include "core/testing.h"

namespace sg::skill {
namespace {
namespace fs = std::filesystem;

void Write(const fs::path& path, std::string_view text) {
  ASSERT_TRUE(WriteFileAtomic(path, text).ok()) << path;
}

TEST(ParseSkillMd, SplitsFrontmatterAndBody) {
  SkillPackage p;
  ParseSkillMd("---\nname: demo\ndescription: Does things.\n---\n# Demo\nBody\n", p);
  EXPECT_TRUE(p.has_frontmatter);
  EXPECT_EQ(p.frontmatter_error, "");
  EXPECT_EQ(p.header.name, "demo");
  EXPECT_EQ(p.header.description, "Does things.");
  EXPECT_EQ(p.frontmatter_text, "name: demo\ndescription: Does things.\n");
  EXPECT_EQ(p.body, "# Demo\nBody\n");
  EXPECT_EQ(p.body_first_line, 5);
}

TEST(ParseSkillMd, TypesPlainScalarsAndKeepsQuotedStrings) {
  SkillPackage p;
  ParseSkillMd(
      "---\nname: demo\ndescription: \"true\"\nversion: 3\nratio: 0.5\nflag: false\n"
      "empty:\nquoted: '12'\ntags: [a, b]\nmetadata:\n  author: x\n---\n",
      p);
  ASSERT_EQ(p.frontmatter_error, "");
  const auto& f = p.header.fields;
  EXPECT_EQ(f["description"], "true");
  EXPECT_EQ(p.header.description, "true");
  EXPECT_EQ(f["version"], 3);
  EXPECT_DOUBLE_EQ(f["ratio"].get<double>(), 0.5);
  EXPECT_EQ(f["flag"], false);
  EXPECT_TRUE(f["empty"].is_null());
  EXPECT_EQ(f["quoted"], "12");
  EXPECT_EQ(f["tags"], Json::array({"a", "b"}));
  EXPECT_EQ(f["metadata"]["author"], "x");
  EXPECT_EQ(p.body, "");
}

TEST(ParseSkillMd, NonStringNameIsLeftEmpty) {
  SkillPackage p;
  ParseSkillMd("---\nname: 42\n---\nbody\n", p);
  EXPECT_EQ(p.header.name, "");
  EXPECT_EQ(p.header.fields["name"], 42);
}

TEST(ParseSkillMd, NoFrontmatterMeansAllBody) {
  SkillPackage p;
  ParseSkillMd("# Title\n---\nname: x\n---\n", p);
  EXPECT_FALSE(p.has_frontmatter);
  EXPECT_EQ(p.frontmatter_error, "");
  EXPECT_EQ(p.body, "# Title\n---\nname: x\n---\n");
  EXPECT_EQ(p.body_first_line, 1);
}

TEST(ParseSkillMd, UnclosedFenceIsReported) {
  SkillPackage p;
  ParseSkillMd("---\nname: x\n# Body\n", p);
  EXPECT_FALSE(p.has_frontmatter);
  EXPECT_NE(p.frontmatter_error.find("never closed"), std::string::npos);
  EXPECT_EQ(RenderSkillMd(p), "---\nname: x\n# Body\n");
}

TEST(ParseSkillMd, YamlErrorNamesTheLine) {
  SkillPackage p;
  ParseSkillMd("---\nname: x\ndescription: [unclosed\n---\nbody\n", p);
  EXPECT_TRUE(p.has_frontmatter);
  EXPECT_NE(p.frontmatter_error.find("YAML syntax error"), std::string::npos)
      << p.frontmatter_error;
}

TEST(ParseSkillMd, ScalarDocumentIsNotAMapping) {
  SkillPackage p;
  ParseSkillMd("---\njust text\n---\nbody\n", p);
  EXPECT_NE(p.frontmatter_error.find("not a YAML mapping"), std::string::npos);
}

// Every variant must come back byte for byte.
TEST(RenderSkillMd, RoundTripsByteForByte) {
  const std::vector<std::string> texts = {
      "---\nname: a\ndescription: b\n---\n# A\n\nText.\n",
      "---\r\nname: a\r\ndescription: b\r\n---\r\n# A\r\n\r\nText.\r\n",
      "---\nname: a\n---\n# A\nno trailing newline",
      "---\r\nname: a\r\n---",
      "\xEF\xBB\xBF---\nname: a\n...  \nbody\n",
      "---  \n# comment only\n---\t\n\n\nbody\n\n",
      "no frontmatter at all\r\nsecond line",
      "",
      "---\n---\n",
      "---\nname: a\n",
      "---",
  };
  for (const auto& text : texts) {
    SkillPackage p;
    ParseSkillMd(text, p);
    EXPECT_EQ(RenderSkillMd(p), text) << "text: " << text;
  }
}

TEST(RenderSkillMd, CrlfFrontmatterParses) {
  SkillPackage p;
  ParseSkillMd("---\r\nname: a\r\ndescription: b c\r\n---\r\nbody\r\n", p);
  EXPECT_TRUE(p.has_frontmatter);
  EXPECT_EQ(p.header.name, "a");
  EXPECT_EQ(p.header.description, "b c");
  EXPECT_EQ(p.body, "body\r\n");
}

TEST(LoadSkill, ListsResourcesSkippingHiddenAndBackups) {
  testing::TempDir tmp;
  fs::path dir = tmp.path() / "demo";
  Write(dir / "SKILL.md", "---\nname: demo\ndescription: d\n---\nbody\n");
  Write(dir / "references" / "a.md", "a");
  Write(dir / "references" / "a.md~", "backup");
  Write(dir / "references" / ".a.md.swp", "swap");
  Write(dir / "scripts" / "run.py", "print(1)");
  Write(dir / "scripts" / "__pycache__" / "run.cpython-311.pyc", "x");
  Write(dir / ".git" / "HEAD", "ref");
  Write(dir / "assets" / "template.xlsx", "zip");
  Write(dir / "NOTES.txt", "n");
  Write(dir / "notes.orig", "n");
  auto p = LoadSkill(dir);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->root, dir);
  EXPECT_EQ(p->resources, (std::vector<std::string>{"NOTES.txt", "assets/template.xlsx",
                                                    "references/a.md", "scripts/run.py"}));
  EXPECT_EQ(ResourcesOfKind(*p, ResourceKind::kReference),
            std::vector<std::string>{"references/a.md"});
  EXPECT_EQ(ClassifyResource("scripts/run.py"), ResourceKind::kScript);
  EXPECT_EQ(ClassifyResource("assets/template.xlsx"), ResourceKind::kAsset);
  EXPECT_EQ(ClassifyResource("NOTES.txt"), ResourceKind::kOther);
}

TEST(LoadSkill, SymlinkedFolderIsNotFollowed) {
  testing::TempDir tmp;
  fs::path dir = tmp.path() / "demo";
  Write(dir / "SKILL.md", "body\n");
  Write(tmp.path() / "outside" / "secret.md", "s");
  fs::create_directory_symlink(tmp.path() / "outside", dir / "references");
  fs::create_symlink(dir / "SKILL.md", dir / "alias.md");
  auto p = LoadSkill(dir);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->resources, std::vector<std::string>{"alias.md"});
}

TEST(LoadSkill, ErrorsNameThePath) {
  testing::TempDir tmp;
  auto missing = LoadSkill(tmp.path() / "nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("nope"), std::string::npos);

  auto no_skill_md = LoadSkill(tmp.path());
  ASSERT_FALSE(no_skill_md.ok());
  EXPECT_NE(no_skill_md.error().message.find("has no SKILL.md"), std::string::npos);

  Write(tmp.path() / "file", "x");
  auto not_dir = LoadSkill(tmp.path() / "file");
  ASSERT_FALSE(not_dir.ok());
  EXPECT_NE(not_dir.error().message.find("not a folder"), std::string::npos);
}

TEST(LoadSkill, RequireFrontmatter) {
  testing::TempDir tmp;
  Write(tmp.path() / "SKILL.md", "# No frontmatter\n");
  EXPECT_TRUE(LoadSkill(tmp.path()).ok());
  auto strict = LoadSkill(tmp.path(), FrontmatterPolicy::kRequire);
  ASSERT_FALSE(strict.ok());
  EXPECT_NE(strict.error().message.find("has no frontmatter"), std::string::npos);
  EXPECT_NE(strict.error().message.find("SKILL.md"), std::string::npos);

  Write(tmp.path() / "SKILL.md", "---\nname: [x\n---\n");
  auto bad_yaml = LoadSkill(tmp.path(), FrontmatterPolicy::kRequire);
  ASSERT_FALSE(bad_yaml.ok());
  EXPECT_NE(bad_yaml.error().message.find("YAML"), std::string::npos);
}

// The default, used by every command that runs a skill: a broken frontmatter is an error
// naming SKILL.md, the line and the YAML problem, and pointing at lint; lint's own policy
// keeps the problem as a finding.
TEST(LoadSkill, BrokenFrontmatterIsAnErrorUnlessRecorded) {
  testing::TempDir tmp;
  const fs::path dir = tmp.path() / "demo";
  Write(dir / "SKILL.md", "---\nname: demo\ndescription: [unclosed\n---\n# Demo\n");
  auto broken = LoadSkill(dir);
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().code, ErrorCode::kInvalidArgument);
  const std::string& message = broken.error().message;
  EXPECT_NE(message.find((dir / "SKILL.md").string()), std::string::npos) << message;
  EXPECT_NE(message.find("YAML syntax error at frontmatter line"), std::string::npos) << message;
  EXPECT_NE(message.find("skillgrad lint"), std::string::npos) << message;

  auto recorded = LoadSkill(dir, FrontmatterPolicy::kRecord);
  ASSERT_TRUE(recorded.ok()) << recorded.error().ToString();
  EXPECT_NE(recorded->frontmatter_error.find("YAML"), std::string::npos);
  EXPECT_GT(recorded->frontmatter_error_line, 1);
  EXPECT_NE(message.find("SKILL.md:" + std::to_string(recorded->frontmatter_error_line)),
            std::string::npos)
      << message;

  Write(dir / "SKILL.md", "---\nname: demo\n# never closed\n");
  auto unclosed = LoadSkill(dir);
  ASSERT_FALSE(unclosed.ok());
  EXPECT_NE(unclosed.error().message.find("SKILL.md:1: "), std::string::npos);
  EXPECT_NE(unclosed.error().message.find("never closed"), std::string::npos);

  Write(dir / "SKILL.md", "---\n- a list\n---\nbody\n");
  auto not_mapping = LoadSkill(dir);
  ASSERT_FALSE(not_mapping.ok());
  EXPECT_NE(not_mapping.error().message.find("not a YAML mapping"), std::string::npos);
}

TEST(WriteSkillMd, WritesBackUnchangedBytes) {
  testing::TempDir tmp;
  const std::string text = "---\r\nname: demo\r\n---\r\nbody without newline";
  Write(tmp.path() / "demo" / "SKILL.md", text);
  auto p = LoadSkill(tmp.path() / "demo");
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE(WriteSkillMd(*p, tmp.path() / "copy").ok());
  EXPECT_EQ(ReadFile(tmp.path() / "copy" / "SKILL.md").value(), text);
}

TEST(LoadSkillsDir, FindsSubfoldersSortedOrTheFolderItself) {
  testing::TempDir tmp;
  Write(tmp.path() / "zeta" / "SKILL.md", "---\nname: zeta\ndescription: z\n---\n");
  Write(tmp.path() / "alpha" / "SKILL.md", "---\nname: alpha\ndescription: a\n---\n");
  Write(tmp.path() / "empty" / "README.md", "not a skill");
  Write(tmp.path() / ".hidden" / "SKILL.md", "---\nname: hidden\n---\n");
  auto all = LoadSkillsDir(tmp.path());
  ASSERT_TRUE(all.ok()) << all.error().ToString();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].header.name, "alpha");
  EXPECT_EQ((*all)[1].header.name, "zeta");

  auto one = LoadSkillsDir(tmp.path() / "zeta");
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].header.name, "zeta");

  auto none = LoadSkillsDir(tmp.path() / "empty");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("no skill found"), std::string::npos);

  Write(tmp.path() / "plain" / "SKILL.md", "no frontmatter\n");
  EXPECT_TRUE(LoadSkillsDir(tmp.path()).ok());
  auto strict = LoadSkillsDir(tmp.path(), FrontmatterPolicy::kRequire);
  ASSERT_FALSE(strict.ok());
  EXPECT_NE(strict.error().message.find("plain"), std::string::npos);

  // One skill with broken YAML fails the whole folder, naming that skill's SKILL.md.
  Write(tmp.path() / "broken" / "SKILL.md", "---\nname: broken\ndescription: a: b: c\n---\n");
  auto broken = LoadSkillsDir(tmp.path());
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.error().message.find((tmp.path() / "broken" / "SKILL.md").string()),
            std::string::npos)
      << broken.error().message;
  auto recorded = LoadSkillsDir(tmp.path(), FrontmatterPolicy::kRecord);
  ASSERT_TRUE(recorded.ok());
  EXPECT_EQ(recorded->size(), 4u);
}

}  // namespace
}  // namespace sg::skill
