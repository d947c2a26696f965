// A memory cgroup (v1 or v2) per sandboxed process tree: the sum of the tree's memory,
// its tmpfs pages (/tmp, /dev/shm) and its page cache included, is held under one limit,
// and swap is not a way around it. RLIMIT_AS only bounds each process on its own.
// Created only where the memory controller is writable; Create() says why when it is not.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "core/error.h"

namespace sg::sandbox {

class MemoryCgroup {
 public:
  // A fresh cgroup whose members may use `limit_bytes` of memory, swap included.
  static Result<std::unique_ptr<MemoryCgroup>> Create(std::uint64_t limit_bytes);
  // Removes the cgroup (its members must have been killed by then: the pids cgroup or the
  // namespace does that; a cgroup that still has members is left for the stale sweep).
  ~MemoryCgroup();
  MemoryCgroup(const MemoryCgroup&) = delete;
  MemoryCgroup& operator=(const MemoryCgroup&) = delete;

  // Open for writing on cgroup.procs: a child writes its own pid here to join.
  int procs_fd() const { return procs_fd_; }
  const std::filesystem::path& path() const { return path_; }
  // True when the kernel killed a member because the tree reached its limit.
  bool OomKilled() const;

 private:
  MemoryCgroup(std::filesystem::path path, int procs_fd, bool v2)
      : path_(std::move(path)), procs_fd_(procs_fd), v2_(v2) {}
  std::filesystem::path path_;
  int procs_fd_ = -1;
  bool v2_ = false;
};

// Where memory cgroups would be created ("" when none is usable) and which version.
struct MemoryCgroupSupport {
  std::filesystem::path base;
  std::string version;  // "v1" or "v2"
  std::string problem;  // why it is unusable, when base is empty
};
MemoryCgroupSupport DetectMemoryCgroup();

}  // namespace sg::sandbox
