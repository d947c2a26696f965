#include "sandbox/spawn.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <utility>

#include "core/subprocess.h"
#include "core/unique_fd.h"

namespace sg::sandbox {
namespace {

void CloseFd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

void SetNonBlocking(int fd) {
  int flags = fcntl(fd, F_GETFL);
  fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

std::string ErrnoText(int err) { return std::error_code(err, std::generic_category()).message(); }

}  // namespace

Result<SpawnedProcess> Spawn(const SpawnSpec& spec) {
  if (spec.argv.empty()) return InvalidArgument("sandbox spawn: empty command line");
  SpawnOptions options;
  options.argv = spec.argv;
  options.env = spec.env;
  options.cwd = spec.cwd;
  options.group = ProcessGroup::kNewSession;
  options.write_pid_to = spec.cgroup_procs_fds;
  options.limits = {{RLIMIT_AS, static_cast<rlim_t>(spec.limits.address_space_bytes)},
                    {RLIMIT_CPU, static_cast<rlim_t>(spec.limits.cpu_seconds)},
                    {RLIMIT_FSIZE, static_cast<rlim_t>(spec.limits.file_size_bytes)},
                    {RLIMIT_CORE, 0}};
  if (spec.set_nproc_rlimit) {
    options.limits.push_back({RLIMIT_NPROC, static_cast<rlim_t>(spec.limits.max_processes)});
  }
  options.stdin_stream = spec.with_stdin ? ChildStream::Pipe() : ChildStream::Null();
  options.stdout_stream = ChildStream::Pipe();
  options.stderr_stream = ChildStream::Pipe();

  // fd 3: the control pipe, or /dev/null when fd 4 is given and fd 3 is not; fd 4: the
  // inherited descriptor. Every other descriptor is closed in the child.
  UniqueFd control_read, control_write, devnull;
  if (spec.with_control) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
      return IoError(fmt::format("sandbox spawn: cannot create pipes: {}", ErrnoText(errno)));
    }
    control_read.reset(fds[0]);
    control_write.reset(fds[1]);
    options.inherit.push_back({control_write.get(), 3});
  } else if (spec.inherit_fd >= 0) {
    devnull.reset(open("/dev/null", O_RDWR | O_CLOEXEC));
    if (!devnull) {
      return IoError(fmt::format("sandbox spawn: cannot open /dev/null: {}", ErrnoText(errno)));
    }
    options.inherit.push_back({devnull.get(), 3});
  }
  if (spec.inherit_fd >= 0) options.inherit.push_back({spec.inherit_fd, kInheritedFd});

  auto spawned = sg::Spawn(options);
  if (!spawned.ok()) return IoError("sandbox spawn: " + spawned.error().message);
  Subprocess& child = *spawned;
  SpawnedProcess proc;
  proc.stdin_fd = child.stdin_pipe().release();
  proc.stdout_fd = child.stdout_pipe().release();
  proc.stderr_fd = child.stderr_pipe().release();
  proc.control_fd = control_read.release();
  // From here the caller owns the child: it kills and reaps the tree itself.
  proc.pid = child.ReleasePid();
  SetNonBlocking(proc.stdout_fd);
  SetNonBlocking(proc.stderr_fd);
  if (proc.control_fd >= 0) SetNonBlocking(proc.control_fd);
  if (proc.stdin_fd >= 0) SetNonBlocking(proc.stdin_fd);
  return proc;
}

void CloseFds(SpawnedProcess& process) {
  CloseFd(process.stdin_fd);
  CloseFd(process.stdout_fd);
  CloseFd(process.stderr_fd);
  CloseFd(process.control_fd);
}

}  // namespace sg::sandbox
