#include "mock/mock_server.h"

#include <fmt/format.h>

#include <fstream>

#include "core/clock.h"
#include "core/sha256.h"
#include "mock/fault_plan.h"
#include "mock/http_server.h"
#include "mock/reply_render.h"
#include "mock/rule_player.h"
#include "mock/stop_signal.h"

namespace sg::mock {

Json MockCounters::ToJson() const {
  Json status = Json::object(), fault = Json::object(), rules = Json::object();
  for (const auto& [code, n] : by_status) status[std::to_string(code)] = n;
  for (const auto& [kind, n] : faults) fault[kind] = n;
  for (const auto& [name, n] : rule_uses) rules[name] = n;
  return {{"requests", requests},   {"in_flight", in_flight}, {"max_in_flight", max_in_flight},
          {"unmatched", unmatched}, {"by_status", status},    {"faults", fault},
          {"rule_uses", rules}};
}

namespace {

std::string Excerpt(const std::string& text, size_t max_chars = 120) {
  std::string out;
  for (char c : text.substr(0, max_chars)) out += c == '\n' ? ' ' : c;
  if (text.size() > max_chars) out += "...";
  return out;
}

std::string FormatSeconds(double s) {
  if (s == static_cast<double>(static_cast<int64_t>(s)))
    return std::to_string(static_cast<int64_t>(s));
  return fmt::format("{:.3f}", s);
}

}  // namespace

class MockServer::Impl {
 public:
  explicit Impl(MockOptions options)
      : options_(std::move(options)),
        player_(options_.scenario, options_.seed),
        faults_(options_.scenario.faults, options_.seed),
        start_(std::chrono::steady_clock::now()) {}

  Status Start() {
    if (!options_.request_log.empty()) {
      if (options_.request_log.has_parent_path()) {
        std::error_code ec;
        std::filesystem::create_directories(options_.request_log.parent_path(), ec);
      }
      log_file_.open(options_.request_log, std::ios::app);
      if (!log_file_) {
        return IoError("cannot open the request log " + options_.request_log.string() +
                       " for writing (check --request-log and the directory's permissions)");
      }
    }
    auto http = HttpServer::Listen(options_.host, options_.port, options_.threads,
                                   [this](const HttpRequest& req) { return Handle(req); });
    if (!http.ok()) return http.error();
    http_ = std::move(*http);
    return Ok();
  }

  void Stop() {
    stop_.Trigger();
    if (http_) http_->Stop();
  }

  std::string base_url() const { return fmt::format("http://{}:{}", UrlHost(), http_->port()); }
  int port() const { return http_->port(); }

  MockCounters counters() const {
    std::lock_guard<std::mutex> lock(mu_);
    MockCounters c = counters_;
    for (const auto& [name, n] : player_.Uses()) c.rule_uses[name] = n;
    return c;
  }

  std::vector<Json> request_log() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<Json> out = log_;
    std::stable_sort(out.begin(), out.end(),
                     [](const Json& a, const Json& b) { return a["seq"] < b["seq"]; });
    return out;
  }

 private:
  std::string UrlHost() const {
    if (options_.host.find(':') != std::string::npos) return "[" + options_.host + "]";
    if (options_.host == "0.0.0.0") return "127.0.0.1";
    return options_.host;
  }

  double MillisSinceStart(std::chrono::steady_clock::time_point t) const {
    return std::chrono::duration<double, std::milli>(t - start_).count();
  }

  HttpReply Handle(const HttpRequest& req) {
    const std::string& p = req.path;
    if (p == "/mock/stats" && req.method == "GET") {
      return HttpReply::Json(200, DumpJson(counters().ToJson()));
    }
    if (p == "/mock/requests" && req.method == "GET") {
      return HttpReply::Json(200, DumpJson(Json(request_log())));
    }
    if (p == "/v1/models" || p == "/openai/v1/models" || p == "/models") {
      if (req.method != "GET") return MethodNotAllowed(req);
      return Models(req);
    }
    bool openai = p == "/v1/chat/completions" || p == "/openai/v1/chat/completions" ||
                  p == "/chat/completions" ||
                  (p.starts_with("/openai/deployments/") && p.ends_with("/chat/completions"));
    bool anthropic = p == "/v1/messages" || p == "/messages";
    if (!openai && !anthropic) {
      return HttpReply::Json(
          404, OpenAiErrorBody(fmt::format("mock: no endpoint {} {} (served: POST "
                                           "/v1/chat/completions, POST /v1/messages, GET "
                                           "/v1/models, GET /mock/stats, GET /mock/requests)",
                                           req.method, p),
                               "invalid_request_error", "unknown_url"));
    }
    if (req.method != "POST") return MethodNotAllowed(req);
    return HandleApi(req, openai ? Api::kOpenAi : Api::kAnthropic);
  }

  HttpReply MethodNotAllowed(const HttpRequest& req) {
    return HttpReply::Json(405, OpenAiErrorBody(fmt::format("mock: method {} is not allowed on {}",
                                                            req.method, req.path),
                                                "invalid_request_error", "method_not_allowed"));
  }

  HttpReply Models(const HttpRequest& req) {
    std::vector<std::string> names = options_.scenario.models;
    if (names.empty()) {
      for (const auto& rule : options_.scenario.rules) {
        if (rule.match.model && rule.match.model->equals)
          names.push_back(*rule.match.model->equals);
      }
    }
    if (names.empty()) names.push_back("mock-model");
    Json data = Json::array();
    if (!req.Header("anthropic-version").empty() || !req.Header("x-api-key").empty()) {
      for (const auto& n : names) {
        data.push_back({{"type", "model"},
                        {"id", n},
                        {"display_name", n},
                        {"created_at", "2025-01-01T00:00:00Z"}});
      }
      return HttpReply::Json(200, DumpJson({{"data", data},
                                            {"has_more", false},
                                            {"first_id", names.front()},
                                            {"last_id", names.back()}}));
    }
    for (const auto& n : names) {
      data.push_back({{"id", n},
                      {"object", "model"},
                      {"created", 1700000000},
                      {"owned_by", "skillgrad-mock"}});
    }
    return HttpReply::Json(200, DumpJson({{"object", "list"}, {"data", data}}));
  }

  // Everything logged about one API request; completed by Finish().
  struct Entry {
    Json log;
    int status = 0;  // 0: no response (reset, stall)
    std::string fault;
    bool unmatched = false;
    std::chrono::steady_clock::time_point arrived;
    // The matched reply's extra headers (ReplySpec::headers), added to whatever is sent.
    std::vector<std::pair<std::string, std::string>> reply_headers;
  };

  bool Authorized(const HttpRequest& req) const {
    if (options_.required_api_key.empty()) return true;
    const std::string& key = options_.required_api_key;
    std::string bearer = req.Header("authorization");
    return bearer == "Bearer " + key || req.Header("api-key") == key ||
           req.Header("x-api-key") == key;
  }

  static std::string AuthKind(const HttpRequest& req) {
    if (!req.Header("authorization").empty()) return "bearer";
    if (!req.Header("api-key").empty()) return "api-key";
    if (!req.Header("x-api-key").empty()) return "x-api-key";
    return "none";
  }

  HttpReply HandleApi(const HttpRequest& req, Api api) {
    auto entry = std::make_shared<Entry>();
    entry->arrived = std::chrono::steady_clock::now();
    int64_t seq = 0;
    {
      std::lock_guard<std::mutex> lock(mu_);
      seq = ++counters_.requests;
      ++counters_.in_flight;
      counters_.max_in_flight = std::max(counters_.max_in_flight, counters_.in_flight);
    }
    entry->log = {{"seq", seq},
                  {"time", FormatUtcMillis(SystemClock().WallMillis())},
                  {"t_ms", MillisSinceStart(entry->arrived)},
                  {"method", req.method},
                  {"path", req.path},
                  {"api", ApiName(api)},
                  {"auth", AuthKind(req)},
                  {"body_sha256", Sha256Hex(req.body)},
                  {"model", nullptr},
                  {"stream", false},
                  {"rule", nullptr},
                  {"reply_index", nullptr},
                  {"fault", nullptr},
                  {"latency_ms", 0}};
    Json headers = Json::object();
    for (const char* name : {"authorization", "api-key", "x-api-key"}) {
      if (!req.Header(name).empty()) headers[name] = "<redacted>";
    }
    for (const char* name :
         {"anthropic-version", "content-type", "x-skillgrad-role", "user-agent"}) {
      if (!req.Header(name).empty()) headers[name] = req.Header(name);
    }
    entry->log["headers"] = headers;
    HttpReply reply = Answer(req, api, seq, *entry);
    for (const auto& header : entry->reply_headers) reply.headers.push_back(header);
    // Each API names its replies as the real one does (the SDKs expose it as _request_id).
    reply.headers.emplace_back(api == Api::kAnthropic ? "request-id" : "x-request-id",
                               fmt::format("req_mock_{}", seq));
    entry->status = reply.reset ? 0 : reply.status;
    auto previous = std::move(reply.on_finished);
    reply.on_finished = [this, entry, previous](bool completed) {
      if (previous) previous(completed);
      Finish(*entry, completed);
    };
    return reply;
  }

  void Finish(Entry& entry, bool completed) {
    auto now = std::chrono::steady_clock::now();
    entry.log["status"] = entry.status;
    entry.log["completed"] = completed;
    entry.log["duration_ms"] =
        std::chrono::duration<double, std::milli>(now - entry.arrived).count();
    std::string line = log_file_.is_open() ? DumpJson(entry.log) : std::string();
    std::lock_guard<std::mutex> lock(mu_);
    --counters_.in_flight;
    ++counters_.by_status[entry.status];
    if (!entry.fault.empty()) ++counters_.faults[entry.fault];
    if (entry.unmatched) ++counters_.unmatched;
    log_.push_back(std::move(entry.log));
    if (log_file_.is_open()) {
      log_file_ << line << '\n';
      log_file_.flush();
    }
  }

  HttpReply ErrorReply(Api api, int status, const std::string& message, std::string type = "",
                       const std::string& code = "") {
    if (type.empty()) type = DefaultErrorType(api, status);
    return HttpReply::Json(status, ErrorBodyFor(api, message, type, code));
  }

  HttpReply Answer(const HttpRequest& req, Api api, int64_t seq, Entry& entry) {
    if (!Authorized(req)) {
      return ErrorReply(api, 401,
                        api == Api::kAnthropic
                            ? "invalid x-api-key"
                            : "Incorrect API key provided (the mock server was started with a "
                              "required key)",
                        "", "invalid_api_key");
    }
    auto body = ParseJson(req.body, "the request body");
    if (!body.ok()) {
      return ErrorReply(
          api, 400, "mock: could not parse the JSON body of your request: " + body.error().message);
    }
    auto wire = api == Api::kOpenAi ? ParseOpenAiRequest(*body) : ParseAnthropicRequest(*body);
    if (!wire.ok()) return ErrorReply(api, 400, "mock: invalid request: " + wire.error().message);
    const WireRequest& request = *wire;
    entry.log["body"] = std::move(*body);
    entry.log["model"] = request.chat.model;
    entry.log["stream"] = request.chat.stream;
    entry.log["messages"] = request.chat.messages.size();
    entry.log["turn"] = TurnOf(request);
    Json tools = Json::array();
    for (const auto& t : request.chat.tools) tools.push_back(t.name);
    entry.log["tools"] = tools;

    std::optional<FaultAction> fault = faults_.Decide(seq, api);
    MatchInput input{&request, req.Header("x-skillgrad-role"), seq, ContentHash(request)};
    std::optional<MatchResult> match = player_.Match(input, /*consume=*/!fault);
    if (match) {
      entry.log["rule"] = match->rule->name;
      entry.log["reply_index"] = match->reply_index;
      if (!match->role.empty()) entry.log["role"] = match->role;
      entry.reply_headers = match->reply->headers;
      if (!fault && match->reply->fault) fault = match->reply->fault;
    }

    int64_t latency_ms = DrawLatencyMs(options_.scenario.latency, options_.seed, seq);
    if (match && match->reply->latency) {
      latency_ms = DrawLatencyMs(*match->reply->latency, options_.seed, seq);
    }
    if (fault && fault->kind == FaultKind::kStall) latency_ms = fault->stall_ms;
    entry.log["latency_ms"] = latency_ms;
    if (fault) {
      entry.fault = FaultKindName(fault->kind);
      entry.log["fault"] = entry.fault;
    }
    if (latency_ms > 0 && !stop_.SleepFor(std::chrono::milliseconds(latency_ms))) {
      HttpReply r;
      r.reset = true;  // stopping: drop the connection
      return r;
    }
    if (fault) {
      switch (fault->kind) {
        case FaultKind::kRateLimit: {
          HttpReply r = ErrorReply(api, fault->status,
                                   fault->message.empty()
                                       ? "mock: rate limit reached (injected fault), retry later"
                                       : fault->message,
                                   "", "rate_limit_exceeded");
          if (fault->retry_after_s) {
            r.headers.emplace_back("Retry-After", FormatSeconds(*fault->retry_after_s));
            entry.log["retry_after_s"] = *fault->retry_after_s;
          }
          if (fault->retry_after_ms) {
            r.headers.emplace_back("retry-after-ms", std::to_string(*fault->retry_after_ms));
            entry.log["retry_after_ms"] = *fault->retry_after_ms;
          }
          return r;
        }
        case FaultKind::kHttpError:
          return ErrorReply(api, fault->status,
                            fault->message.empty()
                                ? fmt::format("mock: injected HTTP {} fault", fault->status)
                                : fault->message);
        case FaultKind::kReset:
        case FaultKind::kStall: {
          HttpReply r;
          r.reset = true;
          return r;
        }
        case FaultKind::kMalformed:
        case FaultKind::kTruncate:
          break;  // need the reply; below
      }
    }
    if (!match) {
      entry.unmatched = true;
      std::string last_role = "none", last_text;
      for (auto it = request.chat.messages.rbegin(); it != request.chat.messages.rend(); ++it) {
        if (it->role != llm::Role::kSystem) {
          last_role = RoleWireName(it->role);
          last_text = it->content;
          break;
        }
      }
      return ErrorReply(
          api, 400,
          fmt::format("mock: no rule of {} matched request {} (api {}, model \"{}\", turn {}, "
                      "{} tool(s), system \"{}\", last message ({}) \"{}\"); add a rule for it "
                      "or check the rules' match conditions",
                      options_.scenario.source, seq, ApiName(api), request.chat.model,
                      TurnOf(request), request.chat.tools.size(), Excerpt(request.system, 60),
                      last_role, Excerpt(last_text)),
          "", "mock_no_rule_matched");
    }
    const ReplySpec& spec = *match->reply;
    if (spec.status != 200 &&
        !(fault && (fault->kind == FaultKind::kMalformed || fault->kind == FaultKind::kTruncate))) {
      if (spec.error_body) return HttpReply::Json(spec.status, DumpJson(*spec.error_body));
      return ErrorReply(
          api, spec.status,
          spec.error_message.empty()
              ? fmt::format("mock: scripted HTTP {} from rule {}", spec.status, match->rule->name)
              : ExpandTemplate(spec.error_message, match->captures),
          spec.error_type);
    }
    RenderedReply rendered = RenderReply(spec, match->captures, request, seq);
    std::optional<FaultKind> damage;
    if (fault) damage = fault->kind;
    return Success(api, request, rendered, damage, fault ? fault->truncate_fraction : 0.5);
  }

  HttpReply Success(Api api, const WireRequest& request, const RenderedReply& rendered,
                    std::optional<FaultKind> damage, double fraction) {
    HttpReply r;
    r.status = 200;
    const size_t chunk_chars = static_cast<size_t>(options_.scenario.stream_chunk_chars);
    if (!request.chat.stream) {
      std::string body =
          api == Api::kOpenAi ? OpenAiCompletionBody(rendered) : AnthropicMessageBody(rendered);
      if (damage == FaultKind::kMalformed) {
        body = body.substr(0, body.size() / 2) + "<<malformed";
      } else if (damage == FaultKind::kTruncate) {
        r.cut_after_bytes = static_cast<size_t>(static_cast<double>(body.size()) * fraction);
      }
      r.pieces.push_back(std::move(body));
      return r;
    }
    r.chunked = true;
    r.content_type = "text/event-stream";
    r.headers.emplace_back("Cache-Control", "no-cache");
    std::vector<std::string> events =
        api == Api::kOpenAi ? OpenAiStreamEvents(rendered, request.include_usage, chunk_chars)
                            : AnthropicStreamEvents(rendered, chunk_chars);
    if (damage == FaultKind::kMalformed) {
      // One event in the middle carries JSON cut in half; the stream goes on after it.
      size_t i = events.size() / 2;
      std::string& e = events[i];
      size_t data = e.find("data: ");
      std::string json = e.substr(data + 6);
      e = e.substr(0, data) + "data: " + json.substr(0, json.size() / 2) + "\n\n";
    } else if (damage == FaultKind::kTruncate) {
      size_t keep =
          std::max<size_t>(1, static_cast<size_t>(static_cast<double>(events.size()) * fraction));
      keep = std::min(keep, events.size() - 1);
      size_t bytes = 0;
      for (size_t i = 0; i < keep; ++i) bytes += events[i].size();
      r.cut_after_bytes = bytes;
    }
    r.pieces = std::move(events);
    return r;
  }

  MockOptions options_;
  RulePlayer player_;
  FaultPlan faults_;
  std::chrono::steady_clock::time_point start_;
  StopSignal stop_;
  std::unique_ptr<HttpServer> http_;
  mutable std::mutex mu_;
  MockCounters counters_;
  std::vector<Json> log_;
  std::ofstream log_file_;
};

MockServer::MockServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

MockServer::~MockServer() { Stop(); }

Result<std::unique_ptr<MockServer>> MockServer::Start(MockOptions options) {
  auto impl = std::make_unique<Impl>(std::move(options));
  SG_RETURN_IF_ERROR(impl->Start());
  return std::unique_ptr<MockServer>(new MockServer(std::move(impl)));
}

std::string MockServer::base_url() const { return impl_->base_url(); }
int MockServer::port() const { return impl_->port(); }
void MockServer::Stop() {
  if (impl_) impl_->Stop();
}
MockCounters MockServer::counters() const { return impl_->counters(); }
std::vector<Json> MockServer::request_log() const { return impl_->request_log(); }

}  // namespace sg::mock
