// The one reader of ledger.jsonl (cost_ledger.h writes it). Every place that reads a ledger
// back (the resumed ledger's running totals, reports, eval, the demo) goes through
// ReadLedger, so that a damaged file counts the same everywhere. The rule:
//  - a row is a complete line (ended by '\n') that holds a JSON object;
//  - an empty line is neither a row nor damage;
//  - a last line without its '\n' was cut by a crash or a full disk (CostLedger writes each
//    line and its '\n' in one write, and cuts such a tail before it appends again): it is not
//    read, even when it parses, and is reported as `torn_tail`, not as damage;
//  - any other line that is not a JSON object (overwritten, edited by hand) is skipped and
//    counted in `damaged_lines`, with the number of the first such line, so that the caller
//    can say where the file is damaged. A damaged line never stops the read.
// Only a file that exists and cannot be read is an error; a missing file is an empty ledger
// (no call was recorded yet).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "core/error.h"
#include "core/json.h"

namespace sg::llm {

struct LedgerReadStats {
  int64_t rows = 0;                // lines handed to the visitor
  int64_t damaged_lines = 0;       // complete lines that are not a JSON object: skipped
  int64_t first_damaged_line = 0;  // 1-based line number in the file; 0 when none
  bool torn_tail = false;          // the file ends in a line without '\n': not read

  // One sentence naming `path` and the first damaged line, for a report or a warning; empty
  // when nothing was skipped.
  std::string Problem(const std::filesystem::path& path) const;
  Json ToJson() const;
};

using LedgerRowVisitor = std::function<void(const Json& row)>;

// Calls `visit` with every row of the ledger at `path`, in file order, by the rule above.
// With `from_byte`, only the lines from that offset on are read (a caller that noted the
// file's size before its own calls reads just those); an offset inside a line starts at that
// line. Line numbers in the result count from the top of the file either way.
Result<LedgerReadStats> ReadLedger(const std::filesystem::path& path, const LedgerRowVisitor& visit,
                                   uintmax_t from_byte = 0);

}  // namespace sg::llm
