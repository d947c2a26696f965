// The real sandbox: every Run() or Start() is a fresh process tree under the best
// backend the host allows (see capabilities.h), in its own session and pids cgroup,
// with rlimits, a scrubbed environment, output read concurrently into capped buffers,
// and a wall timeout that kills the whole tree.
#pragma once

#include <memory>

#include "sandbox/sandbox.h"
#include "sandbox/workspace_volume.h"

namespace sg::sandbox {

// The error ProcessSandbox::Create gives on this host when it cannot isolate agent code
// and `allow_unsafe` is false; Ok otherwise. Commands call it before spending anything.
Status CheckHostIsolation(bool allow_unsafe);

class ProcessSandbox : public Sandbox {
 public:
  // Checks the workspace and read-only paths exist (absolute, canonical) and creates
  // WORKSPACE/.home and WORKSPACE/.tmp.
  static Result<std::unique_ptr<ProcessSandbox>> Create(SandboxConfig config);

  Result<RunResult> Run(const std::vector<std::string>& argv,
                        std::chrono::milliseconds timeout) override;
  Result<std::unique_ptr<SandboxedProcess>> Start(const std::vector<std::string>& argv) override;
  const SandboxConfig& config() const override { return config_; }
  const Capabilities& capabilities() const override { return caps_; }

 private:
  // Root only: the workspace's files become the run-as uid's, so agent code can write them.
  Status HandOverWorkspace() const;
  ProcessSandbox(SandboxConfig config, Capabilities caps)
      : config_(std::move(config)), caps_(std::move(caps)) {}
  SandboxConfig config_;
  Capabilities caps_;
  std::unique_ptr<WorkspaceVolume> volume_;
  // Agent code runs as config_.run_as_uid (this process is root and that uid is mapped);
  // decided once at Create, not per call.
  bool drop_uid_ = false;  // the workspace's tmpfs, where there is one
  std::vector<std::string> env_;
};

}  // namespace sg::sandbox
