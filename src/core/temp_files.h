// Names of the temporary files that crash-safe writes go through, and the sweep that
// removes the ones a killed process left behind. A temporary name carries the writer's
// process id, so that a sweep never touches a file that a live process is still writing
// (two commands may share a results root).
#pragma once

#include <filesystem>

namespace sg {

// "<path>.tmp-<pid>-<16 hex digits>": a fresh sibling of `path` for this process.
std::filesystem::path TempPathFor(const std::filesystem::path& path);

// Removes, under `root` (recursively; files and folders), every entry named as TempPathFor
// names them whose process no longer runs. Returns how many were removed; errors (an
// unreadable folder, a file that vanished meanwhile) are skipped.
int RemoveStaleTempFiles(const std::filesystem::path& root);

}  // namespace sg
