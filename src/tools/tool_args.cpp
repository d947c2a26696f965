#include "tools/tool_args.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace sg::tools {

namespace {
std::string Type(const Json& v) { return v.type_name(); }
}  // namespace

Result<std::string> RequiredString(const Json& args, const char* tool, const char* key) {
  if (!args.is_object() || !args.contains(key)) {
    return InvalidArgument(fmt::format("{}: the argument '{}' (a string) is required", tool, key));
  }
  const Json& v = args.at(key);
  if (!v.is_string()) {
    return InvalidArgument(
        fmt::format("{}: the argument '{}' must be a string, not {}", tool, key, Type(v)));
  }
  return v.get<std::string>();
}

Result<std::optional<std::string>> OptionalString(const Json& args, const char* tool,
                                                  const char* key) {
  if (!args.is_object() || !args.contains(key) || args.at(key).is_null()) {
    return std::optional<std::string>();
  }
  SG_ASSIGN_OR_RETURN(std::string value, RequiredString(args, tool, key));
  return std::optional<std::string>(std::move(value));
}

Result<std::optional<std::int64_t>> OptionalInt(const Json& args, const char* tool,
                                                const char* key) {
  if (!args.is_object() || !args.contains(key) || args.at(key).is_null()) {
    return std::optional<std::int64_t>();
  }
  const Json& v = args.at(key);
  if (v.is_number_integer()) return std::optional<std::int64_t>(v.get<std::int64_t>());
  if (v.is_number_float() &&
      v.get<double>() == static_cast<double>(static_cast<std::int64_t>(v.get<double>()))) {
    return std::optional<std::int64_t>(static_cast<std::int64_t>(v.get<double>()));
  }
  if (v.is_string()) {
    try {
      size_t used = 0;
      std::int64_t parsed = std::stoll(v.get<std::string>(), &used);
      if (used == v.get<std::string>().size()) return std::optional<std::int64_t>(parsed);
    } catch (...) {
    }
  }
  return InvalidArgument(
      fmt::format("{}: the argument '{}' must be an integer, not {}", tool, key, v.dump()));
}

Result<bool> OptionalBool(const Json& args, const char* tool, const char* key, bool fallback) {
  if (!args.is_object() || !args.contains(key) || args.at(key).is_null()) return fallback;
  const Json& v = args.at(key);
  if (v.is_boolean()) return v.get<bool>();
  return InvalidArgument(
      fmt::format("{}: the argument '{}' must be true or false, not {}", tool, key, v.dump()));
}

ToolOutput ErrorOutput(std::string message) {
  ToolOutput out;
  out.content = std::move(message);
  out.is_error = true;
  return out;
}

ToolOutput ErrorOutput(const Error& error) { return ErrorOutput(error.message); }

ToolOutput TextOutput(std::string text) {
  ToolOutput out;
  out.content = std::move(text);
  return out;
}

std::optional<std::string> BinaryFileHint(const std::string& display_path, std::string_view head) {
  std::string ext = std::filesystem::path(display_path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".xlsx" || ext == ".xlsm" || ext == ".xls" || ext == ".xltx") {
    return fmt::format(
        "'{}' is an Excel workbook (binary), which read_file cannot show. Open it from "
        "Python instead (a script run with the shell tool), e.g. `import openpyxl; wb = "
        "openpyxl.load_workbook('{}'); "
        "ws = wb.active; print(ws.dimensions)` (add data_only=True for cached formula "
        "values), or `import pandas as pd; pd.read_excel('{}', sheet_name=None)`.",
        display_path, display_path, display_path);
  }
  bool binary = head.find('\0') != std::string_view::npos;
  if (!binary && head.size() >= 4 && head.substr(0, 4) == std::string_view("PK\x03\x04", 4)) {
    binary = true;
  }
  if (!binary) return std::nullopt;
  if (ext == ".docx" || ext == ".pptx" || ext == ".zip" || head.substr(0, 2) == "PK") {
    return fmt::format(
        "'{}' is a zip-based binary file, which read_file cannot show. Inspect it from "
        "Python (a script run with the shell tool; e.g. `import zipfile; "
        "zipfile.ZipFile('{}').namelist()`).",
        display_path, display_path);
  }
  return fmt::format(
      "'{}' is a binary file, which read_file cannot show. Inspect it from Python "
      "(e.g. `open('{}', 'rb').read(200)` in a script), or with the shell tool (`file`, `xxd | "
      "head`).",
      display_path, display_path);
}

}  // namespace sg::tools
