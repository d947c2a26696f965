#include "tasks/answer_position.h"

namespace sg::tasks {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string_view StripQuotes(std::string_view s) {
  while (!s.empty() && s.front() == '\'') s.remove_prefix(1);
  while (!s.empty() && s.back() == '\'') s.remove_suffix(1);
  return s;
}

// Position of the quote closing a quoted sheet name that opens at `open`: the first quote
// followed by '!' ("''" is an escaped quote). npos when the name is not closed that way.
std::size_t ClosingQuote(std::string_view s, std::size_t open) {
  for (std::size_t j = open + 1; j < s.size(); ++j) {
    if (s[j] != '\'') continue;
    if (j + 1 < s.size() && s[j + 1] == '\'') {
      ++j;
      continue;
    }
    if (j + 1 < s.size() && s[j + 1] == '!') return j;
  }
  return std::string_view::npos;
}

}  // namespace

Result<std::vector<AnswerRange>> ParseAnswerPosition(std::string_view text) {
  // Split on commas, except inside a quoted sheet name that opens a part.
  std::vector<std::pair<std::string_view, std::size_t>> parts;  // part, closing quote or npos
  std::size_t start = 0, i = 0, quote_close = std::string_view::npos;
  bool at_start = true;
  while (i < text.size()) {
    char c = text[i];
    if (at_start && IsSpace(c)) {
      ++i;
      continue;
    }
    if (at_start && c == '\'') {
      std::size_t close = ClosingQuote(text, i);
      at_start = false;
      if (close != std::string_view::npos) {
        quote_close = close;
        i = close + 1;
        continue;
      }
    }
    at_start = false;
    if (c == ',') {
      parts.emplace_back(text.substr(start, i - start),
                         quote_close == std::string_view::npos ? quote_close : quote_close - start);
      start = i + 1;
      quote_close = std::string_view::npos;
      at_start = true;
    }
    ++i;
  }
  parts.emplace_back(text.substr(start),
                     quote_close == std::string_view::npos ? quote_close : quote_close - start);

  std::vector<AnswerRange> ranges;
  for (auto [raw, close] : parts) {
    std::size_t lead = 0;
    while (lead < raw.size() && IsSpace(raw[lead])) ++lead;
    std::string_view part = Trim(raw);
    if (part.empty()) continue;  // a stray comma
    if (close != std::string_view::npos) close -= lead;
    AnswerRange range;
    range.source = std::string(part);
    if (close != std::string_view::npos) {
      std::string name;
      std::string_view inner = part.substr(1, close - 1);
      for (std::size_t k = 0; k < inner.size(); ++k) {
        name += inner[k];
        if (inner[k] == '\'' && k + 1 < inner.size() && inner[k + 1] == '\'') ++k;
      }
      range.sheet = name;
      std::string_view rest = part.substr(close + 2);
      if (rest.find('!') != std::string_view::npos) {
        return InvalidArgument("answer_position '" + std::string(text) + "': part '" +
                               range.source + "' has more than one '!'");
      }
      range.range = std::string(Trim(StripQuotes(Trim(rest))));
    } else {
      std::size_t bang = part.find('!');
      if (bang != std::string_view::npos) {
        if (part.find('!', bang + 1) != std::string_view::npos) {
          return InvalidArgument("answer_position '" + std::string(text) + "': part '" +
                                 range.source + "' has more than one '!'");
        }
        range.sheet = std::string(StripQuotes(part.substr(0, bang)));
        range.range = std::string(Trim(StripQuotes(Trim(part.substr(bang + 1)))));
      } else {
        range.range = std::string(Trim(StripQuotes(part)));
      }
    }
    if (range.range.empty()) {
      return InvalidArgument("answer_position '" + std::string(text) + "': part '" + range.source +
                             "' has no cell range");
    }
    ranges.push_back(std::move(range));
  }
  if (ranges.empty()) {
    return InvalidArgument("answer_position '" + std::string(text) +
                           "' names no range; expected e.g. 'Sheet1'!A1:B5 or A1:B5");
  }
  return ranges;
}

}  // namespace sg::tasks
