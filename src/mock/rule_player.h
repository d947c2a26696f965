// Plays a scenario's rules: finds the first rule that matches a request and still has a
// reply to give, and hands out its replies in order. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "mock/reply_template.h"
#include "mock/scenario.h"
#include "mock/wire_request.h"

namespace sg::mock {

struct MatchInput {
  const WireRequest* request = nullptr;
  std::string role_header;     // X-Skillgrad-Role, "" when absent
  int64_t request_number = 0;  // 1-based arrival order
  uint64_t content_hash = 0;   // ContentHash of the request, for `probability` draws
};

// FNV-1a of the request's model and messages (role, text, tool calls' names and arguments),
// leaving out tool-call ids, which the mock numbers by arrival: identical conversations hash
// alike whatever the order in which requests arrived.
uint64_t ContentHash(const WireRequest& request);

struct MatchResult {
  const Rule* rule = nullptr;
  const ReplySpec* reply = nullptr;
  size_t reply_index = 0;
  Captures captures;
  std::string role;  // the request's role label ("" when none)
};

// Assistant messages in the request: 0 on a conversation's first call.
int64_t TurnOf(const WireRequest& request);
// The role label: the first of the scenario's roles whose system pattern matches, else the
// X-Skillgrad-Role header.
std::string RoleLabelOf(const Scenario& scenario, const WireRequest& request,
                        const std::string& role_header);

class RulePlayer {
 public:
  // `seed` drives the rules' `probability` draws.
  explicit RulePlayer(const Scenario& scenario, uint64_t seed = 0);

  // The first matching rule with a reply left. With `consume` the reply counts as given
  // (the next match gets the rule's next reply); without it the call only looks.
  std::optional<MatchResult> Match(const MatchInput& input, bool consume);
  // Replies given per rule, by rule name.
  std::vector<std::pair<std::string, int64_t>> Uses() const;

 private:
  const Scenario& scenario_;
  const uint64_t seed_;
  mutable std::mutex mu_;
  std::vector<int64_t> uses_;             // per rule
  std::map<uint64_t, int64_t> answered_;  // identical requests answered, by content hash
};

}  // namespace sg::mock
