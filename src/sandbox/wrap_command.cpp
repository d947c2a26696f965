#include "sandbox/wrap_command.h"

#include <algorithm>
#include <system_error>

namespace sg::sandbox {
namespace fs = std::filesystem;
namespace {

// System directories: bound read-only, or recreated as the same symlink (merged /usr).
void AddSystemDirs(std::vector<std::string>& args) {
  args.insert(args.end(), {"--ro-bind", "/usr", "/usr"});
  for (const char* dir : {"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}) {
    std::error_code ec;
    auto status = fs::symlink_status(dir, ec);
    if (ec || !fs::exists(status)) continue;
    if (fs::is_symlink(status)) {
      args.insert(args.end(), {"--symlink", fs::read_symlink(dir, ec).string(), dir});
    } else if (fs::is_directory(status)) {
      args.insert(args.end(), {"--ro-bind", dir, dir});
    }
  }
  // A minimal /etc: what the dynamic loader, Python, bash and locale lookups read.
  // Never the whole /etc (no hostnames, no credentials, no proxy configuration). bwrap
  // would create /etc 0700, which the unprivileged uid could not enter.
  args.insert(args.end(), {"--perms", "0755", "--dir", "/etc"});
  for (const char* file :
       {"/etc/passwd", "/etc/group", "/etc/nsswitch.conf", "/etc/ld.so.cache", "/etc/ld.so.conf",
        "/etc/ld.so.conf.d", "/etc/localtime", "/etc/alternatives", "/etc/mime.types", "/etc/fonts",
        "/etc/locale.alias", "/etc/bash.bashrc", "/etc/inputrc"}) {
    args.insert(args.end(), {"--ro-bind-try", file, file});
  }
}

// /proc with its host-wide knobs read-only (bwrap covers /proc/sys only where the caller
// cannot write it, and root can), /dev with a size-limited /dev/shm and nothing else
// writable, and a size-limited /tmp.
void AddPrivateMounts(std::vector<std::string>& args, const WrapOptions& options) {
  args.insert(args.end(), {"--proc",
                           "/proc",
                           "--ro-bind",
                           "/proc/sys",
                           "/proc/sys",
                           "--dev",
                           "/dev",
                           "--perms",
                           "1777",
                           "--size",
                           std::to_string(options.dev_shm_bytes),
                           "--tmpfs",
                           "/dev/shm",
                           "--remount-ro",
                           "/dev",
                           "--perms",
                           "1777",
                           "--size",
                           std::to_string(options.tmp_bytes),
                           "--tmpfs",
                           "/tmp"});
}

// Creates every ancestor of `path` below the root as a 0755 directory before `path` is
// bound. bwrap would copy each host ancestor's mode, and a 0700 one (a mkdtemp directory,
// /root) would lock the unprivileged uid out of its own workspace. The private mounts
// (/tmp, /dev, /proc) and the system directories are left as they are.
void AddTraversableParents(std::vector<std::string>& args, const fs::path& path,
                           std::vector<std::string>& created) {
  fs::path ancestor;
  for (const auto& part : path.parent_path().relative_path()) {
    ancestor /= part;
    std::string dir = "/" + ancestor.string();
    if (dir == "/tmp" || dir == "/dev" || dir == "/proc" || dir == "/usr" || dir == "/etc") {
      continue;
    }
    if (std::find(created.begin(), created.end(), dir) != created.end()) continue;
    created.push_back(dir);
    args.insert(args.end(), {"--perms", "0755", "--dir", dir});
  }
}

// setpriv's command line that drops to `run_as` before argv runs.
std::vector<std::string> DropPrivileges(const std::pair<uid_t, gid_t>& run_as) {
  return {kSetprivPath,
          "--reuid=" + std::to_string(run_as.first),
          "--regid=" + std::to_string(run_as.second),
          "--clear-groups",
          "--inh-caps=-all",
          "--ambient-caps=-all",
          "--bounding-set=-all",
          "--no-new-privs",
          "--"};
}

}  // namespace

std::vector<std::string> WrapCommand(Backend backend, const WrapOptions& options,
                                     const std::vector<std::string>& argv) {
  std::vector<std::string> args;
  const std::string ws = options.workspace.string();
  switch (backend) {
    case Backend::kBubblewrap:
      args = {kBwrapPath,
              "--die-with-parent",
              "--new-session",
              "--unshare-pid",
              "--unshare-ipc",
              "--unshare-uts",
              "--unshare-cgroup-try",
              "--cap-drop",
              "ALL",
              "--hostname",
              "sandbox"};
      if (options.run_as) {
        args.insert(args.end(), {"--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add",
                                 "CAP_SETPCAP"});
      }
      if (options.unshare_net) args.push_back("--unshare-net");
      if (options.seccomp_on_fd4) args.insert(args.end(), {"--seccomp", "4"});
      AddSystemDirs(args);
      AddPrivateMounts(args, options);
      {
        std::vector<std::string> created;
        AddTraversableParents(args, options.workspace, created);
        args.insert(args.end(), {"--bind", ws, ws});
        for (const auto& path : options.read_only_paths) {
          AddTraversableParents(args, path, created);
          args.insert(args.end(), {"--ro-bind", path.string(), path.string()});
        }
      }
      // The root itself (a tmpfs bwrap builds, holding the mount points) becomes read-only,
      // so only the workspace and the private /tmp take writes.
      args.insert(args.end(), {"--remount-ro", "/", "--chdir", ws, "--"});
      break;
    case Backend::kUnshare:
      args = {kUnsharePath, "--fork", "--pid", "--mount-proc", "--kill-child"};
      if (options.unshare_net) args.push_back("--net");
      args.push_back("--");
      break;
    case Backend::kNone:
    case Backend::kAuto:
      break;
  }
  // Under every backend: agent code never keeps host uid 0.
  if (options.run_as) {
    auto drop = DropPrivileges(*options.run_as);
    args.insert(args.end(), drop.begin(), drop.end());
  }
  args.insert(args.end(), argv.begin(), argv.end());
  return args;
}

}  // namespace sg::sandbox
