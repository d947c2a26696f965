#include "llm/client.h"

#include <random>

#include "core/log.h"
#include "llm/curl_transport.h"

namespace sg::llm {
namespace {

using Ms = std::chrono::milliseconds;
constexpr std::string_view kRestartMarker = "\n[the reply restarted after a retry]\n";
constexpr size_t kMaxUnparsedStreamBytes = 1 << 20;

double ElapsedMs(Clock::TimePoint start, Clock::TimePoint end) {
  return std::chrono::duration<double, std::milli>(end - start).count();
}

uint64_t SeedFrom(uint64_t seed) {
  if (seed != 0) return seed;
  std::random_device rd;
  return (static_cast<uint64_t>(rd()) << 32) ^ rd();
}

std::string Describe(const ChatRequest& request) {
  std::string last;
  for (auto it = request.messages.rbegin(); it != request.messages.rend(); ++it) {
    if (it->role == Role::kUser || it->role == Role::kTool) {
      last = it->content.substr(0, 80);
      if (it->content.size() > 80) last += "...";
      break;
    }
  }
  return "model " + request.model + ", " + std::to_string(request.messages.size()) +
         " messages, last input \"" + last + "\"";
}

// A reply from another model than the one asked for (not a dated version of it) is priced as
// the model that answered; say so once per pair.
void NoteSubstitution(const std::string& requested, const std::string& answered) {
  if (answered == requested || answered.rfind(requested + "-", 0) == 0) return;
  log::WarnOnce("answered-by:" + requested + ">" + answered,
                "a request for model " + requested + " was answered by " + answered +
                    "; its calls are priced as " + answered +
                    " and the ledger's reported_model "
                    "says so");
}

}  // namespace

struct LlmClient::Attempt {
  Result<ChatResponse> result = Error(ErrorCode::kInternal, "no attempt made");
  bool retryable = false;
  std::optional<Ms> retry_after;
  int extra_sends = 0;  // times the transport resent the request on its own
};

LlmClient::LlmClient(const ProviderConfig& config, ClientParts parts, ClientOptions options)
    : config_(config),
      provider_(MakeProvider(config)),
      parts_(std::move(parts)),
      options_(options),
      backoff_(options.retry, SeedFrom(options.jitter_seed)) {
  if (!parts_.transport) parts_.transport = std::make_shared<CurlTransport>();
  if (!parts_.prices) parts_.prices = std::make_shared<PriceTable>(PriceTable::BuiltIn());
  if (!parts_.clock) parts_.clock = std::make_shared<SystemClock>();
  redactor_.AddSecret(config_.api_key);
  redactor_.AddEnvironmentSecrets();
}

LlmClient::~LlmClient() = default;

Error LlmClient::Redacted(Error error) const {
  error.message = redactor_.Redact(error.message);
  return error;
}

Result<ChatResponse> LlmClient::Complete(const ChatRequest& request, const CallContext& context) {
  return Complete(request, context, nullptr);
}

Result<ChatResponse> LlmClient::Complete(const ChatRequest& request, const CallContext& context,
                                         const TextDeltaFn& on_text) {
  Clock& clock = *parts_.clock;
  const Clock::TimePoint start = clock.Now();
  const int64_t start_wall = clock.WallMillis();
  const Clock::TimePoint deadline = start + options_.deadline;
  if (std::optional<Error> failure = LedgerFailure()) return *failure;

  std::string key;
  ResponseCache* cache =
      parts_.cache && parts_.cache->mode() != CacheMode::kOff ? parts_.cache.get() : nullptr;
  if (cache) {
    key = CacheKey(request, redactor_, context.rollout);
    auto hit = cache->Lookup(key);
    if (!hit.ok()) return Redacted(hit.error());
    if (hit->has_value()) {
      ChatResponse response = std::move(**hit);
      response.cache_hit = true;
      response.attempts = 0;
      response.cost_usd = 0.0;  // nothing was spent on this call
      response.latency_ms = ElapsedMs(start, clock.Now());
      SG_RETURN_IF_ERROR(
          Record(request, context, &response, nullptr, 0, response.latency_ms, start_wall));
      return response;
    }
    if (cache->mode() == CacheMode::kReplay) {
      return Redacted(NotFound("replay mode: the response cache " + cache->path().string() +
                               " has no entry for request " + key + " (" + Describe(request) +
                               "); rerun with the cache in read-write mode to record it"));
    }
  }

  // Held until the call ends; settled with what it cost (0 if it failed, the hold itself
  // when the reply's cost is unknown).
  std::optional<SpendCap::Hold> hold;
  if (parts_.spend_cap) {
    Result<SpendCap::Hold> admitted = AdmitUnderCap(request);
    if (!admitted.ok()) return Redacted(admitted.error());
    hold = *admitted;
  }
  double settled_cost = 0;
  struct Settle {
    SpendCap* cap;
    const std::optional<SpendCap::Hold>& hold;
    const double& cost;
    ~Settle() {
      if (cap && hold) cap->Settle(*hold, cost);
    }
  } settle{parts_.spend_cap.get(), hold, settled_cost};

  const int max_attempts = std::max(1, options_.retry.max_attempts);
  int attempts = 0;
  Attempt last;
  // A retried stream replays its reply from the start: the caller is shown only what goes
  // beyond what it was shown already, and a retry that says something else starts the
  // visible reply over with a marker, so that a printed reply is never doubled.
  std::string shown, attempt_text;
  const TextDeltaFn forward = !on_text ? TextDeltaFn() : [&](std::string_view delta) {
    attempt_text.append(delta);
    if (attempt_text.size() <= shown.size() &&
        shown.compare(0, attempt_text.size(), attempt_text) == 0) {
      return;  // a replay of what was shown
    }
    if (attempt_text.size() > shown.size() && attempt_text.compare(0, shown.size(), shown) == 0) {
      on_text(std::string_view(attempt_text).substr(shown.size()));
    } else {
      on_text(kRestartMarker);
      on_text(attempt_text);
    }
    shown = attempt_text;
  };
  for (;;) {
    Ms remaining = std::chrono::duration_cast<Ms>(deadline - clock.Now());
    if (remaining <= Ms(0)) {
      last.result = Error(ErrorCode::kTimeout,
                          "the overall deadline of " + std::to_string(options_.deadline.count()) +
                              " ms passed" +
                              (attempts ? "; last error: " + last.result.error().message : ""));
      break;
    }
    ++attempts;
    {
      InFlightSlot slot(parts_.limiter.get());
      attempt_text.clear();
      last = TryOnce(request, std::min(options_.request_timeout, remaining), forward);
    }
    attempts += last.extra_sends;  // resent by the HTTP library itself: paid-for tries too
    if (last.result.ok() || !last.retryable) break;
    if (attempts >= max_attempts) {
      const Error& e = last.result.error();
      last.result =
          Error(e.code, "gave up after " + std::to_string(attempts) + " attempts: " + e.message);
      break;
    }
    Ms wait = backoff_.Delay(attempts);
    if (last.retry_after) {
      if (*last.retry_after > options_.retry.max_retry_after) {
        const Error& e = last.result.error();
        last.result = Error(
            e.code, e.message + " (the server asked to retry after " +
                        std::to_string(last.retry_after->count()) + " ms, more than the " +
                        std::to_string(options_.retry.max_retry_after.count()) + " ms allowed)");
        break;
      }
      wait = *last.retry_after;
    }
    if (clock.Now() + wait >= deadline) {
      const Error& e = last.result.error();
      last.result = Error(ErrorCode::kTimeout,
                          "the overall deadline of " + std::to_string(options_.deadline.count()) +
                              " ms leaves no time to retry; last error: " + e.message);
      break;
    }
    log::Debug(redactor_.Redact("LLM call attempt " + std::to_string(attempts) + " failed (" +
                                last.result.error().message + "); retrying in " +
                                std::to_string(wait.count()) + " ms"));
    clock.SleepFor(wait);
  }

  double latency_ms = ElapsedMs(start, clock.Now());
  if (!last.result.ok()) {
    Error error = Redacted(last.result.error());
    (void)Record(request, context, nullptr, &error, attempts, latency_ms, start_wall);
    return error;  // a failed append is remembered: the next call reports it
  }
  ChatResponse response = std::move(last.result).value();
  // The reply that succeeded differs from what a failed attempt showed before it (shorter,
  // or not streamed at all): show it whole.
  if (on_text && !shown.empty() && attempt_text != shown) {
    on_text(kRestartMarker);
    on_text(attempt_text.empty() ? response.message.content : attempt_text);
  }
  response.attempts = attempts;
  response.latency_ms = latency_ms;
  response.cache_hit = false;
  // Price by the model the server says answered (an Azure deployment name says little),
  // else by the one requested.
  if (!response.usage.reported) {
    response.cost_usd = std::nullopt;  // no usage: the cost is unknown, not zero
  } else if (!response.model.empty() && parts_.prices->Find(response.model)) {
    response.cost_usd = parts_.prices->Cost(response.model, response.usage);
    NoteSubstitution(request.model, response.model);
  } else {
    response.cost_usd = parts_.prices->Cost(request.model, response.usage);
  }
  if (hold) {
    settled_cost = response.cost_usd ? *response.cost_usd : hold->reserved_usd;
    parts_.spend_cap->ObserveOutputTokens(response.usage.output_tokens);
  }
  if (cache && cache->mode() == CacheMode::kReadWrite) {
    if (Status stored = cache->Store(key, request, response, redactor_); !stored.ok()) {
      log::WarnOnce("cache-store",
                    "could not store a reply in the response cache: " + stored.error().message);
    }
  }
  // The reply was paid for; if that cannot be recorded, the caller gets the ledger's error
  // (the reply is in the cache, so a resumed run gets it free) and the run stops.
  SG_RETURN_IF_ERROR(
      Record(request, context, &response, nullptr, attempts, latency_ms, start_wall));
  return response;
}

LlmClient::Attempt LlmClient::TryOnce(const ChatRequest& request, Ms timeout,
                                      const TextDeltaFn& on_text) {
  Attempt out;
  HttpRequest http = provider_->BuildRequest(request);
  http.timeout = timeout;

  std::unique_ptr<StreamAssembler> assembler;
  SseParser parser;
  std::vector<SseEvent> events;
  std::optional<Error> stream_error;
  std::string
      unparsed;  // the body, kept while no event has been seen (a server that ignored stream)
  bool saw_event = false;
  if (request.stream) {
    assembler = provider_->NewStreamAssembler(on_text);
    http.on_body_chunk = [&](std::string_view chunk) {
      if (!saw_event && unparsed.size() < kMaxUnparsedStreamBytes) unparsed.append(chunk);
      events.clear();
      parser.Feed(chunk, events);
      for (const SseEvent& e : events) {
        saw_event = true;
        if (Status s = assembler->OnEvent(e); !s.ok()) {
          stream_error = s.error();
          return false;
        }
      }
      return true;
    };
  }

  int sends = 1;
  http.sends = &sends;
  Result<HttpResponse> sent = parts_.transport->Post(http);
  out.extra_sends = std::max(0, sends - 1);
  if (!sent.ok()) {
    if (stream_error) {
      ErrorCode code =
          stream_error->code == ErrorCode::kParse ? ErrorCode::kProvider : stream_error->code;
      out.result = Error(code, "unusable reply from " + http.url + ": " + stream_error->message);
      out.retryable = true;  // an error event or garbage mid-stream: the server's trouble
    } else {
      out.result = sent.error();
      out.retryable = IsRetryableError(sent.error().code);
    }
    return out;
  }
  const HttpResponse& resp = *sent;
  if (resp.status < 200 || resp.status >= 300) {
    std::string message = "HTTP " + std::to_string(resp.status) + " from " + http.url + ": " +
                          provider_->ErrorMessage(resp.body);
    out.retryable = IsRetryableStatus(resp.status);
    // The server's x-should-retry overrides the status rule, as both official SDKs do.
    const std::string should_retry = resp.Header("x-should-retry");
    if (should_retry == "true" || should_retry == "false") {
      out.retryable = should_retry == "true";
      message += " (x-should-retry: " + should_retry + ")";
    }
    out.result = Error(out.retryable ? ErrorCode::kNetwork : ErrorCode::kProvider, message);
    if (resp.status == 408) out.result = Error(ErrorCode::kTimeout, message);
    if (out.retryable) {
      out.retry_after = ParseRetryAfter(resp.Header("retry-after"), resp.Header("retry-after-ms"),
                                        parts_.clock->WallMillis());
    }
    return out;
  }

  if (!request.stream) {
    out.result = provider_->ParseResponse(resp.body);
  } else {
    events.clear();
    parser.Finish(events);
    for (const SseEvent& e : events) {
      saw_event = true;
      if (Status s = assembler->OnEvent(e); !s.ok()) {
        out.result = s.error();
        out.retryable = true;
        return out;
      }
    }
    if (!saw_event && !unparsed.empty()) {
      out.result = provider_->ParseResponse(unparsed);  // the server answered without streaming
    } else {
      out.result = assembler->Finish();
    }
  }
  if (!out.result.ok()) {
    // A 2xx with a body we cannot read (malformed, truncated) is the server's fault and
    // often transient.
    const Error& e = out.result.error();
    out.result = Error(e.code == ErrorCode::kParse ? ErrorCode::kProvider : e.code,
                       "unusable reply from " + http.url + ": " + e.message);
    out.retryable = true;
  }
  return out;
}

Result<SpendCap::Hold> LlmClient::AdmitUnderCap(const ChatRequest& request) const {
  std::optional<ModelPrice> price = parts_.prices->Find(request.model);
  if (!price) {
    return Error(ErrorCode::kBudget,
                 "model " + request.model +
                     " has no price, so a call to it cannot be held to --max-cost-usd: give "
                     "its price with --prices FILE (docs/providers.md), or drop the cap");
  }
  const WorstCase worst = WorstCaseOf(request, *price, parts_.spend_cap->OutputTokensIfUnset());
  return parts_.spend_cap->Admit(worst, "model " + request.model);
}

std::optional<Error> LlmClient::LedgerFailure() const {
  std::lock_guard<std::mutex> lock(ledger_mu_);
  return ledger_failure_;
}

Status LlmClient::Record(const ChatRequest& request, const CallContext& context,
                         const ChatResponse* response, const Error* error, int attempts,
                         double latency_ms, int64_t wall_ms) {
  if (!parts_.ledger) return Ok();
  LedgerEntry entry;
  entry.time_ms = wall_ms;
  entry.context = context;
  entry.model = request.model;
  entry.attempts = attempts;
  entry.latency_ms = latency_ms;
  if (response) {
    entry.usage = response->usage;
    entry.cost_usd = response->cost_usd;
    entry.cache_hit = response->cache_hit;
    if (response->model != request.model) entry.reported_model = response->model;
  }
  if (error) entry.error = ErrorCodeName(error->code);
  Status appended = parts_.ledger->Append(entry);
  if (appended.ok()) return Ok();
  Error failure(ErrorCode::kIo, appended.error().message +
                                    "; no further LLM call is made, so that no spend goes "
                                    "unrecorded");
  std::lock_guard<std::mutex> lock(ledger_mu_);
  if (!ledger_failure_) {
    ledger_failure_ = failure;
    log::Error(failure.message);
  }
  return *ledger_failure_;
}

}  // namespace sg::llm
