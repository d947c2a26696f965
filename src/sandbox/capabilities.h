// What isolation this host gives a sandboxed process, found by trying it once. The
// run's config records it, so a result is never read as safer than it was.
#pragma once

#include <string>
#include <vector>

#include "core/json.h"

namespace sg::sandbox {

// The uid and gid agent code runs as when the orchestrator is root (nobody, nogroup).
inline constexpr unsigned kUnprivilegedId = 65534;

enum class Backend {
  kAuto,        // the best that works: bubblewrap, else unshare, else none
  kBubblewrap,  // bwrap: mount, pid, net, ipc, uts namespaces; only listed paths visible
  kUnshare,     // unshare(1): pid and net namespaces; the whole filesystem visible
  kNone,        // plain process group: limits and timeouts only
};

const char* BackendName(Backend backend);

struct Capabilities {
  Backend backend = Backend::kNone;
  bool filesystem_isolated = false;  // only the workspace, skills and system dirs visible
  bool network_isolated = false;     // new network namespace: loopback only, nothing else
  bool pid_isolated = false;         // new pid namespace: the tree sees no other process
  bool process_limit_enforced = false;
  std::string process_limit_method;       // "pids cgroup v1", "pids cgroup v2", "RLIMIT_NPROC", ...
  bool environment_scrubbed = true;       // always: allow-list, no keys, no proxies
  bool memory_limit_enforced = false;     // the tree's memory is held by a memory cgroup
  std::string memory_limit_method;        // "memory cgroup v1", ..., or what holds instead
  bool workspace_limit_enforced = false;  // the workspace is a tmpfs of Limits::workspace_bytes
  std::string workspace_limit_method;
  // Read from inside a sandboxed process by the probe (never inferred from the config):
  // the uid agent code runs as, and whether each protection held when tried.
  int verified_uid = -1;                    // outside this process's user namespace (-1: unknown)
  bool verified_seccomp = false;            // /proc/self/status says a filter is installed
  bool verified_no_new_privs = false;       // NoNewPrivs: 1
  bool verified_no_capabilities = false;    // CapEff: 0
  bool verified_sysctl_refused = false;     // writing a sysctl its own value failed
  bool verified_root_read_only = false;     // creating a file at / failed
  bool verified_host_files_hidden = false;  // a file beside the probe's workspace is invisible
  bool verified_loopback_only = false;      // the only network interface is lo
  std::vector<std::string> notes;           // what did not work, and why
  // Set by a sandbox that runs although Isolated() is false (--unsafe-sandbox).
  bool unsafe = false;

  // True when the probe saw every protection the backend is meant to give, and the
  // filesystem and the network isolated: agent code may run without --unsafe-sandbox.
  bool Isolated() const;
  // Why Isolated() is false, one short phrase per missing protection.
  std::vector<std::string> Missing() const;

  Json ToJson() const;
};

// Probes the host now for `requested` (kAuto tries every backend, best first).
Capabilities ProbeCapabilities(Backend requested = Backend::kAuto);

// ProbeCapabilities(kAuto) done once per process; the first call logs a warning for
// every isolation that is missing.
const Capabilities& HostCapabilities();

}  // namespace sg::sandbox
