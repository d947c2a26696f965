// What the host-side file tools share: reading one file beneath its root, walking a folder
// over descriptors, and the time budget of one call.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "core/error.h"
#include "tools/path_policy.h"

namespace sg::tools {

// Reads a regular file beneath its root (refusing what leaves it), up to `max_bytes`.
// A folder or a special file is an InvalidArgument naming the path.
Result<std::string> ReadBeneath(const PathPolicy& policy, const ResolvedPath& path,
                                std::size_t max_bytes, bool* truncated);

// Bounds the work of one walk in a folder with a huge number of entries.
inline constexpr size_t kMaxWalkEntries = 200'000;

struct WalkEntry {
  enum class Kind { kFile, kDirectory, kSymlink, kOther } kind = Kind::kOther;
  std::uint64_t size = 0;
  std::string name;
  std::string link_target;  // for symlinks (never followed)
};
// Called with each entry's path relative to the walked folder; returning false stops.
using WalkVisitor = std::function<bool(const std::string&, const WalkEntry&)>;

// Walks the folder `dir` beneath its root depth first, entries of a folder in name order.
// Each subfolder is opened with openat(O_NOFOLLOW) from its parent's descriptor, so a
// folder swapped for a symlink mid-walk is not entered.
Status Walk(const PathPolicy& policy, const ResolvedPath& dir, const WalkVisitor& visit);

// The wall-time budget of one tool call, checked by the tool's own loops between units of
// bounded work (an entry, a file, a few lines), so a call stops soon after it passes.
class CallDeadline {
 public:
  explicit CallDeadline(std::chrono::milliseconds budget)
      : budget_(budget), end_(std::chrono::steady_clock::now() + budget) {}
  // True once the budget has passed; with a budget of 0, at the first check.
  bool Passed() const { return std::chrono::steady_clock::now() >= end_; }
  // "10 s", "0.5 s": for the message that tells the model the call stopped.
  std::string BudgetText() const;

 private:
  std::chrono::milliseconds budget_;
  std::chrono::steady_clock::time_point end_;
};

}  // namespace sg::tools
