#include "skill/skill_package.h"

#include <algorithm>

#include "core/file_util.h"
#include "skill/frontmatter.h"
#include "skill/resource_tree.h"
#include "skill/skill_file.h"

namespace sg::skill {
namespace fs = std::filesystem;

void ParseSkillMd(std::string_view text, SkillPackage& package) {
  FrontmatterSplit split = SplitFrontmatter(text);
  package.has_frontmatter = split.found;
  package.opening_fence = std::move(split.opening_fence);
  package.frontmatter_text = std::move(split.yaml);
  package.closing_fence = std::move(split.closing_fence);
  package.body = std::move(split.body);
  package.body_first_line = split.body_first_line;
  package.frontmatter_error = std::move(split.error);
  package.frontmatter_error_line = package.frontmatter_error.empty() ? 0 : 1;  // the fence
  package.header = SkillHeader{};
  if (!package.has_frontmatter) return;

  YamlParse yaml = ParseYamlMapping(package.frontmatter_text);
  if (!yaml.ok) {
    package.frontmatter_error = yaml.error;
    // The YAML block starts on SKILL.md's line 2, after the opening fence.
    package.frontmatter_error_line = yaml.error_line > 0 ? yaml.error_line + 1 : 0;
    return;
  }
  package.header.fields = std::move(yaml.value);
  const auto& fields = package.header.fields;
  if (auto it = fields.find("name"); it != fields.end() && it->is_string()) {
    package.header.name = it->get<std::string>();
  }
  if (auto it = fields.find("description"); it != fields.end() && it->is_string()) {
    package.header.description = it->get<std::string>();
  }
}

std::string RenderSkillMd(const SkillPackage& package) {
  if (!package.has_frontmatter) return package.body;
  return package.opening_fence + package.frontmatter_text + package.closing_fence + package.body;
}

Status WriteSkillMd(const SkillPackage& package, const fs::path& dir) {
  return WriteFileAtomic(dir / "SKILL.md", RenderSkillMd(package));
}

Result<SkillPackage> LoadSkill(const fs::path& dir, FrontmatterPolicy policy) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    return NotFound("skill folder " + dir.string() +
                    " does not exist; pass the folder that holds the skill's SKILL.md");
  }
  if (!fs::is_directory(dir, ec)) {
    return InvalidArgument(dir.string() +
                           " is not a folder; a skill is a folder holding SKILL.md and its "
                           "resources (pass the folder, not the file)");
  }
  fs::path skill_md = dir / "SKILL.md";
  if (!fs::is_regular_file(skill_md, ec)) {
    return NotFound("skill folder " + dir.string() +
                    " has no SKILL.md; create SKILL.md with a '---' frontmatter (name, "
                    "description) and a markdown body");
  }
  SG_ASSIGN_OR_RETURN(std::string text, ReadSkillMd(skill_md));
  SkillPackage package;
  package.root = dir;
  ParseSkillMd(text, package);
  if (policy != FrontmatterPolicy::kRecord && !package.frontmatter_error.empty()) {
    std::string where = skill_md.string();
    if (package.frontmatter_error_line > 0) {
      where += ":" + std::to_string(package.frontmatter_error_line);
    }
    return InvalidArgument(where +
                           ": the frontmatter cannot be used: " + package.frontmatter_error +
                           "; fix it before running the skill (`skillgrad lint " + dir.string() +
                           "` shows the details)");
  }
  if (policy == FrontmatterPolicy::kRequire && !package.has_frontmatter) {
    return InvalidArgument(skill_md.string() +
                           " has no frontmatter; start the file with a '---' line, then "
                           "'name: <folder-name>' and 'description: <one sentence>', then "
                           "a closing '---' line");
  }
  SG_ASSIGN_OR_RETURN(std::vector<std::string> files, ListSkillFiles(dir));
  for (auto& file : files) {
    if (file != "SKILL.md") package.resources.push_back(std::move(file));
  }
  return package;
}

Result<std::vector<SkillPackage>> LoadSkillsDir(const fs::path& skills_dir,
                                                FrontmatterPolicy policy) {
  std::error_code ec;
  if (!fs::is_directory(skills_dir, ec)) {
    return NotFound("skills folder " + skills_dir.string() +
                    " does not exist or is not a folder; pass a folder that holds one "
                    "subfolder per skill (each with a SKILL.md)");
  }
  std::vector<SkillPackage> skills;
  if (fs::is_regular_file(skills_dir / "SKILL.md", ec)) {
    SG_ASSIGN_OR_RETURN(SkillPackage one, LoadSkill(skills_dir, policy));
    skills.push_back(std::move(one));
    return skills;
  }
  std::vector<fs::path> folders;
  fs::directory_iterator it(skills_dir, ec);
  if (ec) return IoError("cannot list skills folder " + skills_dir.string() + ": " + ec.message());
  for (const auto& entry : it) {
    std::string name = entry.path().filename().string();
    if (IsIgnoredName(name)) continue;
    std::error_code entry_ec;
    if (entry.is_directory(entry_ec) && fs::is_regular_file(entry.path() / "SKILL.md", entry_ec)) {
      folders.push_back(entry.path());
    }
  }
  std::sort(folders.begin(), folders.end());
  for (const auto& folder : folders) {
    SG_ASSIGN_OR_RETURN(SkillPackage skill, LoadSkill(folder, policy));
    skills.push_back(std::move(skill));
  }
  if (skills.empty()) {
    return NotFound("no skill found in " + skills_dir.string() +
                    ": neither it nor any of its subfolders holds a SKILL.md");
  }
  return skills;
}

ResourceKind ClassifyResource(std::string_view relative_path) {
  size_t slash = relative_path.find('/');
  if (slash == std::string_view::npos) return ResourceKind::kOther;
  std::string_view top = relative_path.substr(0, slash);
  if (top == "references") return ResourceKind::kReference;
  if (top == "scripts") return ResourceKind::kScript;
  if (top == "assets") return ResourceKind::kAsset;
  return ResourceKind::kOther;
}

std::vector<std::string> ResourcesOfKind(const SkillPackage& package, ResourceKind kind) {
  std::vector<std::string> out;
  for (const auto& path : package.resources) {
    if (ClassifyResource(path) == kind) out.push_back(path);
  }
  return out;
}

}  // namespace sg::skill
