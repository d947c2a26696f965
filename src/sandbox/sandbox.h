// The sandbox seam: tools run agent-written code through this interface only. The real
// implementation is ProcessSandbox (process_sandbox.h); tests use it too, since the point
// of the tests is that the isolation really holds.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "sandbox/capabilities.h"
#include "sandbox/capped_output.h"
#include "sandbox/limits.h"

namespace sg::sandbox {

struct SandboxConfig {
  // Read-write, the working directory, and where HOME (.home) and TMPDIR (.tmp) live.
  std::filesystem::path workspace;
  // Visible read-only at the same path (skill folders, ...).
  std::vector<std::filesystem::path> read_only_paths;
  Limits limits;
  // Extra environment; forbidden names (keys, tokens, proxies) are dropped anyway.
  std::vector<std::pair<std::string, std::string>> extra_env;
  Backend backend = Backend::kAuto;
  // When the orchestrator runs as root, agent code runs as this uid and gid (nobody by
  // default), never as host uid 0; the workspace is handed to it before each call.
  uid_t run_as_uid = kUnprivilegedId;
  gid_t run_as_gid = kUnprivilegedId;
  // Runs agent code even where the host cannot isolate its filesystem and network
  // (--unsafe-sandbox); without it Create() refuses such a host.
  bool allow_unsafe = false;
};

// How a process tree ended.
struct RunResult {
  int exit_code = -1;              // when it exited
  int signal = 0;                  // when a signal killed it (SIGKILL, SIGXCPU, ...)
  bool timed_out = false;          // the wall timeout passed and the tree was killed
  bool process_limit_hit = false;  // a fork was refused by the process limit
  bool memory_limit_hit = false;   // the kernel killed a process at the tree's memory limit
  CappedOutput stdout_text;
  CappedOutput stderr_text;
  double wall_seconds = 0;
  // One line for the model: "exit code 0", "killed by SIGKILL after the 10 s timeout", ...
  std::string Describe() const;
};

// One exchange with a started process: write a request to its stdin, collect its
// stdout/stderr until it answers on its control channel (fd 3).
struct ExchangeResult {
  std::string control;    // bytes read from the control channel
  bool answered = false;  // the `complete` predicate accepted `control`
  bool timed_out = false;
  bool exited = false;  // the process ended (or closed its control channel)
  CappedOutput stdout_text;
  CappedOutput stderr_text;
};

// A long-lived sandboxed process (the python interpreter).
class SandboxedProcess {
 public:
  virtual ~SandboxedProcess() = default;  // kills the whole tree
  // Writes `request` to stdin and reads until `complete(control_so_far)` holds, the
  // process ends, or `timeout` passes. Output caps are the sandbox limits'.
  virtual ExchangeResult Exchange(std::string_view request,
                                  const std::function<bool(const std::string&)>& complete,
                                  std::chrono::milliseconds timeout) = 0;
  // Kills every process of the tree except the main one and those whose pid (as the
  // tree sees it) is in `keep`: nothing started by a call outlives it.
  virtual int KillStrays(const std::vector<pid_t>& keep) = 0;
  // Threads of the tree's process `ns_pid` (its pid as the tree sees it), the main thread
  // included; 0 when no such process is alive.
  virtual int ThreadCount(pid_t ns_pid) = 0;
  virtual bool Alive() = 0;
  virtual void Kill() = 0;
};

class Sandbox {
 public:
  virtual ~Sandbox() = default;
  // Runs argv to completion (or to the wall timeout) with stdin from /dev/null.
  virtual Result<RunResult> Run(const std::vector<std::string>& argv,
                                std::chrono::milliseconds timeout) = 0;
  // Starts argv with a stdin pipe and a control channel on fd 3.
  virtual Result<std::unique_ptr<SandboxedProcess>> Start(const std::vector<std::string>& argv) = 0;
  virtual const SandboxConfig& config() const = 0;
  virtual const Capabilities& capabilities() const = 0;
};

}  // namespace sg::sandbox
