#include "run/prompt_library.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "core/file_util.h"

namespace sg::run {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kOpen = "{{";
constexpr std::string_view kClose = "}}";
constexpr std::string_view kBuiltIn = "built-in";

std::string Stem(std::string_view name) {
  if (name.ends_with(".md")) name.remove_suffix(3);
  return std::string(name);
}

bool IsKnown(std::string_view placeholder) {
  const auto& known = KnownPlaceholders();
  return std::find(known.begin(), known.end(), placeholder) != known.end();
}

int LineOf(std::string_view text, size_t pos) {
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + pos, '\n'));
}

}  // namespace

const std::vector<std::string>& PromptNames() {
  static const std::vector<std::string> names = {
      "executor",
      "executor_task",
      "failure_diagnoser",
      "failure_diagnoser_task",
      "contrastive_diagnoser",
      "contrastive_diagnoser_task",
      "momentum",
      "momentum_task",
      "patcher",
      "patcher_task",
      "patcher_repair",
  };
  return names;
}

const std::vector<std::string>& KnownPlaceholders() {
  static const std::vector<std::string> names = {
      "domain",         "skills_list",     "task_prompt",     "task_id",         "iteration",
      "instruction",    "comparison",      "trajectory_path", "output_dir",      "base_task_dir",
      "task_dir",       "skill_dir",       "diagnoses",       "momentum_record", "overlay",
      "batch_task_ids", "lint_violations", "max_turns",       "patch_report",    "evidence_paths",
      "accuracy",       "output_path",     "base_trajectory",
  };
  return names;
}

Result<std::vector<std::string>> ScanPlaceholders(std::string_view text, std::string_view where) {
  std::vector<std::string> found;
  size_t pos = 0;
  while ((pos = text.find(kOpen, pos)) != std::string_view::npos) {
    size_t end = text.find(kClose, pos + kOpen.size());
    size_t newline = text.find('\n', pos);
    if (end == std::string_view::npos || (newline != std::string_view::npos && newline < end)) {
      return InvalidArgument(fmt::format(
          "{}:{}: \"{{{{\" is not closed by \"}}}}\" on the same line; placeholders are written "
          "{{{{name}}}} with a name among: {}",
          where, LineOf(text, pos), fmt::join(KnownPlaceholders(), ", ")));
    }
    std::string name(text.substr(pos + kOpen.size(), end - pos - kOpen.size()));
    if (!IsKnown(name)) {
      return InvalidArgument(fmt::format("{}:{}: unknown placeholder {{{{{}}}}}; known: {}", where,
                                         LineOf(text, pos), name,
                                         fmt::join(KnownPlaceholders(), ", ")));
    }
    if (std::find(found.begin(), found.end(), name) == found.end()) found.push_back(name);
    pos = end + kClose.size();
  }
  return found;
}

Result<PromptLibrary> PromptLibrary::Load(const fs::path& override_dir) {
  PromptLibrary library;
  for (const EmbeddedPrompt& embedded : EmbeddedPrompts()) {
    Prompt prompt{std::string(embedded.text), std::string(kBuiltIn), {}};
    SG_ASSIGN_OR_RETURN(prompt.placeholders,
                        ScanPlaceholders(prompt.text, fmt::format("prompts/{}", embedded.name)));
    library.prompts_[Stem(embedded.name)] = std::move(prompt);
  }
  if (override_dir.empty()) return library;

  std::error_code ec;
  if (!fs::is_directory(override_dir, ec)) {
    return NotFound(fmt::format(
        "--prompts-dir {}: not a directory; give a folder of prompt files named like the "
        "built-in ones (executor.md, patcher.md, ...)",
        override_dir.string()));
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(override_dir, ec)) {
    if (entry.path().extension() == ".md") files.push_back(entry.path());
  }
  if (ec) {
    return IoError(fmt::format("--prompts-dir {}: {}", override_dir.string(), ec.message()));
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    std::string name = Stem(file.filename().string());
    if (!library.prompts_.count(name)) {
      return InvalidArgument(fmt::format(
          "--prompts-dir: {} does not replace any prompt; name it after one of: {}.md (rename "
          "or remove it)",
          file.string(), fmt::join(library.Names(), ".md, ")));
    }
    SG_ASSIGN_OR_RETURN(std::string text, ReadFile(file));
    Prompt prompt{std::move(text), file.string(), {}};
    SG_ASSIGN_OR_RETURN(prompt.placeholders, ScanPlaceholders(prompt.text, file.string()));
    library.prompts_[name] = std::move(prompt);
  }
  return library;
}

const PromptLibrary::Prompt* PromptLibrary::Find(std::string_view name) const {
  auto it = prompts_.find(Stem(name));
  return it == prompts_.end() ? nullptr : &it->second;
}

Result<std::string> PromptLibrary::Render(std::string_view name, const PromptValues& values) const {
  const Prompt* prompt = Find(name);
  if (!prompt) {
    return NotFound(
        fmt::format("no prompt named \"{}\"; prompts: {}", name, fmt::join(Names(), ", ")));
  }
  std::vector<std::string> missing;
  for (const std::string& placeholder : prompt->placeholders) {
    if (!values.count(placeholder)) missing.push_back(placeholder);
  }
  if (!missing.empty()) {
    return InvalidArgument(fmt::format(
        "prompt {}.md ({}) uses {} but no value was given for {}", Stem(name), prompt->origin,
        missing.size() == 1 ? "a placeholder" : "placeholders", fmt::join(missing, ", ")));
  }
  const std::string& text = prompt->text;
  std::string out;
  out.reserve(text.size() * 2);
  size_t pos = 0;
  while (true) {
    size_t open = text.find(kOpen, pos);
    if (open == std::string::npos) break;
    size_t close = text.find(kClose, open + kOpen.size());
    out.append(text, pos, open - pos);
    std::string_view placeholder(text.data() + open + kOpen.size(), close - open - kOpen.size());
    out += values.find(placeholder)->second;
    pos = close + kClose.size();
  }
  out.append(text, pos, std::string::npos);
  return out;
}

Result<std::string> PromptLibrary::Text(std::string_view name) const {
  const Prompt* prompt = Find(name);
  if (!prompt) return NotFound(fmt::format("no prompt named \"{}\"", name));
  return prompt->text;
}

std::string PromptLibrary::Origin(std::string_view name) const {
  const Prompt* prompt = Find(name);
  return prompt ? prompt->origin : std::string();
}

std::vector<std::string> PromptLibrary::Placeholders(std::string_view name) const {
  const Prompt* prompt = Find(name);
  return prompt ? prompt->placeholders : std::vector<std::string>();
}

std::vector<std::string> PromptLibrary::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, _] : prompts_) names.push_back(name);
  return names;
}

}  // namespace sg::run
