#include "run/tree_copy.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/file_util.h"
#include "core/sha256.h"

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

std::string TreeFingerprint(const fs::path& dir) {
  std::vector<std::string> entries;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    entries.push_back(fs::relative(it->path(), dir).generic_string() + "\n" +
                      Sha256Hex(ReadFile(it->path()).value_or("")));
  }
  std::sort(entries.begin(), entries.end());
  std::string all;
  for (const auto& e : entries) all += e + "\n";
  return Sha256Hex(all);
}

}  // namespace sg::run
