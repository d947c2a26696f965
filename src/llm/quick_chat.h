// One call through the configured provider, for `skillgrad chat`: the quickest way for
// a user to check an endpoint, a key and a model.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "core/error.h"
#include "llm/provider.h"

namespace sg::llm {

struct QuickChatOptions {
  std::string text;                               // the user message
  std::string system;                             // optional system prompt
  std::string model;                              // empty: MODEL from the environment / .env
  std::optional<std::filesystem::path> env_file;  // empty: ./.env if present
  std::optional<std::filesystem::path> prices;    // price overrides (JSON)
  bool stream = false;
  std::optional<int> max_tokens;
  std::optional<double> temperature;
  double max_cost_usd = 0;  // --max-cost-usd: the call is refused (kBudget) if its worst case
                            // could pass this; 0: no cap
  int max_attempts = 3;
  std::chrono::milliseconds timeout{std::chrono::minutes(2)};
};

struct QuickChatResult {
  ProviderConfig config;  // api_key cleared
  std::string endpoint;
  ChatResponse response;
};

// Errors name the flag or variable at fault (no provider, no model, the provider's refusal).
Result<QuickChatResult> QuickChat(const QuickChatOptions& options, const TextDeltaFn& on_text);

// The usage/latency summary printed under the reply.
std::string FormatCallSummary(const QuickChatResult& result);

}  // namespace sg::llm
