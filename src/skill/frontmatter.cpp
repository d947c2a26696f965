#include "skill/frontmatter.h"

#include <fmt/format.h>

#include "core/yaml_json.h"

namespace sg::skill {
namespace {

// One line of `text` starting at `pos`: [pos, content_end) is the content and
// [content_end, next) the terminator ("\n", "\r\n" or nothing at end of text).
struct LineSpan {
  size_t content_end;
  size_t next;
};

LineSpan NextLine(std::string_view text, size_t pos) {
  size_t nl = text.find('\n', pos);
  if (nl == std::string_view::npos) return {text.size(), text.size()};
  size_t end = nl;
  if (end > pos && text[end - 1] == '\r') --end;
  return {end, nl + 1};
}

// A fence line is exactly `marker` followed by optional spaces or tabs.
bool IsFence(std::string_view content, std::string_view marker) {
  if (content.substr(0, marker.size()) != marker) return false;
  for (char c : content.substr(marker.size())) {
    if (c != ' ' && c != '\t') return false;
  }
  return true;
}

}  // namespace

FrontmatterSplit SplitFrontmatter(std::string_view text) {
  FrontmatterSplit out;
  size_t start = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") start = 3;
  LineSpan first = NextLine(text, start);
  std::string_view first_content = text.substr(start, first.content_end - start);
  if (!IsFence(first_content, "---") || first.next == first.content_end) {
    // No fence, or a lone "---" without a line terminator: all body.
    out.body = std::string(text);
    return out;
  }
  int line = 2;
  size_t pos = first.next;
  while (pos < text.size()) {
    LineSpan span = NextLine(text, pos);
    std::string_view content = text.substr(pos, span.content_end - pos);
    if (IsFence(content, "---") || IsFence(content, "...")) {
      out.found = true;
      out.opening_fence = std::string(text.substr(0, first.next));
      out.yaml = std::string(text.substr(first.next, pos - first.next));
      out.closing_fence = std::string(text.substr(pos, span.next - pos));
      out.body = std::string(text.substr(span.next));
      out.body_first_line = line + 1;
      return out;
    }
    pos = span.next;
    ++line;
  }
  out.body = std::string(text);
  out.error =
      "the '---' line that opens the frontmatter on line 1 is never closed; add a line '---' "
      "after the last YAML field (name, description)";
  return out;
}

YamlParse ParseYamlMapping(const std::string& yaml) {
  YamlParse out;
  YamlRead read = ReadYaml(yaml);
  if (!read.value) {
    out.error_line = read.error_line;
    out.error = "YAML syntax error";
    if (out.error_line > 0) {
      out.error +=
          fmt::format(" at frontmatter line {}, column {}", out.error_line, read.error_column);
    }
    out.error += ": " + read.error;
    return out;
  }
  if (read.value->is_null()) {
    out.ok = true;
    out.value = Json::object();
    return out;
  }
  if (!read.value->is_object()) {
    out.error =
        "the frontmatter is not a YAML mapping; write one 'key: value' per line, e.g. "
        "'name: my-skill' and 'description: ...'";
    return out;
  }
  out.ok = true;
  out.value = std::move(*read.value);
  return out;
}

}  // namespace sg::skill
