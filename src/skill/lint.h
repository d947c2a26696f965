// `skillgrad lint`: the invariants of a skill package (DESIGN section 2.1) checked without
// an LLM. `skillgrad lint` prints every finding; the optimizer lints after every patch and
// sends back to the patcher only what the patch broke (skill/lint_projection.h). Every rule
// is listed with an example and a fix in docs/skills.md.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/json.h"
#include "skill/skill_package.h"

namespace sg::skill {

// Errors break an invariant (lint exits 1); warnings flag an unhealthy shape that a
// maintainer may keep on purpose (lint exits 0 unless --strict).
enum class Severity { kError, kWarning };
const char* SeverityName(Severity severity);

struct Violation {
  std::string rule;  // rule id, e.g. "orphan-reference"
  Severity severity = Severity::kError;
  std::string file;     // relative to the skill folder: "SKILL.md", "references/x.md"
  int line = 0;         // 1-based line in `file`, 0 when the rule concerns the whole file
  std::string message;  // what is wrong and how to fix it
  // What the finding is about when a file can hold several of one rule (the path a broken
  // pointer names; "sections" or "items" for workflow-too-long); empty otherwise. Unlike
  // `line` and `message` it survives edits elsewhere in the file, so the lint projection
  // (skill/lint_projection.h) matches findings across two versions of a skill by it.
  std::string subject;

  Json ToJson() const;           // {"rule","severity","file","line"?,"message"}
  std::string ToString() const;  // "SKILL.md:12: error: message [rule]"
  bool operator==(const Violation&) const = default;
};

struct LintOptions {
  int max_description_words = 50;
  int max_workflow_sections = 3;
  int max_workflow_items = 12;  // "about ten procedural items in all"
  int max_code_block_lines = 15;
  int min_operation_sections = 4;
  int max_operation_sections = 8;
};

struct RuleInfo {
  const char* id;
  Severity severity;
  const char* summary;
};
// Every rule LintSkill can report, in documentation order.
const std::vector<RuleInfo>& LintRules();

// All violations of a loaded package, sorted by file (SKILL.md first), then line (findings
// about a whole file, line 0, last), then rule.
// The package's `root` is used to tell folder mentions from broken pointers and to check
// that the name matches the folder; a package with an empty root skips those checks.
std::vector<Violation> LintSkill(const SkillPackage& package, const LintOptions& options = {});

// Loads DIR and lints it. An error means DIR cannot be read as a skill (no folder, no
// SKILL.md, unreadable); a readable skill with problems is a value with violations.
Result<std::vector<Violation>> LintSkillDir(const std::filesystem::path& dir,
                                            const LintOptions& options = {});

bool HasErrors(const std::vector<Violation>& violations);
Json ViolationsToJson(const std::vector<Violation>& violations);
// One ToString() line per violation, for a terminal or for the patcher's repair prompt.
std::string FormatViolations(const std::vector<Violation>& violations);

}  // namespace sg::skill
