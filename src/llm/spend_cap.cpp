#include "llm/spend_cap.h"

#include <fmt/format.h>

#include <algorithm>

namespace sg::llm {
namespace {

constexpr int64_t kMinUnsetOutputTokens = 4096;
constexpr int64_t kBytesPerToken = 3;
constexpr int64_t kOverheadBytesPerMessage = 16;  // role and framing tokens

int64_t TextBytes(const Message& message) {
  int64_t bytes = static_cast<int64_t>(message.content.size()) + kOverheadBytesPerMessage;
  for (const ToolCall& call : message.tool_calls) {
    bytes += static_cast<int64_t>(call.name.size() + call.arguments.size() + call.id.size());
  }
  return bytes;
}

}  // namespace

int64_t EstimateInputTokens(const ChatRequest& request) {
  int64_t bytes = 0;
  for (const Message& message : request.messages) bytes += TextBytes(message);
  for (const ToolSpec& tool : request.tools) {
    bytes += static_cast<int64_t>(tool.name.size() + tool.description.size() +
                                  tool.parameters.dump().size());
  }
  return (bytes + kBytesPerToken - 1) / kBytesPerToken;
}

WorstCase WorstCaseOf(const ChatRequest& request, const ModelPrice& price,
                      int64_t output_tokens_if_unset) {
  WorstCase worst;
  worst.input_tokens = EstimateInputTokens(request);
  worst.output_tokens = request.sampling.max_tokens && *request.sampling.max_tokens > 0
                            ? *request.sampling.max_tokens
                            : output_tokens_if_unset;
  const double input_price = std::max(price.input, price.cache_write);
  worst.usd = (static_cast<double>(worst.input_tokens) * input_price +
               static_cast<double>(worst.output_tokens) * price.output) /
              1e6;
  return worst;
}

SpendCap::SpendCap(double cap_usd, double spent_before_usd)
    : cap_usd_(cap_usd), spent_usd_(std::max(0.0, spent_before_usd)) {}

Result<SpendCap::Hold> SpendCap::Admit(const WorstCase& worst, const std::string& what) {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    if (!exhausted_ && spent_usd_ + reserved_usd_ + worst.usd <= cap_usd_) {
      reserved_usd_ += worst.usd;
      ++in_flight_;
      return Hold{worst.usd};
    }
    if (exhausted_ || in_flight_ == 0) break;
    settled_.wait(lock);  // a call in flight may settle for less than it holds
  }
  const bool first = !exhausted_;
  exhausted_ = true;
  return Error(
      ErrorCode::kBudget,
      fmt::format("the cost cap --max-cost-usd {:.6f} is reached: {:.6f} spent{}, and the next "
                  "call ({}, up to {} input and {} output tokens) may cost up to {:.6f}; the call "
                  "was not sent. Finished work is kept: rerun with a higher --max-cost-usd "
                  "(train: with --resume) to go on without paying twice",
                  cap_usd_, spent_usd_,
                  reserved_usd_ > 0 ? fmt::format(", {:.6f} held by calls in flight", reserved_usd_)
                                    : std::string(),
                  first ? what : what + ", refused since the cap ran out", worst.input_tokens,
                  worst.output_tokens, worst.usd));
}

void SpendCap::Settle(const Hold& hold, double cost_usd) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    reserved_usd_ = std::max(0.0, reserved_usd_ - hold.reserved_usd);
    spent_usd_ += std::max(0.0, cost_usd);
    --in_flight_;
  }
  settled_.notify_all();
}

int64_t SpendCap::OutputTokensIfUnset() const {
  std::lock_guard<std::mutex> lock(mu_);
  return std::max(kMinUnsetOutputTokens, 2 * largest_output_);
}

void SpendCap::ObserveOutputTokens(int64_t tokens) {
  std::lock_guard<std::mutex> lock(mu_);
  largest_output_ = std::max(largest_output_, tokens);
}

double SpendCap::spent_usd() const {
  std::lock_guard<std::mutex> lock(mu_);
  return spent_usd_;
}

double SpendCap::reserved_usd() const {
  std::lock_guard<std::mutex> lock(mu_);
  return reserved_usd_;
}

bool SpendCap::exhausted() const {
  std::lock_guard<std::mutex> lock(mu_);
  return exhausted_;
}

}  // namespace sg::llm
