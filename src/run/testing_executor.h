// Test-only: the executor half of the scripted model, over the in-memory benchmark
// (tasks/testing_benchmark.h): activate_skill; then the right answer when the task is in
// `always_right` or the activated body holds `rule`, else "wrong" (write_file answer.txt or
// submit_answer); then "done". Collect, eval, exec and the optimizer's stages share it.
// Header-only; include it from *_test.cpp files only.
#pragma once

#include <set>
#include <string>

#include "core/error.h"
#include "llm/chat_client.h"
#include "llm/testing_chat_client.h"
#include "tasks/testing_benchmark.h"

namespace sg::testing {

inline Result<llm::ChatResponse> ScriptedExecutorReply(const MemoryBenchmark& benchmark,
                                                       const std::set<std::string>& always_right,
                                                       const std::string& skill_name,
                                                       const std::string& rule,
                                                       const llm::ChatRequest& request,
                                                       const llm::CallContext& context) {
  const tasks::Task* task = benchmark.FindTask(context.task_id);
  if (task == nullptr) return Error(ErrorCode::kProvider, "unknown task " + context.task_id);
  const bool submit = task->record.at("submit").get<bool>();
  const int turn = TurnOf(request);
  if (turn == 0) return ToolReply("activate_skill", {{"name", skill_name}});
  if (turn == 1) {
    const llm::Message* body = LastMessageOf(request, llm::Role::kTool);
    const bool right = always_right.count(task->id) > 0 ||
                       (body != nullptr && body->content.find(rule) != std::string::npos);
    const std::string answer = right ? task->record.at("answer").get<std::string>() : "wrong";
    if (submit) return ToolReply("submit_answer", {{"answer", answer}});
    return ToolReply("write_file",
                     {{"path", MemoryBenchmark::kAnswerFile}, {"content", answer + "\n"}});
  }
  return TextReply("done");
}

}  // namespace sg::testing
