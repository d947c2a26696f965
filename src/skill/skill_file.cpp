#include "skill/skill_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string_view>
#include <system_error>

namespace sg::skill {
namespace {

namespace fs = std::filesystem;

std::string ErrnoMessage(int err) {
  return std::error_code(err, std::generic_category()).message();
}

std::string Bytes(std::uintmax_t n) {
  std::string out = std::to_string(n) + " bytes";
  if (n >= (std::uintmax_t{1} << 20)) {
    out += " (" + std::to_string(n >> 20) + " MiB)";
  } else if (n >= 1024) {
    out += " (" + std::to_string(n >> 10) + " KiB)";
  }
  return out;
}

// Reads `path` whole when it is a regular file of at most `cap` bytes. `what` names the cap
// in the error ("SKILL.md"), `fix` says what to do about an oversized file.
Result<std::string> ReadCapped(const fs::path& path, std::uintmax_t cap, std::string_view what,
                               std::string_view fix) {
  // O_NONBLOCK: opening a FIFO planted in a skill folder must not hang; it is refused below.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT) return NotFound(path.string() + " does not exist");
    return IoError("cannot open " + path.string() + ": " + ErrnoMessage(err));
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    return IoError("cannot inspect " + path.string() + ": " + ErrnoMessage(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    return InvalidArgument(path.string() +
                           " is not a regular file; a skill holds regular files only");
  }
  const auto size = static_cast<std::uintmax_t>(st.st_size);
  auto too_big = [&](std::uintmax_t seen) {
    return InvalidArgument(path.string() + " is " + Bytes(seen) + ", over the " +
                           std::string(what) + " cap of " + Bytes(cap) + "; " + std::string(fix));
  };
  if (size > cap) return too_big(size);
  std::string text;
  text.reserve(static_cast<size_t>(size));
  char buffer[1 << 16];
  // At most one byte past the cap: a file that grows after the fstat is refused, not read
  // whole.
  for (;;) {
    size_t room =
        static_cast<size_t>(std::min<std::uintmax_t>(sizeof buffer, cap + 1 - text.size()));
    ssize_t n = ::read(fd, buffer, room);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return IoError("reading " + path.string() + ": " + ErrnoMessage(errno));
    }
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
    if (text.size() > cap) return too_big(text.size());
  }
  return text;
}

}  // namespace

Result<std::string> ReadSkillMd(const fs::path& path) {
  return ReadCapped(path, kMaxSkillMdBytes, "SKILL.md",
                    "keep SKILL.md to the instructions an agent reads first and move long "
                    "material into references/ files");
}

Result<std::string> ReadSkillResource(const fs::path& path) {
  return ReadCapped(path, kMaxSkillResourceBytes, "skill resource",
                    "keep large data out of the skill folder (a skill's files are instructions, "
                    "scripts and small assets)");
}

}  // namespace sg::skill
