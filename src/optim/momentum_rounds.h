// The per-item acceptance of the momentum agent's submissions (docs/momentum.md,
// "Validation"). A submission is taken item by item: every pattern, overlay entry and
// workflow theme that validates is kept at once; the rest goes back to the agent with the
// reasons, and the agent resubmits only those, up to kMomentumResubmissions times. What is
// still rejected after the last round is dropped and recorded (momentum_dropped.json), so
// one bad entry neither freezes the record nor costs the iteration its other entries.
//
// The state always validates (ValidateMomentum) except for two gaps that a drop leaves and
// that are recorded instead: a batch task without an entry, and a pattern that lists this
// iteration while the entry naming it was rejected.
#pragma once

#include <string>
#include <vector>

#include "core/json.h"
#include "optim/momentum.h"
#include "optim/momentum_validate.h"

namespace sg::optim {

// How many times rejected items go back to the agent after its first submission.
inline constexpr int kMomentumResubmissions = 2;

// An item of a submission that was not accepted (yet).
struct RejectedItem {
  std::string key;    // "pattern:<slug>", "entry:<task id>" or "theme:<text>"
  std::string label;  // how the agent is told which item it is
  Json submitted;     // the last version sent; null for a task that got no entry
  std::vector<std::string> reasons;
  std::string slug;  // entries: the pattern they name ("new:" stripped), else empty
};
Json ToJson(const RejectedItem& item);
Result<RejectedItem> ParseRejectedItem(const Json& json);

class MomentumRounds {
 public:
  MomentumRounds(MomentumRecord previous, MomentumContext context);

  struct Reply {
    bool done = false;  // nothing more to send, or no rounds left
    bool all_kept = false;
    std::string text;  // the tool result for the agent
  };
  // One call of submit_momentum: the first holds the full record and overlay, a later one
  // only the items it corrects (anything it resends replaces what was kept).
  Reply Submit(const Json& arguments);

  const MomentumRecord& record() const { return record_; }  // M_t as kept so far
  const Overlay& overlay() const { return overlay_; }
  // Not accepted so far; after the last round, what is dropped.
  const std::vector<RejectedItem>& rejected() const { return pending_; }
  bool took_any() const { return took_any_; }  // some submission was read at all
  int submissions() const { return submissions_; }
  // Why the last unreadable submission could not be read (empty when none was).
  const std::string& last_error() const { return last_error_; }

 private:
  struct Round;
  void Reconcile(Round& round);
  void Commit(Round& round);
  Reply Answer(std::vector<std::string> errors);

  MomentumRecord previous_;
  MomentumContext context_;
  MomentumRecord record_;
  Overlay overlay_;
  std::vector<RejectedItem> pending_;
  int submissions_ = 0;
  bool took_any_ = false;
  std::string last_error_;
};

}  // namespace sg::optim
