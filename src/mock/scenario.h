// A scenario: the script the mock LLM server plays. Ordered rules match a request (model,
// system prompt, last message, tools offered, turn, role label) and give a reply (text,
// tool calls, usage, or an error); faults and latency are injected around them. The file
// format is documented in docs/mock-llm.md; this header is its in-memory form.
#pragma once

#include <cstdint>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/json.h"

namespace sg::mock {

// A compiled ECMAScript regex, defined in scenario.cpp so that <regex> stays out of the
// headers of everything that includes this one.
class CompiledRegex;

// Matches a text by substring, exact value and/or regex (ECMAScript, searched anywhere in
// the text). All given conditions must hold. Regex groups become captures for replies.
struct TextPattern {
  std::optional<std::string> contains;
  std::optional<std::string> equals;
  std::string regex_source;                    // empty: no regex
  std::shared_ptr<const CompiledRegex> regex;  // set with regex_source by the loader
  bool ignore_case = false;

  // Compiles regex_source (ignore_case applies); an invalid pattern is an error naming it.
  Status CompileRegex();
  size_t group_count() const;  // the regex's groups; 0 without a regex
  // Searches the regex anywhere in `text`. On a match returns every group (0: the whole
  // match; a group that took no part is empty); nullopt when it does not match. Without a
  // regex every text matches with no groups.
  std::optional<std::vector<std::string>> SearchRegex(const std::string& text) const;
};

struct IntRange {
  int64_t min = 0;
  int64_t max = std::numeric_limits<int64_t>::max();
  bool Contains(int64_t v) const { return v >= min && v <= max; }
};

struct RuleMatch {
  std::optional<TextPattern> model;
  std::optional<std::string> api;  // "openai" | "anthropic"
  std::optional<TextPattern> system;
  std::optional<std::string> last_role;  // "user" | "assistant" | "tool" | "system"
  std::optional<TextPattern> last_message;
  std::optional<TextPattern> any_message;  // some message (any role) matches
  std::vector<std::string> tools;          // every one of these tool names is offered
  std::optional<bool> has_tools;
  std::optional<IntRange> turn;     // assistant messages in the request so far
  std::optional<std::string> role;  // a label from Scenario::roles or X-Skillgrad-Role
  std::optional<bool> stream;
  // The rule matches with this seeded probability (0 to 1). The draw depends on the scenario
  // seed, the rule, the request's content and how many identical requests were answered
  // before: the rollouts of one task (identical requests) get independent draws, and a rerun
  // with the same seed the same ones, whatever the arrival order of other requests.
  std::optional<double> probability;
};

enum class FaultKind { kRateLimit, kHttpError, kReset, kStall, kMalformed, kTruncate };
const char* FaultKindName(FaultKind kind);  // "rate_limit", "http_error", ...
std::optional<FaultKind> ParseFaultKind(std::string_view name);

struct FaultAction {
  FaultKind kind = FaultKind::kHttpError;
  int status = 500;                       // http_error: the status; rate_limit: 429
  std::optional<double> retry_after_s;    // Retry-After header (seconds)
  std::optional<int64_t> retry_after_ms;  // retry-after-ms header
  int64_t stall_ms = 60000;               // stall: sleep this long, then close
  double truncate_fraction = 0.5;         // truncate: share of the reply sent before the cut
  std::string message;                    // error message; a default when empty
};

struct LatencySpec {
  int64_t min_ms = 0;
  int64_t max_ms = 0;  // == min_ms: fixed
};

struct ToolCallTemplate {
  std::string id;                   // empty: generated
  std::string name;                 // may use captures
  Json arguments = Json::object();  // object: strings templated; string: sent verbatim
};

struct UsageSpec {
  std::optional<int64_t> input, cached, output, reasoning;
};

struct ReplySpec {
  std::optional<std::string> text;  // may use captures
  // OpenAI: the message's `refusal` (a stream's refusal deltas) instead of content;
  // Anthropic: a text block with stop_reason "refusal".
  std::optional<std::string> refusal;
  // Extra response headers, sent with whatever this reply turns out to be (an error, a
  // fault, a success): e.g. x-should-retry.
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<ToolCallTemplate> tool_calls;
  std::optional<std::string> finish_reason;  // wire value; default from the content
  UsageSpec usage;                           // missing fields estimated (chars / 4)
  std::optional<std::string> model;          // the model the reply names; default: request's
  bool omit_usage = false;                   // local-server quirk: no usage at all
  bool arguments_as_object = false;          // local-server quirk (OpenAI format only)
  // An error reply when status != 200: body given verbatim, or built from message/type.
  int status = 200;
  std::optional<Json> error_body;
  std::string error_message;
  std::string error_type;
  std::optional<FaultAction> fault;    // this reply is a fault instead
  std::optional<LatencySpec> latency;  // overrides the scenario latency
};

struct Rule {
  size_t index = 0;  // 0-based position in the file's rule list
  std::string name;  // "rule[<index>]" when the file gives none
  RuleMatch match;
  std::vector<ReplySpec> replies;   // used in order, one per matching request
  bool cycle = false;               // after the last reply start over (else the rule retires)
  std::optional<int64_t> max_uses;  // the rule stops matching after this many replies
};

struct FaultRule {
  FaultAction action;
  std::vector<int64_t> requests;   // 1-based request numbers (arrival order at the server)
  double rate = 0;                 // probability per request, seeded
  std::optional<std::string> api;  // only requests to this API ("openai" | "anthropic")
  std::optional<int64_t> max_count;
};

struct RoleLabel {
  std::string name;
  TextPattern system;  // a request whose system prompt matches carries this label
};

struct Scenario {
  std::string source = "<scenario>";  // file name, for messages
  std::vector<Rule> rules;
  std::vector<FaultRule> faults;
  std::vector<RoleLabel> roles;
  LatencySpec latency;
  int64_t stream_chunk_chars = 16;  // text and arguments are streamed in pieces this long
  std::vector<std::string> models;  // listed by GET /v1/models (default: rule models)
};

// Reads a scenario file (.json, or .yaml/.yml). Errors name the file and the rule index.
Result<Scenario> LoadScenario(const std::filesystem::path& path);
// Parses scenario text; `source_name` stands for the file in error messages. YAML is
// accepted when source_name ends in .yaml or .yml.
Result<Scenario> ParseScenario(std::string_view text, std::string_view source_name);
// From an already-parsed JSON document.
Result<Scenario> ScenarioFromJson(const Json& doc, std::string_view source_name);

}  // namespace sg::mock
