#include "tools/path_policy.h"

#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <optional>

namespace sg::tools {
namespace fs = std::filesystem;
namespace {

bool IsUnder(const fs::path& path, const fs::path& root) {
  auto rel = path.lexically_relative(root);
  return !rel.empty() && *rel.begin() != "..";
}

// openat2(dirfd, path, flags, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS); falls back to a
// component-by-component walk that refuses every symlink when openat2 is missing.
int OpenBeneath(int dirfd, const fs::path& relative, int flags, mode_t mode) {
#ifdef SYS_openat2
  open_how how;
  memset(&how, 0, sizeof(how));
  how.flags = static_cast<unsigned long long>(flags | O_CLOEXEC);
  how.mode = (flags & O_CREAT) ? mode : 0;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  long fd = syscall(SYS_openat2, dirfd, relative.c_str(), &how, sizeof(how));
  if (fd >= 0 || errno != ENOSYS) return static_cast<int>(fd);
#endif
  int current = dup(dirfd);
  std::vector<fs::path> parts(relative.begin(), relative.end());
  for (size_t i = 0; i < parts.size() && current >= 0; ++i) {
    bool last = i + 1 == parts.size();
    if (parts[i] == "..") {
      close(current);
      errno = EXDEV;
      return -1;
    }
    int next = openat(
        current, parts[i].c_str(),
        last ? (flags | O_NOFOLLOW | O_CLOEXEC) : (O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC),
        mode);
    if (next < 0 && errno == ELOOP) errno = EXDEV;
    close(current);
    current = next;
  }
  return current;
}

}  // namespace

Result<PathPolicy> PathPolicy::Create(std::vector<Root> roots) {
  if (roots.empty()) return InvalidArgument("file tools need at least one root folder");
  for (auto& root : roots) {
    std::error_code ec;
    fs::path canonical = fs::canonical(root.path, ec);
    if (ec || !fs::is_directory(canonical)) {
      return InvalidArgument(
          fmt::format("file tool root {} is not an existing folder", root.path.string()));
    }
    root.path = canonical;
  }
  PathPolicy policy;
  policy.roots_ = std::move(roots);
  return policy;
}

std::optional<size_t> PathPolicy::LongestRoot(const fs::path& normal) const {
  std::optional<size_t> best;
  for (size_t i = 0; i < roots_.size(); ++i) {
    const fs::path& root = roots_[i].path;
    if (normal != root && !IsUnder(normal, root)) continue;
    if (!best || root.string().size() > roots_[*best].path.string().size()) best = i;
  }
  return best;
}

std::string PathPolicy::Describe() const {
  std::string out;
  for (const auto& root : roots_) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{} ({})", root.path.string(), root.writable ? "read-write" : "read-only");
  }
  return out;
}

std::string PathPolicy::Display(const ResolvedPath& path) const {
  if (path.root == 0) return path.relative.string();
  return path.absolute.string();
}

Result<ResolvedPath> PathPolicy::Resolve(std::string_view user_path, Access access) const {
  auto refuse = [&](const std::string& why) {
    return Error(ErrorCode::kPermission,
                 fmt::format("path '{}' refused: {}. Allowed roots: {}; use a path relative "
                             "to {} or an absolute path inside a root.",
                             user_path, why, Describe(), roots_.front().path.string()));
  };
  if (user_path.empty()) return InvalidArgument("the path argument is empty; give a file path");
  if (user_path.find('\0') != std::string_view::npos) return refuse("it contains a NUL byte");
  fs::path given(user_path);
  for (const auto& part : given) {
    if (part == "..") return refuse("'..' is not allowed");
  }
  ResolvedPath resolved;
  if (given.is_absolute()) {
    fs::path normal = given.lexically_normal();
    std::optional<size_t> root = LongestRoot(normal);
    if (!root) {
      // The roots are canonical; a path written through a symlinked parent (a results root
      // under a linked /tmp) names the same place once its own symlinks are resolved. What it
      // resolves to must still lie in a root, and the open below stays beneath that root.
      std::error_code ec;
      fs::path real = fs::weakly_canonical(normal, ec);
      if (!ec) root = LongestRoot(real);
      if (root) normal = real;
    }
    if (!root) return refuse("it is outside the allowed roots");
    resolved.root = *root;
    resolved.relative = normal.lexically_relative(roots_[resolved.root].path);
  } else {
    resolved.relative = given.lexically_normal();
  }
  if (resolved.relative.empty()) resolved.relative = ".";
  // Drop a trailing "/" (an empty last component).
  if (!resolved.relative.has_filename() && resolved.relative != ".") {
    resolved.relative = resolved.relative.parent_path();
  }
  const Root& root = roots_[resolved.root];
  resolved.absolute = (root.path / resolved.relative).lexically_normal();
  std::error_code ec;
  fs::path real = fs::weakly_canonical(resolved.absolute, ec);
  if (!ec && real != root.path && !IsUnder(real, root.path)) {
    return refuse(fmt::format("it resolves through a symlink to {}, outside {}", real.string(),
                              root.path.string()));
  }
  if (access == Access::kWrite && !root.writable) {
    return refuse(fmt::format("{} is read-only for this role", root.path.string()));
  }
  return resolved;
}

Result<int> PathPolicy::Open(const ResolvedPath& path, int flags, mode_t mode) const {
  const fs::path& root = roots_.at(path.root).path;
  int rootfd = open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (rootfd < 0)
    return IoError(fmt::format("cannot open root {}: {}", root.string(), strerror(errno)));
  int fd = OpenBeneath(rootfd, path.relative, flags, mode);
  int err = errno;
  close(rootfd);
  if (fd >= 0) return fd;
  if (err == EXDEV || err == ELOOP) {
    return Error(ErrorCode::kPermission,
                 fmt::format("path '{}' refused: a symlink on the way leads outside {}",
                             Display(path), root.string()));
  }
  if (err == ENOENT) return NotFound(fmt::format("'{}' does not exist", Display(path)));
  if (err == EISDIR)
    return InvalidArgument(fmt::format("'{}' is a folder, not a file", Display(path)));
  return IoError(fmt::format("cannot open '{}': {}", Display(path), strerror(err)));
}

Status PathPolicy::MakeParents(const ResolvedPath& path) const {
  fs::path parent = path.relative.parent_path();
  if (parent.empty()) return Ok();
  const fs::path& root = roots_.at(path.root).path;
  fs::path prefix;
  for (const auto& part : parent) {
    prefix /= part;
    ResolvedPath step{root / prefix, prefix, path.root};
    auto fd = Open(step, O_PATH | O_DIRECTORY);
    if (fd.ok()) {
      close(*fd);
      continue;
    }
    if (fd.error().code != ErrorCode::kNotFound) return fd.error();
    auto parentfd =
        prefix.has_parent_path()
            ? Open(ResolvedPath{root / prefix.parent_path(), prefix.parent_path(), path.root},
                   O_PATH | O_DIRECTORY)
            : Open(ResolvedPath{root, ".", path.root}, O_PATH | O_DIRECTORY);
    if (!parentfd.ok()) return parentfd.error();
    int rc = mkdirat(*parentfd, part.c_str(), 0755);
    int err = errno;
    close(*parentfd);
    if (rc != 0 && err != EEXIST) {
      return IoError(fmt::format("cannot create folder '{}': {}", prefix.string(), strerror(err)));
    }
  }
  return Ok();
}

Result<std::string> ReadFd(int fd, std::size_t max_bytes, bool* truncated) {
  std::string data;
  char buf[64 * 1024];
  if (truncated) *truncated = false;
  while (true) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      close(fd);
      return IoError(fmt::format("read failed: {}", strerror(err)));
    }
    if (n == 0) break;
    size_t room = max_bytes - data.size();
    if (static_cast<size_t>(n) > room) {
      data.append(buf, room);
      if (truncated) *truncated = true;
      break;
    }
    data.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return data;
}

}  // namespace sg::tools
