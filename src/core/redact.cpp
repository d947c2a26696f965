#include "core/redact.h"

#include <algorithm>
#include <cctype>

extern char** environ;

namespace sg {
namespace {

bool EndsWithIgnoringCase(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  s.remove_prefix(s.size() - suffix.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(s[i])) != suffix[i]) return false;
  }
  return true;
}

}  // namespace

bool IsSecretVariableName(std::string_view name) {
  static constexpr std::string_view kSuffixes[] = {"API_KEY", "_TOKEN", "_SECRET", "_SECRET_KEY"};
  for (std::string_view suffix : kSuffixes) {
    if (EndsWithIgnoringCase(name, suffix)) return true;
  }
  return false;
}

void SecretRedactor::AddSecret(std::string_view value) {
  if (value.size() < 8) return;
  if (std::find(secrets_.begin(), secrets_.end(), value) != secrets_.end()) return;
  secrets_.emplace_back(value);
  // Longest first, so that a secret containing another is replaced whole.
  std::sort(secrets_.begin(), secrets_.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

void SecretRedactor::AddEnvironmentSecrets() {
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    size_t eq = text.find('=');
    if (eq == std::string_view::npos) continue;
    if (IsSecretVariableName(text.substr(0, eq))) AddSecret(text.substr(eq + 1));
  }
}

void SecretRedactor::Merge(const SecretRedactor& other) {
  for (const std::string& secret : other.secrets_) AddSecret(secret);
}

std::string SecretRedactor::Redact(std::string_view text) const {
  std::string out(text);
  for (const std::string& secret : secrets_) {
    size_t pos = 0;
    while ((pos = out.find(secret, pos)) != std::string::npos) {
      out.replace(pos, secret.size(), kPlaceholder);
      pos += kPlaceholder.size();
    }
  }
  return out;
}

Json SecretRedactor::RedactJson(const Json& value) const {
  if (secrets_.empty()) return value;
  if (value.is_string()) return Redact(value.get_ref<const std::string&>());
  if (value.is_array()) {
    Json copy = Json::array();
    for (const Json& item : value) copy.push_back(RedactJson(item));
    return copy;
  }
  if (value.is_object()) {
    Json copy = Json::object();
    for (auto it = value.begin(); it != value.end(); ++it) copy[Redact(it.key())] = RedactJson(*it);
    return copy;
  }
  return value;
}

}  // namespace sg
