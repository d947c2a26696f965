// The ChatClient used by every role: a provider over an HTTP transport, plus retries
// (retry_policy.h), the shared in-flight limit (inflight_limiter.h), the response cache
// (response_cache.h) and the cost ledger (cost_ledger.h). Thread-safe: one client may
// serve many agent threads; the parts it shares with other clients (limiter, cache,
// ledger, transport) are shared_ptrs so that all roles of a run use the same ones.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

#include "core/clock.h"
#include "core/redact.h"
#include "llm/chat_client.h"
#include "llm/cost_ledger.h"
#include "llm/http_transport.h"
#include "llm/inflight_limiter.h"
#include "llm/price_table.h"
#include "llm/provider.h"
#include "llm/response_cache.h"
#include "llm/retry_policy.h"
#include "llm/spend_cap.h"

namespace sg::llm {

struct ClientOptions {
  RetryOptions retry;
  std::chrono::milliseconds request_timeout{std::chrono::minutes(5)};  // one attempt
  std::chrono::milliseconds deadline{std::chrono::minutes(30)};  // the whole call, retries included
  uint64_t jitter_seed = 0;                                      // 0: seeded from the OS
};

// Everything but the provider may be null: no transport -> a new CurlTransport; no
// limiter -> no limit; no cache -> off; no ledger -> none; no prices -> built-in table;
// no clock -> the system clock; no spend cap -> no cap (a cache hit is never held by one).
struct ClientParts {
  std::shared_ptr<HttpTransport> transport;
  std::shared_ptr<InFlightLimiter> limiter;
  std::shared_ptr<ResponseCache> cache;
  std::shared_ptr<CostLedger> ledger;
  std::shared_ptr<const PriceTable> prices;
  std::shared_ptr<Clock> clock;
  std::shared_ptr<SpendCap> spend_cap;
};

class LlmClient final : public ChatClient {
 public:
  // The API key of `config` and the secrets of the process environment
  // (SecretRedactor::AddEnvironmentSecrets) are registered with the client's redactor:
  // they never show in the errors and logs the client produces, nor in the response cache.
  LlmClient(const ProviderConfig& config, ClientParts parts, ClientOptions options = {});
  ~LlmClient() override;

  Result<ChatResponse> Complete(const ChatRequest& request, const CallContext& context) override;
  // Same, handing the reply's text to `on_text` as it streams in (request.stream set).
  Result<ChatResponse> Complete(const ChatRequest& request, const CallContext& context,
                                const TextDeltaFn& on_text);

  const ProviderConfig& config() const { return config_; }

 private:
  struct Attempt;
  Attempt TryOnce(const ChatRequest& request, std::chrono::milliseconds timeout,
                  const TextDeltaFn& on_text);
  // Appends the call to the ledger. A failed append is returned and remembered: from then
  // on every call fails before it is sent (a run that cannot record its spend stops).
  Status Record(const ChatRequest& request, const CallContext& context,
                const ChatResponse* response, const Error* error, int attempts, double latency_ms,
                int64_t wall_ms);
  std::optional<Error> LedgerFailure() const;
  // The spend cap's admission of a call that is about to be sent (spend_cap.h).
  Result<SpendCap::Hold> AdmitUnderCap(const ChatRequest& request) const;
  Error Redacted(Error error) const;

  ProviderConfig config_;
  std::unique_ptr<Provider> provider_;
  ClientParts parts_;
  ClientOptions options_;
  BackoffSchedule backoff_;
  SecretRedactor redactor_;
  mutable std::mutex ledger_mu_;
  std::optional<Error> ledger_failure_;  // the first failed ledger append
};

}  // namespace sg::llm
