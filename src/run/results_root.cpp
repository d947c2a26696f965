#include "run/results_root.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sg::run {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kAdvised = "; to go on: ";

std::string Absolute(const fs::path& root) {
  std::error_code ec;
  fs::path abs = fs::absolute(root, ec);
  return (ec ? root : abs).lexically_normal().string();
}

bool Mentions(const std::string& message, int err) {
  return message.find(std::strerror(err)) != std::string::npos;
}

}  // namespace

Status CheckResultsRootWritable(const fs::path& root, std::string_view rerun) {
  const std::string where = Absolute(root);
  std::error_code ec;
  fs::create_directories(root, ec);
  std::string reason;
  if (ec) {
    reason = ec.message();
  } else {
    const fs::path probe = root / (".write-test-" + std::to_string(::getpid()));
    int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
      reason = std::strerror(errno);
    } else {
      if (::write(fd, "ok\n", 3) != 3) reason = std::strerror(errno);
      ::close(fd);
      ::unlink(probe.c_str());
    }
  }
  if (reason.empty()) return Ok();
  Error error(ErrorCode::kIo,
              fmt::format("the results root {} is not writable ({}); nothing was run and no LLM "
                          "call was made",
                          where, reason));
  if (reason == std::strerror(EROFS) || reason == std::strerror(ENOSPC)) {
    return WithDiskAdvice(error, root, rerun);
  }
  error.message += fmt::format(
      "{}fix its permissions or pass --results-root with a directory you can write, then {}",
      kAdvised, rerun);
  return error;
}

Error WithDiskAdvice(Error error, const fs::path& root, std::string_view rerun) {
  if (error.message.find(kAdvised) != std::string::npos) return error;
  const std::string where = Absolute(root);
  if (Mentions(error.message, ENOSPC) || Mentions(error.message, EDQUOT)) {
    error.message += fmt::format(
        "{}free space on the disk holding {} (df -h {} shows it), then {}; finished work is "
        "kept",
        kAdvised, where, where, rerun);
  } else if (Mentions(error.message, EROFS)) {
    error.message += fmt::format(
        "{}make {} writable again (it is on a read-only file system: remount it read-write), "
        "then {}; finished work is kept",
        kAdvised, where, rerun);
  }
  return error;
}

}  // namespace sg::run
