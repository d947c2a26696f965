// A run's cost so far, kept in memory so that no one re-reads ledger.jsonl to learn it: the
// ledger (cost_ledger.h) seeds the totals from the file it opens and adds each row it
// appends, so they equal what SummarizeLedger would read back from that file, as long as no
// other process appends to it meanwhile. Thread-safe.
#pragma once

#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "core/error.h"
#include "core/json.h"
#include "llm/ledger_reader.h"
#include "llm/ledger_totals.h"

namespace sg::llm {

class CostTotals {
 public:
  CostTotals() = default;
  CostTotals(const CostTotals&) = delete;
  CostTotals& operator=(const CostTotals&) = delete;

  // Adds every row of the ledger at `path` by ReadLedger's rule and keeps the read's figures
  // (seed_read()). Only an unreadable file is an error. Call it once, before the totals are
  // shared: it holds the lock for the whole read.
  Result<LedgerReadStats> Seed(const std::filesystem::path& path);
  // Adds one ledger row (LedgerEntry::ToJson()).
  void Add(const Json& row);

  double RunCostUsd() const;  // USD over the calls with a known cost
  LedgerTotals Total() const;
  // {stage: LedgerTotals::ToJson()} over the rows of `iteration` (-1: outside iterations).
  Json IterationByStage(int iteration) const;
  std::map<std::string, LedgerTotals> ByRole() const;
  std::map<std::string, LedgerTotals> ByModel() const;
  std::map<std::string, LedgerTotals> ByStage() const;  // over all iterations
  LedgerSummary Summary() const;                        // `read` is seed_read()
  LedgerReadStats seed_read() const;                    // damaged lines met by Seed

 private:
  void AddLocked(const Json& row);

  mutable std::mutex mu_;
  LedgerSummary summary_;
  std::map<std::pair<int, std::string>, LedgerTotals> by_iteration_stage_;
};

}  // namespace sg::llm
