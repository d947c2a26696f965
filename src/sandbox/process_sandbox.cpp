#include "sandbox/process_sandbox.h"

#include <errno.h>
#include <fmt/format.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <system_error>

#include "core/log.h"
#include "core/subprocess.h"
#include "sandbox/environment.h"
#include "sandbox/memory_cgroup.h"
#include "sandbox/pids_cgroup.h"
#include "sandbox/proc_scan.h"
#include "sandbox/seccomp_filter.h"
#include "sandbox/spawn.h"
#include "sandbox/user_ids.h"
#include "sandbox/workspace_owner.h"
#include "sandbox/wrap_command.h"

namespace sg::sandbox {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::chrono::milliseconds kDrainAfterExit{2000};
constexpr std::chrono::milliseconds kWatcherTick{20};

int OpenPidfd(pid_t pid) {
#ifdef SYS_pidfd_open
  return static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
#else
  return -1;
#endif
}

void CloseFd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

// Reads what is available on `fd` into `sink`; false at EOF or on an error.
template <typename Sink>
bool ReadAvailable(int fd, Sink&& sink) {
  char buf[64 * 1024];
  for (int i = 0; i < 64; ++i) {  // at most 4 MiB per call, so other fds get their turn
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n > 0) {
      sink(std::string_view(buf, static_cast<size_t>(n)));
      continue;
    }
    if (n == 0) return false;
    if (errno == EINTR) continue;
    return errno == EAGAIN || errno == EWOULDBLOCK;
  }
  return true;
}

// One process tree: the wrapper process we spawned and everything below it.
class ProcessTree {
 public:
  // `drop_uid`: run the tree as the config's run-as uid (ProcessSandbox decides it once).
  ProcessTree(const Capabilities& caps, const Limits& limits, bool drop_uid)
      : caps_(caps), limits_(limits), drop_uid_(drop_uid) {}
  ~ProcessTree() {
    KillAll();
    CloseFds(proc_);
    CloseFd(pidfd_);
  }

  Status Launch(const SandboxConfig& config, const std::vector<std::string>& env,
                const std::vector<std::string>& argv, bool interactive) {
    auto cgroup = PidsCgroup::Create(limits_.max_processes);
    if (cgroup.ok()) {
      cgroup_ = std::move(cgroup).value();
    } else {
      log::Debug("sandbox: no pids cgroup: " + cgroup.error().message);
    }
    auto memory = MemoryCgroup::Create(limits_.tree_memory_bytes);
    if (memory.ok()) {
      memory_ = std::move(memory).value();
    } else {
      log::Debug("sandbox: no memory cgroup: " + memory.error().message);
    }
    SpawnSpec spec;
    WrapOptions wrap = WrapOptionsFor(config);
    int seccomp_fd = -1;
    if (wrap.seccomp_on_fd4) {
      SG_ASSIGN_OR_RETURN(seccomp_fd, CompiledSeccompFilter());
      spec.inherit_fd = seccomp_fd;
    }
    spec.argv = WrapCommand(caps_.backend, wrap, argv);
    spec.env = env;
    spec.cwd = config.workspace;
    spec.limits = limits_;
    spec.set_nproc_rlimit = !cgroup_ && geteuid() != 0;
    if (cgroup_) spec.cgroup_procs_fds.push_back(cgroup_->procs_fd());
    if (memory_) spec.cgroup_procs_fds.push_back(memory_->procs_fd());
    spec.with_stdin = interactive;
    spec.with_control = interactive;
    auto spawned = Spawn(spec);
    if (seccomp_fd >= 0) close(seccomp_fd);
    SG_ASSIGN_OR_RETURN(proc_, std::move(spawned));
    pidfd_ = OpenPidfd(proc_.pid);
    return Ok();
  }

  WrapOptions WrapOptionsFor(const SandboxConfig& config) const {
    WrapOptions wrap;
    wrap.workspace = config.workspace;
    wrap.read_only_paths = config.read_only_paths;
    wrap.unshare_net = caps_.network_isolated;
    if (drop_uid_) {
      wrap.run_as = std::make_pair(config.run_as_uid, config.run_as_gid);
    }
    wrap.seccomp_on_fd4 = caps_.backend == Backend::kBubblewrap;
    wrap.tmp_bytes = limits_.tmp_bytes;
    wrap.dev_shm_bytes = limits_.dev_shm_bytes;
    return wrap;
  }

  enum class End { kAnswered, kExited, kTimedOut, kProcessLimit };

  // Moves bytes between the tree and the caller until: `complete` accepts the control
  // bytes (when given), the tree has exited and its outputs are closed, or `deadline`.
  End Pump(std::string_view to_stdin, CappedOutput& out, CappedOutput& err, std::string* control,
           const std::function<bool(const std::string&)>* complete, Clock::time_point deadline) {
    bool watcher = caps_.pid_isolated && !cgroup_ && geteuid() == 0;
    std::optional<Clock::time_point> drain_deadline;
    while (true) {
      if (!reaped_ && TryReap()) {
        if (complete == nullptr) {
          // The main process is gone: nothing it left behind may outlive it.
          KillAll();
          drain_deadline = Clock::now() + kDrainAfterExit;
        } else {
          DrainOutputs(out, err);
          return End::kExited;
        }
      }
      if (complete == nullptr && reaped_ && proc_.stdout_fd < 0 && proc_.stderr_fd < 0) {
        return End::kExited;
      }
      auto now = Clock::now();
      if (drain_deadline && now >= *drain_deadline) return End::kExited;
      if (now >= deadline) return End::kTimedOut;
      if (watcher && CountTasks() > limits_.max_processes) {
        watcher_tripped_ = true;
        KillAll();
        return End::kProcessLimit;
      }

      std::vector<pollfd> fds;
      auto add = [&fds](int fd, short events) {
        if (fd >= 0) fds.push_back({fd, events, 0});
      };
      add(proc_.stdout_fd, POLLIN);
      add(proc_.stderr_fd, POLLIN);
      add(proc_.control_fd, POLLIN);
      if (!to_stdin.empty()) add(proc_.stdin_fd, POLLOUT);
      if (!reaped_) add(pidfd_, POLLIN);
      auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
          (drain_deadline ? std::min(deadline, *drain_deadline) : deadline) - now);
      if (watcher || pidfd_ < 0) wait = std::min(wait, kWatcherTick);
      int ready = poll(fds.data(), fds.size(), static_cast<int>(wait.count()) + 1);
      if (ready < 0 && errno != EINTR) return End::kExited;
      if (ready <= 0) continue;

      for (const pollfd& p : fds) {
        if (p.revents == 0) continue;
        if (p.fd == proc_.stdout_fd) {
          if (!ReadAvailable(p.fd, [&](std::string_view s) { out.Append(s); })) {
            CloseFd(proc_.stdout_fd);
          }
        } else if (p.fd == proc_.stderr_fd) {
          if (!ReadAvailable(p.fd, [&](std::string_view s) { err.Append(s); })) {
            CloseFd(proc_.stderr_fd);
          }
        } else if (p.fd == proc_.control_fd) {
          bool open = ReadAvailable(p.fd, [&](std::string_view s) {
            // A control channel flooded by agent code is cut off, not buffered forever.
            if (control && control->size() < (64u << 20)) control->append(s);
          });
          if (control && complete && (*complete)(*control)) {
            DrainOutputs(out, err);
            return End::kAnswered;
          }
          if (!open) {
            CloseFd(proc_.control_fd);
            DrainOutputs(out, err);
            return End::kExited;
          }
        } else if (p.fd == proc_.stdin_fd) {
          ssize_t n = WriteWithoutSigpipe(p.fd, to_stdin);
          if (n > 0) {
            to_stdin.remove_prefix(static_cast<size_t>(n));
          } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
            to_stdin = {};  // the process closed its stdin
          }
        }
      }
    }
  }

  // Everything in the tree: the pid namespace, the cgroup, or the process group. With a
  // cgroup and `thorough` unset, the cgroup alone (a process cannot leave it: the
  // sandbox has no capabilities and no cgroup filesystem), which avoids a /proc scan.
  std::vector<ProcInfo> Members(bool thorough = true) {
    std::vector<ProcInfo> members;
    auto add = [&members](const ProcInfo& info) {
      for (const auto& m : members) {
        if (m.host_pid == info.host_pid) return;
      }
      members.push_back(info);
    };
    bool cgroup_suffices = cgroup_ && !thorough && caps_.backend == Backend::kBubblewrap;
    if (unsigned long ns = cgroup_suffices ? 0 : NamespaceInode()) {
      for (const auto& info : ProcessesInNamespace(ns)) add(info);
    }
    if (cgroup_) {
      ProcInfo info;
      for (pid_t pid : cgroup_->Members()) {
        if (ReadProcInfo(pid, info)) add(info);
      }
    }
    if (!caps_.pid_isolated && !cgroup_) {
      for (const auto& info : ProcessesInGroup(proc_.pid)) add(info);
    }
    return members;
  }

  void KillAll() {
    if (proc_.pid <= 0) return;
    if (!reaped_) kill(-proc_.pid, SIGKILL);
    std::vector<pid_t> killed;
    for (const auto& m : Members()) {
      kill(m.host_pid, SIGKILL);
      killed.push_back(m.host_pid);
    }
    if (!reaped_) {
      kill(proc_.pid, SIGKILL);
      int status = 0;
      if (waitpid(proc_.pid, &status, 0) == proc_.pid) {
        reaped_ = true;
        wait_status_ = status;
      }
    }
    if (cgroup_) cgroup_->KillAll();
    WaitUntilDead(killed);
  }

  int KillStrays(const std::vector<pid_t>& keep) {
    std::vector<pid_t> killed;
    for (const auto& m : Members(/*thorough=*/false)) {
      if (m.host_pid == proc_.pid || m.zombie) continue;
      if (caps_.pid_isolated && m.ns_pid == 1) continue;  // the namespace's init
      if (std::find(keep.begin(), keep.end(), m.ns_pid) != keep.end()) continue;
      kill(m.host_pid, SIGKILL);
      killed.push_back(m.host_pid);
    }
    WaitUntilDead(killed);
    return static_cast<int>(killed.size());
  }

  int ThreadCount(pid_t ns_pid) {
    for (const auto& m : Members(/*thorough=*/false)) {
      if (m.zombie || m.ns_pid != ns_pid) continue;
      std::error_code ec;
      int threads = 0;
      const std::string tasks = fmt::format("/proc/{}/task", m.host_pid);
      for (auto it = fs::directory_iterator(tasks, ec); !ec && it != fs::directory_iterator();
           it.increment(ec)) {
        ++threads;
      }
      // A process that ended meanwhile has no threads left; any other error is a count
      // that may be short.
      if (ec && ec != std::errc::no_such_file_or_directory && ec != std::errc::no_such_process) {
        log::Debug(fmt::format("sandbox: counting the threads of {}: {}", tasks, ec.message()));
      }
      return threads;
    }
    return 0;
  }

  bool TryReap() {
    if (reaped_) return true;
    int status = 0;
    pid_t r = waitpid(proc_.pid, &status, WNOHANG);
    if (r == proc_.pid) {
      reaped_ = true;
      wait_status_ = status;
    }
    return reaped_;
  }

  void DrainOutputs(CappedOutput& out, CappedOutput& err) {
    if (proc_.stdout_fd >= 0 &&
        !ReadAvailable(proc_.stdout_fd, [&](std::string_view s) { out.Append(s); })) {
      CloseFd(proc_.stdout_fd);
    }
    if (proc_.stderr_fd >= 0 &&
        !ReadAvailable(proc_.stderr_fd, [&](std::string_view s) { err.Append(s); })) {
      CloseFd(proc_.stderr_fd);
    }
  }

  bool reaped() const { return reaped_; }
  int wait_status() const { return wait_status_; }
  bool ProcessLimitHit() const { return watcher_tripped_ || (cgroup_ && cgroup_->LimitHit()); }
  bool MemoryLimitHit() const { return memory_ && memory_->OomKilled(); }

 private:
  // The pid namespace of the tree, found from the wrapper's child (cached).
  unsigned long NamespaceInode() {
    if (!caps_.pid_isolated || proc_.pid <= 0) return 0;
    if (ns_inode_ != 0) return ns_inode_;
    unsigned long own = PidNamespaceInode(getpid());
    std::vector<pid_t> candidates;
    if (cgroup_) candidates = cgroup_->Members();
    if (candidates.empty()) candidates = ChildrenOf(proc_.pid);
    for (pid_t pid : candidates) {
      unsigned long ns = PidNamespaceInode(pid);
      if (ns != 0 && ns != own) return ns_inode_ = ns;
    }
    return 0;
  }

  int CountTasks() {
    int count = 0;
    for (const auto& m : Members()) {
      if (!m.zombie) ++count;
    }
    return count;
  }

  Capabilities caps_;
  Limits limits_;
  bool drop_uid_ = false;
  SpawnedProcess proc_;
  std::unique_ptr<PidsCgroup> cgroup_;
  std::unique_ptr<MemoryCgroup> memory_;  // after cgroup_: destroyed first, members gone
  int pidfd_ = -1;
  bool reaped_ = false;
  int wait_status_ = 0;
  unsigned long ns_inode_ = 0;
  bool watcher_tripped_ = false;
};

class InteractiveProcess : public SandboxedProcess {
 public:
  InteractiveProcess(std::unique_ptr<ProcessTree> tree, Limits limits,
                     std::function<Status()> before_call)
      : tree_(std::move(tree)), limits_(limits), before_call_(std::move(before_call)) {}

  ExchangeResult Exchange(std::string_view request,
                          const std::function<bool(const std::string&)>& complete,
                          std::chrono::milliseconds timeout) override {
    ExchangeResult result;
    if (Status handed = before_call_(); !handed.ok()) {
      result.stderr_text = CappedOutput(limits_.output_cap_bytes);
      result.stderr_text.Append("sandbox: " + handed.error().message + "\n");
      result.exited = true;
      return result;
    }
    result.stdout_text = CappedOutput(limits_.output_cap_bytes);
    result.stderr_text = CappedOutput(limits_.output_cap_bytes);
    auto end = tree_->Pump(request, result.stdout_text, result.stderr_text, &result.control,
                           &complete, Clock::now() + timeout);
    result.answered = end == ProcessTree::End::kAnswered;
    result.timed_out = end == ProcessTree::End::kTimedOut;
    result.exited = end == ProcessTree::End::kExited || end == ProcessTree::End::kProcessLimit;
    return result;
  }
  int KillStrays(const std::vector<pid_t>& keep) override { return tree_->KillStrays(keep); }
  int ThreadCount(pid_t ns_pid) override { return tree_->ThreadCount(ns_pid); }
  bool Alive() override { return !tree_->TryReap(); }
  void Kill() override { tree_->KillAll(); }

 private:
  std::unique_ptr<ProcessTree> tree_;
  Limits limits_;
  std::function<Status()> before_call_;
};

Error RefuseUnisolatedHost(const Capabilities& caps) {
  std::string missing;
  for (const auto& m : caps.Missing()) missing += (missing.empty() ? "" : ", ") + m;
  return Error(ErrorCode::kPermission,
               fmt::format("the sandbox cannot isolate agent code on this host (backend {}; "
                           "missing: {}); install bubblewrap (Debian package bubblewrap) and "
                           "allow namespaces, see `skillgrad doctor`, or pass --unsafe-sandbox "
                           "to run anyway (recorded in config.json, the report and every "
                           "trajectory)",
                           BackendName(caps.backend), missing));
}

}  // namespace

Status CheckHostIsolation(bool allow_unsafe) {
  const Capabilities& caps = HostCapabilities();
  if (caps.Isolated() || allow_unsafe) return Ok();
  return RefuseUnisolatedHost(caps);
}

std::string RunResult::Describe() const {
  std::string what;
  if (timed_out) {
    what = fmt::format("killed after the {:.0f} s wall timeout", wall_seconds);
  } else if (signal != 0) {
    what = fmt::format("killed by signal {} ({})", signal, strsignal(signal));
    if (signal == SIGXCPU) what += ": the CPU time limit was reached";
    if (signal == SIGXFSZ) what += ": the file size limit was reached";
  } else {
    what = fmt::format("exit code {}", exit_code);
  }
  if (process_limit_hit) what += "; the process limit refused at least one fork";
  if (memory_limit_hit) what += "; the sandbox's memory limit was reached and a process was killed";
  return what;
}

Result<std::unique_ptr<ProcessSandbox>> ProcessSandbox::Create(SandboxConfig config) {
  std::error_code ec;
  if (config.workspace.empty() || !fs::is_directory(config.workspace, ec)) {
    return InvalidArgument(fmt::format("sandbox workspace {} is not a directory; create it first",
                                       config.workspace.string()));
  }
  fs::path workspace = fs::canonical(config.workspace, ec);
  if (ec) {
    return IoError(fmt::format("cannot resolve the sandbox workspace {}: {}",
                               config.workspace.string(), ec.message()));
  }
  config.workspace = workspace;
  for (auto& path : config.read_only_paths) {
    fs::path canonical = fs::canonical(path, ec);
    if (ec) {
      return InvalidArgument(
          fmt::format("sandbox read-only path {} does not exist: {}", path.string(), ec.message()));
    }
    path = canonical;
  }
  // Each folder checked on its own: a later success would clear an earlier error.
  for (const char* folder : {".home", ".tmp"}) {
    fs::create_directories(config.workspace / folder, ec);
    if (ec) {
      return IoError(fmt::format("cannot create {} (HOME and TMPDIR of agent code): {}",
                                 (config.workspace / folder).string(), ec.message()));
    }
  }
  Capabilities caps =
      config.backend == Backend::kAuto ? HostCapabilities() : ProbeCapabilities(config.backend);
  if (config.backend != Backend::kAuto && caps.backend != config.backend) {
    return Error(ErrorCode::kPermission,
                 fmt::format("sandbox backend {} does not work on this host: {}",
                             BackendName(config.backend),
                             caps.notes.empty() ? "unknown reason" : caps.notes.front()));
  }
  if (!caps.Isolated()) {
    if (!config.allow_unsafe) return RefuseUnisolatedHost(caps);
    caps.unsafe = true;
  }
  auto sandbox = std::unique_ptr<ProcessSandbox>(new ProcessSandbox(std::move(config), caps));
  const SandboxConfig& made = sandbox->config_;
  sandbox->drop_uid_ = ShouldDropTo(made.run_as_uid, made.run_as_gid);
  if (caps.workspace_limit_enforced) {
    SG_ASSIGN_OR_RETURN(sandbox->volume_,
                        WorkspaceVolume::Mount(made.workspace, made.limits.workspace_bytes,
                                               made.run_as_uid, made.run_as_gid));
  }
  sandbox->env_ =
      ScrubbedEnvironment(CurrentEnvironment(), sandbox->config_.workspace / ".home",
                          sandbox->config_.workspace / ".tmp", sandbox->config_.extra_env);
  return sandbox;
}

Result<RunResult> ProcessSandbox::Run(const std::vector<std::string>& argv,
                                      std::chrono::milliseconds timeout) {
  auto start = Clock::now();
  SG_RETURN_IF_ERROR(HandOverWorkspace());
  ProcessTree tree(caps_, config_.limits, drop_uid_);
  SG_RETURN_IF_ERROR(tree.Launch(config_, env_, argv, /*interactive=*/false));
  RunResult result;
  result.stdout_text = CappedOutput(config_.limits.output_cap_bytes);
  result.stderr_text = CappedOutput(config_.limits.output_cap_bytes);
  auto end =
      tree.Pump({}, result.stdout_text, result.stderr_text, nullptr, nullptr, start + timeout);
  result.timed_out = end == ProcessTree::End::kTimedOut;
  tree.KillAll();
  result.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.process_limit_hit = tree.ProcessLimitHit();
  result.memory_limit_hit = tree.MemoryLimitHit();
  int status = tree.wait_status();
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
    // The wrappers report a command killed by signal N as exit code 128 + N.
    if (caps_.backend != Backend::kNone && result.exit_code > 128 && result.exit_code < 128 + 65) {
      result.signal = result.exit_code - 128;
    }
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  if (result.timed_out) result.signal = SIGKILL;
  return result;
}

Result<std::unique_ptr<SandboxedProcess>> ProcessSandbox::Start(
    const std::vector<std::string>& argv) {
  SG_RETURN_IF_ERROR(HandOverWorkspace());
  auto tree = std::make_unique<ProcessTree>(caps_, config_.limits, drop_uid_);
  SG_RETURN_IF_ERROR(tree->Launch(config_, env_, argv, /*interactive=*/true));
  return std::unique_ptr<SandboxedProcess>(std::make_unique<InteractiveProcess>(
      std::move(tree), config_.limits,
      // By value: the process may outlive this sandbox object.
      [workspace = config_.workspace, uid = config_.run_as_uid, gid = config_.run_as_gid,
       drop = drop_uid_] { return drop ? HandOverTree(workspace, uid, gid) : Ok(); }));
}

Status ProcessSandbox::HandOverWorkspace() const {
  if (!drop_uid_) return Ok();
  return HandOverTree(config_.workspace, config_.run_as_uid, config_.run_as_gid);
}

}  // namespace sg::sandbox
