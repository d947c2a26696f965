// One process of the sandbox in a new session (its own process group), with resource
// limits, an exact environment, piped standard streams, an optional control pipe and an
// exact set of descriptors, started through core/subprocess.h (which prepares everything
// before fork, so that the child only makes async-signal-safe calls).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"
#include "sandbox/limits.h"

namespace sg::sandbox {

struct SpawnSpec {
  std::vector<std::string> argv;  // argv[0] is an absolute path
  std::vector<std::string> env;   // "NAME=value", the whole environment
  std::filesystem::path cwd;
  Limits limits;                 // rlimits only; the wall timeout is the caller's
  bool set_nproc_rlimit = true;  // RLIMIT_NPROC = limits.max_processes
  // cgroup.procs files open for writing: the child writes its pid to each before exec.
  std::vector<int> cgroup_procs_fds;
  bool with_stdin = false;    // else stdin is /dev/null
  bool with_control = false;  // a pipe from the child's fd 3 to the parent
  // When >= 0, this descriptor is the child's fd 4 (bwrap reads its seccomp program
  // there); every other descriptor above the standard ones and fd 3 is closed.
  int inherit_fd = -1;
};

// The child's descriptor number of SpawnSpec::inherit_fd.
inline constexpr int kInheritedFd = 4;

struct SpawnedProcess {
  pid_t pid = -1;
  int stdin_fd = -1;   // parent's write end, or -1
  int stdout_fd = -1;  // parent's read ends, non-blocking
  int stderr_fd = -1;
  int control_fd = -1;  // read end of the child's fd 3, or -1
};

// Starts the process; exec failures (missing binary, ...) come back as errors.
Result<SpawnedProcess> Spawn(const SpawnSpec& spec);

// Closes every fd of `process` that is still open and sets it to -1.
void CloseFds(SpawnedProcess& process);

}  // namespace sg::sandbox
