// Sums of ledger rows (one row per LLM call, cost_ledger.h): over a whole ledger and by
// role, model and stage. SummarizeLedger reads a ledger file into them by ReadLedger's rule.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "core/error.h"
#include "core/json.h"
#include "llm/ledger_reader.h"

namespace sg::llm {

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

  // Adds one row; fields missing or of another type count as zero.
  void Add(const Json& row);
  Json ToJson() const;
};

struct LedgerSummary {
  LedgerTotals total;
  std::map<std::string, LedgerTotals> by_role;
  std::map<std::string, LedgerTotals> by_model;
  std::map<std::string, LedgerTotals> by_stage;
  LedgerReadStats read;  // how reading the file went (damaged lines, a torn tail)

  // Adds one row to the total and to its role, model and stage.
  void Add(const Json& row);
  Json ToJson() const;  // the totals; `read` is left out
};

// Sums the ledger at `path` (or its lines from `from_byte` on, see ReadLedger). Damaged lines
// are skipped and counted in `read`; only an unreadable file is an error.
Result<LedgerSummary> SummarizeLedger(const std::filesystem::path& path, uintmax_t from_byte = 0);

}  // namespace sg::llm
