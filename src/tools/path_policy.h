// Confines the file tools to the roots a role is given (the patcher: its skill folder,
// read-write; the diagnoser: the run's artifacts, read-only; the executor: its workspace).
// A path is refused when it uses "..", is absolute outside every root, or resolves
// through a symlink to a place outside its root. Opening goes through openat2 with
// RESOLVE_BENEATH on a descriptor of the root, so a symlink swapped in between the check
// and the open cannot lead outside either.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace sg::tools {

struct Root {
  std::filesystem::path path;
  bool writable = false;
};

enum class Access { kRead, kWrite };

struct ResolvedPath {
  std::filesystem::path absolute;  // root / relative, lexically
  std::filesystem::path relative;  // inside the root; "." for the root itself
  std::size_t root = 0;            // index into roots()
};

class PathPolicy {
 public:
  // Roots must exist; they are made canonical.
  static Result<PathPolicy> Create(std::vector<Root> roots);

  // A relative path is taken from the first root; an absolute one must lie in a root
  // (the longest matching root wins), as written or once its symlinks are resolved.
  Result<ResolvedPath> Resolve(std::string_view user_path, Access access) const;

  // open(2) of a resolved path beneath its root; flags as for open (O_CLOEXEC added).
  // A symlink on the way that leaves the root is refused with kPermission.
  Result<int> Open(const ResolvedPath& path, int flags, mode_t mode = 0644) const;

  // Creates the parent directories of `path` beneath its root.
  Status MakeParents(const ResolvedPath& path) const;

  // "/a (read-write), /b (read-only)": for tool descriptions and refusals.
  std::string Describe() const;
  const std::vector<Root>& roots() const { return roots_; }
  // The path as the model should write it: relative to the first root when inside it.
  std::string Display(const ResolvedPath& path) const;

 private:
  // The root that holds the lexically normal absolute `normal`, the longest when roots nest
  // (a writable skill folder inside a read-only evidence folder); nullopt when none does.
  std::optional<size_t> LongestRoot(const std::filesystem::path& normal) const;

  std::vector<Root> roots_;
};

// Reads at most `max_bytes` from an open descriptor (closes it); `truncated` tells
// whether more was there.
Result<std::string> ReadFd(int fd, std::size_t max_bytes, bool* truncated = nullptr);

}  // namespace sg::tools
