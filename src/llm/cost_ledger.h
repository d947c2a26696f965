// The cost ledger of a run: ledger.jsonl, one JSON line per LLM call (DESIGN section
// 4), appended with one write(2) per line so that many threads and processes can share
// the file. The ledger keeps the run's running totals in memory (cost_totals.h); ReadLedger
// (ledger_reader.h) is the one reader of the file, and SummarizeLedger (ledger_totals.h) sums
// it by role, model and stage.
#pragma once

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>

#include "core/error.h"
#include "core/json.h"
#include "llm/cost_totals.h"
#include "llm/ledger_reader.h"
#include "llm/ledger_totals.h"
#include "llm/message.h"

namespace sg::llm {

struct LedgerEntry {
  int64_t time_ms = 0;  // wall clock, ms since the epoch
  CallContext context;
  std::string model;           // as requested
  std::string reported_model;  // the model the reply names, when it differs (else empty)
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
//
// totals() holds the rows of the file as it was when the ledger was constructed (a resumed
// run's earlier calls, read by ReadLedger's rule) plus every row this object appended; rows
// other processes append to the same file meanwhile are not in them.
class CostLedger {
 public:
  // Reads an existing ledger at `path` into totals(), first cutting a line an earlier run
  // left without its '\n'. A ledger that cannot be read makes every Append fail with that
  // error: a run must not spend against totals that miss its earlier calls.
  explicit CostLedger(std::filesystem::path path);
  ~CostLedger();
  CostLedger(const CostLedger&) = delete;
  CostLedger& operator=(const CostLedger&) = delete;

  // Writes the row, then adds it to totals(); a row that could not be written is not added.
  Status Append(const LedgerEntry& entry) const;
  Status Flush() const;
  const std::filesystem::path& path() const { return path_; }
  const CostTotals& totals() const { return totals_; }

 private:
  Result<int> Descriptor() const;
  void DropUnterminatedTail(int fd) const;

  std::filesystem::path path_;
  std::optional<Error> seed_error_;  // reading the existing ledger failed
  mutable CostTotals totals_;
  mutable std::mutex mu_;
  mutable int fd_ = -1;
};

}  // namespace sg::llm
