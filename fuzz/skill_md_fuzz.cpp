// SKILL.md files come from users and from the patcher agent. Splitting off the frontmatter,
// parsing its YAML and rendering the package back must not crash on any text, and a file
// that was read renders back to the same bytes (the write-back contract of
// skill/skill_package.h).
#include <cstdint>
#include <string>
#include <string_view>

#include "skill/frontmatter.h"
#include "skill/skill_package.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  sg::skill::FrontmatterSplit split = sg::skill::SplitFrontmatter(text);
  if (split.found) (void)sg::skill::ParseYamlMapping(split.yaml);

  sg::skill::SkillPackage package;
  sg::skill::ParseSkillMd(text, package);
  if (sg::skill::RenderSkillMd(package) != text) __builtin_trap();
  return 0;
}
