// Whole-file reads and crash-safe writes. An atomic write goes to a temporary file in
// the same directory (named by TempPathFor, temp_files.h), is flushed with fsync, then
// renamed over the target, so a reader (or a run resumed after SIGKILL) sees either the old
// content or the new, never half.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/error.h"

namespace sg {

Result<std::string> ReadFile(const std::filesystem::path& path);

// Creates parent directories as needed.
Status WriteFileAtomic(const std::filesystem::path& path, std::string_view content);

// Appends one line (a '\n' is added) with a single write(2) on an O_APPEND descriptor,
// then fsyncs; concurrent appenders from several threads or processes do not interleave
// within a line as long as lines stay under PIPE_BUF-like sizes the kernel writes whole.
Status AppendLine(const std::filesystem::path& path, std::string_view line);

Status MakeDirs(const std::filesystem::path& path);

// std::filesystem::canonical as a value: the error names `what` and the path (a folder moved
// away during a run must fail the step that needs it, never throw out of a worker thread).
Result<std::filesystem::path> CanonicalPath(const std::filesystem::path& path,
                                            std::string_view what);

}  // namespace sg
