// RunSubprocess: the loop that feeds a child's stdin, collects its outputs and reaps it.
#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "core/subprocess.h"

namespace sg {
namespace {

using Clock = std::chrono::steady_clock;

// After the child has ended, how long output is still read from descriptors that a
// process outside its group may hold open.
constexpr std::chrono::milliseconds kDrainAfterExit{2000};
// Poll interval for the child's end where pidfd_open is not available.
constexpr std::chrono::milliseconds kExitPollTick{20};

std::string ErrnoText(int err) { return std::error_code(err, std::generic_category()).message(); }

int OpenPidfd(pid_t pid) {
#ifdef SYS_pidfd_open
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
#else
  return -1;
#endif
}

void SetNonBlocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

// Reads what `fd` has into `sink` (at most `cap` bytes kept); false at EOF or on an error.
bool ReadAvailable(int fd, std::string& sink, size_t cap, bool& truncated) {
  char buf[64 * 1024];
  for (int i = 0; i < 16; ++i) {  // at most 1 MiB per call, so the other fds get their turn
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) {
      size_t room = cap > sink.size() ? cap - sink.size() : 0;
      size_t take = std::min(room, static_cast<size_t>(n));
      sink.append(buf, take);
      if (take < static_cast<size_t>(n)) truncated = true;
      continue;
    }
    if (n == 0) return false;
    if (errno == EINTR) continue;
    return errno == EAGAIN || errno == EWOULDBLOCK;
  }
  return true;
}

}  // namespace

ssize_t WriteWithoutSigpipe(int fd, std::string_view data) {
  sigset_t pipe_set, old_set, pending;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
  sigemptyset(&pending);
  sigpending(&pending);
  const bool was_pending = sigismember(&pending, SIGPIPE) == 1;
  ssize_t n = ::write(fd, data.data(), data.size());
  int err = errno;
  if (n < 0 && err == EPIPE && !was_pending) {
    timespec zero{0, 0};
    sigtimedwait(&pipe_set, nullptr, &zero);
  }
  pthread_sigmask(SIG_SETMASK, &old_set, nullptr);
  errno = err;
  return n;
}

std::string SubprocessResult::Describe() const {
  if (timed_out) return "timed out and killed";
  if (signal != 0) return fmt::format("signal {}", signal);
  return fmt::format("exit status {}", exit_code);
}

Result<SubprocessResult> RunSubprocess(const SpawnOptions& spawn, const RunOptions& run) {
  const auto start = Clock::now();
  SG_ASSIGN_OR_RETURN(Subprocess child, Spawn(spawn));
  std::optional<Clock::time_point> deadline;
  if (run.timeout) deadline = start + *run.timeout;
  UniqueFd pidfd(OpenPidfd(child.pid()));
  UniqueFd& in = child.stdin_pipe();
  UniqueFd& out = child.stdout_pipe();
  UniqueFd& err = child.stderr_pipe();
  for (UniqueFd* fd : {&in, &out, &err}) {
    if (*fd) SetNonBlocking(fd->get());
  }
  std::string_view pending = run.stdin_text;
  if (pending.empty()) in.reset();

  SubprocessResult result;
  bool ended = false;
  std::optional<Clock::time_point> drain_until;
  while (true) {
    if (!ended && child.Ended()) {
      ended = true;
      // The zombie still holds its group id: the group can be killed without a reuse race.
      if (run.kill_group_on_exit) child.KillGroup();
      in.reset();
      drain_until = Clock::now() + kDrainAfterExit;
    }
    if (ended && !out && !err) break;
    const auto now = Clock::now();
    if (deadline && now >= *deadline) {
      result.timed_out = !ended;
      break;
    }
    if (drain_until && now >= *drain_until) break;

    std::vector<pollfd> fds;
    if (out) fds.push_back({out.get(), POLLIN, 0});
    if (err) fds.push_back({err.get(), POLLIN, 0});
    if (in) fds.push_back({in.get(), POLLOUT, 0});
    if (!ended && pidfd) fds.push_back({pidfd.get(), POLLIN, 0});
    std::optional<Clock::duration> wait;
    if (deadline) wait = *deadline - now;
    if (drain_until) wait = std::min(wait.value_or(*drain_until - now), *drain_until - now);
    if (!ended && !pidfd)
      wait = std::min<Clock::duration>(wait.value_or(kExitPollTick), kExitPollTick);
    int wait_ms = -1;
    if (wait) {
      wait_ms = static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(*wait).count());
    }
    int ready = ::poll(fds.data(), fds.size(), wait_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) {
      return IoError(fmt::format("waiting for {}: poll: {}", child.program(), ErrnoText(errno)));
    }
    for (const pollfd& p : fds) {
      if (p.revents == 0) continue;
      if (out && p.fd == out.get()) {
        if (!ReadAvailable(p.fd, result.stdout_text, run.stdout_cap, result.stdout_truncated)) {
          out.reset();
        }
      } else if (err && p.fd == err.get()) {
        if (!ReadAvailable(p.fd, result.stderr_text, run.stderr_cap, result.stderr_truncated)) {
          err.reset();
        }
      } else if (in && p.fd == in.get()) {
        ssize_t n = WriteWithoutSigpipe(p.fd, pending);
        if (n > 0) pending.remove_prefix(static_cast<size_t>(n));
        // EPIPE and the like: the child stopped reading, which is its right.
        if ((n < 0 && errno != EAGAIN && errno != EINTR) || pending.empty()) in.reset();
      }
    }
  }
  if (!ended) child.KillGroup();
  in.reset();
  out.reset();
  err.reset();
  int status = child.Wait();
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  return result;
}

}  // namespace sg
