// Copies a folder tree (skills, snapshots) to a fresh destination.
#pragma once

#include <filesystem>
#include <string>

#include "core/error.h"

namespace sg::run {

// Replaces `to` with a recursive copy of `from` (regular files and folders; symlinks are
// copied as links, never followed out of the tree).
Status CopyTree(const std::filesystem::path& from, const std::filesystem::path& to);

// A SHA-256 over every regular file under `dir` (its relative path and its content's hash,
// sorted): equal for two trees with the same files, different once any file differs.
std::string TreeFingerprint(const std::filesystem::path& dir);

}  // namespace sg::run
