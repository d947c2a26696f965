#include "skill/lint_projection.h"

#include <algorithm>
#include <set>

namespace sg::skill {

const std::vector<std::string>& ProjectedRules() {
  static const std::vector<std::string> kRules = {
      // The header the description cap is checked on; without it the skill is not routed.
      "missing-frontmatter",
      "invalid-frontmatter",
      "missing-name",
      "name-format",
      "name-mismatch",
      "missing-description",
      // The hard caps of the read-back.
      "description-too-long",
      "description-multi-sentence",
      "workflow-too-long",
      // The pointer invariants.
      "broken-pointer",
      "orphan-reference",
  };
  return kRules;
}

bool IsProjectedRule(std::string_view rule) {
  const auto& rules = ProjectedRules();
  return std::find(rules.begin(), rules.end(), rule) != rules.end();
}

std::string ProjectionKey(const Violation& violation) {
  return violation.rule + "\n" + violation.file + "\n" + violation.subject;
}

std::vector<Violation> IntroducedViolations(const std::vector<Violation>& before,
                                            const std::vector<Violation>& after) {
  std::set<std::string> had;
  for (const auto& v : before) had.insert(ProjectionKey(v));
  std::vector<Violation> out;
  for (const auto& v : after) {
    if (IsProjectedRule(v.rule) && !had.count(ProjectionKey(v))) out.push_back(v);
  }
  return out;
}

}  // namespace sg::skill
