// The one way this program starts another: fork + execve with an exact environment, a
// chosen working directory, and an exact set of descriptors (the three standard streams
// and the inherited ones listed; every other descriptor is closed in the child, whether
// or not it was opened with O_CLOEXEC). Everything the child needs is prepared before
// fork, so the child makes only async-signal-safe calls. A failure to start (no such
// program, a bad working directory, fork refused) comes back as an Error naming the
// program; RunSubprocess also runs the child to its end under a wall-clock timeout.
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/unique_fd.h"

namespace sg {

// What one of the child's standard streams is connected to.
struct ChildStream {
  enum class Kind {
    kNull,    // /dev/null
    kPipe,    // a pipe; the parent holds the other end (Subprocess::stdin_pipe(), ...)
    kFd,      // `fd`, a descriptor of the parent's (duplicated: the caller keeps its own)
    kStdout,  // stderr only: the same file as the child's stdout
  };
  Kind kind = Kind::kNull;
  int fd = -1;

  static ChildStream Null() { return {Kind::kNull, -1}; }
  static ChildStream Pipe() { return {Kind::kPipe, -1}; }
  static ChildStream Fd(int fd) { return {Kind::kFd, fd}; }
  static ChildStream SameAsStdout() { return {Kind::kStdout, -1}; }
};

// A descriptor of the parent's that the child holds as `child_fd` (3 or above).
struct InheritedFd {
  int parent_fd = -1;
  int child_fd = -1;
};

enum class ProcessGroup {
  kInherit,     // the parent's group: a signal to the parent's group reaches the child
  kNewGroup,    // setpgid(0, 0): the child and what it starts can be killed as one
  kNewSession,  // setsid(): a new group that also has no controlling terminal
};

// A resource limit set (soft and hard) in the child before exec. When the child may not
// set it, the start fails unless the limit it already has is at least as strict.
struct ChildLimit {
  int resource = 0;  // RLIMIT_*
  rlim_t value = 0;
};

// Substitutes for the failure paths' system calls, for tests.
struct SpawnSeams {
  pid_t (*fork_fn)() = nullptr;   // replaces fork(2), e.g. by one that fails with EAGAIN
  bool skip_close_range = false;  // the child closes descriptors by walking /proc/self/fd
};

struct SpawnOptions {
  // argv[0] is a path (relative ones resolve in `cwd`), or a name without '/' looked up
  // in `search_path` before fork.
  std::vector<std::string> argv;
  std::vector<std::string> env;  // "NAME=value": the child's whole environment
  std::filesystem::path cwd;     // empty: the parent's working directory
  ChildStream stdin_stream;      // each defaults to /dev/null
  ChildStream stdout_stream;
  ChildStream stderr_stream;
  std::vector<InheritedFd> inherit;  // numbers must differ from each other and be >= 3
  ProcessGroup group = ProcessGroup::kNewGroup;
  std::vector<ChildLimit> limits;
  // Descriptors (cgroup.procs files open for writing) the child writes its pid to before
  // exec, so that the process is in those cgroups from its first instruction.
  std::vector<int> write_pid_to;
  std::string search_path;  // ':'-separated; empty: this process's $PATH
  SpawnSeams seams;
};

// A started child. Destroying one whose child has not been reaped kills the child (and
// its group when it has one of its own) and reaps it: no child outlives its owner unless
// ReleasePid hands it on.
class Subprocess {
 public:
  Subprocess() = default;
  ~Subprocess();
  Subprocess(Subprocess&& other) noexcept;
  Subprocess& operator=(Subprocess&& other) noexcept;
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  pid_t pid() const { return pid_; }
  const std::string& program() const { return program_; }  // argv[0] as resolved
  bool has_own_group() const { return own_group_; }
  // The parent's ends of the kPipe streams (blocking; invalid for other kinds).
  UniqueFd& stdin_pipe() { return stdin_; }
  UniqueFd& stdout_pipe() { return stdout_; }
  UniqueFd& stderr_pipe() { return stderr_; }

  // True once the child has ended; it stays a zombie (its pid and group id stay taken)
  // until TryWait or Wait reaps it.
  bool Ended();
  // The wait status once the child has ended (it is then reaped); nullopt while it runs.
  std::optional<int> TryWait();
  // Blocks until the child ends; its wait status.
  int Wait();
  // Sends `sig` to the child alone (nothing once it is reaped).
  void Signal(int sig);
  // SIGKILL to the child's group when it has one of its own, and to the child.
  void KillGroup();
  // Hands the child to the caller, who must reap it; this object forgets it. The pipes
  // stay with this object.
  pid_t ReleasePid();

 private:
  friend Result<Subprocess> Spawn(const SpawnOptions& options);
  void Reset();

  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
  bool own_group_ = false;
  std::string program_;
  UniqueFd stdin_, stdout_, stderr_;
};

// Starts the child; returns once it has exec'd. Errors: an empty argv or a bad option
// (kInvalidArgument), a program not found or a missing working directory (kNotFound),
// any other failure before exec (kIo, naming the step and the errno).
Result<Subprocess> Spawn(const SpawnOptions& options);

struct RunOptions {
  std::string stdin_text;  // written to a kPipe stdin, which is then closed
  // Wall clock from the start; then the child's group (or the child) is killed.
  std::optional<std::chrono::milliseconds> timeout;
  // Bytes of each kPipe output kept; the rest is read and dropped, so the child never
  // blocks on a full pipe.
  size_t stdout_cap = 16u << 20;
  size_t stderr_cap = 16u << 20;
  // When the child ends, what it left running in its own group is killed too.
  bool kill_group_on_exit = true;
};

struct SubprocessResult {
  int exit_code = -1;  // -1 when ended by a signal
  int signal = 0;      // the terminating signal, or 0
  bool timed_out = false;
  std::string stdout_text;
  std::string stderr_text;
  bool stdout_truncated = false;
  bool stderr_truncated = false;

  // "exit status 3", "signal 9", or "timed out and killed".
  std::string Describe() const;
};

// Spawn, then feed stdin, collect the kPipe outputs and reap the child, within the
// timeout. Only a failure to start is an Error; a timeout is SubprocessResult::timed_out.
// Writes to a child that stopped reading never raise SIGPIPE in this process.
Result<SubprocessResult> RunSubprocess(const SpawnOptions& spawn, const RunOptions& run = {});

// write(2) to a pipe whose reader may be gone: -1 with errno EPIPE instead of a SIGPIPE that
// would end this process. SIGPIPE is blocked for the calling thread during the write, and the
// one the write raised (not one pending before) is consumed before the old mask comes back.
ssize_t WriteWithoutSigpipe(int fd, std::string_view data);

}  // namespace sg
