#include "sandbox/cgroup_files.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace sg::sandbox {
namespace fs = std::filesystem;

std::string ReadCgroupFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool WriteCgroupFile(const fs::path& path, const std::string& text) {
  int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  close(fd);
  return ok;
}

std::string OwnCgroupPath(const std::string& controller) {
  std::istringstream in(ReadCgroupFile("/proc/self/cgroup"));
  std::string line;
  while (std::getline(in, line)) {
    if (controller.empty()) {
      if (line.rfind("0::", 0) == 0) return line.substr(3);
      continue;
    }
    auto first = line.find(':');
    auto second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    std::string controllers = "," + line.substr(first + 1, second - first - 1) + ",";
    if (controllers.find("," + controller + ",") != std::string::npos) {
      return line.substr(second + 1);
    }
  }
  return "";
}

void RemoveStaleCgroups(const fs::path& base, const std::string& prefix) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(base, ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    long owner = std::atol(name.c_str() + prefix.size());
    if (owner <= 0 || owner == getpid() || kill(static_cast<pid_t>(owner), 0) == 0) continue;
    rmdir(entry.path().c_str());
  }
}

}  // namespace sg::sandbox
