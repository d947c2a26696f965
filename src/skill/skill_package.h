// A skill package S = (H, B, Q) (DESIGN section 2.1): the YAML frontmatter of SKILL.md
// (header H), the markdown after it (body B) and the resource files under the folder
// (Q: references/, scripts/, assets/ and any other file).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/json.h"

namespace sg::skill {

struct SkillHeader {
  std::string name;
  std::string description;
  Json fields = Json::object();  // every frontmatter field, as parsed
};

struct SkillPackage {
  std::filesystem::path root;  // the skill's folder
  bool has_frontmatter = false;
  std::string frontmatter_text;  // the YAML between the --- fences, verbatim
  SkillHeader header;
  std::string body;                    // everything after the closing fence, verbatim
  std::vector<std::string> resources;  // paths relative to root, sorted, SKILL.md excluded

  // Verbatim fence lines (with their line terminators, and a leading UTF-8 BOM if the file
  // had one) so that RenderSkillMd gives back the bytes that were read. Empty without
  // frontmatter.
  std::string opening_fence;
  std::string closing_fence;
  // Why the frontmatter could not be used: an unclosed fence, a YAML syntax error, a
  // document that is not a mapping. Empty when the frontmatter parsed (or is absent).
  std::string frontmatter_error;
  // The 1-based line of SKILL.md that frontmatter_error is about; 0 when unknown.
  int frontmatter_error_line = 0;
  // The 1-based line of SKILL.md on which `body` starts (1 without frontmatter).
  int body_first_line = 1;
};

// How LoadSkill treats a SKILL.md whose frontmatter is missing or cannot be used.
enum class FrontmatterPolicy {
  // A frontmatter that is there but broken (an unclosed '---' fence, a YAML syntax error, a
  // document that is not a mapping) is an error; a missing one is not. Every command that
  // hands skills to an agent loads this way, so a broken header fails before any model
  // call instead of reaching the agent silently.
  kRejectBroken,
  // Missing or broken: both are errors.
  kRequire,
  // Neither is an error: the problem is left in has_frontmatter / frontmatter_error for
  // lint to report as a finding.
  kRecord,
};

// Reads DIR/SKILL.md (at most kMaxSkillMdBytes, skill_file.h) and lists the resources. A
// folder without SKILL.md, or a SKILL.md that cannot be read, is an error naming the path;
// the frontmatter is checked as `policy` says, the error naming SKILL.md, the YAML problem
// and its line, and pointing at `skillgrad lint`.
Result<SkillPackage> LoadSkill(const std::filesystem::path& dir,
                               FrontmatterPolicy policy = FrontmatterPolicy::kRejectBroken);

// Every immediate subfolder of `skills_dir` that holds a SKILL.md, sorted by folder name;
// `skills_dir` itself when it holds a SKILL.md. No skill found is an error. Hidden
// subfolders (".name") are skipped. Each skill is loaded with LoadSkill(folder, policy).
Result<std::vector<SkillPackage>> LoadSkillsDir(
    const std::filesystem::path& skills_dir,
    FrontmatterPolicy policy = FrontmatterPolicy::kRejectBroken);

// Parses SKILL.md text into the H and B fields of a package (root and resources are left
// as they are). Never fails: problems are recorded in has_frontmatter / frontmatter_error.
void ParseSkillMd(std::string_view text, SkillPackage& package);

// The SKILL.md text of a package: fences, frontmatter and body, byte for byte what
// LoadSkill read when nothing was changed.
std::string RenderSkillMd(const SkillPackage& package);

// Writes RenderSkillMd(package) to DIR/SKILL.md atomically. Resources are files on disk
// and are not touched.
Status WriteSkillMd(const SkillPackage& package, const std::filesystem::path& dir);

// Layer-3 resource kinds, by the first path component.
enum class ResourceKind { kReference, kScript, kAsset, kOther };
ResourceKind ClassifyResource(std::string_view relative_path);

// The resources of one kind (e.g. every file under references/), in sorted order.
std::vector<std::string> ResourcesOfKind(const SkillPackage& package, ResourceKind kind);

}  // namespace sg::skill
