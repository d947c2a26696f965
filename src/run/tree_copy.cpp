#include "run/tree_copy.h"

#include <fmt/format.h>

namespace sg::run {
namespace fs = std::filesystem;

Status CopyTree(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  if (!fs::is_directory(from, ec)) return NotFound(from.string() + " is not a directory");
  fs::remove_all(to, ec);
  fs::create_directories(to.parent_path(), ec);
  // Into a temporary sibling first, so that a crash never leaves a half copy at `to`.
  fs::path tmp = to;
  tmp += ".partial";
  fs::remove_all(tmp, ec);
  fs::copy(from, tmp, fs::copy_options::recursive | fs::copy_options::copy_symlinks, ec);
  if (!ec) fs::rename(tmp, to, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove_all(tmp, ignored);  // a half copy left behind would only take space
    return IoError(
        fmt::format("cannot copy {} to {}: {}", from.string(), to.string(), ec.message()));
  }
  return Ok();
}

}  // namespace sg::run
