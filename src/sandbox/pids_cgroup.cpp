#include "sandbox/pids_cgroup.h"

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

std::atomic<unsigned> g_cgroup_counter{0};

}  // namespace

PidsCgroupSupport DetectPidsCgroup() {
  PidsCgroupSupport support;
  const fs::path v1 = "/sys/fs/cgroup/pids";
  std::error_code ec;
  if (fs::exists(v1 / "cgroup.procs", ec)) {
    if (access(v1.c_str(), W_OK) == 0) {
      support.base = v1;
      support.version = "v1";
    } else {
      support.problem = "the pids cgroup hierarchy /sys/fs/cgroup/pids is not writable";
    }
    return support;
  }
  const fs::path root = "/sys/fs/cgroup";
  std::string controllers = ReadCgroupFile(root / "cgroup.controllers");
  if (controllers.find("pids") != std::string::npos) {
    fs::path own = root / fs::path(OwnCgroupPath("")).relative_path();
    if (access(own.c_str(), W_OK) == 0) {
      support.base = own;
      support.version = "v2";
    } else {
      support.problem = fmt::format("the cgroup v2 directory {} is not writable", own.string());
    }
    return support;
  }
  support.problem = "no pids cgroup controller is mounted under /sys/fs/cgroup";
  return support;
}

Result<std::unique_ptr<PidsCgroup>> PidsCgroup::Create(int max_tasks) {
  PidsCgroupSupport support = DetectPidsCgroup();
  if (support.base.empty()) return Error(ErrorCode::kPermission, support.problem);
  if (g_cgroup_counter.load() == 0) RemoveStaleCgroups(support.base, "skillgrad-");
  fs::path dir = support.base / fmt::format("skillgrad-{}-{}", getpid(), g_cgroup_counter++);
  if (mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    return Error(ErrorCode::kPermission, fmt::format("cannot create the pids cgroup {}: {}",
                                                     dir.string(), strerror(errno)));
  }
  if (!WriteCgroupFile(dir / "pids.max", std::to_string(max_tasks))) {
    int e = errno;
    rmdir(dir.c_str());
    return Error(ErrorCode::kPermission,
                 fmt::format("cannot set {}/pids.max (the pids controller may not be enabled "
                             "for this subtree): {}",
                             dir.string(), strerror(e)));
  }
  int fd = open((dir / "cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    rmdir(dir.c_str());
    return Error(ErrorCode::kPermission,
                 fmt::format("cannot open {}/cgroup.procs: {}", dir.string(), strerror(e)));
  }
  return std::unique_ptr<PidsCgroup>(new PidsCgroup(dir, fd));
}

PidsCgroup::~PidsCgroup() {
  KillAll();
  if (procs_fd_ >= 0) close(procs_fd_);
  for (int i = 0; i < 200; ++i) {
    if (rmdir(path_.c_str()) == 0 || errno == ENOENT) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::vector<pid_t> PidsCgroup::Members() const {
  std::vector<pid_t> pids;
  std::istringstream in(ReadCgroupFile(path_ / "cgroup.procs"));
  long pid;
  while (in >> pid) pids.push_back(static_cast<pid_t>(pid));
  return pids;
}

void PidsCgroup::KillAll() {
  for (int round = 0; round < 1000; ++round) {
    std::vector<pid_t> members = Members();
    if (members.empty()) return;
    for (pid_t pid : members) kill(pid, SIGKILL);
    // Killed processes leave the cgroup once reaped by their parent; a fork bomb's
    // children may be created while we kill, hence the rounds.
    std::this_thread::sleep_for(std::chrono::milliseconds(round < 10 ? 1 : 10));
  }
}

bool PidsCgroup::LimitHit() const {
  std::string events = ReadCgroupFile(path_ / "pids.events");
  auto pos = events.find("max ");
  return pos != std::string::npos && std::atoi(events.c_str() + pos + 4) > 0;
}

}  // namespace sg::sandbox
