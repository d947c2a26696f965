#include "core/yaml_json.h"

#include <yaml-cpp/yaml.h>

#include <regex>

namespace sg {
namespace {

Json ScalarToJson(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  // A non-plain tag ("!") marks a quoted scalar, which is always a string.
  if (node.Tag() == "!") return text;
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
    return nullptr;
  }
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  static const std::regex kInt(R"([-+]?[0-9]+)");
  static const std::regex kFloat(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
  try {
    if (std::regex_match(text, kInt)) return std::stoll(text);
    if (std::regex_match(text, kFloat)) return std::stod(text);
  } catch (const std::exception&) {
    // out of range: keep the text
  }
  return text;
}

Json NodeToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
    case YAML::NodeType::Scalar:
      return ScalarToJson(node);
    case YAML::NodeType::Sequence: {
      Json out = Json::array();
      for (const auto& item : node) out.push_back(NodeToJson(item));
      return out;
    }
    case YAML::NodeType::Map: {
      Json out = Json::object();
      for (const auto& kv : node) {
        std::string key = kv.first.IsScalar() ? kv.first.Scalar() : YAML::Dump(kv.first);
        out[key] = NodeToJson(kv.second);
      }
      return out;
    }
  }
  return nullptr;
}

}  // namespace

YamlRead ReadYaml(std::string_view text) {
  YamlRead out;
  try {
    out.value = NodeToJson(YAML::Load(std::string(text)));
  } catch (const YAML::Exception& e) {
    out.error = e.msg;
    if (!e.mark.is_null()) {
      out.error_line = e.mark.line + 1;
      out.error_column = e.mark.column + 1;
    }
  }
  return out;
}

}  // namespace sg
