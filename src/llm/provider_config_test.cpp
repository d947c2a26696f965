#include "llm/provider_config.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace sg::llm {
namespace {

TEST(ProviderRegistryTest, EveryKindHasOneEntry) {
  std::set<std::string> names;
  for (ProviderKind kind :
       {ProviderKind::kOpenAI, ProviderKind::kAzureOpenAI, ProviderKind::kAnthropic}) {
    const ProviderInfo& info = ProviderInfoFor(kind);
    EXPECT_EQ(info.kind, kind) << info.name;
    EXPECT_STREQ(ProviderKindName(kind), info.name);
    names.insert(info.name);
  }
  EXPECT_EQ(names.size(), Providers().size());
  EXPECT_EQ(names, (std::set<std::string>{"openai", "azure-openai", "anthropic"}));
}

TEST(ProviderRegistryTest, SetupTextNamesEveryProvidersKey) {
  const std::string text = ProviderSetupText();
  for (const ProviderInfo& info : Providers()) {
    EXPECT_NE(text.find(info.key_var), std::string::npos) << text;
  }
  EXPECT_TRUE(text.ends_with(", or ANTHROPIC_API_KEY")) << text;
}

}  // namespace
}  // namespace sg::llm
