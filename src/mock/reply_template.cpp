#include "mock/reply_template.h"

#include <fmt/format.h>

#include <set>

namespace sg::mock {
namespace {

const std::set<std::string>& ValueNames() {
  static const std::set<std::string> names = {"model", "turn", "request", "role", "last"};
  return names;
}

// Calls fn(name) for each "{{name}}" in text, fn(std::nullopt-like literal) otherwise.
template <typename OnLiteral, typename OnPlaceholder>
Status Scan(std::string_view text, OnLiteral on_literal, OnPlaceholder on_placeholder) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t open = text.find("{{", pos);
    if (open == std::string_view::npos) {
      on_literal(text.substr(pos));
      break;
    }
    size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      return InvalidArgument(
          fmt::format("unclosed placeholder \"{}\": write {{{{name}}}}", text.substr(open, 24)));
    }
    on_literal(text.substr(pos, open - pos));
    std::string name(text.substr(open + 2, close - open - 2));
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    SG_RETURN_IF_ERROR(on_placeholder(name));
    pos = close + 2;
  }
  return Ok();
}

bool SplitGroup(const std::string& name, std::string& source, size_t& index) {
  size_t dot = name.find('.');
  if (dot == std::string::npos || dot + 1 >= name.size()) return false;
  source = name.substr(0, dot);
  std::string digits = name.substr(dot + 1);
  if (digits.find_first_not_of("0123456789") != std::string::npos) return false;
  index = std::stoul(digits);
  return true;
}

}  // namespace

Status CheckTemplate(std::string_view text, const CaptureShape& shape) {
  return Scan(
      text, [](std::string_view) {},
      [&](const std::string& name) -> Status {
        if (ValueNames().count(name)) return Ok();
        std::string source;
        size_t index = 0;
        if (!SplitGroup(name, source, index)) {
          return InvalidArgument(fmt::format(
              "unknown placeholder {{{{{}}}}}: use {{{{model}}}}, {{{{turn}}}}, {{{{request}}}}, "
              "{{{{role}}}}, {{{{last}}}} or {{{{SOURCE.N}}}} with SOURCE one of system, last, "
              "message, model",
              name));
        }
        auto it = shape.find(source);
        if (it == shape.end()) {
          return InvalidArgument(fmt::format(
              "placeholder {{{{{}}}}} needs a regex on \"{}\" in this rule's match", name, source));
        }
        if (index > it->second) {
          return InvalidArgument(
              fmt::format("placeholder {{{{{}}}}}: the {} regex has only {} group(s)", name, source,
                          it->second));
        }
        return Ok();
      });
}

Status CheckJsonTemplate(const Json& value, const CaptureShape& shape) {
  if (value.is_string()) return CheckTemplate(value.get_ref<const std::string&>(), shape);
  if (value.is_structured()) {
    for (const auto& item : value) SG_RETURN_IF_ERROR(CheckJsonTemplate(item, shape));
  }
  return Ok();
}

std::string ExpandTemplate(std::string_view text, const Captures& captures) {
  std::string out;
  out.reserve(text.size());
  Status status = Scan(
      text, [&](std::string_view literal) { out.append(literal); },
      [&](const std::string& name) -> Status {
        if (auto it = captures.values.find(name); it != captures.values.end()) {
          out += it->second;
          return Ok();
        }
        std::string source;
        size_t index = 0;
        if (SplitGroup(name, source, index)) {
          auto it = captures.groups.find(source);
          if (it != captures.groups.end() && index < it->second.size()) out += it->second[index];
        }
        return Ok();  // checked at load time; an unset optional group expands to ""
      });
  if (!status.ok()) return std::string(text);
  return out;
}

Json ExpandJsonTemplate(const Json& value, const Captures& captures) {
  if (value.is_string()) return ExpandTemplate(value.get_ref<const std::string&>(), captures);
  if (value.is_object()) {
    Json out = Json::object();
    for (auto it = value.begin(); it != value.end(); ++it) {
      out[it.key()] = ExpandJsonTemplate(it.value(), captures);
    }
    return out;
  }
  if (value.is_array()) {
    Json out = Json::array();
    for (const auto& item : value) out.push_back(ExpandJsonTemplate(item, captures));
    return out;
  }
  return value;
}

}  // namespace sg::mock
