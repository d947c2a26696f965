// The WikiTableQuestions data files: question files (data/*.tsv: id, utterance, context,
// targetValue), CoreNLP-tagged copies (tagged/data/*.tagged, with targetCanon), and the
// tables (csv/<n>-csv/<m>.csv: quoted fields that may span lines, with \" and \\ escapes).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"

namespace sg::tasks::wtq {

using Table = std::vector<std::vector<std::string>>;  // rows of cells; row 0 is the header

// Parses the tables' CSV dialect: fields separated by commas, optionally in double quotes;
// inside quotes a backslash escapes the next character and "" is a quote; newlines inside
// quotes belong to the field. An unterminated quote is a parse error naming `what`.
Result<Table> ParseWtqCsv(std::string_view text, const std::string& what);
Result<Table> ReadWtqCsv(const std::filesystem::path& path);

struct Question {
  std::string id;
  std::string utterance;
  std::string context;                    // e.g. "csv/203-csv/543.csv", relative to the root
  std::string target_value;               // raw, escaped as in the file
  std::vector<std::string> targets;       // tsv_unescape_list(targetValue)
  std::vector<std::string> target_canon;  // from a .tagged file; empty when there is none
};

// Reads a question file with a header line naming at least id, utterance, context and
// targetValue (targetCanon too for .tagged files). Errors name the file and line.
Result<std::vector<Question>> ReadQuestionFile(const std::filesystem::path& path);

}  // namespace sg::tasks::wtq
