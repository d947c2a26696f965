// The HTTP seam under the providers: one POST, optionally streamed. The real
// implementation is CurlTransport (curl_transport.h); tests run it against the loopback
// mock server rather than replacing it.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace sg::llm {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string url;
  HttpHeaders headers;  // sent as given; Content-Type is the caller's job
  std::string body;
  std::chrono::milliseconds timeout{std::chrono::minutes(5)};  // whole exchange
  // When set, each piece of the body is handed over as it arrives and HttpResponse::body
  // stays empty for 2xx answers (error bodies are still collected). Returning false aborts
  // the transfer (reported as kCancelled).
  std::function<bool(std::string_view chunk)> on_body_chunk;
  // When set, receives how many times the request went on the wire, whatever the outcome:
  // more than 1 when the HTTP library resent it by itself (curl does, once, when a reused
  // connection turns out closed by the server). The ledger counts these as attempts.
  int* sends = nullptr;
};

struct HttpResponse {
  int status = 0;
  HttpHeaders headers;  // names lowercased, in arrival order
  std::string body;

  // First header with this (lowercase) name, or empty.
  std::string Header(std::string_view lowercase_name) const;
};

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  // Any HTTP status is a successful exchange. Errors: kTimeout (the timeout passed),
  // kNetwork (refused, reset, truncated, DNS, TLS), kCancelled (the callback stopped it).
  virtual Result<HttpResponse> Post(const HttpRequest& request) = 0;
};

}  // namespace sg::llm
