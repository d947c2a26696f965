// The cost ledger of a run: ledger.jsonl, one JSON line per LLM call (DESIGN section
// 4), appended with one write(2) per line so that many threads and processes can share
// the file. SummarizeLedger reads it back and sums by role, model and stage.
#pragma once

#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "core/error.h"
#include "llm/message.h"

namespace sg::llm {

struct LedgerEntry {
  int64_t time_ms = 0;  // wall clock, ms since the epoch
  CallContext context;
  std::string model;  // as requested
  Usage usage;
  double latency_ms = 0;
  int attempts = 0;
  std::optional<double> cost_usd;
  bool cache_hit = false;
  std::string error;  // empty on success; else the error code name

  Json ToJson() const;
};

// Keeps one O_APPEND descriptor open; each line is one write(2), so lines from threads
// and processes never interleave and a killed process loses no line it has appended.
// Lines are not fsynced one by one (that cost ~0.1 ms of CPU and a disk wait per call):
// Flush() and the destructor fsync; only a machine crash can lose the latest lines.
class CostLedger {
 public:
  explicit CostLedger(std::filesystem::path path) : path_(std::move(path)) {}
  ~CostLedger();
  CostLedger(const CostLedger&) = delete;
  CostLedger& operator=(const CostLedger&) = delete;

  Status Append(const LedgerEntry& entry) const;
  Status Flush() const;
  const std::filesystem::path& path() const { return path_; }

 private:
  Result<int> Descriptor() const;
  void DropUnterminatedTail(int fd) const;

  std::filesystem::path path_;
  mutable std::mutex mu_;
  mutable int fd_ = -1;
};

struct LedgerTotals {
  int64_t calls = 0;
  int64_t failed_calls = 0;
  int64_t cache_hits = 0;
  int64_t input_tokens = 0;
  int64_t cached_input_tokens = 0;
  int64_t output_tokens = 0;
  int64_t reasoning_tokens = 0;
  double cost_usd = 0;             // over calls with a known cost
  int64_t calls_without_cost = 0;  // calls whose model had no price
  double latency_ms = 0;

  void Add(const Json& line);
  Json ToJson() const;
};

struct LedgerSummary {
  LedgerTotals total;
  std::map<std::string, LedgerTotals> by_role;
  std::map<std::string, LedgerTotals> by_model;
  std::map<std::string, LedgerTotals> by_stage;

  Json ToJson() const;
};

// Reads a ledger. A malformed line is an error naming the file and line, except a last
// line without its newline (a writer killed mid-line), which is skipped.
Result<LedgerSummary> SummarizeLedger(const std::filesystem::path& path);

}  // namespace sg::llm
