// Errors as values. Expected failures (bad input, a refused path, a provider error)
// travel as Error inside Result<T>; exceptions are kept for what cannot go on.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace sg {

enum class ErrorCode {
  kInvalidArgument,  // a flag, field or file content is wrong; the message says which
  kNotFound,         // a file, task, skill or cache entry does not exist
  kIo,               // the filesystem refused a read or a write
  kParse,            // malformed JSON, YAML, XML, CSV, ...
  kTimeout,          // a deadline passed
  kNetwork,          // connection refused, reset, DNS, TLS
  kProvider,         // the LLM provider answered with an error
  kBudget,           // a cost, token or turn budget is exhausted
  kPermission,       // a sandbox or path policy refused the operation
  kCancelled,        // the operation was interrupted
  kInternal,         // a bug: an invariant of this program does not hold
};

const char* ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;  // names the file, field or flag at fault and how to fix it

  Error() = default;
  Error(ErrorCode c, std::string m) : code(c), message(std::move(m)) {}

  // Prefixes context ("reading results/config.json: ") to the message.
  Error WithContext(const std::string& context) const {
    return Error(code, context + ": " + message);
  }
  std::string ToString() const { return std::string(ErrorCodeName(code)) + ": " + message; }
};

inline Error InvalidArgument(std::string m) { return {ErrorCode::kInvalidArgument, std::move(m)}; }
inline Error NotFound(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
inline Error IoError(std::string m) { return {ErrorCode::kIo, std::move(m)}; }
inline Error ParseError(std::string m) { return {ErrorCode::kParse, std::move(m)}; }
inline Error InternalError(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }

// Result<T> holds either a value or an Error.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : data_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(data_); }
  const T& value() const& { return std::get<0>(data_); }
  T&& value() && { return std::get<0>(std::move(data_)); }
  const Error& error() const { return std::get<1>(data_); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  T value_or(T fallback) const& { return ok() ? value() : std::move(fallback); }

 private:
  std::variant<T, Error> data_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error)
      : error_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;
inline Status Ok() { return {}; }

}  // namespace sg

#define SG_CONCAT_INNER(a, b) a##b
#define SG_CONCAT(a, b) SG_CONCAT_INNER(a, b)

// Returns the error of a Result/Status expression from the enclosing function.
#define SG_RETURN_IF_ERROR(expr)                     \
  do {                                               \
    auto&& sg_status_ = (expr);                      \
    if (!sg_status_.ok()) return sg_status_.error(); \
  } while (0)

// SG_ASSIGN_OR_RETURN(auto x, Compute()); declares x from the value or returns the error.
#define SG_ASSIGN_OR_RETURN(lhs, expr) \
  SG_ASSIGN_OR_RETURN_IMPL(SG_CONCAT(sg_result_, __LINE__), lhs, expr)
// tmp is a name and lhs may be a declaration: neither can be parenthesized.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define SG_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.error();             \
  lhs = std::move(tmp).value()
// NOLINTEND(bugprone-macro-parentheses)
