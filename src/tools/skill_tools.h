// The executor's skill tools (progressive disclosure, DESIGN 2.2): the system prompt
// lists each skill by name, description and location; activate_skill returns a skill's
// SKILL.md body marked as expert guidance, with the skill's folder and a breadth-first
// listing of its files; read_reference returns one file under a skill's folder, refusing
// paths that leave it and files over a size cap (the method's 50,000 bytes).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "skill/skill_package.h"
#include "tools/tool.h"

namespace sg::tools {

struct SkillToolOptions {
  std::size_t max_reference_bytes = 50'000;  // larger files are refused
  std::size_t max_listed_resources = 200;    // entries of the folder listing
};

// The name a skill is called by: its frontmatter name, else its folder name.
std::string SkillName(const skill::SkillPackage& skill);

// Per skill, its name, description and location (the absolute path of its SKILL.md), for
// the system prompt.
std::string RenderSkillsList(const std::vector<skill::SkillPackage>& skills);

// The entries of a skill folder, breadth first: SKILL.md and the top-level files and folders
// (folders end in '/'), then the next level, each level sorted. At most `max_entries`,
// followed by a line saying how many were left out.
std::vector<std::string> ListSkillFolder(const skill::SkillPackage& skill, std::size_t max_entries);

std::unique_ptr<Tool> MakeActivateSkillTool(
    std::shared_ptr<const std::vector<skill::SkillPackage>> skills, SkillToolOptions options = {});
std::unique_ptr<Tool> MakeReadReferenceTool(
    std::shared_ptr<const std::vector<skill::SkillPackage>> skills, SkillToolOptions options = {});

void AddSkillTools(ToolSet& tools, std::vector<skill::SkillPackage> skills,
                   SkillToolOptions options = {});

}  // namespace sg::tools
