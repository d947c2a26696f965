#include "tasks/wtq_table.h"

#include <map>

#include "core/file_util.h"
#include "tasks/wtq_value.h"

namespace sg::tasks::wtq {

Result<Table> ParseWtqCsv(std::string_view text, const std::string& what) {
  Table rows;
  std::vector<std::string> row;
  std::string field;
  bool in_quotes = false;
  bool field_started = false;
  size_t line = 1, quote_line = 0;
  auto end_field = [&] {
    row.push_back(std::move(field));
    field.clear();
    field_started = false;
  };
  auto end_row = [&] {
    end_field();
    rows.push_back(std::move(row));
    row.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_quotes) {
      if (c == '\\' && i + 1 < text.size()) {
        field.push_back(text[++i]);
      } else if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        in_quotes = false;
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
      continue;
    }
    if (c == '"' && !field_started) {
      in_quotes = true;
      field_started = true;
      quote_line = line;
    } else if (c == ',') {
      end_field();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      ++line;
      end_row();
    } else {
      field.push_back(c);
      field_started = true;
    }
  }
  if (in_quotes) {
    return ParseError(what + ": the quoted field opened on line " + std::to_string(quote_line) +
                      " is never closed");
  }
  if (field_started || !row.empty()) end_row();
  return rows;
}

Result<Table> ReadWtqCsv(const std::filesystem::path& path) {
  SG_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return ParseWtqCsv(text, path.string());
}

namespace {

std::vector<std::string> SplitTabs(std::string_view line) {
  std::vector<std::string> cells;
  while (true) {
    size_t tab = line.find('\t');
    cells.emplace_back(line.substr(0, tab));
    if (tab == std::string_view::npos) break;
    line.remove_prefix(tab + 1);
  }
  return cells;
}

}  // namespace

Result<std::vector<Question>> ReadQuestionFile(const std::filesystem::path& path) {
  SG_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  std::vector<std::string_view> lines;
  std::string_view rest = text;
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  if (lines.empty()) return ParseError(path.string() + ": empty file; expected a header line");
  std::vector<std::string> header = SplitTabs(lines[0]);
  std::map<std::string, size_t> column;
  for (size_t i = 0; i < header.size(); ++i) column[header[i]] = i;
  for (const char* required : {"id", "utterance", "context", "targetValue"}) {
    if (!column.count(required)) {
      return ParseError(path.string() + ": the header has no '" + required +
                        "' column; expected id, utterance, context, targetValue separated by "
                        "tabs");
    }
  }
  std::optional<size_t> canon_column;
  if (column.count("targetCanon")) canon_column = column["targetCanon"];

  std::vector<Question> questions;
  for (size_t n = 1; n < lines.size(); ++n) {
    if (lines[n].empty()) continue;
    std::vector<std::string> cells = SplitTabs(lines[n]);
    if (cells.size() < header.size()) {
      return ParseError(path.string() + ":" + std::to_string(n + 1) + ": " +
                        std::to_string(cells.size()) + " columns where the header has " +
                        std::to_string(header.size()));
    }
    Question q;
    q.id = cells[column["id"]];
    q.utterance = cells[column["utterance"]];
    q.context = cells[column["context"]];
    q.target_value = cells[column["targetValue"]];
    q.targets = TsvUnescapeList(q.target_value);
    if (canon_column) q.target_canon = TsvUnescapeList(cells[*canon_column]);
    if (q.id.empty()) {
      return ParseError(path.string() + ":" + std::to_string(n + 1) + ": empty id");
    }
    questions.push_back(std::move(q));
  }
  return questions;
}

}  // namespace sg::tasks::wtq
