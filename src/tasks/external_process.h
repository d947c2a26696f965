// Runs a grader command as a child process: its own process group, stdin fed from a
// string, stdout and stderr captured (each capped), a wall-clock timeout after which the
// whole process group is killed. Used by external benchmarks; graders never call a model.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"

namespace sg::tasks {

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;
  bool timed_out = false;
  std::string stdout_text;
  std::string stderr_text;
};

// `argv[0]` is looked up in PATH. The grader gets core/child_env.h's scrubbed environment
// (this process's PATH, HOME and TMPDIR in a temporary folder removed afterwards) and no
// descriptor but its three standard streams. An Error means it could not be started.
Result<ProcessResult> RunProcess(const std::vector<std::string>& argv,
                                 const std::filesystem::path& working_dir,
                                 const std::string& stdin_text, std::chrono::milliseconds timeout,
                                 size_t output_cap = 8 << 20);

}  // namespace sg::tasks
