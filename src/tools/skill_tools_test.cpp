#include "tools/skill_tools.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/testing.h"
#include "tools/tool_test_util.h"

namespace sg::tools {
namespace {
namespace fs = std::filesystem;
using testing_util::WriteText;

TEST(SkillToolsTest, ListActivateAndReadReferences) {
  testing::TempDir tmp;
  fs::path dir = fs::canonical(tmp.path());
  WriteText(dir / "xlsx-formulas" / "SKILL.md",
            "---\nname: xlsx-formulas\ndescription: Write formulas\n  that recalc\n---\n# "
            "Steps\nDo it.\n");
  WriteText(dir / "xlsx-formulas" / "references" / "sumifs.md", "SUMIFS(sum, crit_range, crit)\n");
  WriteText(dir / "table-qa" / "SKILL.md",
            "---\nname: table-qa\ndescription: Answer questions\n---\nRead the table.\n");
  auto skills = skill::LoadSkillsDir(dir);
  ASSERT_TRUE(skills.ok()) << skills.error().ToString();
  std::string listing = RenderSkillsList(*skills);
  EXPECT_NE(listing.find("- name: table-qa\n  description: Answer questions\n  location: " +
                         (dir / "table-qa" / "SKILL.md").string() + "\n"),
            std::string::npos)
      << listing;
  EXPECT_NE(listing.find("- name: xlsx-formulas\n  description: Write formulas"), std::string::npos)
      << listing;

  ToolSet tools;
  AddSkillTools(tools, *skills);
  auto body = tools.Find("activate_skill")->Invoke({{"name", "xlsx-formulas"}});
  EXPECT_FALSE(body.is_error) << body.content;
  EXPECT_NE(body.content.find("# Steps\nDo it.\n"), std::string::npos) << body.content;
  EXPECT_NE(body.content.find("references/sumifs.md"), std::string::npos) << body.content;
  auto unknown = tools.Find("activate_skill")->Invoke({{"name", "nope"}});
  EXPECT_TRUE(unknown.is_error);
  EXPECT_NE(unknown.content.find("table-qa"), std::string::npos) << unknown.content;

  auto ref = tools.Find("read_reference")
                 ->Invoke({{"skill", "xlsx-formulas"}, {"path", "references/sumifs.md"}});
  EXPECT_FALSE(ref.is_error) << ref.content;
  EXPECT_EQ(ref.content, "SUMIFS(sum, crit_range, crit)\n");
  auto absolute = tools.Find("read_reference")
                      ->Invoke({{"skill", "xlsx-formulas"},
                                {"path", (dir / "table-qa" / "SKILL.md").string()}});
  EXPECT_TRUE(absolute.is_error) << absolute.content;
  auto other = tools.Find("read_reference")
                   ->Invoke({{"skill", "table-qa"}, {"path", "../xlsx-formulas/SKILL.md"}});
  EXPECT_TRUE(other.is_error) << other.content;
  auto missing =
      tools.Find("read_reference")->Invoke({{"skill", "table-qa"}, {"path", "references/x.md"}});
  EXPECT_TRUE(missing.is_error);
  EXPECT_NE(missing.content.find("does not exist"), std::string::npos) << missing.content;
}

// The activation result: the body marked as expert guidance to follow, the skill's folder,
// its files breadth first, and the note on relative paths; the schema names the skills.
TEST(SkillToolsTest, ActivationGivesTheGuidanceNoteFolderAndBreadthFirstListing) {
  testing::TempDir tmp;
  fs::path dir = fs::canonical(tmp.path()) / "sheets";
  WriteText(dir / "SKILL.md", "---\nname: sheets\ndescription: Edit sheets\n---\nUse the rule.\n");
  WriteText(dir / "references" / "deep" / "case.md", "x\n");
  WriteText(dir / "references" / "pivot.md", "y\n");
  WriteText(dir / "scripts" / "recalc.py", "z\n");
  WriteText(dir / "notes.txt", "n\n");
  auto skill = skill::LoadSkill(dir);
  ASSERT_TRUE(skill.ok()) << skill.error().ToString();
  EXPECT_EQ(ListSkillFolder(*skill, 200),
            (std::vector<std::string>{"SKILL.md", "notes.txt", "references/", "scripts/",
                                      "references/deep/", "references/pivot.md",
                                      "scripts/recalc.py", "references/deep/case.md"}));
  EXPECT_EQ(ListSkillFolder(*skill, 3),
            (std::vector<std::string>{"SKILL.md", "notes.txt", "references/",
                                      "... (5 more entries not listed)"}));

  ToolSet tools;
  AddSkillTools(tools, {*skill});
  const Tool* activate = tools.Find("activate_skill");
  ASSERT_NE(activate, nullptr);
  EXPECT_EQ(activate->parameters()["properties"]["name"]["enum"], Json::array({"sheets"}));
  auto out = tools.Find("activate_skill")->Invoke({{"name", "sheets"}});
  ASSERT_FALSE(out.is_error) << out.content;
  const std::string& text = out.content;
  EXPECT_NE(text.find("Use the rule.\n"), std::string::npos) << text;
  EXPECT_NE(text.find("expert guidance"), std::string::npos) << text;
  EXPECT_NE(text.find("priority over your general defaults and follow them"), std::string::npos)
      << text;
  EXPECT_NE(text.find("folder=\"" + dir.string() + "\""), std::string::npos) << text;
  EXPECT_NE(text.find("<resources>\nSKILL.md\nnotes.txt\nreferences/\nscripts/\n"
                      "references/deep/\nreferences/pivot.md\nscripts/recalc.py\n"
                      "references/deep/case.md\n</resources>"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Relative paths in the instructions"), std::string::npos) << text;
  EXPECT_NE(text.find("relative to the skill folder " + dir.string()), std::string::npos) << text;
  EXPECT_LT(text.find("expert guidance"), text.find("Use the rule."));
  EXPECT_EQ(out.payload["folder"], dir.string());
}

// The listing stops at 200 entries and says how many it left out.
TEST(SkillToolsTest, ActivationListsAtMostTwoHundredEntries) {
  testing::TempDir tmp;
  fs::path dir = fs::canonical(tmp.path()) / "many";
  WriteText(dir / "SKILL.md", "---\nname: many\ndescription: Many files\n---\nBody\n");
  for (int i = 0; i < 250; ++i) {
    WriteText(dir / "references" / fmt::format("r{:03}.md", i), "x\n");
  }
  auto skill = skill::LoadSkill(dir);
  ASSERT_TRUE(skill.ok()) << skill.error().ToString();
  ToolSet tools;
  AddSkillTools(tools, {*skill});
  auto out = tools.Find("activate_skill")->Invoke({{"name", "many"}});
  ASSERT_FALSE(out.is_error) << out.content;
  EXPECT_NE(out.content.find("references/r197.md\n"), std::string::npos);
  EXPECT_EQ(out.content.find("references/r198.md"), std::string::npos);
  // 252 entries (SKILL.md, references/ and 250 files): 200 listed.
  EXPECT_NE(out.content.find("... (52 more entries not listed)"), std::string::npos);
}

// The method's cap: a reference of 50,000 bytes is read, one of 50,001 is refused.
TEST(SkillToolsTest, ReadReferenceRefusesFilesOverFiftyThousandBytes) {
  testing::TempDir tmp;
  fs::path dir = fs::canonical(tmp.path()) / "big";
  WriteText(dir / "SKILL.md", "---\nname: big\ndescription: Big references\n---\nBody\n");
  WriteText(dir / "references" / "at_cap.md", std::string(50'000, 'a'));
  WriteText(dir / "references" / "over_cap.md", std::string(50'001, 'a'));
  auto skill = skill::LoadSkill(dir);
  ASSERT_TRUE(skill.ok()) << skill.error().ToString();
  ToolSet tools;
  AddSkillTools(tools, {*skill});
  auto at_cap =
      tools.Find("read_reference")->Invoke({{"skill", "big"}, {"path", "references/at_cap.md"}});
  EXPECT_FALSE(at_cap.is_error) << at_cap.content.substr(0, 200);
  EXPECT_EQ(at_cap.content.size(), 50'000u);
  auto over =
      tools.Find("read_reference")->Invoke({{"skill", "big"}, {"path", "references/over_cap.md"}});
  EXPECT_TRUE(over.is_error);
  EXPECT_NE(over.content.find("50001 bytes"), std::string::npos) << over.content;
  EXPECT_NE(over.content.find("50000 byte cap"), std::string::npos) << over.content;
  auto outside = tools.Find("read_reference")->Invoke({{"skill", "big"}, {"path", "../x.md"}});
  EXPECT_TRUE(outside.is_error);
  EXPECT_NE(outside.content.find("must stay inside the folder"), std::string::npos)
      << outside.content;
}

}  // namespace
}  // namespace sg::tools
