// The hard cost cap (--max-cost-usd), shared by every client of a command like the in-flight
// limiter. A call is admitted only while the spend so far, plus the worst case of the calls in
// flight, plus its own worst case stays within the cap; otherwise it waits for calls in flight
// to settle, and when none is left the cap is exhausted: that call and every later one are
// refused with ErrorCode::kBudget, without being sent. So the spend never passes the cap,
// unless a reply costs more than its worst case (docs/providers.md, "The cost cap").
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>

#include "core/error.h"
#include "llm/message.h"
#include "llm/price_table.h"

namespace sg::llm {

// A call's worst case: its input counted at one token per three bytes of text (English runs
// about four), all of it at the higher of the uncached and the cache-write price, and its
// output at `max_tokens` when the request sets it, else `output_tokens_if_unset`.
struct WorstCase {
  int64_t input_tokens = 0;
  int64_t output_tokens = 0;
  double usd = 0;
};
int64_t EstimateInputTokens(const ChatRequest& request);
WorstCase WorstCaseOf(const ChatRequest& request, const ModelPrice& price,
                      int64_t output_tokens_if_unset);

class SpendCap {
 public:
  // `spent_before_usd`: what the command's ledger already holds (a resumed run's spend).
  SpendCap(double cap_usd, double spent_before_usd);

  // One admitted call's hold on the cap; Settle it exactly once.
  struct Hold {
    double reserved_usd = 0;
  };
  // Admits a call whose worst case is `worst`, or refuses it (kBudget) as the header says.
  // `what` names the call in the refusal ("model gpt-4o").
  Result<Hold> Admit(const WorstCase& worst, const std::string& what);
  // The call ended: `cost_usd` is what it cost (0 for a failed call, the hold itself when the
  // reply's cost is unknown).
  void Settle(const Hold& hold, double cost_usd);

  // Without a max_tokens, the worst output is twice the largest one seen so far in this
  // command, and at least 4,096 tokens.
  int64_t OutputTokensIfUnset() const;
  void ObserveOutputTokens(int64_t tokens);

  double cap_usd() const { return cap_usd_; }
  double spent_usd() const;     // settled spend, the ledger's earlier rows included
  double reserved_usd() const;  // held by calls in flight
  bool exhausted() const;       // a call was refused

 private:
  const double cap_usd_;
  mutable std::mutex mu_;
  std::condition_variable settled_;
  double spent_usd_ = 0;
  double reserved_usd_ = 0;
  int in_flight_ = 0;
  bool exhausted_ = false;
  int64_t largest_output_ = 0;
};

}  // namespace sg::llm
