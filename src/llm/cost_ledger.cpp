#include "llm/cost_ledger.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/clock.h"
#include "core/file_util.h"
#include "core/json.h"
#include "core/json_fields.h"

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
  return j;
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
  SG_ASSIGN_OR_RETURN(int fd, Descriptor());
  std::string line = DumpJson(entry.ToJson());
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

void LedgerTotals::Add(const Json& line) {
  ++calls;
  if (line.contains("error")) ++failed_calls;
  if (BoolField(line, "cache_hit")) ++cache_hits;
  input_tokens += IntField(line, "input_tokens");
  cached_input_tokens += IntField(line, "cached_input_tokens");
  output_tokens += IntField(line, "output_tokens");
  reasoning_tokens += IntField(line, "reasoning_tokens");
  auto cost = line.find("cost_usd");
  if (cost != line.end() && cost->is_number()) {
    cost_usd += cost->get<double>();
  } else if (!line.contains("error")) {
    ++calls_without_cost;
  }
  if (auto it = line.find("latency_ms"); it != line.end() && it->is_number())
    latency_ms += it->get<double>();
}

Json LedgerTotals::ToJson() const {
  return {{"calls", calls},
          {"failed_calls", failed_calls},
          {"cache_hits", cache_hits},
          {"input_tokens", input_tokens},
          {"cached_input_tokens", cached_input_tokens},
          {"output_tokens", output_tokens},
          {"reasoning_tokens", reasoning_tokens},
          {"cost_usd", cost_usd},
          {"calls_without_cost", calls_without_cost},
          {"latency_ms", latency_ms}};
}

Json LedgerSummary::ToJson() const {
  auto group = [](const std::map<std::string, LedgerTotals>& m) {
    Json j = Json::object();
    for (const auto& [k, v] : m) j[k] = v.ToJson();
    return j;
  };
  return {{"total", total.ToJson()},
          {"by_role", group(by_role)},
          {"by_model", group(by_model)},
          {"by_stage", group(by_stage)}};
}

Result<LedgerSummary> SummarizeLedger(const std::filesystem::path& path) {
  SG_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  LedgerSummary summary;
  size_t pos = 0;
  int line_no = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    bool complete = end != std::string::npos;
    if (!complete) end = text.size();
    std::string_view line(text.data() + pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (line.empty()) continue;
    Json j = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) {
      if (!complete) break;  // a writer died mid-line
      return ParseError(path.string() + ":" + std::to_string(line_no) +
                        ": not a JSON object; the ledger is damaged at this line");
    }
    summary.total.Add(j);
    summary.by_role[StringField(j, "role")].Add(j);
    summary.by_model[StringField(j, "model")].Add(j);
    summary.by_stage[StringField(j, "stage")].Add(j);
  }
  return summary;
}

}  // namespace sg::llm
