// Glob patterns over relative paths with '/' separators: '*' and '?' stay within one
// path component, '**' matches any number of components (including none), and
// '[abc]' / '[a-z]' / '[!a]' match one character. A '[' without a closing ']' is a literal.
#pragma once

#include <string_view>

namespace sg::tools {

// O(|pattern| * |path|) time for any pattern, so a name the agent chooses cannot stall the
// orchestrator (list_files and grep call this once per entry they walk).
bool GlobMatch(std::string_view pattern, std::string_view path);

}  // namespace sg::tools
