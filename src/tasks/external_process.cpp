#include "tasks/external_process.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sg::tasks {
namespace {

void CloseFd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

// write(2) to a pipe whose reader is gone without raising SIGPIPE in this process: the
// signal is blocked for this thread during the write and a pending one is consumed.
ssize_t WriteNoSigpipe(int fd, const char* data, size_t size) {
  sigset_t pipe_set, old_set;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
  ssize_t w = write(fd, data, size);
  int saved = errno;
  if (w < 0 && errno == EPIPE) {
    timespec zero{0, 0};
    sigtimedwait(&pipe_set, nullptr, &zero);
  }
  pthread_sigmask(SIG_SETMASK, &old_set, nullptr);
  errno = saved;
  return w;
}

}  // namespace

Result<ProcessResult> RunProcess(const std::vector<std::string>& argv,
                                 const std::filesystem::path& working_dir,
                                 const std::string& stdin_text, std::chrono::milliseconds timeout,
                                 size_t output_cap) {
  if (argv.empty()) return InvalidArgument("empty command");
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0) return IoError(std::string("pipe: ") + strerror(errno));
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    close(in_pipe[0]);
    close(in_pipe[1]);
    return IoError(std::string("pipe: ") + strerror(errno));
  }
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1]}) close(fd);
    return IoError(std::string("pipe: ") + strerror(errno));
  }
  // An exec failure is reported through this pipe (closed on a successful exec).
  int exec_pipe[2];
  if (pipe2(exec_pipe, O_CLOEXEC) != 0) {
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) {
      close(fd);
    }
    return IoError(std::string("pipe: ") + strerror(errno));
  }
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::string dir = working_dir.string();

  pid_t pid = fork();
  if (pid < 0) return IoError(std::string("fork: ") + strerror(errno));
  if (pid == 0) {
    setpgid(0, 0);
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    if (!dir.empty() && chdir(dir.c_str()) != 0) {
      int e = errno;
      (void)!write(exec_pipe[1], &e, sizeof e);
      _exit(127);
    }
    signal(SIGPIPE, SIG_DFL);
    execvp(args[0], args.data());
    int e = errno;
    (void)!write(exec_pipe[1], &e, sizeof e);
    _exit(127);
  }
  setpgid(pid, pid);  // also from the parent, so killpg works whichever runs first
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  close(exec_pipe[1]);
  int exec_errno = 0;
  ssize_t got = read(exec_pipe[0], &exec_errno, sizeof exec_errno);
  close(exec_pipe[0]);
  if (got == static_cast<ssize_t>(sizeof exec_errno)) {
    close(in_pipe[1]);
    close(out_pipe[0]);
    close(err_pipe[0]);
    waitpid(pid, nullptr, 0);
    return NotFound("cannot run '" + argv[0] + "' in " + dir + ": " + strerror(exec_errno));
  }

  int fds[3] = {in_pipe[1], out_pipe[0], err_pipe[0]};
  for (int fd : fds) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  ProcessResult result;
  size_t written = 0;
  if (stdin_text.empty()) CloseFd(fds[0]);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[65536];
  while (fds[1] >= 0 || fds[2] >= 0) {
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      result.timed_out = true;
      break;
    }
    pollfd pfds[3];
    int n = 0;
    for (int i = 0; i < 3; ++i) {
      if (fds[i] < 0) continue;
      pfds[n++] = {fds[i], static_cast<short>(i == 0 ? POLLOUT : POLLIN), 0};
    }
    int wait_ms =
        static_cast<int>(
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count()) +
        1;
    if (poll(pfds, n, wait_ms) < 0 && errno != EINTR) break;
    for (int k = 0; k < n; ++k) {
      if (!pfds[k].revents) continue;
      int i = pfds[k].fd == fds[0] ? 0 : pfds[k].fd == fds[1] ? 1 : 2;
      if (i == 0) {
        ssize_t w =
            WriteNoSigpipe(fds[0], stdin_text.data() + written, stdin_text.size() - written);
        if (w > 0) written += static_cast<size_t>(w);
        if (w < 0 && errno != EAGAIN) CloseFd(fds[0]);  // the grader stopped reading
        if (written == stdin_text.size()) CloseFd(fds[0]);
        continue;
      }
      ssize_t r = read(fds[i], buf, sizeof buf);
      if (r > 0) {
        std::string& sink = i == 1 ? result.stdout_text : result.stderr_text;
        size_t room = output_cap > sink.size() ? output_cap - sink.size() : 0;
        sink.append(buf, std::min(room, static_cast<size_t>(r)));
      } else if (r == 0 || errno != EAGAIN) {
        CloseFd(fds[i]);
      }
    }
  }
  for (int& fd : fds) CloseFd(fd);
  if (result.timed_out) killpg(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  // Children the grader left behind in its group go too.
  killpg(pid, SIGKILL);
  return result;
}

}  // namespace sg::tasks
