// Runs a function over indexes 0..n-1 on at most `concurrency` threads. Every index runs
// exactly once; the call returns when all have finished. Errors should travel as values in
// the caller's own result slots; an exception that escapes the function anyway is caught on
// its worker (it would otherwise terminate the process) and returned as an internal error
// naming the index, the first one if several threw. The other indexes still run.
#pragma once

#include <cstddef>
#include <functional>

#include "core/error.h"

namespace sg {

[[nodiscard]] Status ParallelFor(size_t n, int concurrency, const std::function<void(size_t)>& fn);

}  // namespace sg
