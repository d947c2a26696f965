#include "tasks/data_path.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>
#include <vector>

#include "core/unique_fd.h"

namespace sg::tasks {
namespace {

namespace fs = std::filesystem;

std::string ErrnoMessage(int err) {
  return std::error_code(err, std::generic_category()).message();
}

// What every refusal ends with: the rule, and what would satisfy it.
std::string Rule(const fs::path& data_dir) {
  return "; benchmark data must be regular files inside the data directory " + data_dir.string() +
         " (a relative path without '..', no symbolic link at any component): replace the link "
         "with a copy of the file, or fix the path in the benchmark's records";
}

// Opens the regular file `relative` names inside `data_dir`, walking one component at a
// time with O_NOFOLLOW from the data directory's descriptor (see data_path.h).
Result<UniqueFd> OpenDataFile(const fs::path& data_dir, const fs::path& relative,
                              std::string_view task_id) {
  const std::string task = "task " + std::string(task_id);
  const fs::path shown = data_dir / relative;
  auto refuse = [&](const std::string& why) {
    return Error(ErrorCode::kPermission,
                 task + ": data file " + relative.string() + " " + why + Rule(data_dir));
  };
  if (relative.empty()) return refuse("is an empty path");
  if (relative.has_root_path()) return refuse("is an absolute path");
  std::vector<std::string> parts;
  for (const fs::path& part : relative) {
    const std::string name = part.string();
    if (name.empty() || name == ".") continue;
    if (name == "..") return refuse("goes up with '..'");
    parts.push_back(name);
  }
  if (parts.empty()) return refuse("names no file");

  UniqueFd dir(::open(data_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir.valid()) {
    return IoError(task + ": cannot open the data directory " + data_dir.string() + ": " +
                   ErrnoMessage(errno));
  }
  fs::path walked = data_dir;
  for (size_t i = 0; i < parts.size(); ++i) {
    const char* name = parts[i].c_str();
    const bool last = i + 1 == parts.size();
    walked /= parts[i];
    auto link = [&] {
      return refuse(last ? "is a symbolic link"
                         : "passes through " + walked.string() + ", a symbolic link");
    };
    // Classified before opening, so that a FIFO or a device is never opened.
    struct stat st {};
    if (::fstatat(dir.get(), name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      int err = errno;
      if (err == ENOENT)
        return NotFound(task + ": data file " + shown.string() + " does not exist");
      return IoError(task + ": cannot inspect " + walked.string() + ": " + ErrnoMessage(err));
    }
    if (S_ISLNK(st.st_mode)) return link();
    if (!last && !S_ISDIR(st.st_mode)) {
      return NotFound(task + ": data file " + shown.string() + " does not exist (" +
                      walked.string() + " is not a folder)");
    }
    if (last && !S_ISREG(st.st_mode)) return refuse("is not a regular file");
    const int flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | (last ? O_NONBLOCK : O_DIRECTORY);
    UniqueFd next(::openat(dir.get(), name, flags));
    if (!next.valid()) {
      int err = errno;
      if (err == ELOOP) return link();  // replaced by a link since the fstatat
      return IoError(task + ": cannot open " + walked.string() + ": " + ErrnoMessage(err));
    }
    if (last) {
      if (::fstat(next.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
        return refuse("is not a regular file");
      }
    }
    dir = std::move(next);
  }
  return Result<UniqueFd>(std::move(dir));
}

Status WriteAllFrom(int in, int out, const fs::path& source, const fs::path& dest) {
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = ::read(in, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError("reading " + source.string() + ": " + ErrnoMessage(errno));
    if (n == 0) return Ok();
    for (ssize_t done = 0; done < n;) {
      ssize_t w = ::write(out, buffer + done, static_cast<size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) return IoError("writing " + dest.string() + ": " + ErrnoMessage(errno));
      done += w;
    }
  }
}

}  // namespace

Result<fs::path> ResolveDataFile(const fs::path& data_dir, const fs::path& relative,
                                 std::string_view task_id) {
  SG_ASSIGN_OR_RETURN(UniqueFd file, OpenDataFile(data_dir, relative, task_id));
  return data_dir / relative;
}

Status CopyDataFile(const fs::path& data_dir, const fs::path& relative, const fs::path& dest,
                    std::string_view task_id) {
  SG_ASSIGN_OR_RETURN(UniqueFd in, OpenDataFile(data_dir, relative, task_id));
  const fs::path source = data_dir / relative;
  const std::string task = "task " + std::string(task_id);
  // Replaced, not written through: whatever `dest` was (a read-only file, a link) goes.
  if (::unlink(dest.c_str()) != 0 && errno != ENOENT) {
    return IoError(task + ": cannot replace " + dest.string() + ": " + ErrnoMessage(errno));
  }
  UniqueFd out(::open(dest.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644));
  if (!out.valid()) {
    return IoError(task + ": copying " + source.string() + " into the workspace: cannot create " +
                   dest.string() + ": " + ErrnoMessage(errno));
  }
  Status copied = WriteAllFrom(in.get(), out.get(), source, dest);
  if (!copied.ok()) {
    ::unlink(dest.c_str());  // no half copy left for the agent
    return copied.error().WithContext(task + ": copying into the workspace");
  }
  return Ok();
}

}  // namespace sg::tasks
