// SpreadsheetBench's `answer_position`: where in the workbook the answer lies, written by
// hand: "A1:B5", "'Sheet 1'!A1:B5", several ranges separated by commas (with or without
// spaces), whole columns "A:G", and imperfect quoting ("Sheet3'!A:G"). Semantics are the
// official evaluator's: split on commas, a part with "!" names its sheet, quotes around
// sheet and range are stripped, a part without a sheet refers to the golden workbook's
// first sheet; sheet names are looked up exactly. One fix: commas inside a quoted sheet
// name ('b2b, sez, de'!A5:V10) do not split. Whitespace around parts and ranges is ignored
// and "''" inside a quoted name is one quote, as in Excel references.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace sg::tasks {

struct AnswerRange {
  std::optional<std::string> sheet;  // nullopt: the golden workbook's first sheet
  std::string range;                 // "A1:B5", "A:G", "C7"; parsed later by xlsx
  std::string source;                // the part as written, for messages
};

// Errors name the answer_position text and the part at fault.
Result<std::vector<AnswerRange>> ParseAnswerPosition(std::string_view text);

}  // namespace sg::tasks
