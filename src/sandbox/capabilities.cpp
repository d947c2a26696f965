#include "sandbox/capabilities.h"

#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/log.h"
#include "sandbox/environment.h"
#include "sandbox/isolation_probe.h"
#include "sandbox/memory_cgroup.h"
#include "sandbox/pids_cgroup.h"
#include "sandbox/spawn.h"
#include "sandbox/workspace_volume.h"
#include "sandbox/wrap_command.h"

namespace sg::sandbox {
namespace fs = std::filesystem;
namespace {

// Runs /usr/bin/true under `backend`; true when it exits 0.
bool TryBackend(Backend backend, bool unshare_net, const fs::path& scratch) {
  WrapOptions options;
  options.workspace = scratch;
  options.unshare_net = unshare_net;
  SpawnSpec spec;
  spec.argv = WrapCommand(backend, options, {"/usr/bin/true"});
  spec.env = {"PATH=/usr/bin:/bin"};
  spec.cwd = scratch;
  spec.set_nproc_rlimit = false;
  auto proc = Spawn(spec);
  if (!proc.ok()) return false;
  CloseFds(*proc);
  // Bounded: a wrapper that hangs here counts as not working.
  int status = 0;
  for (int i = 0; i < 2000; ++i) {
    pid_t r = waitpid(proc->pid, &status, WNOHANG);
    if (r == proc->pid) return WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (r < 0) return false;
    usleep(5000);
  }
  kill(-proc->pid, SIGKILL);
  kill(proc->pid, SIGKILL);
  waitpid(proc->pid, &status, 0);
  return false;
}

}  // namespace

const char* BackendName(Backend backend) {
  switch (backend) {
    case Backend::kAuto:
      return "auto";
    case Backend::kBubblewrap:
      return "bubblewrap";
    case Backend::kUnshare:
      return "unshare";
    case Backend::kNone:
      return "none";
  }
  return "none";
}

Json Capabilities::ToJson() const {
  return {{"backend", BackendName(backend)},
          {"filesystem_isolated", filesystem_isolated},
          {"network_isolated", network_isolated},
          {"pid_isolated", pid_isolated},
          {"process_limit_enforced", process_limit_enforced},
          {"process_limit_method", process_limit_method},
          {"environment_scrubbed", environment_scrubbed},
          {"memory_limit_enforced", memory_limit_enforced},
          {"memory_limit_method", memory_limit_method},
          {"workspace_limit_enforced", workspace_limit_enforced},
          {"workspace_limit_method", workspace_limit_method},
          {"verified",
           {{"uid", verified_uid},
            {"seccomp", verified_seccomp},
            {"no_new_privs", verified_no_new_privs},
            {"no_capabilities", verified_no_capabilities},
            {"sysctl_write_refused", verified_sysctl_refused},
            {"root_read_only", verified_root_read_only},
            {"host_files_hidden", verified_host_files_hidden},
            {"loopback_only", verified_loopback_only}}},
          {"isolated", Isolated()},
          {"unsafe", unsafe},
          {"missing", Missing()},
          {"notes", notes}};
}

std::vector<std::string> Capabilities::Missing() const {
  std::vector<std::string> missing;
  if (!filesystem_isolated || !verified_host_files_hidden || !verified_root_read_only) {
    missing.push_back("filesystem isolation (bubblewrap)");
  }
  if (!network_isolated || !verified_loopback_only) missing.push_back("network isolation");
  if (verified_uid == 0) missing.push_back("an unprivileged uid (agent code runs as host root)");
  if (verified_uid < 0) missing.push_back("a verified uid (the isolation probe did not run)");
  if (!verified_sysctl_refused) missing.push_back("read-only /proc/sys");
  if (!verified_no_capabilities) missing.push_back("an empty capability set");
  if (!verified_no_new_privs) missing.push_back("no_new_privs");
  if (backend == Backend::kBubblewrap && !verified_seccomp) missing.push_back("seccomp filter");
  return missing;
}

bool Capabilities::Isolated() const { return Missing().empty(); }

Capabilities ProbeCapabilities(Backend requested) {
  Capabilities caps;
  char tmpl[] = "/tmp/skillgrad-probe-XXXXXX";
  const char* made = mkdtemp(tmpl);
  fs::path scratch = made ? fs::path(made) : fs::temp_directory_path();

  auto try_bwrap = [&]() {
    if (access(kBwrapPath, X_OK) != 0) {
      caps.notes.push_back(
          fmt::format("{} is not installed (Debian package bubblewrap): no "
                      "filesystem isolation",
                      kBwrapPath));
      return false;
    }
    if (TryBackend(Backend::kBubblewrap, true, scratch)) {
      caps.network_isolated = true;
    } else if (TryBackend(Backend::kBubblewrap, false, scratch)) {
      caps.notes.push_back(
          "bwrap cannot create a network namespace here: the network is NOT "
          "isolated");
    } else {
      caps.notes.push_back("bwrap is installed but cannot create namespaces on this host");
      return false;
    }
    caps.backend = Backend::kBubblewrap;
    caps.filesystem_isolated = true;
    caps.pid_isolated = true;
    return true;
  };
  auto try_unshare = [&]() {
    if (access(kUnsharePath, X_OK) != 0) {
      caps.notes.push_back(fmt::format("{} is not installed: no namespaces", kUnsharePath));
      return false;
    }
    if (TryBackend(Backend::kUnshare, true, scratch)) {
      caps.network_isolated = true;
    } else if (TryBackend(Backend::kUnshare, false, scratch)) {
      caps.notes.push_back(
          "unshare cannot create a network namespace: the network is NOT "
          "isolated");
    } else {
      caps.notes.push_back("unshare cannot create pid namespaces on this host");
      return false;
    }
    caps.backend = Backend::kUnshare;
    caps.pid_isolated = true;
    caps.notes.push_back(
        "without bubblewrap the whole filesystem is visible to sandboxed "
        "code; only the file tools' path checks confine the agent");
    return true;
  };

  bool found = false;
  if (requested == Backend::kAuto || requested == Backend::kBubblewrap) found = try_bwrap();
  if (!found && (requested == Backend::kAuto || requested == Backend::kUnshare)) {
    found = try_unshare();
  }
  if (!found) {
    caps.backend = Backend::kNone;
    caps.notes.push_back(
        "no namespaces: sandboxed code shares the host's filesystem, network "
        "and process table; limits, timeouts and the scrubbed environment "
        "still hold");
  }

  PidsCgroupSupport cgroup = DetectPidsCgroup();
  if (!cgroup.base.empty()) {
    caps.process_limit_enforced = true;
    caps.process_limit_method = "pids cgroup " + cgroup.version;
  } else if (geteuid() != 0) {
    caps.process_limit_enforced = true;
    caps.process_limit_method = "RLIMIT_NPROC (per uid: counts every process of this user)";
    caps.notes.push_back(cgroup.problem);
  } else if (caps.pid_isolated) {
    caps.process_limit_enforced = true;
    caps.process_limit_method =
        "watcher (counts the pid namespace, kills the tree past the "
        "limit; a fast fork bomb can overshoot between two checks)";
    caps.notes.push_back(cgroup.problem + "; RLIMIT_NPROC is not enforced for root");
  } else {
    caps.process_limit_method = "none";
    caps.notes.push_back(cgroup.problem +
                         "; RLIMIT_NPROC is not enforced for root: the "
                         "process count is NOT limited");
  }
  MemoryCgroupSupport memory = DetectMemoryCgroup();
  if (!memory.base.empty()) {
    caps.memory_limit_enforced = true;
    caps.memory_limit_method = "memory cgroup " + memory.version;
  } else {
    caps.memory_limit_method = "RLIMIT_AS per process only";
    caps.notes.push_back(memory.problem +
                         ": the tree's total memory is NOT limited, only each process's "
                         "address space");
  }
  if (PrivateMountNamespaceActive()) {
    caps.workspace_limit_enforced = true;
    caps.workspace_limit_method = "size-limited tmpfs (writes past the cap fail with ENOSPC)";
  } else {
    caps.workspace_limit_method =
        "not enforced (needs root and a private mount namespace); RLIMIT_FSIZE caps each file";
  }
  VerifyIsolation(caps, scratch);
  std::error_code ec;
  if (made) fs::remove_all(scratch, ec);
  return caps;
}

const Capabilities& HostCapabilities() {
  static const Capabilities caps = [] {
    Capabilities probed = ProbeCapabilities(Backend::kAuto);
    for (const auto& note : probed.notes) log::WarnOnce("sandbox:" + note, "sandbox: " + note);
    return probed;
  }();
  return caps;
}

}  // namespace sg::sandbox
