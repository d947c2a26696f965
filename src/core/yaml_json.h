// YAML documents read as JSON values: scenario files and SKILL.md frontmatter are YAML, the
// code that reads them works on JSON. yaml-cpp stays inside yaml_json.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/json.h"

namespace sg {

struct YamlRead {
  std::optional<Json> value;  // set when the text is valid YAML (an empty document: null)
  std::string error;          // yaml-cpp's description of the syntax error
  int error_line = 0;         // 1-based position of the error, 0 when unknown
  int error_column = 0;
};

// Plain scalars become null, booleans, integers or floats when they read as such (YAML 1.2
// core schema; an integer or float out of range keeps its text); quoted scalars stay
// strings. A key that is not a scalar becomes its YAML text.
YamlRead ReadYaml(std::string_view text);

}  // namespace sg
