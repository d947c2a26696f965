// Copies a folder tree (skills, snapshots) to a fresh destination.
#pragma once

#include <filesystem>

#include "core/error.h"

namespace sg::run {

// Replaces `to` with a recursive copy of `from` (regular files and folders; symlinks are
// copied as links, never followed out of the tree).
Status CopyTree(const std::filesystem::path& from, const std::filesystem::path& to);

}  // namespace sg::run
