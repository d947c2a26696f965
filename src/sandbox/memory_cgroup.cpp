#include "sandbox/memory_cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include "sandbox/cgroup_files.h"

namespace sg::sandbox {
namespace fs = std::filesystem;
namespace {

std::atomic<unsigned> g_memory_cgroup_counter{0};

// The value after `key ` in a flat keyed file (memory.events, memory.oom_control).
long KeyedValue(const std::string& text, const std::string& key) {
  std::istringstream in(text);
  std::string name;
  long value = 0;
  while (in >> name >> value) {
    if (name == key) return value;
  }
  return 0;
}

}  // namespace

MemoryCgroupSupport DetectMemoryCgroup() {
  MemoryCgroupSupport support;
  std::error_code ec;
  const fs::path v1 = "/sys/fs/cgroup/memory";
  if (fs::exists(v1 / "cgroup.procs", ec)) {
    fs::path own = v1 / fs::path(OwnCgroupPath("memory")).relative_path();
    if (access(own.c_str(), W_OK) == 0) {
      support.base = own;
      support.version = "v1";
    } else {
      support.problem = fmt::format("the memory cgroup directory {} is not writable", own.string());
    }
    return support;
  }
  const fs::path root = "/sys/fs/cgroup";
  if (ReadCgroupFile(root / "cgroup.controllers").find("memory") != std::string::npos) {
    fs::path own = root / fs::path(OwnCgroupPath("")).relative_path();
    if (access(own.c_str(), W_OK) != 0) {
      support.problem = fmt::format("the cgroup v2 directory {} is not writable", own.string());
    } else if (ReadCgroupFile(own / "cgroup.subtree_control").find("memory") == std::string::npos) {
      support.problem = fmt::format(
          "the memory controller is not enabled for {}'s children (cgroup.subtree_control)",
          own.string());
    } else {
      support.base = own;
      support.version = "v2";
    }
    return support;
  }
  support.problem = "no memory cgroup controller is mounted under /sys/fs/cgroup";
  return support;
}

Result<std::unique_ptr<MemoryCgroup>> MemoryCgroup::Create(std::uint64_t limit_bytes) {
  MemoryCgroupSupport support = DetectMemoryCgroup();
  if (support.base.empty()) return Error(ErrorCode::kPermission, support.problem);
  if (g_memory_cgroup_counter.load() == 0) RemoveStaleCgroups(support.base, "skillgrad-mem-");
  const bool v2 = support.version == "v2";
  fs::path dir =
      support.base / fmt::format("skillgrad-mem-{}-{}", getpid(), g_memory_cgroup_counter++);
  if (mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    return Error(ErrorCode::kPermission, fmt::format("cannot create the memory cgroup {}: {}",
                                                     dir.string(), strerror(errno)));
  }
  const std::string limit = std::to_string(limit_bytes);
  bool limited = v2 ? WriteCgroupFile(dir / "memory.max", limit)
                    : WriteCgroupFile(dir / "memory.limit_in_bytes", limit);
  if (limited) {
    // Swap may not extend the limit. Where swap accounting is off these files are absent,
    // and then there is no swap to count either.
    if (v2) {
      WriteCgroupFile(dir / "memory.swap.max", "0");
    } else if (fs::exists(dir / "memory.memsw.limit_in_bytes")) {
      WriteCgroupFile(dir / "memory.memsw.limit_in_bytes", limit);
    }
  }
  int fd = limited ? open((dir / "cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC) : -1;
  if (fd < 0) {
    int e = errno;
    rmdir(dir.c_str());
    return Error(ErrorCode::kPermission,
                 fmt::format("cannot limit the memory cgroup {}: {}", dir.string(), strerror(e)));
  }
  return std::unique_ptr<MemoryCgroup>(new MemoryCgroup(dir, fd, v2));
}

MemoryCgroup::~MemoryCgroup() {
  if (procs_fd_ >= 0) close(procs_fd_);
  for (int i = 0; i < 200; ++i) {
    if (rmdir(path_.c_str()) == 0 || errno == ENOENT) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

bool MemoryCgroup::OomKilled() const {
  if (v2_) return KeyedValue(ReadCgroupFile(path_ / "memory.events"), "oom_kill") > 0;
  return KeyedValue(ReadCgroupFile(path_ / "memory.oom_control"), "oom_kill") > 0;
}

}  // namespace sg::sandbox
