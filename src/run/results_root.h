// The results root as a place to write: a check made before any LLM call, and the advice
// added to an error caused by a full or read-only disk (what happened, where, and how
// to go on without losing finished work).
#pragma once

#include <filesystem>
#include <string_view>

#include "core/error.h"

namespace sg::run {

// Creates `root` if needed and writes (then removes) a probe file in it. The error names
// the root, the system's reason (read-only file system, no space left, permission) and
// the fix; `rerun` says how to go on once it is fixed (e.g. "rerun with --resume").
Status CheckResultsRootWritable(const std::filesystem::path& root, std::string_view rerun);

// When `error` comes from a full disk (ENOSPC, EDQUOT) or a read-only file system (EROFS),
// appends what to do: free space on the device holding `root` (or make it writable), then
// `rerun`; finished work is kept. Other errors, and errors already advised, are returned
// unchanged.
Error WithDiskAdvice(Error error, const std::filesystem::path& root, std::string_view rerun);

}  // namespace sg::run
