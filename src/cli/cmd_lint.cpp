// `skillgrad lint DIR [--json] [--strict]`: checks a skill folder against the invariants of
// DESIGN section 2.1 (rules in docs/skills.md). Exit 0 when no error (warnings are
// printed), 1 when there are errors (or any violation with --strict), 2 when DIR cannot be
// read as a skill.
#include <fmt/format.h>

#include <iostream>

#include "cli/command.h"
#include "skill/lint.h"

namespace sg::cli {

namespace {

struct LintFlags {
  std::string dir;
  bool json = false;
  bool strict = false;
};

void RunLint(const LintFlags& flags) {
  auto violations = skill::LintSkillDir(flags.dir);
  if (!violations.ok()) {
    Error error = violations.error();
    // A folder of skills is a common slip: name the skills it holds.
    std::error_code ec;
    if (!std::filesystem::exists(std::filesystem::path(flags.dir) / "SKILL.md", ec)) {
      auto skills = skill::LoadSkillsDir(flags.dir, skill::FrontmatterPolicy::kRecord);
      if (skills.ok()) {
        std::string names;
        for (const auto& s : *skills) {
          names += (names.empty() ? "" : ", ") + s.root.filename().string();
        }
        error.message += "; it holds skills in subfolders (" + names + "): lint one of them";
      }
    }
    Fail(error, 2);
  }
  bool failed = flags.strict ? !violations->empty() : skill::HasErrors(*violations);
  if (flags.json) {
    std::cout << skill::ViolationsToJson(*violations).dump(2) << "\n";
    ExitWith(failed ? 1 : 0);
  }
  std::cout << skill::FormatViolations(*violations);
  size_t errors = 0;
  for (const auto& v : *violations) errors += v.severity == skill::Severity::kError;
  size_t warnings = violations->size() - errors;
  if (violations->empty()) {
    std::cout << flags.dir << ": clean\n";
  } else {
    std::cout << fmt::format("{}: {} error{}, {} warning{}\n", flags.dir, errors,
                             errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
  }
  ExitWith(failed ? 1 : 0);
}

}  // namespace

void RegisterLint(CLI::App& app) {
  auto flags = std::make_shared<LintFlags>();
  auto* cmd = app.add_subcommand(
      "lint",
      "Check a skill folder (SKILL.md and resources) against the skill invariants; exit 0 "
      "no error, 1 errors (with --strict: any finding), 2 not readable as a skill");
  cmd->add_option("DIR", flags->dir, "The skill folder (the one holding SKILL.md)")->required();
  cmd->add_flag("--json", flags->json,
                "Print a JSON list of {rule, severity, file, line, message} objects");
  cmd->add_flag("--strict", flags->strict, "Fail (exit 1) on warnings too");
  cmd->callback([flags] { RunLint(*flags); });
}

}  // namespace sg::cli
