#include "llm/env_config.h"

#include <cctype>
#include <cstdlib>

#include "core/file_util.h"

namespace sg::llm {
namespace {

namespace fs = std::filesystem;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool ValidKey(std::string_view key) {
  if (key.empty() || std::isdigit(static_cast<unsigned char>(key[0]))) return false;
  for (char c : key) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.') return false;
  }
  return true;
}

Error LineError(const fs::path& path, int line, const std::string& what) {
  return InvalidArgument(path.string() + ":" + std::to_string(line) + ": " + what);
}

struct Variable {
  std::string value;
  std::string origin;  // "environment" or "<path> line N"
};

}  // namespace

Result<std::vector<DotEnvEntry>> ParseDotEnv(std::string_view text, const fs::path& path) {
  std::vector<DotEnvEntry> entries;
  int line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view raw = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    std::string_view line = Trim(raw);
    if (line.empty() || line[0] == '#') {
      if (end == text.size()) break;
      continue;
    }
    if (line.starts_with("export ")) line = Trim(line.substr(7));
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      return LineError(path, line_no,
                       "expected KEY=VALUE (no '=' on this line); fix or remove the line");
    }
    std::string key(Trim(line.substr(0, eq)));
    if (!ValidKey(key)) {
      return LineError(path, line_no,
                       "\"" + key +
                           "\" is not a valid variable name (letters, digits, '_'; not starting "
                           "with a digit)");
    }
    std::string_view rest = Trim(line.substr(eq + 1));
    std::string value;
    if (!rest.empty() && (rest[0] == '"' || rest[0] == '\'')) {
      char quote = rest[0];
      size_t i = 1;
      bool closed = false;
      for (; i < rest.size(); ++i) {
        char c = rest[i];
        if (c == quote) {
          closed = true;
          break;
        }
        if (quote == '"' && c == '\\' && i + 1 < rest.size()) {
          char n = rest[++i];
          value.push_back(n == 'n' ? '\n' : n == 't' ? '\t' : n == 'r' ? '\r' : n);
        } else {
          value.push_back(c);
        }
      }
      if (!closed) {
        return LineError(path, line_no,
                         "the value of " + key + " opens a " +
                             std::string(quote == '"' ? "double" : "single") +
                             " quote that is not closed on the same line");
      }
      std::string_view after = Trim(rest.substr(i + 1));
      if (!after.empty() && after[0] != '#') {
        return LineError(path, line_no, "unexpected text after the closing quote of " + key);
      }
    } else {
      size_t hash = rest.find(" #");
      value = std::string(Trim(hash == std::string_view::npos ? rest : rest.substr(0, hash)));
    }
    entries.push_back({std::move(key), std::move(value), line_no});
    if (end == text.size()) break;
  }
  return entries;
}

EnvLookup ProcessEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

Result<ProviderConfig> ResolveProviderConfig(const EnvLookup& env,
                                             const std::vector<DotEnvEntry>& dotenv,
                                             const fs::path& dotenv_path) {
  auto get = [&](const std::string& name) -> std::optional<Variable> {
    if (auto v = env(name); v && !v->empty()) return Variable{*v, "environment"};
    for (auto it = dotenv.rbegin(); it != dotenv.rend(); ++it) {  // last assignment wins
      if (it->key == name && !it->value.empty()) {
        return Variable{it->value, dotenv_path.string() + " line " + std::to_string(it->line)};
      }
    }
    return std::nullopt;
  };
  std::vector<std::string> found;  // "OPENAI_API_KEY (environment)"
  const ProviderInfo* chosen = nullptr;
  int present = 0;
  for (const ProviderInfo& b : Providers()) {
    bool here = false;
    for (const char* var : {b.key_var, b.url_var}) {
      if (auto v = get(var)) {
        found.push_back(std::string(var) + " (" + v->origin + ")");
        here = true;
      }
    }
    if (here) {
      ++present;
      chosen = &b;
    }
  }
  if (present == 0) {
    return InvalidArgument("no LLM provider is configured: set " + ProviderSetupText() +
                           ", in the environment or in " + dotenv_path.string() +
                           " (see docs/providers.md)");
  }
  if (present > 1) {
    std::string list;
    for (size_t i = 0; i < found.size(); ++i) list += (i ? ", " : "") + found[i];
    return InvalidArgument(
        "more than one LLM provider is configured: " + list +
        "; keep the variables of exactly one provider (unset or remove the others)");
  }
  ProviderConfig config;
  config.kind = chosen->kind;
  auto key = get(chosen->key_var);
  auto url = get(chosen->url_var);
  config.api_key = key ? key->value : "";
  config.base_url = url ? url->value : "";
  config.origin = std::string(key ? chosen->key_var : chosen->url_var) + " (" +
                  (key ? key->origin : url->origin) + ")";
  if (config.kind == ProviderKind::kAzureOpenAI) {
    if (!key)
      return InvalidArgument(
          "AZURE_OPENAI_ENDPOINT is set but AZURE_OPENAI_API_KEY is not; set both");
    if (!url) {
      return InvalidArgument(
          "AZURE_OPENAI_API_KEY is set but AZURE_OPENAI_ENDPOINT is not; set it to "
          "https://<resource>.openai.azure.com");
    }
  }
  if (config.kind == ProviderKind::kOpenAI && !key &&
      config.base_url.find("api.openai.com") != std::string::npos) {
    return InvalidArgument(
        "OPENAI_BASE_URL points at api.openai.com but OPENAI_API_KEY is not set");
  }
  if (config.kind == ProviderKind::kAnthropic && !key &&
      config.base_url.find("api.anthropic.com") != std::string::npos) {
    return InvalidArgument(
        "ANTHROPIC_BASE_URL points at api.anthropic.com but ANTHROPIC_API_KEY is not set");
  }
  for (const std::string& u : {config.base_url}) {
    if (!u.empty() && !u.starts_with("http://") && !u.starts_with("https://")) {
      return InvalidArgument(std::string(chosen->url_var) +
                             " must start with http:// or https:// (from " + url->origin + ")");
    }
  }
  if (auto model = get("MODEL")) config.model = model->value;
  return config;
}

Result<ProviderConfig> LoadProviderConfig(const std::optional<fs::path>& env_file) {
  fs::path path = env_file.value_or(fs::path(".env"));
  std::vector<DotEnvEntry> entries;
  std::error_code ec;
  if (fs::exists(path, ec)) {
    SG_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
    SG_ASSIGN_OR_RETURN(entries, ParseDotEnv(text, path));
  } else if (env_file) {
    return NotFound("--env-file " + path.string() +
                    " does not exist; give the path of a .env file");
  }
  return ResolveProviderConfig(ProcessEnvironment(), entries, path);
}

}  // namespace sg::llm
