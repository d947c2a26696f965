// Removes known secret values (API keys) from text before it reaches a log, a
// trajectory, the ledger, the response cache, a provider request or an error message.
// Values shorter than 8 characters are ignored: redacting them would mangle ordinary text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"

namespace sg {

class SecretRedactor {
 public:
  // The text every secret is replaced with.
  static constexpr std::string_view kPlaceholder = "[REDACTED]";

  void AddSecret(std::string_view value);
  // Adds the value of every variable of this process's environment whose name marks it as
  // a credential (see IsSecretVariableName), so that a redactor built without the
  // provider's configuration still knows the keys an agent could print from the
  // environment. Reads the environment once, now.
  void AddEnvironmentSecrets();
  // Adds every secret `other` knows.
  void Merge(const SecretRedactor& other);

  std::string Redact(std::string_view text) const;
  // A copy of `value` with every string in it (object keys included) redacted.
  Json RedactJson(const Json& value) const;
  bool empty() const { return secrets_.empty(); }

 private:
  std::vector<std::string> secrets_;  // longest first
};

// Names of credential variables: the provider keys (OPENAI_API_KEY, AZURE_OPENAI_API_KEY,
// ANTHROPIC_API_KEY) and any other name ending in API_KEY, _TOKEN, _SECRET or
// _SECRET_KEY (case-insensitive).
bool IsSecretVariableName(std::string_view name);

}  // namespace sg
