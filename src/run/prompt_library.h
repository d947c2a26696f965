// The prompts of the optimizer's agents (prompts/*.md, docs/prompts.md). They are compiled
// into the binary; a directory given with --prompts-dir replaces any of them by file name.
// A prompt holds `{{name}}` placeholders from a fixed set (KnownPlaceholders); an unknown
// placeholder is an error when the library loads, a missing value an error when a prompt
// is rendered.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace sg::run {

// One compiled-in prompt file. Defined in a source generated at build time by
// cmake/EmbedPrompts.cmake from prompts/*.md, sorted by name.
struct EmbeddedPrompt {
  std::string_view name;  // file name, e.g. "executor.md"
  std::string_view text;
};
const std::vector<EmbeddedPrompt>& EmbeddedPrompts();

// The prompt files the engine renders (file names without ".md").
const std::vector<std::string>& PromptNames();
// Every placeholder a prompt may use.
const std::vector<std::string>& KnownPlaceholders();

using PromptValues = std::map<std::string, std::string, std::less<>>;

class PromptLibrary {
 public:
  // The compiled-in prompts; then, when `override_dir` is not empty, every `<name>.md` in
  // it replaces the prompt of that name. Errors: the directory does not exist, a .md file
  // in it is not a prompt name, a file cannot be read, or any prompt uses a placeholder
  // outside KnownPlaceholders() or an unclosed "{{".
  static Result<PromptLibrary> Load(const std::filesystem::path& override_dir = {});

  // The prompt `name` ("executor" or "executor.md") with every placeholder replaced by its
  // value, in one pass (values are inserted verbatim, never expanded again). Fails when the
  // prompt does not exist or uses a placeholder that `values` lacks.
  Result<std::string> Render(std::string_view name, const PromptValues& values) const;

  // The raw text of a prompt.
  Result<std::string> Text(std::string_view name) const;
  // "built-in" or the path of the file that overrode it.
  std::string Origin(std::string_view name) const;
  // The placeholders a prompt uses, in order of first use.
  std::vector<std::string> Placeholders(std::string_view name) const;
  std::vector<std::string> Names() const;

 private:
  struct Prompt {
    std::string text;
    std::string origin;
    std::vector<std::string> placeholders;
  };
  const Prompt* Find(std::string_view name) const;

  std::map<std::string, Prompt, std::less<>> prompts_;
};

// The placeholders of `text`, in order of first use. `where` names the source in errors
// ("prompts/executor.md"); the message gives the line and the known names.
Result<std::vector<std::string>> ScanPlaceholders(std::string_view text, std::string_view where);

}  // namespace sg::run
