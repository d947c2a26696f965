#include "sandbox/workspace_owner.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace sg::sandbox {
namespace {

struct Walk {
  uid_t uid;
  gid_t gid;
  size_t max_entries;
  size_t entries = 0;
};

void ChownEntry(int dir_fd, const char* name, const struct stat& st, const Walk& walk) {
  if (st.st_uid == walk.uid && st.st_gid == walk.gid) return;
  if (S_ISREG(st.st_mode) && st.st_nlink > 1) return;
  fchownat(dir_fd, name, walk.uid, walk.gid, AT_SYMLINK_NOFOLLOW);
}

// Walks the directory open on `fd` (which it closes); depth-first, bounded.
Status WalkDirectory(int fd, Walk& walk, int depth) {
  DIR* dir = fdopendir(fd);
  if (dir == nullptr) {
    close(fd);
    return Ok();
  }
  std::vector<std::string> subdirs;
  while (dirent* entry = readdir(dir)) {
    const char* name = entry->d_name;
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) continue;
    if (++walk.entries > walk.max_entries) {
      closedir(dir);
      return Error(ErrorCode::kIo,
                   fmt::format("the workspace holds more than {} entries", walk.max_entries));
    }
    struct stat st;
    if (fstatat(dirfd(dir), name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    ChownEntry(dirfd(dir), name, st, walk);
    if (S_ISDIR(st.st_mode)) subdirs.emplace_back(name);
  }
  Status status = Ok();
  for (const std::string& name : subdirs) {
    if (depth > 256) break;
    int child = openat(dirfd(dir), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (child < 0) continue;
    status = WalkDirectory(child, walk, depth + 1);
    if (!status.ok()) break;
  }
  closedir(dir);
  return status;
}

}  // namespace

Status HandOverTree(const std::filesystem::path& root, uid_t uid, gid_t gid, size_t max_entries) {
  int fd = open(root.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    return IoError(fmt::format("cannot open the workspace {}: {}", root.string(), strerror(errno)));
  }
  struct stat st;
  if (fstat(fd, &st) == 0 && (st.st_uid != uid || st.st_gid != gid)) {
    if (fchown(fd, uid, gid) != 0) {
      int e = errno;
      close(fd);
      return IoError(fmt::format("cannot hand the workspace {} to uid {}: {}", root.string(), uid,
                                 strerror(e)));
    }
  }
  Walk walk{uid, gid, max_entries};
  return WalkDirectory(fd, walk, 0);
}

}  // namespace sg::sandbox
