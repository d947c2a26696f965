#include "llm/provider.h"

#include "core/json.h"
#include "llm/anthropic_stream.h"
#include "llm/anthropic_wire.h"
#include "llm/openai_stream.h"
#include "llm/openai_wire.h"

namespace sg::llm {
namespace {

std::string TrimSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// True when the URL is only scheme://host[:port], with no path.
bool HasNoPath(std::string_view url) {
  size_t scheme = url.find("://");
  size_t start = scheme == std::string_view::npos ? 0 : scheme + 3;
  return url.find('/', start) == std::string_view::npos;
}

Result<Json> ParseBody(std::string_view body) {
  Json j = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    std::string head(body.substr(0, 200));
    return ParseError("the response body is not valid JSON (starts: " + head + ")");
  }
  return j;
}

class OpenAIProvider final : public Provider {
 public:
  explicit OpenAIProvider(ProviderConfig config)
      : config_(std::move(config)), url_(EndpointUrl(config_)) {
    options_.use_max_completion_tokens =
        config_.kind == ProviderKind::kAzureOpenAI || config_.base_url.empty() ||
        config_.base_url.find("api.openai.com") != std::string::npos;
  }
  ProviderKind kind() const override { return config_.kind; }

  HttpRequest BuildRequest(const ChatRequest& request) const override {
    HttpRequest http;
    http.url = url_;
    http.headers.emplace_back("Content-Type", "application/json");
    if (request.stream) http.headers.emplace_back("Accept", "text/event-stream");
    if (config_.kind == ProviderKind::kAzureOpenAI) {
      http.headers.emplace_back("api-key", config_.api_key);
    } else if (!config_.api_key.empty()) {
      http.headers.emplace_back("Authorization", "Bearer " + config_.api_key);
    }
    http.body = DumpJson(EncodeOpenAIRequest(request, options_));
    return http;
  }
  Result<ChatResponse> ParseResponse(std::string_view body) const override {
    SG_ASSIGN_OR_RETURN(Json j, ParseBody(body));
    return DecodeOpenAIResponse(j);
  }
  std::unique_ptr<StreamAssembler> NewStreamAssembler(TextDeltaFn on_text) const override {
    return std::make_unique<OpenAIStreamAssembler>(std::move(on_text));
  }
  std::string ErrorMessage(std::string_view body) const override {
    return OpenAIErrorMessage(body);
  }

 private:
  ProviderConfig config_;
  std::string url_;
  OpenAIWireOptions options_;
};

class AnthropicProvider final : public Provider {
 public:
  explicit AnthropicProvider(ProviderConfig config)
      : config_(std::move(config)), url_(EndpointUrl(config_)) {}
  ProviderKind kind() const override { return ProviderKind::kAnthropic; }

  HttpRequest BuildRequest(const ChatRequest& request) const override {
    HttpRequest http;
    http.url = url_;
    http.headers.emplace_back("Content-Type", "application/json");
    http.headers.emplace_back("anthropic-version", "2023-06-01");
    if (request.stream) http.headers.emplace_back("Accept", "text/event-stream");
    if (!config_.api_key.empty()) http.headers.emplace_back("x-api-key", config_.api_key);
    http.body = DumpJson(EncodeAnthropicRequest(request));
    return http;
  }
  Result<ChatResponse> ParseResponse(std::string_view body) const override {
    SG_ASSIGN_OR_RETURN(Json j, ParseBody(body));
    return DecodeAnthropicResponse(j);
  }
  std::unique_ptr<StreamAssembler> NewStreamAssembler(TextDeltaFn on_text) const override {
    return std::make_unique<AnthropicStreamAssembler>(std::move(on_text));
  }
  std::string ErrorMessage(std::string_view body) const override {
    return AnthropicErrorMessage(body);
  }

 private:
  ProviderConfig config_;
  std::string url_;
};

}  // namespace

std::string EndpointUrl(const ProviderConfig& config) {
  switch (config.kind) {
    case ProviderKind::kOpenAI: {
      // OPENAI_BASE_URL follows the official SDKs: it includes the /v1 prefix. A bare
      // scheme://host:port (no path) gets /v1 added.
      std::string base =
          TrimSlash(config.base_url.empty() ? "https://api.openai.com/v1" : config.base_url);
      if (EndsWith(base, "/chat/completions")) return base;
      if (HasNoPath(base)) base += "/v1";
      return base + "/chat/completions";
    }
    case ProviderKind::kAzureOpenAI: {
      std::string base = TrimSlash(config.base_url);
      if (EndsWith(base, "/chat/completions")) return base;
      if (!EndsWith(base, "/openai/v1")) base += "/openai/v1";
      return base + "/chat/completions";
    }
    case ProviderKind::kAnthropic: {
      // ANTHROPIC_BASE_URL follows the official SDKs: without the /v1 prefix.
      std::string base =
          TrimSlash(config.base_url.empty() ? "https://api.anthropic.com" : config.base_url);
      if (EndsWith(base, "/v1/messages")) return base;
      if (EndsWith(base, "/v1")) return base + "/messages";
      return base + "/v1/messages";
    }
  }
  return {};
}

std::unique_ptr<Provider> MakeProvider(const ProviderConfig& config) {
  if (config.kind == ProviderKind::kAnthropic) return std::make_unique<AnthropicProvider>(config);
  return std::make_unique<OpenAIProvider>(config);
}

}  // namespace sg::llm
