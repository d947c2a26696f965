#include "llm/quick_chat.h"

#include <fmt/format.h>

#include "llm/client.h"
#include "llm/env_config.h"

namespace sg::llm {

Result<QuickChatResult> QuickChat(const QuickChatOptions& options, const TextDeltaFn& on_text) {
  if (options.text.empty())
    return InvalidArgument("give the message to send, e.g. skillgrad chat \"Say hi\"");
  SG_ASSIGN_OR_RETURN(ProviderConfig config, LoadProviderConfig(options.env_file));
  std::string model = options.model.empty() ? config.model : options.model;
  if (model.empty()) {
    return InvalidArgument(
        "no model: pass --model (e.g. --model gpt-4o) or set MODEL in the environment or .env");
  }
  auto prices = std::make_shared<PriceTable>(PriceTable::BuiltIn());
  if (options.prices) SG_RETURN_IF_ERROR(prices->LoadOverrides(*options.prices));
  ClientParts parts;
  parts.prices = prices;
  if (options.max_cost_usd > 0) {
    parts.spend_cap = std::make_shared<SpendCap>(options.max_cost_usd, 0.0);
  }
  ClientOptions client_options;
  client_options.retry.max_attempts = options.max_attempts;
  client_options.request_timeout = options.timeout;
  client_options.deadline = options.timeout * options.max_attempts + std::chrono::minutes(1);
  LlmClient client(config, parts, client_options);

  ChatRequest request;
  request.model = model;
  if (!options.system.empty()) request.messages.push_back(Message::System(options.system));
  request.messages.push_back(Message::User(options.text));
  request.sampling.max_tokens = options.max_tokens;
  request.sampling.temperature = options.temperature;
  request.stream = options.stream;
  CallContext context{"chat", "", -1, "chat"};
  SG_ASSIGN_OR_RETURN(ChatResponse response, client.Complete(request, context, on_text));
  QuickChatResult result;
  result.endpoint = EndpointUrl(config);
  result.config = config;
  result.config.api_key.clear();
  result.response = std::move(response);
  return result;
}

std::string FormatCallSummary(const QuickChatResult& result) {
  const ChatResponse& r = result.response;
  std::string out;
  out += "provider: " + std::string(ProviderKindName(result.config.kind)) + " (" + result.endpoint +
         ", from " + result.config.origin + ")\n";
  out += "model:    " + (r.model.empty() ? std::string("(not reported)") : r.model) + "\n";
  if (r.usage.reported) {
    out += fmt::format("tokens:   input {} (cached {}), output {} (reasoning {})\n",
                       r.usage.input_tokens, r.usage.cached_input_tokens, r.usage.output_tokens,
                       r.usage.reasoning_tokens);
  } else {
    out += "tokens:   not reported by the server\n";
  }
  out += fmt::format("finish:   {} ({})\n", FinishReasonName(r.finish_reason),
                     r.raw_finish_reason.empty() ? "-" : r.raw_finish_reason);
  out += fmt::format("latency:  {:.0f} ms, {} attempt{}\n", r.latency_ms, r.attempts,
                     r.attempts == 1 ? "" : "s");
  out += r.cost_usd          ? fmt::format("cost:     ${:.6f}\n", *r.cost_usd)
         : !r.usage.reported ? std::string("cost:     unknown (the server reported no usage)\n")
                             : std::string("cost:     unknown (no price for this model)\n");
  return out;
}

}  // namespace sg::llm
