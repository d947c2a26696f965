// Reading a skill's files into memory. A skill folder is input this program did not write (a
// seed skill, a patcher's edit), so every read is capped, and the size is checked with
// fstat before a byte is read: a multi-gigabyte SKILL.md fails at once instead of being
// read whole.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "core/error.h"

namespace sg::skill {

// SKILL.md is the agent's first read and lint wants its body short; 1 MiB is far beyond any
// real skill and still cheap to hold a few copies of.
inline constexpr std::uintmax_t kMaxSkillMdBytes = std::uintmax_t{1} << 20;
// One resource file (references/, scripts/, assets/, ...) read whole, e.g. to diff it.
inline constexpr std::uintmax_t kMaxSkillResourceBytes = std::uintmax_t{8} << 20;

// The content of SKILL.md at `path`. Not a regular file (after following links), larger
// than kMaxSkillMdBytes, or unreadable: an error naming the path (and the size and the cap).
Result<std::string> ReadSkillMd(const std::filesystem::path& path);

// The content of the resource file at `path`, capped at kMaxSkillResourceBytes likewise.
Result<std::string> ReadSkillResource(const std::filesystem::path& path);

}  // namespace sg::skill
