#include "llm/ledger_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <system_error>

#include "core/file_util.h"

namespace sg::llm {
namespace fs = std::filesystem;

std::string LedgerReadStats::Problem(const fs::path& path) const {
  std::string problem;
  if (damaged_lines > 0) {
    problem = fmt::format(
        "{}:{}: not a JSON object; {} damaged line(s) skipped, so the cost figures leave them "
        "out",
        path.string(), first_damaged_line, damaged_lines);
  }
  if (torn_tail) {
    if (!problem.empty()) problem += "; ";
    problem += fmt::format(
        "{}: the last line is cut short (a run was killed while writing it); it is not counted",
        path.string());
  }
  return problem;
}

Json LedgerReadStats::ToJson() const {
  return {{"rows", rows},
          {"damaged_lines", damaged_lines},
          {"first_damaged_line", first_damaged_line},
          {"torn_tail", torn_tail}};
}

Result<LedgerReadStats> ReadLedger(const fs::path& path, const LedgerRowVisitor& visit,
                                   uintmax_t from_byte) {
  LedgerReadStats stats;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (status.type() == fs::file_type::not_found) return stats;
  if (ec)
    return IoError(fmt::format("cannot read the cost ledger {}: {}", path.string(), ec.message()));
  // A FIFO or a device would block or never end; a ledger is always a regular file.
  if (!fs::is_regular_file(status)) {
    return InvalidArgument(fmt::format(
        "{} is not a regular file: a cost ledger is the ledger.jsonl a run writes", path.string()));
  }
  Result<std::string> read = ReadFile(path);
  if (!read.ok()) {
    if (read.error().code == ErrorCode::kNotFound) return stats;  // removed since the stat
    return read.error();
  }
  const std::string& text = *read;
  size_t pos = static_cast<size_t>(std::min<uintmax_t>(from_byte, text.size()));
  while (pos > 0 && text[pos - 1] != '\n') --pos;
  int64_t line_no = std::count(text.begin(), text.begin() + static_cast<ptrdiff_t>(pos), '\n');
  while (pos < text.size()) {
    const size_t end = text.find('\n', pos);
    ++line_no;
    if (end == std::string::npos) {
      stats.torn_tail = true;
      break;
    }
    const std::string_view line(text.data() + pos, end - pos);
    pos = end + 1;
    if (line.empty()) continue;
    const Json row = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (row.is_discarded() || !row.is_object()) {
      if (stats.damaged_lines++ == 0) stats.first_damaged_line = line_no;
      continue;
    }
    ++stats.rows;
    visit(row);
  }
  return stats;
}

}  // namespace sg::llm
