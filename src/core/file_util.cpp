#include "core/file_util.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

#include "core/temp_files.h"

namespace sg {
namespace fs = std::filesystem;

namespace {

std::string ErrnoText() { return std::strerror(errno); }

Status WriteAll(int fd, std::string_view data, const fs::path& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("cannot write " + path.string() + ": " + ErrnoText());
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Ok();
}

}  // namespace

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!fs::exists(path, ec)) return NotFound("file " + path.string() + " does not exist");
    return IoError("cannot open " + path.string() + " for reading: " + ErrnoText());
  }
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) return IoError("reading " + path.string() + " failed");
  return out.str();
}

Status MakeDirs(const fs::path& path) {
  if (path.empty()) return Ok();
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) return IoError("cannot create directory " + path.string() + ": " + ec.message());
  return Ok();
}

Status WriteFileAtomic(const fs::path& path, std::string_view content) {
  SG_RETURN_IF_ERROR(MakeDirs(path.parent_path()));
  const fs::path tmp = TempPathFor(path);  // a later sweep knows it by the name if we die
  // Errors name the target, not the temporary file: that is the path the user knows.
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return IoError("cannot write " + path.string() + ": " + ErrnoText());
  Status written = WriteAll(fd, content, path);
  if (written.ok() && ::fsync(fd) != 0) {
    written = IoError("cannot write " + path.string() + " (fsync failed): " + ErrnoText());
  }
  ::close(fd);
  if (!written.ok()) {
    ::unlink(tmp.c_str());
    return written;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    Error e =
        IoError("cannot rename " + tmp.string() + " to " + path.string() + ": " + ErrnoText());
    ::unlink(tmp.c_str());
    return e;
  }
  return Ok();
}

Status AppendLine(const fs::path& path, std::string_view line) {
  SG_RETURN_IF_ERROR(MakeDirs(path.parent_path()));
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return IoError("cannot open " + path.string() + " for appending: " + ErrnoText());
  std::string buffer(line);
  buffer.push_back('\n');
  Status written = WriteAll(fd, buffer, path);
  if (written.ok() && ::fsync(fd) != 0) {
    written = IoError("fsync of " + path.string() + " failed: " + ErrnoText());
  }
  ::close(fd);
  return written;
}

Result<std::filesystem::path> CanonicalPath(const std::filesystem::path& path,
                                            std::string_view what) {
  std::error_code ec;
  std::filesystem::path canonical = std::filesystem::canonical(path, ec);
  if (ec) {
    return NotFound(fmt::format("{} {} cannot be resolved: {}", what, path.string(), ec.message()));
  }
  return canonical;
}

}  // namespace sg
