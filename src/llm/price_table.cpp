#include "llm/price_table.h"

#include <cctype>

#include "core/json.h"
#include "core/log.h"

namespace sg::llm {
namespace {

// USD per million tokens, standard (pay-as-you-go) tier, from the providers' own pages,
// checked on 2026-12-03 (docs/providers.md lists each source and date). Where a price has
// tiers by prompt length, the lower tier: OpenAI's gpt-5.4(-pro) and gpt-5.5(-pro) at
// <= 272K input tokens, Gemini's at <= 200K, Claude Sonnet 4 / 4.5 at <= 200K. Batch, flex,
// priority, regional and long-context rates, Gemini's audio rates and its cache storage
// per hour are not modelled. A model whose page lists no cached-input rate has cached_input
// equal to input (no discount is assumed). A model whose price could not be confirmed is
// left out: its cost is unknown, and --max-cost-usd refuses it (run/run_inputs.h).
// Check and override (--prices) when they change.
struct BuiltInPrice {
  const char* model;
  ModelPrice price;
};
constexpr BuiltInPrice kBuiltIn[] = {
    // OpenAI: developers.openai.com/api/docs/models/<model> and /api/docs/pricing.
    {"gpt-4o", {2.50, 1.25, 10.00, 0}},
    {"gpt-4o-mini", {0.15, 0.075, 0.60, 0}},
    {"gpt-4.1", {2.00, 0.50, 8.00, 0}},
    {"gpt-4.1-mini", {0.40, 0.10, 1.60, 0}},
    {"gpt-4.1-nano", {0.10, 0.025, 0.40, 0}},
    {"o1", {15.00, 7.50, 60.00, 0}},
    {"o3", {2.00, 0.50, 8.00, 0}},
    {"o3-mini", {1.10, 0.55, 4.40, 0}},
    {"o3-pro", {20.00, 20.00, 80.00, 0}},
    {"o4-mini", {1.10, 0.275, 4.40, 0}},
    {"gpt-5", {1.25, 0.125, 10.00, 0}},
    {"gpt-5-mini", {0.25, 0.025, 2.00, 0}},
    {"gpt-5-nano", {0.05, 0.005, 0.40, 0}},
    {"gpt-5-pro", {15.00, 15.00, 120.00, 0}},
    {"gpt-5.1", {1.25, 0.125, 10.00, 0}},
    {"gpt-5.2", {1.75, 0.175, 14.00, 0}},
    {"gpt-5.2-pro", {21.00, 21.00, 168.00, 0}},
    {"gpt-5.4", {2.50, 0.25, 15.00, 0}},
    {"gpt-5.4-mini", {0.75, 0.075, 4.50, 0}},
    {"gpt-5.4-nano", {0.20, 0.02, 1.25, 0}},
    {"gpt-5.4-pro", {30.00, 30.00, 180.00, 0}},
    {"gpt-5.5", {5.00, 0.50, 30.00, 0}},
    {"gpt-5.5-pro", {30.00, 30.00, 180.00, 0}},
    // Anthropic: platform.claude.com/docs/en/about-claude/pricing (cache_write: the
    // 5-minute cache write rate). "-4-0" is the alias of the first Claude 4 models.
    {"claude-opus-4-8", {5.00, 0.50, 25.00, 6.25}},
    {"claude-opus-4-7", {5.00, 0.50, 25.00, 6.25}},
    {"claude-opus-4-6", {5.00, 0.50, 25.00, 6.25}},
    {"claude-opus-4-5", {5.00, 0.50, 25.00, 6.25}},
    {"claude-opus-4-1", {15.00, 1.50, 75.00, 18.75}},
    {"claude-opus-4-0", {15.00, 1.50, 75.00, 18.75}},
    {"claude-opus-4", {15.00, 1.50, 75.00, 18.75}},
    {"claude-sonnet-4-6", {3.00, 0.30, 15.00, 3.75}},
    {"claude-sonnet-4-5", {3.00, 0.30, 15.00, 3.75}},
    {"claude-sonnet-4-0", {3.00, 0.30, 15.00, 3.75}},
    {"claude-sonnet-4", {3.00, 0.30, 15.00, 3.75}},
    {"claude-3-7-sonnet", {3.00, 0.30, 15.00, 3.75}},
    {"claude-haiku-4-5", {1.00, 0.10, 5.00, 1.25}},
    {"claude-3-5-haiku", {0.80, 0.08, 4.00, 1.00}},
    {"claude-3-haiku", {0.25, 0.03, 1.25, 0.30}},
    // Google: ai.google.dev/gemini-api/docs/pricing, paid tier, text / image / video input;
    // cached_input is the context caching rate.
    {"gemini-2.5-pro", {1.25, 0.125, 10.00, 0}},
    {"gemini-2.5-flash", {0.30, 0.03, 2.50, 0}},
    {"gemini-2.5-flash-lite", {0.10, 0.01, 0.40, 0}},
    {"gemini-3-flash-preview", {0.50, 0.05, 3.00, 0}},
    {"gemini-3.1-pro-preview", {2.00, 0.20, 12.00, 0}},
};

// "-2024-08-06", "-20250514", "-latest", or nothing.
bool IsVersionSuffix(std::string_view s) {
  if (s.empty() || s == "-latest") return true;
  if (s[0] != '-') return false;
  s.remove_prefix(1);
  int digits = 0;
  for (char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      ++digits;
    } else if (c != '-') {
      return false;
    }
  }
  return digits == 8;
}

double Number(const Json& j, const char* key, bool* ok) {
  auto it = j.find(key);
  if (it == j.end()) return 0;
  if (!it->is_number() || it->get<double>() < 0) {
    *ok = false;
    return 0;
  }
  return it->get<double>();
}

}  // namespace

PriceTable PriceTable::BuiltIn() {
  PriceTable table;
  for (const BuiltInPrice& p : kBuiltIn) table.prices_[p.model] = p.price;
  return table;
}

Status PriceTable::AddFromJson(const Json& j, std::string_view what) {
  if (!j.is_object()) {
    return InvalidArgument(std::string(what) +
                           ": expected an object {\"<model>\": {\"input\": ..., "
                           "\"cached_input\": ..., \"output\": ...}} in USD per million tokens");
  }
  for (const auto& [model, entry] : j.items()) {
    bool ok = entry.is_object() && entry.contains("input") && entry.contains("output");
    ModelPrice p;
    if (ok) {
      p.input = Number(entry, "input", &ok);
      p.output = Number(entry, "output", &ok);
      p.cached_input =
          entry.contains("cached_input") ? Number(entry, "cached_input", &ok) : p.input;
      p.cache_write = Number(entry, "cache_write", &ok);
    }
    if (!ok) {
      return InvalidArgument(std::string(what) + ": price of \"" + model +
                             "\" needs non-negative numbers \"input\" and \"output\" (optional "
                             "\"cached_input\", \"cache_write\"), USD per million tokens");
    }
    prices_[model] = p;
  }
  return Ok();
}

Status PriceTable::LoadOverrides(const std::filesystem::path& path) {
  SG_ASSIGN_OR_RETURN(Json j, ReadJsonFile(path));
  return AddFromJson(j, path.string());
}

std::optional<ModelPrice> PriceTable::Find(std::string_view model) const {
  if (auto it = prices_.find(model); it != prices_.end()) return it->second;
  const ModelPrice* best = nullptr;
  size_t best_len = 0;
  for (const auto& [name, price] : prices_) {
    if (name.size() > best_len && model.starts_with(name) &&
        IsVersionSuffix(model.substr(name.size()))) {
      best = &price;
      best_len = name.size();
    }
  }
  if (best) return *best;
  return std::nullopt;
}

std::optional<double> PriceTable::Cost(std::string_view model, const Usage& usage) const {
  auto price = Find(model);
  if (!price) {
    log::WarnOnce("price:" + std::string(model),
                  "no price known for model \"" + std::string(model) +
                      "\": its calls are recorded with cost null; add it with a prices file (see "
                      "docs/providers.md)");
    return std::nullopt;
  }
  int64_t cached = std::min(usage.cached_input_tokens, usage.input_tokens);
  int64_t written = std::min(usage.cache_write_tokens, usage.input_tokens - cached);
  int64_t plain = usage.input_tokens - cached - written;
  double write_rate = price->cache_write > 0 ? price->cache_write : price->input;
  double usd = (static_cast<double>(plain) * price->input +
                static_cast<double>(cached) * price->cached_input +
                static_cast<double>(written) * write_rate +
                static_cast<double>(usage.output_tokens) * price->output) /
               1e6;
  return usd;
}

}  // namespace sg::llm
