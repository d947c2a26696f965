#include "sandbox/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace sg::sandbox {
namespace {

struct Pipe {
  int read = -1;
  int write = -1;
};

bool MakePipe(Pipe& p) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return false;
  p.read = fds[0];
  p.write = fds[1];
  return true;
}

void CloseFd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

void SetNonBlocking(int fd) {
  int flags = fcntl(fd, F_GETFL);
  fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

// Async-signal-safe helpers for the child.
void WriteAllRaw(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    data += n;
    size -= static_cast<size_t>(n);
  }
}

[[noreturn]] void ChildFail(int error_fd, const char* step) {
  int err = errno;
  WriteAllRaw(error_fd, reinterpret_cast<const char*>(&err), sizeof(err));
  WriteAllRaw(error_fd, step, strlen(step));
  _exit(127);
}

size_t FormatPid(pid_t pid, char* buf) {
  char tmp[24];
  size_t n = 0;
  do {
    tmp[n++] = static_cast<char>('0' + pid % 10);
    pid /= 10;
  } while (pid > 0);
  for (size_t i = 0; i < n; ++i) buf[i] = tmp[n - 1 - i];
  buf[n] = '\n';
  return n + 1;
}

void CloseRange(unsigned first, unsigned last) {
#ifdef SYS_close_range
  if (syscall(SYS_close_range, first, last, 0) == 0) return;
#endif
  for (unsigned fd = first; fd <= last && fd < 4096; ++fd) close(static_cast<int>(fd));
}

void SetLimit(int resource, rlim_t value) {
  struct rlimit rl;
  rl.rlim_cur = value;
  rl.rlim_max = value;
  setrlimit(resource, &rl);
}

}  // namespace

Result<SpawnedProcess> Spawn(const SpawnSpec& spec) {
  if (spec.argv.empty()) return InvalidArgument("sandbox spawn: empty command line");
  std::vector<char*> argv;
  for (const auto& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const auto& e : spec.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  std::string cwd = spec.cwd.string();

  Pipe in, out, err, ctl, status;
  bool ok = MakePipe(out) && MakePipe(err) && MakePipe(status) &&
            (!spec.with_stdin || MakePipe(in)) && (!spec.with_control || MakePipe(ctl));
  int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (!ok || devnull < 0) {
    int e = errno;
    for (Pipe* p : {&in, &out, &err, &ctl, &status}) {
      CloseFd(p->read);
      CloseFd(p->write);
    }
    CloseFd(devnull);
    return IoError(fmt::format("sandbox spawn: cannot create pipes: {}", strerror(e)));
  }

  pid_t pid = fork();
  if (pid < 0) {
    int e = errno;
    for (Pipe* p : {&in, &out, &err, &ctl, &status}) {
      CloseFd(p->read);
      CloseFd(p->write);
    }
    CloseFd(devnull);
    return IoError(fmt::format("sandbox spawn: fork failed: {}", strerror(e)));
  }
  if (pid == 0) {
    // Child: only async-signal-safe calls from here on.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int sig = 1; sig < NSIG; ++sig) signal(sig, SIG_DFL);
    if (setsid() < 0) ChildFail(status.write, "setsid");
    for (int procs_fd : spec.cgroup_procs_fds) {
      char buf[32];
      size_t n = FormatPid(getpid(), buf);
      if (write(procs_fd, buf, n) < 0) ChildFail(status.write, "joining the tree's cgroup");
    }
    SetLimit(RLIMIT_AS, spec.limits.address_space_bytes);
    SetLimit(RLIMIT_CPU, spec.limits.cpu_seconds);
    SetLimit(RLIMIT_FSIZE, spec.limits.file_size_bytes);
    SetLimit(RLIMIT_CORE, 0);
    if (spec.set_nproc_rlimit) SetLimit(RLIMIT_NPROC, spec.limits.max_processes);
    if (dup2(spec.with_stdin ? in.read : devnull, 0) < 0 || dup2(out.write, 1) < 0 ||
        dup2(err.write, 2) < 0) {
      ChildFail(status.write, "dup2");
    }
    // The status pipe and the inherited descriptor move above the fixed slots first, so
    // that no dup2 below lands on them.
    int status_fd = fcntl(status.write, F_DUPFD_CLOEXEC, 16);
    if (status_fd < 0) ChildFail(status.write, "moving the status pipe");
    int inherit = spec.inherit_fd >= 0 ? fcntl(spec.inherit_fd, F_DUPFD, 16) : -1;
    if (spec.inherit_fd >= 0 && inherit < 0) ChildFail(status_fd, "moving the inherited fd");
    if (spec.with_control) {
      if (dup2(ctl.write, 3) < 0) ChildFail(status_fd, "dup2");
    }
    int first_closed = spec.with_control ? 4 : 3;
    if (inherit >= 0) {
      if (!spec.with_control && dup2(devnull, 3) < 0) ChildFail(status_fd, "dup2");
      if (dup2(inherit, kInheritedFd) < 0) ChildFail(status_fd, "dup2 of the inherited fd");
      first_closed = kInheritedFd + 1;
    }
    if (status_fd < first_closed) ChildFail(status_fd, "fd layout");
    // Close everything else except the status pipe (CLOEXEC: closes on a successful exec).
    if (status_fd > first_closed) CloseRange(first_closed, status_fd - 1);
    CloseRange(status_fd + 1, ~0u);
    if (chdir(cwd.c_str()) != 0) ChildFail(status_fd, "chdir to the workspace");
    execve(argv[0], argv.data(), envp.data());
    ChildFail(status_fd, "exec");
  }

  // Parent.
  CloseFd(status.write);
  CloseFd(in.read);
  CloseFd(out.write);
  CloseFd(err.write);
  CloseFd(ctl.write);
  CloseFd(devnull);
  int child_errno = 0;
  char step[128] = {0};
  ssize_t n;
  do {
    n = read(status.read, &child_errno, sizeof(child_errno));
  } while (n < 0 && errno == EINTR);
  if (n == sizeof(child_errno)) {
    ssize_t m = read(status.read, step, sizeof(step) - 1);
    if (m < 0) m = 0;
    step[m] = 0;
    CloseFd(status.read);
    CloseFd(in.write);
    CloseFd(out.read);
    CloseFd(err.read);
    CloseFd(ctl.read);
    waitpid(pid, nullptr, 0);
    return IoError(fmt::format("sandbox spawn of {}: {} failed: {}", spec.argv[0], step,
                               strerror(child_errno)));
  }
  CloseFd(status.read);
  SpawnedProcess proc;
  proc.pid = pid;
  proc.stdin_fd = in.write;
  proc.stdout_fd = out.read;
  proc.stderr_fd = err.read;
  proc.control_fd = ctl.read;
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
