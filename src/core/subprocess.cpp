#include "core/subprocess.h"

#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <system_error>
#include <utility>

namespace sg {
namespace {

std::string ErrnoText(int err) { return std::error_code(err, std::generic_category()).message(); }

// ---------------------------------------------------------------- before fork

bool IsExecutableFile(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// `name` itself when it holds a '/', else the first executable `dir/name` of `search_path`
// (an empty entry is the working directory, as for execvp); "" when there is none.
std::string ResolveProgram(const std::string& name, const std::string& search_path) {
  if (name.find('/') != std::string::npos) return name;
  std::string_view rest = search_path;
  while (true) {
    size_t colon = rest.find(':');
    std::string_view dir = rest.substr(0, colon);
    std::string candidate = (dir.empty() ? std::string(".") : std::string(dir)) + "/" + name;
    if (IsExecutableFile(candidate)) return candidate;
    if (colon == std::string_view::npos) return "";
    rest.remove_prefix(colon + 1);
  }
}

// ------------------------------------------- in the child: async-signal-safe calls only

// What the child does between fork and exec, all of it prepared by the parent.
struct ChildPlan {
  const char* program = nullptr;
  char* const* argv = nullptr;
  char* const* envp = nullptr;
  const char* cwd = nullptr;  // nullptr: stay in the parent's
  ProcessGroup group = ProcessGroup::kNewGroup;
  const ChildLimit* limits = nullptr;
  size_t limit_count = 0;
  const int* pid_fds = nullptr;
  size_t pid_fd_count = 0;
  // The child's descriptor targets[i] becomes a copy of the parent's sources[i]; targets
  // ascend, start with 0, 1, 2, and are all below `first_free`.
  const int* sources = nullptr;
  const int* targets = nullptr;
  int* moved = nullptr;  // scratch, one per source
  size_t fd_count = 0;
  int first_free = 3;
  int status_fd = -1;  // write end of the status pipe (O_CLOEXEC)
  bool skip_close_range = false;
};

void WriteAllRaw(int fd, const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    p += n;
    size -= static_cast<size_t>(n);
  }
}

// Reports errno and the failed step to the parent through the status pipe, then exits.
[[noreturn]] void ChildFail(int status_fd, const char* step) {
  int err = errno;
  WriteAllRaw(status_fd, &err, sizeof err);
  WriteAllRaw(status_fd, step, ::strlen(step));
  ::_exit(127);
}

size_t FormatPid(pid_t pid, char* buf) {
  char digits[24];
  size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + pid % 10);
    pid /= 10;
  } while (pid > 0);
  for (size_t i = 0; i < n; ++i) buf[i] = digits[n - 1 - i];
  buf[n] = '\n';
  return n + 1;
}

bool CloseRangeSyscall(unsigned first, unsigned last) {
#ifdef SYS_close_range
  return ::syscall(SYS_close_range, first, last, 0) == 0;
#else
  errno = ENOSYS;
  return false;
#endif
}

bool IsKept(int fd, const ChildPlan& plan) {
  if (fd == plan.status_fd) return true;
  for (size_t i = 0; i < plan.fd_count; ++i) {
    if (plan.targets[i] == fd) return true;
  }
  return false;
}

// The fields of the kernel's struct linux_dirent64 that the walk reads.
struct Dirent64 {
  std::uint64_t ino;
  std::int64_t off;
  unsigned short reclen;
  unsigned char type;
  char name[1];
};

// Closes every descriptor but the plan's targets and its status pipe: close_range over
// the gaps, else a walk of /proc/self/fd (getdents64 into a stack buffer: no malloc),
// else every number below RLIMIT_NOFILE.
void CloseOthers(const ChildPlan& plan) {
  if (!plan.skip_close_range) {
    bool ok = true;
    unsigned from = 0;
    for (size_t i = 0; i <= plan.fd_count; ++i) {
      int keep = i < plan.fd_count ? plan.targets[i] : plan.status_fd;
      if (static_cast<unsigned>(keep) > from) ok = CloseRangeSyscall(from, keep - 1) && ok;
      from = static_cast<unsigned>(keep) + 1;
    }
    if (ok && CloseRangeSyscall(from, ~0U)) return;
  }
  int dir = ::open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) {
    struct rlimit rl {};
    rlim_t max = ::getrlimit(RLIMIT_NOFILE, &rl) == 0 ? rl.rlim_cur : 1024;
    if (max == RLIM_INFINITY || max > (1u << 20)) max = 1u << 20;
    for (int fd = 3; static_cast<rlim_t>(fd) < max; ++fd) {
      if (!IsKept(fd, plan)) ::close(fd);
    }
    return;
  }
  alignas(8) char buf[4096];
  while (true) {
    long n = ::syscall(SYS_getdents64, dir, buf, sizeof buf);
    if (n <= 0) break;
    for (long at = 0; at < n;) {
      const auto* entry = reinterpret_cast<const Dirent64*>(buf + at);
      at += entry->reclen;
      const char* name = buf + (at - entry->reclen) + offsetof(Dirent64, name);
      int fd = 0;
      bool number = *name != '\0';
      for (const char* c = name; *c != '\0'; ++c) {
        if (*c < '0' || *c > '9') number = false;
        fd = fd * 10 + (*c - '0');
      }
      // /proc/self/fd lists by number: closing an entry does not disturb the walk.
      if (number && fd != dir && !IsKept(fd, plan)) ::close(fd);
    }
  }
  ::close(dir);
}

[[noreturn]] void RunChild(const ChildPlan& plan) {
  int status_fd = plan.status_fd;
  // Default dispositions and an empty mask: an ignored SIGPIPE or a blocked SIGTERM of
  // this process is not the child's business.
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  for (int sig = 1; sig < NSIG; ++sig) ::sigaction(sig, &dfl, nullptr);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);

  if (plan.group == ProcessGroup::kNewGroup && ::setpgid(0, 0) != 0) {
    ChildFail(status_fd, "setpgid");
  }
  if (plan.group == ProcessGroup::kNewSession && ::setsid() < 0) ChildFail(status_fd, "setsid");
  for (size_t i = 0; i < plan.pid_fd_count; ++i) {
    char buf[32];
    size_t n = FormatPid(::getpid(), buf);
    if (::write(plan.pid_fds[i], buf, n) < 0) {
      ChildFail(status_fd, "writing its pid to a cgroup.procs descriptor");
    }
  }
  for (size_t i = 0; i < plan.limit_count; ++i) {
    struct rlimit rl {
      plan.limits[i].value, plan.limits[i].value
    };
    if (::setrlimit(plan.limits[i].resource, &rl) == 0) continue;
    struct rlimit current {};
    if (::getrlimit(plan.limits[i].resource, &current) != 0 ||
        current.rlim_max > plan.limits[i].value) {
      ChildFail(status_fd, "setrlimit");
    }
  }
  // Every source first moves above every target, so that no dup2 below lands on a source
  // still to be copied; the copies are closed with everything else.
  status_fd = ::fcntl(plan.status_fd, F_DUPFD_CLOEXEC, plan.first_free);
  if (status_fd < 0) ChildFail(plan.status_fd, "moving the status pipe");
  for (size_t i = 0; i < plan.fd_count; ++i) {
    plan.moved[i] = ::fcntl(plan.sources[i], F_DUPFD_CLOEXEC, plan.first_free);
    if (plan.moved[i] < 0) ChildFail(status_fd, "duplicating a descriptor");
  }
  for (size_t i = 0; i < plan.fd_count; ++i) {
    if (::dup2(plan.moved[i], plan.targets[i]) < 0) ChildFail(status_fd, "dup2");
  }
  ChildPlan kept = plan;
  kept.status_fd = status_fd;
  CloseOthers(kept);
  if (plan.cwd != nullptr && ::chdir(plan.cwd) != 0) {
    ChildFail(status_fd, "chdir to the working directory");
  }
  ::execve(plan.program, plan.argv, plan.envp);
  ChildFail(status_fd, "exec");
}

int EncodeLostStatus() { return 255 << 8; }  // exit status 255: someone else reaped it

}  // namespace

// ---------------------------------------------------------------- Subprocess

Subprocess::~Subprocess() { Reset(); }

Subprocess::Subprocess(Subprocess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      reaped_(other.reaped_),
      status_(other.status_),
      own_group_(other.own_group_),
      program_(std::move(other.program_)),
      stdin_(std::move(other.stdin_)),
      stdout_(std::move(other.stdout_)),
      stderr_(std::move(other.stderr_)) {}

Subprocess& Subprocess::operator=(Subprocess&& other) noexcept {
  if (this != &other) {
    Reset();
    pid_ = std::exchange(other.pid_, -1);
    reaped_ = other.reaped_;
    status_ = other.status_;
    own_group_ = other.own_group_;
    program_ = std::move(other.program_);
    stdin_ = std::move(other.stdin_);
    stdout_ = std::move(other.stdout_);
    stderr_ = std::move(other.stderr_);
  }
  return *this;
}

void Subprocess::Reset() {
  stdin_.reset();
  if (pid_ > 0 && !reaped_) {
    KillGroup();
    Wait();
  }
  stdout_.reset();
  stderr_.reset();
  pid_ = -1;
}

bool Subprocess::Ended() {
  if (pid_ <= 0 || reaped_) return true;
  siginfo_t info{};
  int r;
  do {
    r = ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT);
  } while (r < 0 && errno == EINTR);
  if (r < 0) return true;  // ECHILD: not ours to wait for any more
  return info.si_pid == pid_;
}

std::optional<int> Subprocess::TryWait() {
  if (reaped_) return status_;
  if (pid_ <= 0) return std::nullopt;
  int status = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &status, WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r == 0) return std::nullopt;
  reaped_ = true;
  status_ = r == pid_ ? status : EncodeLostStatus();
  return status_;
}

int Subprocess::Wait() {
  if (reaped_ || pid_ <= 0) return status_;
  int status = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &status, 0);
  } while (r < 0 && errno == EINTR);
  reaped_ = true;
  status_ = r == pid_ ? status : EncodeLostStatus();
  return status_;
}

void Subprocess::Signal(int sig) {
  if (pid_ > 0 && !reaped_) ::kill(pid_, sig);
}

void Subprocess::KillGroup() {
  // Once the child is reaped its pid, and so its group id, may be reused: nothing is sent.
  if (pid_ <= 0 || reaped_) return;
  if (own_group_) ::killpg(pid_, SIGKILL);
  ::kill(pid_, SIGKILL);
}

pid_t Subprocess::ReleasePid() {
  pid_t pid = reaped_ ? -1 : pid_;
  pid_ = -1;
  return pid;
}

// ---------------------------------------------------------------- Spawn

Result<Subprocess> Spawn(const SpawnOptions& options) {
  if (options.argv.empty()) {
    return InvalidArgument("cannot start a process: the command line is empty");
  }
  const std::string& name = options.argv[0];
  std::string search_path = options.search_path;
  if (search_path.empty()) {
    const char* path = std::getenv("PATH");
    search_path = path != nullptr && *path != '\0' ? path : "/usr/bin:/bin";
  }
  std::string program = ResolveProgram(name, search_path);
  if (program.empty()) {
    return NotFound(fmt::format("cannot start '{}': no executable of that name on PATH ({})", name,
                                search_path));
  }
  const ChildStream streams[3] = {options.stdin_stream, options.stdout_stream,
                                  options.stderr_stream};
  for (int i = 0; i < 3; ++i) {
    if (streams[i].kind == ChildStream::Kind::kStdout && i != 2) {
      return InvalidArgument(
          fmt::format("cannot start {}: only stderr can be the same as stdout", program));
    }
    if (streams[i].kind == ChildStream::Kind::kFd && streams[i].fd < 0) {
      return InvalidArgument(fmt::format("cannot start {}: standard stream {} is given fd {}",
                                         program, i, streams[i].fd));
    }
  }
  for (size_t i = 0; i < options.inherit.size(); ++i) {
    const InheritedFd& fd = options.inherit[i];
    bool repeated = false;
    for (size_t j = 0; j < i; ++j) repeated |= options.inherit[j].child_fd == fd.child_fd;
    if (fd.parent_fd < 0 || fd.child_fd < 3 || repeated) {
      return InvalidArgument(
          fmt::format("cannot start {}: inherited fd {} as the child's fd {}: it must be an open "
                      "descriptor given a number of 3 or above that no other inherited fd has",
                      program, fd.parent_fd, fd.child_fd));
    }
  }

  std::vector<char*> argv;
  for (const std::string& a : options.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const std::string& e : options.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  const std::string cwd = options.cwd.string();

  // Every descriptor made here is owned by a UniqueFd: each return closes them all.
  UniqueFd devnull;
  for (const ChildStream& s : streams) {
    if (s.kind != ChildStream::Kind::kNull || devnull) continue;
    devnull.reset(::open("/dev/null", O_RDWR | O_CLOEXEC));
    if (!devnull) {
      return IoError(
          fmt::format("cannot start {}: opening /dev/null: {}", program, ErrnoText(errno)));
    }
  }
  UniqueFd child_end[3], parent_end[3];
  for (int i = 0; i < 3; ++i) {
    if (streams[i].kind != ChildStream::Kind::kPipe) continue;
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
      return IoError(fmt::format("cannot start {}: pipe: {}", program, ErrnoText(errno)));
    }
    // fds[0] reads, fds[1] writes: the child reads its stdin and writes its outputs.
    child_end[i].reset(fds[i == 0 ? 0 : 1]);
    parent_end[i].reset(fds[i == 0 ? 1 : 0]);
  }
  UniqueFd status_read, status_write;
  {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
      return IoError(fmt::format("cannot start {}: pipe: {}", program, ErrnoText(errno)));
    }
    status_read.reset(fds[0]);
    status_write.reset(fds[1]);
  }

  std::vector<std::pair<int, int>> layout;  // (target, source)
  for (int i = 0; i < 3; ++i) {
    int source = -1;
    switch (streams[i].kind) {
      case ChildStream::Kind::kNull:
        source = devnull.get();
        break;
      case ChildStream::Kind::kPipe:
        source = child_end[i].get();
        break;
      case ChildStream::Kind::kFd:
        source = streams[i].fd;
        break;
      case ChildStream::Kind::kStdout:
        source = layout[1].second;
        break;
    }
    layout.emplace_back(i, source);
  }
  for (const InheritedFd& fd : options.inherit) layout.emplace_back(fd.child_fd, fd.parent_fd);
  std::sort(layout.begin(), layout.end());
  std::vector<int> targets, sources, moved(layout.size(), -1);
  for (const auto& [target, source] : layout) {
    targets.push_back(target);
    sources.push_back(source);
  }

  ChildPlan plan;
  plan.program = program.c_str();
  plan.argv = argv.data();
  plan.envp = envp.data();
  plan.cwd = cwd.empty() ? nullptr : cwd.c_str();
  plan.group = options.group;
  plan.limits = options.limits.data();
  plan.limit_count = options.limits.size();
  plan.pid_fds = options.write_pid_to.data();
  plan.pid_fd_count = options.write_pid_to.size();
  plan.sources = sources.data();
  plan.targets = targets.data();
  plan.moved = moved.data();
  plan.fd_count = layout.size();
  plan.first_free = targets.back() + 1;
  plan.status_fd = status_write.get();
  plan.skip_close_range = options.seams.skip_close_range;

  pid_t pid = options.seams.fork_fn != nullptr ? options.seams.fork_fn() : ::fork();
  if (pid < 0) {
    return IoError(fmt::format("cannot start {}: fork failed: {}", program, ErrnoText(errno)));
  }
  if (pid == 0) RunChild(plan);

  // The child's ends are the child's now; the status pipe reaches EOF at its exec.
  status_write.reset();
  devnull.reset();
  for (UniqueFd& fd : child_end) fd.reset();
  char report[256];
  size_t got = 0;
  while (got < sizeof report) {
    ssize_t n = ::read(status_read.get(), report + got, sizeof report - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  Subprocess child;
  child.pid_ = pid;
  child.own_group_ = options.group != ProcessGroup::kInherit;
  child.program_ = program;
  if (got >= sizeof(int)) {
    child.Wait();  // it exits with 127 at once
    int err = 0;
    ::memcpy(&err, report, sizeof err);
    std::string step(report + sizeof err, got - sizeof err);
    bool missing =
        (err == ENOENT || err == ENOTDIR) && (step == "exec" || step.rfind("chdir", 0) == 0);
    std::string where = cwd.empty() ? "" : " in " + cwd;
    return Error(
        missing ? ErrorCode::kNotFound : ErrorCode::kIo,
        fmt::format("cannot start {}{}: {} failed: {}", program, where, step, ErrnoText(err)));
  }
  child.stdin_ = std::move(parent_end[0]);
  child.stdout_ = std::move(parent_end[1]);
  child.stderr_ = std::move(parent_end[2]);
  return child;
}

}  // namespace sg
