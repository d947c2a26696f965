// Token prices per model, in USD per million tokens, and the cost of one call. The
// built-in table covers current OpenAI, Anthropic and Google Gemini models (sources and
// dates in docs/providers.md); a JSON file can add or override entries. A model not in the
// table has no price: its cost is unknown (nullopt), never guessed.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "llm/message.h"

namespace sg::llm {

struct ModelPrice {
  double input = 0;         // uncached input
  double cached_input = 0;  // input read from the prompt cache
  double output = 0;        // output, reasoning included
  double cache_write = 0;   // input written to the prompt cache (Anthropic); 0: same as input
};

class PriceTable {
 public:
  // The built-in prices.
  static PriceTable BuiltIn();

  // {"<model>": {"input": 2.5, "cached_input": 1.25, "output": 10, "cache_write": 0}, ...}
  // (USD per million tokens); entries replace built-in ones of the same name.
  Status LoadOverrides(const std::filesystem::path& path);
  Status AddFromJson(const Json& j, std::string_view what);
  void Set(const std::string& model, ModelPrice price) { prices_[model] = price; }

  // Exact name, else the longest known name the model extends with a date suffix or
  // "-latest" ("gpt-4o-2024-08-06" -> "gpt-4o", "claude-sonnet-4-20250514" ->
  // "claude-sonnet-4"). Any other suffix is another model: "gpt-5.4-mini" is never priced
  // as "gpt-5.4", nor "gemini-2.5-pro-preview-06-05" as "gemini-2.5-pro".
  std::optional<ModelPrice> Find(std::string_view model) const;

  // Cost of `usage`, or nullopt (with one warning per model) when the price is unknown.
  std::optional<double> Cost(std::string_view model, const Usage& usage) const;

 private:
  std::map<std::string, ModelPrice, std::less<>> prices_;
};

}  // namespace sg::llm
