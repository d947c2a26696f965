// The projection keeps what a patch broke: findings on the hard caps, the pointer invariants
// and the header that the skill before the patch did not have, matched by rule, file and
// subject, so that a finding that only moved (its line shifted, its count grew) stays the
// skill's own.
#include "skill/lint_projection.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "skill/lint.h"
#include "skill/skill_package.h"

namespace sg::skill {
namespace {

const char* kBody =
    "# Demo\n\n## Workflow\n\n1. Plan.\n2. Verify.\n\n## Load\n\nText.\n\n## Filter\n\nText.\n\n"
    "## Sort\n\nText.\n\n## Save\n\nRead references/save.md when saving CSV. Skip when saving "
    "xlsx.\n\n## Common Pitfalls\n\n- One.\n";

std::vector<Violation> Lint(const std::string& description, const std::string& body,
                            std::vector<std::string> resources = {"references/save.md"}) {
  SkillPackage p;
  ParseSkillMd("---\nname: demo\ndescription: " + description + "\n---\n" + body, p);
  p.resources = std::move(resources);
  return LintSkill(p);
}

std::vector<std::string> Rules(const std::vector<Violation>& vs) {
  std::vector<std::string> out;
  for (const auto& v : vs) out.push_back(v.rule);
  return out;
}

TEST(LintProjection, AViolationTheInputSkillHadIsIgnoredEvenWhenItMoved) {
  // The seed's description has two sentences (a warning `skillgrad lint` shows, and the
  // commonest finding on public skills); the patch adds a section above everything else.
  const std::string description = "Edit tables. Use it for CSV files.";
  std::vector<Violation> before = Lint(description, kBody);
  ASSERT_EQ(Rules(before), std::vector<std::string>{"description-multi-sentence"});
  std::string patched = kBody;
  patched.insert(patched.find("## Load"), "## Inspect\n\nLook first.\n\n");
  std::vector<Violation> after = Lint(description + " Also more words here.", patched);
  ASSERT_EQ(Rules(after), std::vector<std::string>{"description-multi-sentence"});
  EXPECT_NE(after[0].message, before[0].message);  // "3 sentences" now: not the key
  EXPECT_TRUE(IntroducedViolations(before, after).empty());
}

TEST(LintProjection, AViolationThePatchIntroducedIsSentBack) {
  std::vector<Violation> before = Lint("Edit tables.", kBody);
  ASSERT_TRUE(before.empty()) << FormatViolations(before);
  // An orphan reference and a broken pointer, both new.
  std::string patched = kBody;
  patched.insert(patched.find("## Common Pitfalls"),
                 "Read references/gone.md when sorting dates. Skip when sorting text.\n\n");
  std::vector<Violation> after = Lint("Edit tables. Use it for CSV files.", patched,
                                      {"references/save.md", "references/new.md"});
  std::vector<Violation> introduced = IntroducedViolations(before, after);
  EXPECT_EQ(Rules(introduced), (std::vector<std::string>{"description-multi-sentence",
                                                         "broken-pointer", "orphan-reference"}))
      << FormatViolations(introduced);
}

TEST(LintProjection, ASecondBrokenPointerIsNewThoughTheFirstWasInherited) {
  std::string seed = kBody;
  seed.insert(seed.find("## Common Pitfalls"),
              "Read references/old.md when sorting dates. Skip when sorting text.\n\n");
  std::vector<Violation> before = Lint("Edit tables.", seed);
  ASSERT_EQ(Rules(before), std::vector<std::string>{"broken-pointer"});
  std::string patched = seed;
  patched.insert(patched.find("## Load"),
                 "## Inspect\n\nRead references/other.md when a header spans two rows. Skip "
                 "when it spans one.\n\n");
  std::vector<Violation> introduced = IntroducedViolations(before, Lint("Edit tables.", patched));
  ASSERT_EQ(introduced.size(), 1u) << FormatViolations(introduced);
  EXPECT_EQ(introduced[0].rule, "broken-pointer");
  EXPECT_EQ(introduced[0].subject, "references/other.md");
}

TEST(LintProjection, JudgmentItemsAreNotProjected) {
  // A second code block in a section and a second pitfalls section are the patcher's
  // judgment in the read-back, not hard caps: the lint shows them, the projection does not.
  std::string patched = kBody;
  patched.insert(patched.find("## Filter"), "```python\na = 1\n```\n\n```python\nb = 2\n```\n\n");
  patched += "\n## Pitfalls again\n\n- Two.\n";
  std::vector<Violation> after = Lint("Edit tables.", patched);
  EXPECT_TRUE(HasErrors(after)) << FormatViolations(after);
  EXPECT_TRUE(IntroducedViolations({}, after).empty()) << FormatViolations(after);
  for (const char* rule :
       {"description-too-long", "description-multi-sentence", "workflow-too-long",
        "orphan-reference", "broken-pointer", "missing-description"}) {
    EXPECT_TRUE(IsProjectedRule(rule)) << rule;
  }
  EXPECT_FALSE(IsProjectedRule("body-code-blocks"));
  EXPECT_FALSE(IsProjectedRule("pitfalls-sections"));
}

}  // namespace
}  // namespace sg::skill
