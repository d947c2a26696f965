#include "mock/rule_player.h"

#include <algorithm>
#include <cctype>

#include "llm/message.h"
#include "mock/fault_plan.h"

namespace sg::mock {
namespace {

// The draws of `probability` use streams of their own, one per rule, apart from the faults'
// and the latency's.
constexpr uint64_t kProbabilityStream = 0x9e3779b97f4a7c15ull;

bool ContainsText(const std::string& haystack, const std::string& needle, bool ignore_case) {
  if (!ignore_case) return haystack.find(needle) != std::string::npos;
  auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                        [](char a, char b) {
                          return std::tolower(static_cast<unsigned char>(a)) ==
                                 std::tolower(static_cast<unsigned char>(b));
                        });
  return it != haystack.end();
}

bool EqualsText(const std::string& a, const std::string& b, bool ignore_case) {
  if (!ignore_case) return a == b;
  return a.size() == b.size() && ContainsText(a, b, true);
}

// Tests `text` against `pattern`; on success stores the regex groups under `source`.
bool MatchText(const TextPattern& pattern, const std::string& text, const char* source,
               Captures* captures) {
  if (pattern.contains && !ContainsText(text, *pattern.contains, pattern.ignore_case)) return false;
  if (pattern.equals && !EqualsText(text, *pattern.equals, pattern.ignore_case)) return false;
  if (pattern.regex) {
    auto groups = pattern.SearchRegex(text);
    if (!groups) return false;
    if (captures) captures->groups[source] = std::move(*groups);
  }
  return true;
}

bool MatchRule(const RuleMatch& m, const WireRequest& req, const std::string& role, int64_t turn,
               Captures& captures) {
  if (m.api && *m.api != ApiName(req.api)) return false;
  if (m.stream && *m.stream != req.chat.stream) return false;
  if (m.turn && !m.turn->Contains(turn)) return false;
  if (m.role && *m.role != role) return false;
  if (m.has_tools && *m.has_tools != !req.chat.tools.empty()) return false;
  for (const auto& name : m.tools) {
    bool offered = std::any_of(req.chat.tools.begin(), req.chat.tools.end(),
                               [&](const llm::ToolSpec& t) { return t.name == name; });
    if (!offered) return false;
  }
  if (m.model && !MatchText(*m.model, req.chat.model, "model", &captures)) return false;
  if (m.system && !MatchText(*m.system, req.system, "system", &captures)) return false;
  if (m.last_role || m.last_message) {
    // The last message that is not a system prompt.
    const llm::Message* last = nullptr;
    for (auto it = req.chat.messages.rbegin(); it != req.chat.messages.rend(); ++it) {
      if (it->role != llm::Role::kSystem) {
        last = &*it;
        break;
      }
    }
    if (!last) return false;
    if (m.last_role && *m.last_role != RoleWireName(last->role)) return false;
    if (m.last_message && !MatchText(*m.last_message, last->content, "last", &captures))
      return false;
  }
  if (m.any_message) {
    bool found = false;
    for (const auto& msg : req.chat.messages) {
      if (MatchText(*m.any_message, msg.content, "message", &captures)) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

std::string LastText(const WireRequest& req) {
  for (auto it = req.chat.messages.rbegin(); it != req.chat.messages.rend(); ++it) {
    if (it->role != llm::Role::kSystem) return it->content;
  }
  return "";
}

}  // namespace

int64_t TurnOf(const WireRequest& request) {
  return std::count_if(request.chat.messages.begin(), request.chat.messages.end(),
                       [](const llm::Message& m) { return m.role == llm::Role::kAssistant; });
}

std::string RoleLabelOf(const Scenario& scenario, const WireRequest& request,
                        const std::string& role_header) {
  for (const auto& label : scenario.roles) {
    if (MatchText(label.system, request.system, "system", nullptr)) return label.name;
  }
  return role_header;
}

uint64_t ContentHash(const WireRequest& request) {
  uint64_t h = 1469598103934665603ull;
  auto add = [&h](std::string_view text) {
    for (unsigned char c : text) {
      h ^= c;
      h *= 1099511628211ull;
    }
    h ^= 0xff;  // a separator, so that ("ab", "c") and ("a", "bc") differ
    h *= 1099511628211ull;
  };
  add(request.chat.model);
  for (const llm::Message& m : request.chat.messages) {
    add(RoleWireName(m.role));
    add(m.content);
    for (const llm::ToolCall& call : m.tool_calls) {
      add(call.name);
      add(call.arguments);
    }
  }
  return h;
}

RulePlayer::RulePlayer(const Scenario& scenario, uint64_t seed)
    : scenario_(scenario), seed_(seed), uses_(scenario.rules.size(), 0) {}

std::optional<MatchResult> RulePlayer::Match(const MatchInput& input, bool consume) {
  const WireRequest& req = *input.request;
  const int64_t turn = TurnOf(req);
  const std::string role = RoleLabelOf(scenario_, req, input.role_header);
  std::unique_lock<std::mutex> answered_lock(mu_);
  const int64_t repeat = answered_[input.content_hash];
  // A consumed match answers the request: the next identical one draws afresh.
  if (consume) ++answered_[input.content_hash];
  answered_lock.unlock();
  for (size_t i = 0; i < scenario_.rules.size(); ++i) {
    const Rule& rule = scenario_.rules[i];
    Captures captures;
    if (!MatchRule(rule.match, req, role, turn, captures)) continue;
    if (rule.match.probability &&
        SeededUniform(seed_ ^ input.content_hash, repeat, kProbabilityStream + i) >=
            *rule.match.probability) {
      continue;
    }
    std::lock_guard<std::mutex> lock(mu_);
    const int64_t used = uses_[i];
    const int64_t n = static_cast<int64_t>(rule.replies.size());
    if (rule.max_uses && used >= *rule.max_uses) continue;
    if (!rule.cycle && used >= n && n > 1) continue;  // a list of replies, all given
    size_t index = rule.cycle || n > 1 ? static_cast<size_t>(used % n) : 0;
    if (consume) ++uses_[i];
    MatchResult result;
    result.rule = &rule;
    result.reply = &rule.replies[index];
    result.reply_index = index;
    result.role = role;
    captures.values["model"] = req.chat.model;
    captures.values["turn"] = std::to_string(turn);
    captures.values["request"] = std::to_string(input.request_number);
    captures.values["role"] = role;
    captures.values["last"] = LastText(req);
    result.captures = std::move(captures);
    return result;
  }
  return std::nullopt;
}

std::vector<std::pair<std::string, int64_t>> RulePlayer::Uses() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::pair<std::string, int64_t>> out;
  for (size_t i = 0; i < scenario_.rules.size(); ++i) {
    out.emplace_back(scenario_.rules[i].name, uses_[i]);
  }
  return out;
}

}  // namespace sg::mock
