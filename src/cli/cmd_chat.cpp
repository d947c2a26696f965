// `skillgrad chat [--model M] [--system S] [--stream] [--env-file F] "text"`: one call
// through the configured provider; prints the reply, then token usage and latency.
// Exit 0 on a reply, 1 when the provider refused or failed, 2 on bad flags or config.
#include <iostream>

#include "cli/command.h"
#include "llm/quick_chat.h"

namespace sg::cli {
namespace {

struct ChatFlags {
  llm::QuickChatOptions options;
  std::string env_file;
  std::string prices;
  int max_tokens = 0;
  double temperature = -1;
};

void RunChat(ChatFlags& flags) {
  llm::QuickChatOptions& o = flags.options;
  if (!flags.env_file.empty()) o.env_file = flags.env_file;
  if (!flags.prices.empty()) o.prices = flags.prices;
  if (flags.max_tokens > 0) o.max_tokens = flags.max_tokens;
  if (flags.temperature >= 0) o.temperature = flags.temperature;
  bool streamed_any = false;
  auto on_text = [&](std::string_view text) {
    std::cout << text << std::flush;
    streamed_any = true;
  };
  auto result = llm::QuickChat(o, on_text);
  if (!result.ok()) {
    ErrorCode c = result.error().code;
    bool config = c == ErrorCode::kInvalidArgument || c == ErrorCode::kNotFound ||
                  c == ErrorCode::kParse || c == ErrorCode::kIo;
    Fail(result.error(), c == ErrorCode::kBudget ? 3 : config ? 2 : 1);
  }
  const llm::ChatResponse& r = result->response;
  if (!streamed_any) std::cout << r.message.content;
  if (!r.message.content.empty()) std::cout << "\n";
  for (const llm::ToolCall& call : r.message.tool_calls) {
    std::cout << "[tool call " << call.name << " " << call.arguments << "]\n";
  }
  std::cout << "---\n" << llm::FormatCallSummary(*result);
  ExitWith(0);
}

}  // namespace

void RegisterChat(CLI::App& app) {
  auto flags = std::make_shared<ChatFlags>();
  auto* cmd = app.add_subcommand(
      "chat",
      "Send one message through the configured LLM provider and print the reply, "
      "token usage and latency (checks an endpoint, key and model)");
  cmd->add_option("TEXT", flags->options.text, "The user message")->required();
  cmd->add_option("--model", flags->options.model,
                  "Model name (default: MODEL from the environment or .env)");
  cmd->add_option("--system", flags->options.system, "A system prompt");
  cmd->add_flag("--stream", flags->options.stream,
                "Stream the reply (server-sent events) and print it as it comes");
  cmd->add_option("--env-file", flags->env_file,
                  "Read provider variables from this file instead of ./.env");
  cmd->add_option("--prices", flags->prices, "JSON file of model prices (USD per million tokens)");
  cmd->add_option("--max-tokens", flags->max_tokens, "Cap on the reply's tokens");
  cmd->add_option("--temperature", flags->temperature, "Sampling temperature");
  cmd->add_option("--max-cost-usd", flags->options.max_cost_usd,
                  "Refuse the call (exit 3) if its worst case could cost more than this");
  cmd->add_option("--attempts", flags->options.max_attempts,
                  "Attempts before giving up (retries on 429/5xx)")
      ->check(CLI::Range(1, 20));
  cmd->callback([flags] { RunChat(*flags); });
}

}  // namespace sg::cli
