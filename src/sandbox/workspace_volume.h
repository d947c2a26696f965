// A hard cap on the bytes a workspace holds: where this process is root in a mount namespace
// of its own (EnterPrivateMountNamespace), the workspace becomes a size-limited tmpfs for the
// sandbox's lifetime, so a write past the cap fails with ENOSPC inside instead of filling the
// host's disk. The tmpfs holds a copy of the workspace made at mount; at unmount its content
// replaces the folder's on disk. A crash loses the tmpfs with the namespace, leaving the
// folder as it was before the mount (the task is then redone on resume, as any interrupted
// task is). Elsewhere nothing is mounted and the capabilities say the cap is not enforced.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <memory>

#include "core/error.h"

namespace sg::sandbox {

// Moves this process into a new mount namespace whose mounts do not propagate to the host
// (and vanish when it exits). Must be called while the process has one thread (first thing
// in main); a no-op returning false where it is not root or the kernel refuses.
bool EnterPrivateMountNamespace();
// True once EnterPrivateMountNamespace succeeded in this process.
bool PrivateMountNamespaceActive();

class WorkspaceVolume {
 public:
  // Mounts a tmpfs of `bytes` over `workspace` (owned by uid:gid) holding a copy of its
  // content. Fails with kPermission where PrivateMountNamespaceActive() is false.
  static Result<std::unique_ptr<WorkspaceVolume>> Mount(const std::filesystem::path& workspace,
                                                        std::uint64_t bytes, uid_t uid, gid_t gid);
  // Unmount() if it was not called; errors are logged.
  ~WorkspaceVolume();
  WorkspaceVolume(const WorkspaceVolume&) = delete;
  WorkspaceVolume& operator=(const WorkspaceVolume&) = delete;

  // Writes the tmpfs's content back to the folder on disk and unmounts it.
  Status Unmount();

 private:
  explicit WorkspaceVolume(std::filesystem::path workspace) : workspace_(std::move(workspace)) {}
  std::filesystem::path workspace_;
  bool mounted_ = true;
};

}  // namespace sg::sandbox
