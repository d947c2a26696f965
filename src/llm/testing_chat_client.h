// Test-only: a scripted llm::ChatClient for in-process tests of the roles, the stages and
// train. Each call is answered by a function of the request and its CallContext (or by the
// next reply of a list), recorded, and priced at a fixed cost per call so that budgets and
// cost totals can be checked. Header-only; include it from *_test.cpp files only.
#pragma once

#include <algorithm>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/json.h"
#include "llm/chat_client.h"
#include "llm/message.h"

namespace sg::testing {

// One call as the client saw it.
struct RecordedCall {
  llm::ChatRequest request;
  llm::CallContext context;
};

// The number of model turns before this request: its assistant messages.
inline int TurnOf(const llm::ChatRequest& request) {
  return static_cast<int>(
      std::count_if(request.messages.begin(), request.messages.end(),
                    [](const llm::Message& m) { return m.role == llm::Role::kAssistant; }));
}

// The last message of `role` in the request, or nullptr.
inline const llm::Message* LastMessageOf(const llm::ChatRequest& request, llm::Role role) {
  for (auto it = request.messages.rbegin(); it != request.messages.rend(); ++it) {
    if (it->role == role) return &*it;
  }
  return nullptr;
}

// True when any message of the request contains `text`.
inline bool AnyMessageContains(const llm::ChatRequest& request, const std::string& text) {
  return std::any_of(request.messages.begin(), request.messages.end(), [&](const llm::Message& m) {
    return m.content.find(text) != std::string::npos;
  });
}

// A reply that ends the run with text.
inline llm::ChatResponse TextReply(std::string text) {
  llm::ChatResponse reply;
  reply.message = llm::Message::Assistant(std::move(text));
  reply.finish_reason = llm::FinishReason::kStop;
  return reply;
}

// A reply of tool calls, each {name, arguments object}; the call ids are filled in by the
// client (call_<n>, unique per client).
inline llm::ChatResponse ToolReply(std::vector<std::pair<std::string, Json>> calls) {
  llm::ChatResponse reply;
  std::vector<llm::ToolCall> tool_calls;
  for (auto& [name, arguments] : calls) {
    tool_calls.push_back(llm::ToolCall{"", std::move(name), arguments.dump()});
  }
  reply.message = llm::Message::Assistant("", std::move(tool_calls));
  reply.finish_reason = llm::FinishReason::kToolCalls;
  return reply;
}
inline llm::ChatResponse ToolReply(std::string name, Json arguments) {
  return ToolReply(
      std::vector<std::pair<std::string, Json>>{{std::move(name), std::move(arguments)}});
}

class ScriptedChatClient final : public llm::ChatClient {
 public:
  using Responder = std::function<Result<llm::ChatResponse>(const llm::ChatRequest& request,
                                                            const llm::CallContext& context)>;

  // Every call is answered by `responder`. It runs under the client's lock, so calls from
  // parallel tasks are answered one at a time and may share state without their own lock.
  explicit ScriptedChatClient(Responder responder) : responder_(std::move(responder)) {}

  // The replies in order, whatever the request; a call past the end is a provider error.
  static Responder FromList(std::vector<llm::ChatResponse> replies) {
    auto queue = std::make_shared<std::deque<llm::ChatResponse>>(replies.begin(), replies.end());
    return [queue](const llm::ChatRequest&, const llm::CallContext&) -> Result<llm::ChatResponse> {
      if (queue->empty()) return Error(ErrorCode::kProvider, "scripted client: no reply left");
      llm::ChatResponse reply = std::move(queue->front());
      queue->pop_front();
      return reply;
    };
  }

  // What each successful call costs and the usage it reports (unless the responder's reply
  // sets its own cost).
  void SetCostPerCall(double usd) {
    std::lock_guard lock(mu_);
    cost_per_call_ = usd;
  }

  Result<llm::ChatResponse> Complete(const llm::ChatRequest& request,
                                     const llm::CallContext& context) override {
    std::lock_guard lock(mu_);
    calls_.push_back(RecordedCall{request, context});
    Result<llm::ChatResponse> reply = responder_(request, context);
    if (!reply.ok()) return reply;
    llm::ChatResponse& r = *reply;
    r.message.role = llm::Role::kAssistant;
    for (llm::ToolCall& call : r.message.tool_calls) {
      if (call.id.empty()) call.id = "call_" + std::to_string(++next_call_id_);
    }
    if (r.model.empty()) r.model = request.model;
    if (!r.usage.reported) {
      r.usage.input_tokens = 1000;
      r.usage.output_tokens = 100;
      r.usage.reported = true;
    }
    if (!r.cost_usd) r.cost_usd = cost_per_call_;
    spent_usd_ += *r.cost_usd;
    return reply;
  }

  std::vector<RecordedCall> calls() const {
    std::lock_guard lock(mu_);
    return calls_;
  }
  size_t call_count() const {
    std::lock_guard lock(mu_);
    return calls_.size();
  }
  // Calls whose CallContext has this stage ("execute", "diagnose", ...) or role.
  size_t CallsInStage(const std::string& stage) const {
    std::lock_guard lock(mu_);
    return static_cast<size_t>(std::count_if(
        calls_.begin(), calls_.end(), [&](const auto& c) { return c.context.stage == stage; }));
  }
  size_t CallsOfRole(const std::string& role) const {
    std::lock_guard lock(mu_);
    return static_cast<size_t>(std::count_if(
        calls_.begin(), calls_.end(), [&](const auto& c) { return c.context.role == role; }));
  }
  // The sum of the costs of the replies given.
  double spent_usd() const {
    std::lock_guard lock(mu_);
    return spent_usd_;
  }
  void ClearCalls() {
    std::lock_guard lock(mu_);
    calls_.clear();
  }

 private:
  mutable std::mutex mu_;
  Responder responder_;
  std::vector<RecordedCall> calls_;
  double cost_per_call_ = 0.01;
  double spent_usd_ = 0;
  int next_call_id_ = 0;
};

// Owns nothing: forwards to a client the test keeps (for code that wants to own its client).
class ForwardingChatClient final : public llm::ChatClient {
 public:
  explicit ForwardingChatClient(llm::ChatClient& target) : target_(target) {}
  Result<llm::ChatResponse> Complete(const llm::ChatRequest& request,
                                     const llm::CallContext& context) override {
    return target_.Complete(request, context);
  }

 private:
  llm::ChatClient& target_;
};

}  // namespace sg::testing
