#include "core/parallel.h"

#include <fmt/format.h>

#include <atomic>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace sg {
namespace {

// The first exception that escaped `fn`, as an error value.
class FirstEscape {
 public:
  void Run(const std::function<void(size_t)>& fn, size_t i) {
    try {
      fn(i);
    } catch (const std::exception& e) {
      Record(i, e.what());
    } catch (...) {
      Record(i, "an exception of unknown type");
    }
  }
  Status Result() {
    std::lock_guard lock(mu_);
    if (!error_) return Ok();
    return *error_;
  }

 private:
  void Record(size_t i, const std::string& what) {
    std::lock_guard lock(mu_);
    if (!error_) error_ = InternalError(fmt::format("work item {} threw: {}", i, what));
  }
  std::mutex mu_;
  std::optional<Error> error_;
};

}  // namespace

Status ParallelFor(size_t n, int concurrency, const std::function<void(size_t)>& fn) {
  if (n == 0) return Ok();
  FirstEscape escape;
  size_t workers = concurrency < 1 ? 1 : static_cast<size_t>(concurrency);
  if (workers > n) workers = n;
  if (workers == 1) {
    for (size_t i = 0; i < n; ++i) escape.Run(fn, i);
    return escape.Result();
  }
  std::atomic<size_t> next{0};
  std::vector<std::thread> threads;
  threads.reserve(workers);
  for (size_t w = 0; w < workers; ++w) {
    threads.emplace_back([&] {
      for (size_t i = next.fetch_add(1); i < n; i = next.fetch_add(1)) escape.Run(fn, i);
    });
  }
  for (auto& thread : threads) thread.join();
  return escape.Result();
}

}  // namespace sg
