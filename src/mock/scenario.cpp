#include "mock/scenario.h"

#include <fmt/format.h>

#include <regex>
#include <set>

#include "core/file_util.h"
#include "core/yaml_json.h"
#include "mock/reply_template.h"

namespace sg::mock {

class CompiledRegex {
 public:
  explicit CompiledRegex(std::regex regex) : regex_(std::move(regex)) {}
  const std::regex& get() const { return regex_; }

 private:
  std::regex regex_;
};

Status TextPattern::CompileRegex() {
  auto flags = std::regex::ECMAScript;
  if (ignore_case) flags |= std::regex::icase;
  try {
    regex = std::make_shared<const CompiledRegex>(std::regex(regex_source, flags));
  } catch (const std::regex_error& e) {
    regex.reset();
    return InvalidArgument(fmt::format("invalid regex \"{}\": {}", regex_source, e.what()));
  }
  return Ok();
}

size_t TextPattern::group_count() const { return regex ? regex->get().mark_count() : 0; }

std::optional<std::vector<std::string>> TextPattern::SearchRegex(const std::string& text) const {
  if (!regex) return std::vector<std::string>{};
  std::smatch m;
  if (!std::regex_search(text, m, regex->get())) return std::nullopt;
  std::vector<std::string> groups;
  groups.reserve(m.size());
  for (size_t i = 0; i < m.size(); ++i) groups.push_back(m[i].matched ? m[i].str() : "");
  return groups;
}

const char* FaultKindName(FaultKind kind) {
  switch (kind) {
    case FaultKind::kRateLimit:
      return "rate_limit";
    case FaultKind::kHttpError:
      return "http_error";
    case FaultKind::kReset:
      return "reset";
    case FaultKind::kStall:
      return "stall";
    case FaultKind::kMalformed:
      return "malformed";
    case FaultKind::kTruncate:
      return "truncate";
  }
  return "unknown";
}

std::optional<FaultKind> ParseFaultKind(std::string_view name) {
  for (FaultKind kind : {FaultKind::kRateLimit, FaultKind::kHttpError, FaultKind::kReset,
                         FaultKind::kStall, FaultKind::kMalformed, FaultKind::kTruncate}) {
    if (name == FaultKindName(kind)) return kind;
  }
  return std::nullopt;
}

namespace {

// Errors carry the path of the field at fault, e.g. "rules[2].match.system.regex".
Error FieldError(const std::string& where, const std::string& what) {
  return InvalidArgument(where + ": " + what);
}

Status CheckKeys(const Json& obj, const std::string& where,
                 std::initializer_list<const char*> known) {
  if (!obj.is_object()) return FieldError(where, "expected an object, got " + DumpJson(obj));
  std::set<std::string> names(known.begin(), known.end());
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (!names.count(it.key())) {
      std::string list;
      for (const char* k : known) list += std::string(list.empty() ? "" : ", ") + k;
      return FieldError(where, fmt::format("unknown key \"{}\" (known: {})", it.key(), list));
    }
  }
  return Ok();
}

Result<std::string> GetString(const Json& v, const std::string& where) {
  if (!v.is_string()) return FieldError(where, "expected a string, got " + DumpJson(v));
  return v.get<std::string>();
}

Result<int64_t> GetInt(const Json& v, const std::string& where, int64_t min = 0) {
  if (!v.is_number_integer()) return FieldError(where, "expected an integer, got " + DumpJson(v));
  int64_t n = v.get<int64_t>();
  if (n < min) return FieldError(where, fmt::format("must be at least {}, got {}", min, n));
  return n;
}

Result<double> GetNumber(const Json& v, const std::string& where) {
  if (!v.is_number()) return FieldError(where, "expected a number, got " + DumpJson(v));
  return v.get<double>();
}

Result<bool> GetBool(const Json& v, const std::string& where) {
  if (!v.is_boolean()) return FieldError(where, "expected true or false, got " + DumpJson(v));
  return v.get<bool>();
}

// A string is a substring test; an object gives contains / equals / regex / ignore_case.
Result<TextPattern> ParsePattern(const Json& v, const std::string& where, bool string_is_equals,
                                 bool allow_role = false) {
  TextPattern p;
  if (v.is_string()) {
    (string_is_equals ? p.equals : p.contains) = v.get<std::string>();
    return p;
  }
  if (allow_role) {
    SG_RETURN_IF_ERROR(CheckKeys(v, where, {"role", "contains", "equals", "regex", "ignore_case"}));
  } else {
    SG_RETURN_IF_ERROR(CheckKeys(v, where, {"contains", "equals", "regex", "ignore_case"}));
  }
  if (v.contains("ignore_case")) {
    SG_ASSIGN_OR_RETURN(p.ignore_case, GetBool(v["ignore_case"], where + ".ignore_case"));
  }
  if (v.contains("contains")) {
    SG_ASSIGN_OR_RETURN(p.contains, GetString(v["contains"], where + ".contains"));
  }
  if (v.contains("equals")) {
    SG_ASSIGN_OR_RETURN(p.equals, GetString(v["equals"], where + ".equals"));
  }
  if (v.contains("regex")) {
    SG_ASSIGN_OR_RETURN(p.regex_source, GetString(v["regex"], where + ".regex"));
    if (Status compiled = p.CompileRegex(); !compiled.ok()) {
      return FieldError(where + ".regex", compiled.error().message);
    }
  }
  return p;
}

Result<LatencySpec> ParseLatency(const Json& v, const std::string& where) {
  LatencySpec l;
  if (v.is_number_integer()) {
    SG_ASSIGN_OR_RETURN(l.min_ms, GetInt(v, where));
    l.max_ms = l.min_ms;
    return l;
  }
  SG_RETURN_IF_ERROR(CheckKeys(v, where, {"min", "max"}));
  if (!v.contains("min") || !v.contains("max")) {
    return FieldError(where, "give a number of milliseconds or {\"min\": A, \"max\": B}");
  }
  SG_ASSIGN_OR_RETURN(l.min_ms, GetInt(v["min"], where + ".min"));
  SG_ASSIGN_OR_RETURN(l.max_ms, GetInt(v["max"], where + ".max"));
  if (l.max_ms < l.min_ms) return FieldError(where, "max is below min");
  return l;
}

// Fault fields shared by scenario faults and fault replies.
Status ParseFaultFields(const Json& v, const std::string& where, FaultAction& f) {
  if (!v.contains("kind")) {
    return FieldError(where,
                      "missing \"kind\" (rate_limit, http_error, reset, stall, malformed, "
                      "truncate)");
  }
  SG_ASSIGN_OR_RETURN(std::string kind, GetString(v["kind"], where + ".kind"));
  auto parsed = ParseFaultKind(kind);
  if (!parsed) {
    return FieldError(where + ".kind", "unknown fault \"" + kind +
                                           "\" (known: rate_limit, http_error, reset, stall, "
                                           "malformed, truncate)");
  }
  f.kind = *parsed;
  f.status = f.kind == FaultKind::kRateLimit ? 429 : 500;
  if (v.contains("status")) {
    SG_ASSIGN_OR_RETURN(int64_t s, GetInt(v["status"], where + ".status", 400));
    if (s > 599) return FieldError(where + ".status", "must be an HTTP error status (400-599)");
    if (f.kind != FaultKind::kHttpError && f.kind != FaultKind::kRateLimit) {
      return FieldError(where + ".status", "only http_error and rate_limit faults take a status");
    }
    f.status = static_cast<int>(s);
  }
  if (v.contains("retry_after_s")) {
    SG_ASSIGN_OR_RETURN(double s, GetNumber(v["retry_after_s"], where + ".retry_after_s"));
    if (s < 0) return FieldError(where + ".retry_after_s", "must not be negative");
    f.retry_after_s = s;
  }
  if (v.contains("retry_after_ms")) {
    SG_ASSIGN_OR_RETURN(f.retry_after_ms, GetInt(v["retry_after_ms"], where + ".retry_after_ms"));
  }
  if (v.contains("stall_ms")) {
    SG_ASSIGN_OR_RETURN(f.stall_ms, GetInt(v["stall_ms"], where + ".stall_ms"));
  }
  if (v.contains("truncate_fraction")) {
    SG_ASSIGN_OR_RETURN(f.truncate_fraction,
                        GetNumber(v["truncate_fraction"], where + ".truncate_fraction"));
    if (f.truncate_fraction < 0 || f.truncate_fraction >= 1) {
      return FieldError(where + ".truncate_fraction", "must be in [0, 1)");
    }
  }
  if (v.contains("message")) {
    SG_ASSIGN_OR_RETURN(f.message, GetString(v["message"], where + ".message"));
  }
  return Ok();
}

Result<FaultRule> ParseFaultRule(const Json& v, const std::string& where) {
  SG_RETURN_IF_ERROR(
      CheckKeys(v, where,
                {"kind", "status", "retry_after_s", "retry_after_ms", "stall_ms",
                 "truncate_fraction", "message", "requests", "rate", "api", "max_count"}));
  FaultRule rule;
  SG_RETURN_IF_ERROR(ParseFaultFields(v, where, rule.action));
  if (v.contains("requests")) {
    const Json& list = v["requests"];
    if (!list.is_array())
      return FieldError(where + ".requests", "expected a list of request numbers");
    for (size_t i = 0; i < list.size(); ++i) {
      SG_ASSIGN_OR_RETURN(int64_t n, GetInt(list[i], fmt::format("{}.requests[{}]", where, i), 1));
      rule.requests.push_back(n);
    }
  }
  if (v.contains("rate")) {
    SG_ASSIGN_OR_RETURN(rule.rate, GetNumber(v["rate"], where + ".rate"));
    if (rule.rate < 0 || rule.rate > 1) return FieldError(where + ".rate", "must be in [0, 1]");
  }
  if (rule.requests.empty() && rule.rate == 0) {
    return FieldError(where, "give \"requests\": [N, ...] and/or \"rate\": P, else it never fires");
  }
  if (v.contains("api")) {
    SG_ASSIGN_OR_RETURN(std::string api, GetString(v["api"], where + ".api"));
    if (api != "openai" && api != "anthropic") {
      return FieldError(where + ".api", "must be \"openai\" or \"anthropic\"");
    }
    rule.api = api;
  }
  if (v.contains("max_count")) {
    SG_ASSIGN_OR_RETURN(rule.max_count, GetInt(v["max_count"], where + ".max_count", 1));
  }
  return rule;
}

Result<RuleMatch> ParseMatch(const Json& v, const std::string& where, CaptureShape& shape) {
  SG_RETURN_IF_ERROR(CheckKeys(v, where,
                               {"model", "api", "system", "last_message", "any_message", "tools",
                                "has_tools", "turn", "role", "stream", "probability"}));
  RuleMatch m;
  auto add_shape = [&](const char* source, const TextPattern& p) {
    if (p.regex) shape[source] = p.group_count();
  };
  if (v.contains("model")) {
    SG_ASSIGN_OR_RETURN(m.model, ParsePattern(v["model"], where + ".model", true));
    add_shape("model", *m.model);
  }
  if (v.contains("api")) {
    SG_ASSIGN_OR_RETURN(std::string api, GetString(v["api"], where + ".api"));
    if (api != "openai" && api != "anthropic") {
      return FieldError(where + ".api", "must be \"openai\" or \"anthropic\"");
    }
    m.api = api;
  }
  if (v.contains("system")) {
    SG_ASSIGN_OR_RETURN(m.system, ParsePattern(v["system"], where + ".system", false));
    add_shape("system", *m.system);
  }
  if (v.contains("last_message")) {
    const Json& lm = v["last_message"];
    SG_ASSIGN_OR_RETURN(m.last_message,
                        ParsePattern(lm, where + ".last_message", false, /*allow_role=*/true));
    if (lm.is_object() && lm.contains("role")) {
      SG_ASSIGN_OR_RETURN(std::string role, GetString(lm["role"], where + ".last_message.role"));
      if (role != "user" && role != "assistant" && role != "tool" && role != "system") {
        return FieldError(where + ".last_message.role",
                          "must be user, assistant, tool or system, got \"" + role + "\"");
      }
      m.last_role = role;
    }
    add_shape("last", *m.last_message);
  }
  if (v.contains("any_message")) {
    SG_ASSIGN_OR_RETURN(m.any_message,
                        ParsePattern(v["any_message"], where + ".any_message", false));
    add_shape("message", *m.any_message);
  }
  if (v.contains("tools")) {
    const Json& list = v["tools"];
    if (!list.is_array()) return FieldError(where + ".tools", "expected a list of tool names");
    for (size_t i = 0; i < list.size(); ++i) {
      SG_ASSIGN_OR_RETURN(std::string name,
                          GetString(list[i], fmt::format("{}.tools[{}]", where, i)));
      m.tools.push_back(name);
    }
  }
  if (v.contains("has_tools")) {
    SG_ASSIGN_OR_RETURN(m.has_tools, GetBool(v["has_tools"], where + ".has_tools"));
  }
  if (v.contains("turn")) {
    const Json& t = v["turn"];
    IntRange range;
    if (t.is_number_integer()) {
      SG_ASSIGN_OR_RETURN(range.min, GetInt(t, where + ".turn"));
      range.max = range.min;
    } else {
      SG_RETURN_IF_ERROR(CheckKeys(t, where + ".turn", {"min", "max"}));
      if (t.contains("min")) {
        SG_ASSIGN_OR_RETURN(range.min, GetInt(t["min"], where + ".turn.min"));
      }
      if (t.contains("max")) {
        SG_ASSIGN_OR_RETURN(range.max, GetInt(t["max"], where + ".turn.max"));
      }
    }
    m.turn = range;
  }
  if (v.contains("role")) {
    SG_ASSIGN_OR_RETURN(m.role, GetString(v["role"], where + ".role"));
  }
  if (v.contains("stream")) {
    SG_ASSIGN_OR_RETURN(m.stream, GetBool(v["stream"], where + ".stream"));
  }
  if (v.contains("probability")) {
    SG_ASSIGN_OR_RETURN(double p, GetNumber(v["probability"], where + ".probability"));
    if (!(p >= 0 && p <= 1)) {
      return FieldError(where + ".probability", fmt::format("must be from 0 to 1, got {}", p));
    }
    m.probability = p;
  }
  return m;
}

Result<UsageSpec> ParseUsage(const Json& v, const std::string& where) {
  SG_RETURN_IF_ERROR(CheckKeys(v, where, {"input", "cached", "output", "reasoning"}));
  UsageSpec u;
  if (v.contains("input")) {
    SG_ASSIGN_OR_RETURN(u.input, GetInt(v["input"], where + ".input"));
  }
  if (v.contains("cached")) {
    SG_ASSIGN_OR_RETURN(u.cached, GetInt(v["cached"], where + ".cached"));
  }
  if (v.contains("output")) {
    SG_ASSIGN_OR_RETURN(u.output, GetInt(v["output"], where + ".output"));
  }
  if (v.contains("reasoning")) {
    SG_ASSIGN_OR_RETURN(u.reasoning, GetInt(v["reasoning"], where + ".reasoning"));
  }
  if (u.input && u.cached && *u.cached > *u.input) {
    return FieldError(where + ".cached", "cannot exceed input (input counts cached tokens too)");
  }
  if (u.output && u.reasoning && *u.reasoning > *u.output) {
    return FieldError(where + ".reasoning", "cannot exceed output (output counts reasoning too)");
  }
  return u;
}

Result<ReplySpec> ParseReply(const Json& v, const std::string& where, const CaptureShape& shape) {
  SG_RETURN_IF_ERROR(CheckKeys(
      v, where,
      {"text", "refusal", "headers", "tool_calls", "finish_reason", "usage", "model", "omit_usage",
       "arguments_as_object", "status", "error", "body", "fault", "latency_ms"}));
  ReplySpec r;
  if (v.contains("refusal")) {
    SG_ASSIGN_OR_RETURN(r.refusal, GetString(v["refusal"], where + ".refusal"));
  }
  if (v.contains("headers")) {
    const Json& h = v["headers"];
    if (!h.is_object()) return FieldError(where + ".headers", "expected an object of name: value");
    for (const auto& [name, value] : h.items()) {
      SG_ASSIGN_OR_RETURN(std::string text, GetString(value, where + ".headers." + name));
      r.headers.emplace_back(name, std::move(text));
    }
  }
  if (v.contains("text")) {
    SG_ASSIGN_OR_RETURN(r.text, GetString(v["text"], where + ".text"));
    if (Status s = CheckTemplate(*r.text, shape); !s.ok())
      return FieldError(where + ".text", s.error().message);
  }
  if (v.contains("tool_calls")) {
    const Json& calls = v["tool_calls"];
    if (!calls.is_array()) return FieldError(where + ".tool_calls", "expected a list");
    for (size_t i = 0; i < calls.size(); ++i) {
      std::string at = fmt::format("{}.tool_calls[{}]", where, i);
      SG_RETURN_IF_ERROR(CheckKeys(calls[i], at, {"id", "name", "arguments"}));
      ToolCallTemplate call;
      if (!calls[i].contains("name")) return FieldError(at, "missing \"name\"");
      SG_ASSIGN_OR_RETURN(call.name, GetString(calls[i]["name"], at + ".name"));
      if (calls[i].contains("id")) {
        SG_ASSIGN_OR_RETURN(call.id, GetString(calls[i]["id"], at + ".id"));
      }
      if (calls[i].contains("arguments")) {
        call.arguments = calls[i]["arguments"];
        if (!call.arguments.is_object() && !call.arguments.is_string()) {
          return FieldError(at + ".arguments",
                            "expected an object, or a string sent verbatim as the arguments text");
        }
      }
      if (Status s = CheckTemplate(call.name, shape); !s.ok())
        return FieldError(at + ".name", s.error().message);
      if (Status s = CheckJsonTemplate(call.arguments, shape); !s.ok()) {
        return FieldError(at + ".arguments", s.error().message);
      }
      r.tool_calls.push_back(std::move(call));
    }
  }
  if (v.contains("finish_reason")) {
    SG_ASSIGN_OR_RETURN(r.finish_reason, GetString(v["finish_reason"], where + ".finish_reason"));
  }
  if (v.contains("usage")) {
    SG_ASSIGN_OR_RETURN(r.usage, ParseUsage(v["usage"], where + ".usage"));
  }
  if (v.contains("model")) {
    SG_ASSIGN_OR_RETURN(r.model, GetString(v["model"], where + ".model"));
  }
  if (v.contains("omit_usage")) {
    SG_ASSIGN_OR_RETURN(r.omit_usage, GetBool(v["omit_usage"], where + ".omit_usage"));
  }
  if (v.contains("arguments_as_object")) {
    SG_ASSIGN_OR_RETURN(r.arguments_as_object,
                        GetBool(v["arguments_as_object"], where + ".arguments_as_object"));
  }
  if (v.contains("status")) {
    SG_ASSIGN_OR_RETURN(int64_t s, GetInt(v["status"], where + ".status", 200));
    if (s > 599) return FieldError(where + ".status", "must be an HTTP status (200-599)");
    r.status = static_cast<int>(s);
  }
  if (v.contains("error")) {
    const Json& e = v["error"];
    SG_RETURN_IF_ERROR(CheckKeys(e, where + ".error", {"message", "type"}));
    if (e.contains("message")) {
      SG_ASSIGN_OR_RETURN(r.error_message, GetString(e["message"], where + ".error.message"));
    }
    if (e.contains("type")) {
      SG_ASSIGN_OR_RETURN(r.error_type, GetString(e["type"], where + ".error.type"));
    }
  }
  if (v.contains("body")) r.error_body = v["body"];
  if ((v.contains("error") || v.contains("body")) && r.status == 200) {
    return FieldError(where, "an error reply needs \"status\" (e.g. 401, 400, 500)");
  }
  if (v.contains("fault")) {
    FaultAction f;
    SG_RETURN_IF_ERROR(CheckKeys(v["fault"], where + ".fault",
                                 {"kind", "status", "retry_after_s", "retry_after_ms", "stall_ms",
                                  "truncate_fraction", "message"}));
    SG_RETURN_IF_ERROR(ParseFaultFields(v["fault"], where + ".fault", f));
    r.fault = f;
  }
  if (v.contains("latency_ms")) {
    SG_ASSIGN_OR_RETURN(r.latency, ParseLatency(v["latency_ms"], where + ".latency_ms"));
  }
  bool is_error = r.status != 200 || r.fault;
  bool is_fault_needing_content =
      r.fault && (r.fault->kind == FaultKind::kTruncate || r.fault->kind == FaultKind::kMalformed);
  if ((!is_error || is_fault_needing_content) && !r.text && !r.refusal && r.tool_calls.empty()) {
    return FieldError(where,
                      "a reply needs \"text\", \"refusal\" and/or \"tool_calls\" (or "
                      "\"status\" with \"error\", or \"fault\")");
  }
  return r;
}

Result<Rule> ParseRule(const Json& v, size_t index) {
  std::string where = fmt::format("rules[{}]", index);
  if (v.is_object() && v.contains("name") && v["name"].is_string()) {
    where += " (\"" + v["name"].get<std::string>() + "\")";
  }
  SG_RETURN_IF_ERROR(
      CheckKeys(v, where, {"name", "match", "reply", "replies", "cycle", "max_uses"}));
  Rule rule;
  rule.index = index;
  rule.name = fmt::format("rule[{}]", index);
  if (v.contains("name")) {
    SG_ASSIGN_OR_RETURN(rule.name, GetString(v["name"], where + ".name"));
  }
  CaptureShape shape;
  if (v.contains("match")) {
    SG_ASSIGN_OR_RETURN(rule.match, ParseMatch(v["match"], where + ".match", shape));
  }
  if (v.contains("reply") == v.contains("replies")) {
    return FieldError(where, "give exactly one of \"reply\" (an object) or \"replies\" (a list)");
  }
  if (v.contains("reply")) {
    SG_ASSIGN_OR_RETURN(ReplySpec r, ParseReply(v["reply"], where + ".reply", shape));
    rule.replies.push_back(std::move(r));
  } else {
    const Json& list = v["replies"];
    if (!list.is_array() || list.empty())
      return FieldError(where + ".replies", "expected a non-empty list");
    for (size_t i = 0; i < list.size(); ++i) {
      SG_ASSIGN_OR_RETURN(ReplySpec r,
                          ParseReply(list[i], fmt::format("{}.replies[{}]", where, i), shape));
      rule.replies.push_back(std::move(r));
    }
  }
  if (v.contains("cycle")) {
    SG_ASSIGN_OR_RETURN(rule.cycle, GetBool(v["cycle"], where + ".cycle"));
  }
  if (v.contains("max_uses")) {
    SG_ASSIGN_OR_RETURN(rule.max_uses, GetInt(v["max_uses"], where + ".max_uses", 1));
  }
  return rule;
}

}  // namespace

Result<Scenario> ScenarioFromJson(const Json& doc, std::string_view source_name) {
  Scenario sc;
  sc.source = std::string(source_name);
  auto fail = [&](const Error& e) { return InvalidArgument(sc.source + ": " + e.message); };
  if (Status s = CheckKeys(doc, "scenario",
                           {"description", "latency_ms", "stream_chunk_chars", "models", "roles",
                            "faults", "rules"});
      !s.ok()) {
    return fail(s.error());
  }
  if (doc.contains("latency_ms")) {
    auto l = ParseLatency(doc["latency_ms"], "latency_ms");
    if (!l.ok()) return fail(l.error());
    sc.latency = *l;
  }
  if (doc.contains("stream_chunk_chars")) {
    auto n = GetInt(doc["stream_chunk_chars"], "stream_chunk_chars", 1);
    if (!n.ok()) return fail(n.error());
    sc.stream_chunk_chars = *n;
  }
  if (doc.contains("models")) {
    const Json& list = doc["models"];
    if (!list.is_array()) return fail(FieldError("models", "expected a list of model names"));
    for (size_t i = 0; i < list.size(); ++i) {
      auto name = GetString(list[i], fmt::format("models[{}]", i));
      if (!name.ok()) return fail(name.error());
      sc.models.push_back(*name);
    }
  }
  if (doc.contains("roles")) {
    const Json& list = doc["roles"];
    if (!list.is_array()) return fail(FieldError("roles", "expected a list of {name, system}"));
    for (size_t i = 0; i < list.size(); ++i) {
      std::string where = fmt::format("roles[{}]", i);
      if (Status s = CheckKeys(list[i], where, {"name", "system"}); !s.ok()) return fail(s.error());
      if (!list[i].contains("name") || !list[i].contains("system")) {
        return fail(
            FieldError(where, "needs \"name\" and \"system\" (a pattern on the system prompt)"));
      }
      RoleLabel label;
      auto name = GetString(list[i]["name"], where + ".name");
      if (!name.ok()) return fail(name.error());
      label.name = *name;
      auto pattern = ParsePattern(list[i]["system"], where + ".system", false);
      if (!pattern.ok()) return fail(pattern.error());
      label.system = *pattern;
      sc.roles.push_back(std::move(label));
    }
  }
  if (doc.contains("faults")) {
    const Json& list = doc["faults"];
    if (!list.is_array()) return fail(FieldError("faults", "expected a list"));
    for (size_t i = 0; i < list.size(); ++i) {
      auto f = ParseFaultRule(list[i], fmt::format("faults[{}]", i));
      if (!f.ok()) return fail(f.error());
      sc.faults.push_back(*f);
    }
  }
  if (!doc.contains("rules") || !doc["rules"].is_array()) {
    return fail(FieldError("rules", "missing or not a list: a scenario needs \"rules\": [...]"));
  }
  const Json& rules = doc["rules"];
  for (size_t i = 0; i < rules.size(); ++i) {
    auto rule = ParseRule(rules[i], i);
    if (!rule.ok()) return fail(rule.error());
    sc.rules.push_back(std::move(*rule));
  }
  return sc;
}

Result<Scenario> ParseScenario(std::string_view text, std::string_view source_name) {
  std::string name(source_name);
  bool yaml = name.size() > 5 && (name.ends_with(".yaml") || name.ends_with(".yml"));
  if (!yaml) {
    Result<Json> doc = ParseJson(text, name);
    if (!doc.ok()) return doc.error();
    return ScenarioFromJson(*doc, source_name);
  }
  YamlRead doc = ReadYaml(text);
  if (!doc.value) {
    std::string where = doc.error_line > 0
                            ? fmt::format(": line {}, column {}", doc.error_line, doc.error_column)
                            : "";
    return ParseError(fmt::format("{} is not valid YAML{}: {}", name, where, doc.error));
  }
  return ScenarioFromJson(*doc.value, source_name);
}

Result<Scenario> LoadScenario(const std::filesystem::path& path) {
  auto text = ReadFile(path);
  if (!text.ok()) {
    return Error(text.error().code,
                 "cannot read scenario file " + path.string() + ": " + text.error().message);
  }
  return ParseScenario(*text, path.string());
}

}  // namespace sg::mock
