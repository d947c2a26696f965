// Which provider to talk to and how: the result of reading .env and the environment
// (env_config.h), consumed by MakeProvider (provider.h).
#pragma once

#include <string>
#include <vector>

namespace sg::llm {

enum class ProviderKind {
  kOpenAI,       // api.openai.com, or any OpenAI-compatible server (llama.cpp, vLLM, Ollama)
  kAzureOpenAI,  // Azure OpenAI v1 endpoint, `api-key` header
  kAnthropic,    // Anthropic Messages API
};

// The provider registry: one entry per ProviderKind, the only place that lists the providers.
// Logs, config.json, the .env resolution (env_config.h) and doctor's advice all read it.
struct ProviderInfo {
  ProviderKind kind;
  const char* name;     // "openai", "azure-openai", "anthropic"
  const char* key_var;  // the API key variable, e.g. "OPENAI_API_KEY"
  const char* url_var;  // the endpoint variable, e.g. "OPENAI_BASE_URL"
  const char* setup;    // how to configure it, for messages: "AZURE_OPENAI_API_KEY with ..."
};
// Every provider, in the order messages list them.
const std::vector<ProviderInfo>& Providers();
const ProviderInfo& ProviderInfoFor(ProviderKind kind);
const char* ProviderKindName(ProviderKind kind);  // ProviderInfoFor(kind).name
// Every provider's `setup`, joined for a message: "OPENAI_API_KEY (...), AZURE_OPENAI_API_KEY
// with AZURE_OPENAI_ENDPOINT, or ANTHROPIC_API_KEY".
std::string ProviderSetupText();

struct ProviderConfig {
  ProviderKind kind = ProviderKind::kOpenAI;
  std::string api_key;   // may be empty for a local server that wants none; never log it
  std::string base_url;  // empty: the provider's public endpoint
  std::string model;     // MODEL from the environment or .env; empty if unset
  std::string origin;    // where the block came from, e.g. "OPENAI_API_KEY (environment)"
};

}  // namespace sg::llm
