#include "llm/cost_ledger.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "core/clock.h"
#include "core/file_util.h"
#include "core/log.h"

namespace sg::llm {
Json LedgerEntry::ToJson() const {
  Json j = {{"time", FormatUtcMillis(time_ms)},
            {"role", context.role},
            {"model", model},
            {"task", context.task_id},
            {"iteration", context.iteration},
            {"stage", context.stage},
            {"input_tokens", usage.input_tokens},
            {"cached_input_tokens", usage.cached_input_tokens},
            {"output_tokens", usage.output_tokens},
            {"reasoning_tokens", usage.reasoning_tokens},
            {"cache_write_tokens", usage.cache_write_tokens},
            {"usage_reported", usage.reported},
            {"latency_ms", latency_ms},
            {"attempts", attempts},
            {"cache_hit", cache_hit}};
  j["cost_usd"] = cost_usd ? Json(*cost_usd) : Json(nullptr);
  if (!error.empty()) j["error"] = error;
  if (context.rollout > 0) j["rollout"] = context.rollout;
  if (!reported_model.empty()) j["reported_model"] = reported_model;
  return j;
}

CostLedger::CostLedger(std::filesystem::path path) : path_(std::move(path)) {
  std::error_code ec;
  // Only a ledger an earlier run wrote is read: nothing is created before the first append,
  // and a device (tests append to /dev/full) holds no rows.
  if (!std::filesystem::is_regular_file(path_, ec)) return;
  // The cut line goes first, so that offsets taken from now on fall on line starts. If the
  // file cannot be opened for appending, Append reports that later.
  (void)Descriptor();
  Result<LedgerReadStats> seeded = totals_.Seed(path_);
  if (!seeded.ok()) {
    seed_error_ =
        seeded.error().WithContext("cannot carry on the cost totals of " + path_.string());
  } else if (std::string problem = seeded->Problem(path_); !problem.empty()) {
    log::Warn(problem);
  }
}

CostLedger::~CostLedger() {
  if (fd_ >= 0) {
    ::fsync(fd_);
    ::close(fd_);
  }
}

Result<int> CostLedger::Descriptor() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (fd_ >= 0) return fd_;
  if (path_.has_parent_path()) SG_RETURN_IF_ERROR(MakeDirs(path_.parent_path()));
  int fd = ::open(path_.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0)
    return IoError("cannot open the cost ledger " + path_.string() + ": " + std::strerror(errno));
  DropUnterminatedTail(fd);
  fd_ = fd;
  return fd_;
}

// A line cut short (a full disk during an earlier run) would glue itself to the next line
// appended: cut the file back to its last complete line.
void CostLedger::DropUnterminatedTail(int fd) const {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || st.st_size == 0) return;
  char last = '\n';
  if (::pread(fd, &last, 1, st.st_size - 1) != 1 || last == '\n') return;
  off_t keep = st.st_size - 1;
  char c = 0;
  while (keep > 0 && ::pread(fd, &c, 1, keep - 1) == 1 && c != '\n') --keep;
  if (::ftruncate(fd, keep) != 0) return;  // the reader skips a damaged last line anyway
}

Status CostLedger::Append(const LedgerEntry& entry) const {
  if (seed_error_) return *seed_error_;
  SG_ASSIGN_OR_RETURN(int fd, Descriptor());
  const Json row = entry.ToJson();
  std::string line = DumpJson(row);
  line.push_back('\n');
  std::lock_guard<std::mutex> lock(mu_);
  struct stat before {};
  const bool sized = ::fstat(fd, &before) == 0;
  ssize_t written = ::write(fd, line.data(), line.size());  // one write: the line stays whole
  if (written != static_cast<ssize_t>(line.size())) {
    const std::string cause = written < 0 ? std::strerror(errno) : "short write (disk full?)";
    struct stat after {};
    // A part of the line landed (the disk filled up): take it back, unless another
    // process appended since.
    if (written > 0 && sized && ::fstat(fd, &after) == 0 &&
        after.st_size == before.st_size + written) {
      (void)!::ftruncate(fd, before.st_size);
    }
    return IoError("cannot append to the cost ledger " + path_.string() + ": " + cause);
  }
  // Under mu_, so that the totals add rows in file order (their sums match a re-read's).
  totals_.Add(row);
  return Ok();
}

Status CostLedger::Flush() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (fd_ >= 0 && ::fsync(fd_) != 0) {
    return IoError("fsync of the cost ledger " + path_.string() +
                   " failed: " + std::strerror(errno));
  }
  return Ok();
}

}  // namespace sg::llm
