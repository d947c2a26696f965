// SKILL.md frontmatter: the YAML block between a leading "---" line and the next "---"
// (or "...") line, and its conversion to JSON.
#pragma once

#include <string>
#include <string_view>

#include "core/json.h"

namespace sg::skill {

struct FrontmatterSplit {
  bool found = false;         // both fences present
  std::string opening_fence;  // "---\n" / "---\r\n", with a leading BOM if any
  std::string yaml;           // between the fences, verbatim
  std::string closing_fence;  // the closing line with its terminator (none at end of file)
  std::string body;           // the rest of the text, verbatim
  int body_first_line = 1;    // 1-based line of the text on which `body` starts
  std::string error;          // set when an opening fence is never closed
};

// Splits text into fences, YAML and body. Without an opening fence (optionally after a
// UTF-8 BOM) the whole text is the body. An opening fence without a closing one is not a
// frontmatter: found stays false, body is the whole text and `error` says what to fix.
FrontmatterSplit SplitFrontmatter(std::string_view text);

struct YamlParse {
  bool ok = false;
  Json value;          // an object when ok
  std::string error;   // what is wrong, with the line in the YAML block when known
  int error_line = 0;  // 1-based line within the YAML block, 0 when unknown
};

// Parses a YAML mapping into JSON. Plain scalars become null, booleans, integers or
// floats when they read as such in YAML 1.2's core schema; quoted scalars stay strings.
// An empty document is an empty object; anything other than a mapping is an error.
YamlParse ParseYamlMapping(const std::string& yaml);

}  // namespace sg::skill
