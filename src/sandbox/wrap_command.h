// The command line that runs argv under a backend: bwrap with its mounts and namespaces,
// unshare(1) with pid and net namespaces, or argv itself.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sandbox/capabilities.h"

namespace sg::sandbox {

inline constexpr const char* kBwrapPath = "/usr/bin/bwrap";
inline constexpr const char* kUnsharePath = "/usr/bin/unshare";
// util-linux's setpriv: drops the tree from root to the sandbox uid inside bubblewrap.
inline constexpr const char* kSetprivPath = "/usr/bin/setpriv";

struct WrapOptions {
  std::filesystem::path workspace;                     // bound read-write, the cwd
  std::vector<std::filesystem::path> read_only_paths;  // bound read-only
  bool unshare_net = true;
  // When set (the orchestrator runs as root), bubblewrap keeps only the capabilities to
  // change uid, and setpriv drops the command to this uid and gid with no capabilities,
  // no supplementary groups and no_new_privs: agent code never runs as host uid 0.
  std::optional<std::pair<uid_t, gid_t>> run_as;
  // bubblewrap loads a seccomp program from the child's fd 4 (spawn.h kInheritedFd).
  bool seccomp_on_fd4 = false;
  std::uint64_t tmp_bytes = 512ull << 20;     // size of the private /tmp tmpfs
  std::uint64_t dev_shm_bytes = 64ull << 20;  // size of /dev/shm; the rest of /dev is read-only
};

std::vector<std::string> WrapCommand(Backend backend, const WrapOptions& options,
                                     const std::vector<std::string>& argv);

}  // namespace sg::sandbox
