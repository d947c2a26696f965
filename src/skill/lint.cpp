#include "skill/lint.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <sstream>

#include "skill/markdown_outline.h"
#include "skill/pointers.h"

namespace sg::skill {
namespace fs = std::filesystem;

namespace {

constexpr const char* kSkillMd = "SKILL.md";

const RuleInfo* FindRule(std::string_view id) {
  for (const auto& rule : LintRules()) {
    if (id == rule.id) return &rule;
  }
  return nullptr;
}

class Reporter {
 public:
  void Add(const char* rule, std::string file, int line, std::string message,
           std::string subject = "") {
    const RuleInfo* info = FindRule(rule);
    Severity severity = info ? info->severity : Severity::kError;
    out_.push_back({rule, severity, std::move(file), line, std::move(message), std::move(subject)});
  }
  std::vector<Violation> Take() { return std::move(out_); }

 private:
  std::vector<Violation> out_;
};

int CountWords(std::string_view text) {
  std::istringstream in{std::string(text)};
  int n = 0;
  std::string word;
  while (in >> word) ++n;
  return n;
}

// Sentence boundaries: '.', '!' or '?' followed by whitespace and an uppercase letter or a
// digit, unless the word before is a common abbreviation ("e.g.", "i.e.", "etc.", "vs.").
int CountSentences(std::string_view text) {
  static const std::set<std::string> kAbbreviations = {"e.g.",    "i.e.",  "etc.", "vs.", "cf.",
                                                       "approx.", "incl.", "no.",  "mr.", "dr."};
  int sentences = 1;
  for (size_t i = 0; i + 2 < text.size(); ++i) {
    char c = text[i];
    if (c != '.' && c != '!' && c != '?') continue;
    if (!std::isspace(static_cast<unsigned char>(text[i + 1]))) continue;
    size_t j = i + 1;
    while (j < text.size() && std::isspace(static_cast<unsigned char>(text[j]))) ++j;
    if (j >= text.size()) break;
    unsigned char next = static_cast<unsigned char>(text[j]);
    if (!std::isupper(next) && !std::isdigit(next)) continue;
    size_t word_start = text.find_last_of(" \t\n", i);
    word_start = word_start == std::string_view::npos ? 0 : word_start + 1;
    std::string word(text.substr(word_start, i + 1 - word_start));
    for (char& ch : word) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (c == '.' && kAbbreviations.count(word)) continue;
    ++sentences;
  }
  return sentences;
}

// The Agent Skills format: 1-64 characters, lowercase letters, digits and hyphens, no
// leading, trailing or doubled hyphen.
bool IsValidSkillName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  if (name.front() == '-' || name.back() == '-') return false;
  if (name.find("--") != std::string_view::npos) return false;
  for (char c : name) {
    if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '-') return false;
  }
  return true;
}

std::string FolderName(const fs::path& root) {
  fs::path normal = root.lexically_normal();
  if (normal.filename().empty()) normal = normal.parent_path();
  return normal.filename().string();
}

void CheckHeader(const SkillPackage& p, Reporter& r, const LintOptions& options) {
  if (!p.has_frontmatter) {
    std::string message =
        p.frontmatter_error.empty()
            ? "SKILL.md does not start with a YAML frontmatter; add a first line '---', then "
              "'name: <folder-name>' and 'description: <one sentence saying when to use the "
              "skill>', then a line '---'"
            : p.frontmatter_error;
    r.Add("missing-frontmatter", kSkillMd, 1, message);
    return;
  }
  if (!p.frontmatter_error.empty()) {
    int line = p.frontmatter_error_line > 0 ? p.frontmatter_error_line : 1;
    r.Add("invalid-frontmatter", kSkillMd, line,
          p.frontmatter_error + "; the frontmatter must be YAML 'key: value' lines");
    return;
  }
  const auto& fields = p.header.fields;
  auto name_it = fields.find("name");
  if (name_it == fields.end() || p.header.name.empty()) {
    r.Add("missing-name", kSkillMd, 1,
          name_it == fields.end() || name_it->is_null()
              ? "the frontmatter has no 'name'; add 'name: <folder-name>' (lowercase letters, "
                "digits and hyphens)"
              : "the frontmatter's 'name' is not a text value; write 'name: <folder-name>' "
                "(lowercase letters, digits and hyphens)");
  } else {
    const std::string& name = p.header.name;
    if (!IsValidSkillName(name)) {
      r.Add("name-format", kSkillMd, 1,
            "name '" + name +
                "' is not a valid skill name; use 1-64 lowercase letters, digits and single "
                "hyphens, not starting or ending with a hyphen (e.g. 'spreadsheet-editing')");
    }
    if (!p.root.empty()) {
      std::string folder = FolderName(p.root);
      if (!folder.empty() && folder != name) {
        r.Add("name-mismatch", kSkillMd, 1,
              "name '" + name + "' differs from the folder name '" + folder +
                  "'; agents find a skill by its folder, so rename one to match the other");
      }
    }
  }
  auto desc_it = fields.find("description");
  const std::string& description = p.header.description;
  if (desc_it == fields.end() || description.find_first_not_of(" \t\r\n") == std::string::npos) {
    r.Add("missing-description", kSkillMd, 1,
          desc_it != fields.end() && !desc_it->is_null() && !desc_it->is_string()
              ? "the frontmatter's 'description' is not a text value; write one sentence "
                "saying what the skill does and when to use it"
              : "the frontmatter has no 'description'; add one sentence saying what the skill "
                "does and when to use it (agents choose skills by it)");
    return;
  }
  int words = CountWords(description);
  if (words > options.max_description_words) {
    r.Add("description-too-long", kSkillMd, 1,
          fmt::format("the description has {} words (at most {}); it only routes the task to "
                      "the skill, so keep what and when, and move rules into the body",
                      words, options.max_description_words));
  }
  int sentences = CountSentences(description);
  if (sentences > 1) {
    r.Add("description-multi-sentence", kSkillMd, 1,
          fmt::format("the description has {} sentences; merge them into one sentence saying "
                      "what the skill does and when to use it",
                      sentences));
  }
}

void CheckSections(const SkillPackage& p, const BodyOutline& outline, Reporter& r,
                   const LintOptions& options) {
  const int offset = p.body_first_line - 1;
  if (p.body.find_first_not_of(" \t\r\n") == std::string::npos) {
    r.Add("empty-body", kSkillMd, 0,
          "SKILL.md has no body; after the frontmatter add the workflow, the operation "
          "sections and a '## Common Pitfalls' section");
    return;
  }
  std::vector<const BodySection*> workflow, operation, pitfalls;
  for (const auto& s : outline.sections) {
    if (s.kind == SectionKind::kWorkflow) workflow.push_back(&s);
    if (s.kind == SectionKind::kOperation) operation.push_back(&s);
    if (s.kind == SectionKind::kPitfalls) pitfalls.push_back(&s);
  }

  if (static_cast<int>(workflow.size()) > options.max_workflow_sections) {
    const BodySection& extra = *workflow[options.max_workflow_sections];
    r.Add("workflow-too-long", kSkillMd, extra.heading.line + offset,
          fmt::format("the body has {} workflow sections (at most {}); merge them into one "
                      "planning section near the top and one verification section near the "
                      "end",
                      workflow.size(), options.max_workflow_sections),
          "sections");
  }
  int items = 0;
  int first_excess_line = 0;
  for (const BodySection* s : workflow) {
    for (int line : s->item_lines) {
      if (++items == options.max_workflow_items + 1) first_excess_line = line;
    }
  }
  if (items > options.max_workflow_items) {
    r.Add("workflow-too-long", kSkillMd, first_excess_line + offset,
          fmt::format("the workflow sections have {} procedural items (at most {}); merge "
                      "near-duplicate steps and move detailed procedures to references/",
                      items, options.max_workflow_items),
          "items");
  }
  if (workflow.empty() && !outline.sections.empty()) {
    r.Add("missing-workflow", kSkillMd, 0,
          "the body has no workflow section; add a '## Workflow' section with the planning "
          "and inspection steps first and a verification step last");
  }

  if (pitfalls.empty()) {
    r.Add("pitfalls-sections", kSkillMd, 0,
          "the body has no 'Common Pitfalls' section; add one '## Common Pitfalls' section "
          "near the end listing the mistakes to avoid");
  } else if (pitfalls.size() > 1) {
    r.Add("pitfalls-sections", kSkillMd, pitfalls[1]->heading.line + offset,
          fmt::format("the body has {} pitfalls sections ('{}' and '{}'); merge them into one "
                      "'Common Pitfalls' section near the end",
                      pitfalls.size(), pitfalls[0]->heading.text, pitfalls[1]->heading.text));
  }

  for (const BodySection* s : operation) {
    if (s->code_blocks.size() > 1) {
      r.Add("body-code-blocks", kSkillMd, s->code_blocks[1].open_line + offset,
            fmt::format("operation section '{}' has {} code blocks (at most 1); keep one small "
                        "generic block and move the rest into a references/ file with a "
                        "pointer",
                        s->heading.text, s->code_blocks.size()));
    }
  }
  int op_count = static_cast<int>(operation.size());
  if (!outline.sections.empty() &&
      (op_count < options.min_operation_sections || op_count > options.max_operation_sections)) {
    r.Add("operation-sections", kSkillMd, 0,
          fmt::format("the body has {} operation sections (healthy: {}-{}); {}", op_count,
                      options.min_operation_sections, options.max_operation_sections,
                      op_count > options.max_operation_sections
                          ? "merge related operations or lift rare ones into references/"
                          : "split the body by operation (one '##' section per kind of task)"));
  }

  for (const CodeBlock& b : outline.code_blocks) {
    if (!b.closed) {
      r.Add("unclosed-code-block", kSkillMd, b.open_line + offset,
            "a code block opened here is never closed, so the rest of the body reads as code; "
            "add the closing fence");
    } else if (b.content_lines > options.max_code_block_lines) {
      r.Add("code-block-too-long", kSkillMd, b.open_line + offset,
            fmt::format("a code block of {} lines in the body (at most {}); keep a short generic "
                        "snippet and move the full procedure into a references/ file",
                        b.content_lines, options.max_code_block_lines));
    }
  }
}

void CheckPointers(const SkillPackage& p, Reporter& r) {
  const int offset = p.body_first_line - 1;
  std::set<std::string> resources(p.resources.begin(), p.resources.end());
  std::vector<std::string> lines = SplitLines(p.body);
  std::vector<ResourceMention> mentions = FindResourceMentions(p.body);

  std::map<std::string, std::vector<const ResourceMention*>> by_path;
  std::set<std::string> reported_broken;
  for (const auto& m : mentions) {
    if (resources.count(m.path)) {
      by_path[m.path].push_back(&m);
      continue;
    }
    std::error_code ec;
    if (!p.root.empty() && fs::is_directory(p.root / m.path, ec)) continue;  // a folder
    if (!reported_broken.insert(m.path).second) continue;
    r.Add("broken-pointer", kSkillMd, m.line + offset,
          "the body points to " + m.path +
              ", which does not exist; create the file or fix the path to name an existing "
              "one",
          m.path);
  }

  for (const auto& ref : ResourcesOfKind(p, ResourceKind::kReference)) {
    auto it = by_path.find(ref);
    if (it == by_path.end()) {
      r.Add("orphan-reference", ref, 0,
            "no pointer in SKILL.md names " + ref + ", so agents never read it; add 'Read " + ref +
                " when <trigger>. Skip when <near case>.' to the section it serves, or "
                "delete the file");
      continue;
    }
    std::set<int> pointer_lines;
    bool canonical = false;
    for (const ResourceMention* m : it->second) {
      pointer_lines.insert(m->line);
      canonical = canonical || IsCanonicalPointer(lines, *m);
    }
    if (pointer_lines.size() > 1) {
      auto second = std::next(pointer_lines.begin());
      r.Add("duplicate-pointer", kSkillMd, *second + offset,
            fmt::format("{} is named on {} lines of the body (lines {} and {}); keep one pointer "
                        "in the section it serves",
                        ref, pointer_lines.size(), *pointer_lines.begin() + offset,
                        *second + offset));
    }
    if (!canonical) {
      r.Add("pointer-form", kSkillMd, it->second.front()->line + offset,
            "the pointer to " + ref + " does not say when to read it; write 'Read " + ref +
                " when <trigger>. Skip when <near case>.'");
    }
  }
}

}  // namespace

const char* SeverityName(Severity severity) {
  return severity == Severity::kError ? "error" : "warning";
}

const std::vector<RuleInfo>& LintRules() {
  static const std::vector<RuleInfo> kRules = {
      {"missing-frontmatter", Severity::kError, "SKILL.md has no closed '---' frontmatter"},
      {"invalid-frontmatter", Severity::kError, "the frontmatter is not a YAML mapping"},
      {"missing-name", Severity::kError, "no text 'name' in the frontmatter"},
      {"name-format", Severity::kError, "the name is not lowercase letters, digits, hyphens"},
      {"name-mismatch", Severity::kError, "the name differs from the folder name"},
      {"missing-description", Severity::kError, "no text 'description' in the frontmatter"},
      {"description-too-long", Severity::kError, "the description is over 50 words"},
      {"description-multi-sentence", Severity::kWarning, "the description is not one sentence"},
      {"empty-body", Severity::kError, "nothing after the frontmatter"},
      {"workflow-too-long", Severity::kError,
       "over 3 workflow sections or over 12 procedural items in them"},
      {"missing-workflow", Severity::kWarning, "no workflow section"},
      {"pitfalls-sections", Severity::kError, "not exactly one Common Pitfalls section"},
      {"body-code-blocks", Severity::kError, "an operation section with over one code block"},
      {"operation-sections", Severity::kWarning, "fewer than 4 or more than 8 operation sections"},
      {"code-block-too-long", Severity::kWarning, "a code block over 15 lines in the body"},
      {"unclosed-code-block", Severity::kError, "a code fence that is never closed"},
      {"broken-pointer", Severity::kError, "the body names a resource file that does not exist"},
      {"orphan-reference", Severity::kError, "a file under references/ that the body never names"},
      {"duplicate-pointer", Severity::kWarning, "a reference named on more than one body line"},
      {"pointer-form", Severity::kWarning, "no 'Read <path> when ... Skip when ...' pointer"},
  };
  return kRules;
}

Json Violation::ToJson() const {
  Json out = {{"rule", rule}, {"severity", SeverityName(severity)}, {"file", file}};
  if (line > 0) out["line"] = line;
  out["message"] = message;
  return out;
}

std::string Violation::ToString() const {
  std::string where = line > 0 ? fmt::format("{}:{}", file, line) : file;
  return fmt::format("{}: {}: {} [{}]", where, SeverityName(severity), message, rule);
}

std::vector<Violation> LintSkill(const SkillPackage& package, const LintOptions& options) {
  Reporter reporter;
  CheckHeader(package, reporter, options);
  BodyOutline outline = OutlineBody(package.body);
  CheckSections(package, outline, reporter, options);
  CheckPointers(package, reporter);
  std::vector<Violation> out = reporter.Take();
  std::stable_sort(out.begin(), out.end(), [](const Violation& a, const Violation& b) {
    bool a_md = a.file == kSkillMd, b_md = b.file == kSkillMd;
    if (a_md != b_md) return a_md;
    if (a.file != b.file) return a.file < b.file;
    if ((a.line == 0) != (b.line == 0)) return b.line == 0;  // whole-file findings last
    if (a.line != b.line) return a.line < b.line;
    return a.rule < b.rule;
  });
  return out;
}

Result<std::vector<Violation>> LintSkillDir(const fs::path& dir, const LintOptions& options) {
  // Frontmatter problems are findings here, not load errors.
  SG_ASSIGN_OR_RETURN(SkillPackage package, LoadSkill(dir, FrontmatterPolicy::kRecord));
  return LintSkill(package, options);
}

bool HasErrors(const std::vector<Violation>& violations) {
  return std::any_of(violations.begin(), violations.end(),
                     [](const Violation& v) { return v.severity == Severity::kError; });
}

Json ViolationsToJson(const std::vector<Violation>& violations) {
  Json out = Json::array();
  for (const auto& v : violations) out.push_back(v.ToJson());
  return out;
}

std::string FormatViolations(const std::vector<Violation>& violations) {
  std::string out;
  for (const auto& v : violations) out += v.ToString() + "\n";
  return out;
}

}  // namespace sg::skill
