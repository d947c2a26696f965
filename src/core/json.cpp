#include "core/json.h"

#include <fmt/format.h>

#include "core/file_util.h"

namespace sg {

Result<Json> ParseJson(std::string_view text, std::string_view what) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::exception& e) {
    // parse_error, and out_of_range for a number literal beyond a double's range.
    return ParseError(fmt::format("{} is not valid JSON: {}", what, e.what()));
  }
}

Result<Json> ReadJsonFile(const std::filesystem::path& path) {
  SG_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return ParseJson(text, path.string());
}

std::string DumpJson(const Json& value, int indent) {
  return value.dump(indent, ' ', false, Json::error_handler_t::replace);
}

Status WriteJsonFile(const std::filesystem::path& path, const Json& value) {
  return WriteFileAtomic(path, DumpJson(value, 2) + "\n");
}

}  // namespace sg
