// The projection step after a patch (DESIGN 2.3): of the patched skill's lint findings, only
// those the patch itself introduced on a rule the skill must always keep go back to the
// patcher. Those rules are the hard caps of the method's read-back (a description of at most
// 50 words in one sentence, a workflow that is not bloated), the pointer invariants (no
// orphan reference, no broken pointer) and the header the caps are checked on (frontmatter,
// name, description). A finding the iteration's input skill already had is not the patch's
// doing and is left alone: a seed taken from the wild (most fail `description-multi-sentence`)
// would otherwise spend its first repair round rewriting its own header.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "skill/lint.h"

namespace sg::skill {

// The rule ids the projection enforces, in LintRules() order.
const std::vector<std::string>& ProjectedRules();
bool IsProjectedRule(std::string_view rule);

// What identifies one finding across two versions of a skill: rule, file and subject. Not
// the line or the message, which move and change when the patch edits the text around them.
std::string ProjectionKey(const Violation& violation);

// The findings of `after` on a projected rule whose key no finding of `before` has, in
// `after`'s order. `before` is the lint of the iteration's input skill, `after` of the patch.
std::vector<Violation> IntroducedViolations(const std::vector<Violation>& before,
                                            const std::vector<Violation>& after);

}  // namespace sg::skill
