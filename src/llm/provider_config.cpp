#include "llm/provider_config.h"

namespace sg::llm {

const std::vector<ProviderInfo>& Providers() {
  static const std::vector<ProviderInfo> kProviders = {
      {ProviderKind::kOpenAI, "openai", "OPENAI_API_KEY", "OPENAI_BASE_URL",
       "OPENAI_API_KEY (optionally OPENAI_BASE_URL for a local OpenAI-compatible server)"},
      {ProviderKind::kAzureOpenAI, "azure-openai", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT",
       "AZURE_OPENAI_API_KEY with AZURE_OPENAI_ENDPOINT"},
      {ProviderKind::kAnthropic, "anthropic", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL",
       "ANTHROPIC_API_KEY"},
  };
  return kProviders;
}

const ProviderInfo& ProviderInfoFor(ProviderKind kind) {
  for (const ProviderInfo& info : Providers()) {
    if (info.kind == kind) return info;
  }
  return Providers().front();  // unreachable: every kind has an entry (provider_config_test)
}

const char* ProviderKindName(ProviderKind kind) { return ProviderInfoFor(kind).name; }

std::string ProviderSetupText() {
  const auto& providers = Providers();
  std::string out;
  for (size_t i = 0; i < providers.size(); ++i) {
    if (i > 0) out += i + 1 == providers.size() ? ", or " : ", ";
    out += providers[i].setup;
  }
  return out;
}

}  // namespace sg::llm
