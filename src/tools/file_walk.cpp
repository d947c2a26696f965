#include "tools/file_walk.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

namespace sg::tools {
namespace {

bool WalkFd(int fd, const std::string& prefix, const WalkVisitor& visit, int depth) {
  DIR* dir = fdopendir(fd);
  if (!dir) {
    close(fd);
    return true;
  }
  std::vector<std::string> names;
  while (dirent* e = readdir(dir)) {
    std::string_view name = e->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    struct stat st;
    if (fstatat(dirfd(dir), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    std::string rel = prefix.empty() ? name : prefix + "/" + name;
    WalkEntry entry;
    entry.name = name;
    entry.size = static_cast<std::uint64_t>(st.st_size);
    if (S_ISREG(st.st_mode)) {
      entry.kind = WalkEntry::Kind::kFile;
    } else if (S_ISDIR(st.st_mode)) {
      entry.kind = WalkEntry::Kind::kDirectory;
    } else if (S_ISLNK(st.st_mode)) {
      entry.kind = WalkEntry::Kind::kSymlink;
      char target[4096];
      ssize_t n = readlinkat(dirfd(dir), name.c_str(), target, sizeof(target));
      if (n > 0) entry.link_target.assign(target, static_cast<size_t>(n));
    }
    if (!visit(rel, entry)) {
      closedir(dir);
      return false;
    }
    if (entry.kind == WalkEntry::Kind::kDirectory && depth < 64) {
      int sub = openat(dirfd(dir), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub >= 0 && !WalkFd(sub, rel, visit, depth + 1)) {
        closedir(dir);
        return false;
      }
    }
  }
  closedir(dir);
  return true;
}

}  // namespace

Result<std::string> ReadBeneath(const PathPolicy& policy, const ResolvedPath& path,
                                std::size_t max_bytes, bool* truncated) {
  SG_ASSIGN_OR_RETURN(int fd, policy.Open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK));
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    if (S_ISDIR(st.st_mode)) {
      return InvalidArgument(fmt::format("'{}' is a folder; use list_files to see what it holds",
                                         policy.Display(path)));
    }
    return InvalidArgument(fmt::format("'{}' is not a regular file", policy.Display(path)));
  }
  return ReadFd(fd, max_bytes, truncated);
}

Status Walk(const PathPolicy& policy, const ResolvedPath& dir, const WalkVisitor& visit) {
  SG_ASSIGN_OR_RETURN(int fd, policy.Open(dir, O_RDONLY | O_DIRECTORY));
  WalkFd(fd, "", visit, 0);
  return Ok();
}

std::string CallDeadline::BudgetText() const {
  return fmt::format("{:g} s", static_cast<double>(budget_.count()) / 1000.0);
}

}  // namespace sg::tools
