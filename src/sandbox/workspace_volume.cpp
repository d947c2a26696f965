#include "sandbox/workspace_volume.h"

#include <errno.h>
#include <fmt/format.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include <atomic>

#include "core/log.h"

namespace sg::sandbox {
namespace fs = std::filesystem;
namespace {

std::atomic<bool> g_private_mounts{false};
std::atomic<unsigned> g_volume_counter{0};

// A sibling of `workspace` that no other volume of any process uses.
fs::path Sibling(const fs::path& workspace, const char* what) {
  return workspace.parent_path() / fmt::format(".{}.{}-{}-{}", workspace.filename().string(), what,
                                               getpid(), g_volume_counter++);
}

// Copies the content of `from` into the existing folder `to`: symlinks as symlinks, never
// followed (agent code may have planted them).
Status CopyContent(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(from, ec)) {
    fs::copy(entry.path(), to / entry.path().filename(),
             fs::copy_options::recursive | fs::copy_options::copy_symlinks, ec);
    if (ec) break;
  }
  if (ec) {
    return IoError(fmt::format("cannot copy the workspace {} to {}: {}", from.string(), to.string(),
                               ec.message()));
  }
  return Ok();
}

}  // namespace

bool EnterPrivateMountNamespace() {
  if (geteuid() != 0) return false;
  if (unshare(CLONE_NEWNS) != 0) return false;
  // Host mounts still appear here; ours never reach the host.
  if (mount(nullptr, "/", nullptr, MS_REC | MS_SLAVE, nullptr) != 0) return false;
  g_private_mounts = true;
  return true;
}

bool PrivateMountNamespaceActive() { return g_private_mounts; }

Result<std::unique_ptr<WorkspaceVolume>> WorkspaceVolume::Mount(const fs::path& workspace,
                                                                std::uint64_t bytes, uid_t uid,
                                                                gid_t gid) {
  if (!PrivateMountNamespaceActive()) {
    return Error(ErrorCode::kPermission,
                 "the workspace cap needs root in a private mount namespace");
  }
  const fs::path staging = Sibling(workspace, "volume");
  std::error_code ec;
  fs::create_directory(staging, ec);
  if (ec) return IoError(fmt::format("cannot create {}: {}", staging.string(), ec.message()));
  const std::string options = fmt::format("size={},mode=0755,uid={},gid={}", bytes, uid, gid);
  if (mount("skillgrad-workspace", staging.c_str(), "tmpfs", MS_NOSUID | MS_NODEV,
            options.c_str()) != 0) {
    int e = errno;
    fs::remove(staging, ec);
    return Error(ErrorCode::kPermission,
                 fmt::format("cannot mount a tmpfs for the workspace: {}", strerror(e)));
  }
  Status copied = CopyContent(workspace, staging);
  if (copied.ok() && mount(staging.c_str(), workspace.c_str(), nullptr, MS_MOVE, nullptr) != 0) {
    copied = IoError(fmt::format("cannot move the workspace tmpfs onto {}: {}", workspace.string(),
                                 strerror(errno)));
  }
  if (!copied.ok()) {
    umount2(staging.c_str(), MNT_DETACH);
    fs::remove(staging, ec);
    return copied.error();
  }
  fs::remove(staging, ec);
  return std::unique_ptr<WorkspaceVolume>(new WorkspaceVolume(workspace));
}

Status WorkspaceVolume::Unmount() {
  if (!mounted_) return Ok();
  mounted_ = false;
  const fs::path out = Sibling(workspace_, "out");
  const fs::path old = Sibling(workspace_, "old");
  std::error_code ec;
  fs::create_directory(out, ec);
  Status copied = ec ? IoError(fmt::format("cannot create {}: {}", out.string(), ec.message()))
                     : CopyContent(workspace_, out);
  if (umount2(workspace_.c_str(), MNT_DETACH) != 0) {
    return IoError(
        fmt::format("cannot unmount the workspace {}: {}", workspace_.string(), strerror(errno)));
  }
  if (!copied.ok()) {
    fs::remove_all(out, ec);
    return copied;
  }
  // The folder on disk still holds what it held before the mount: replace it.
  fs::rename(workspace_, old, ec);
  if (!ec) fs::rename(out, workspace_, ec);
  if (ec) {
    return IoError(fmt::format("cannot put the workspace {} back on disk: {}", workspace_.string(),
                               ec.message()));
  }
  fs::remove_all(old, ec);
  return Ok();
}

WorkspaceVolume::~WorkspaceVolume() {
  Status status = Unmount();
  if (!status.ok()) log::Warn("sandbox: " + status.error().message);
}

}  // namespace sg::sandbox
