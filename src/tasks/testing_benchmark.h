// Test-only: a small in-memory tasks::Benchmark. Each task is a question with one expected
// answer; PrepareWorkspace writes the question to question.txt, and the grader reads the
// answer from the submit_answer payload (`submit` tasks) or from answer.txt in the workspace.
// Header-only; include it from *_test.cpp files only.
#pragma once

#include <fmt/format.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/file_util.h"
#include "core/json.h"
#include "tasks/benchmark.h"

namespace sg::testing {

struct MemoryTask {
  std::string id;
  std::string question;
  std::string answer;   // the expected answer
  bool submit = false;  // graded from submit_answer; else from workspace/answer.txt
};

class MemoryBenchmark final : public tasks::Benchmark {
 public:
  static constexpr const char* kAnswerFile = "answer.txt";
  static constexpr const char* kQuestionFile = "question.txt";

  explicit MemoryBenchmark(std::vector<MemoryTask> tasks) : specs_(std::move(tasks)) {
    for (const MemoryTask& spec : specs_) {
      tasks::Task task;
      task.id = spec.id;
      task.instruction = spec.question;
      task.instruction_type = spec.submit ? "submit" : "file";
      task.record = Json{{"answer", spec.answer}, {"submit", spec.submit}};
      tasks_.push_back(std::move(task));
    }
  }

  std::string name() const override { return "memory"; }
  std::string domain() const override {
    return "short questions answered in a text file or with submit_answer";
  }
  const std::vector<tasks::Task>& tasks() const override { return tasks_; }

  Result<tasks::TaskPrompt> PrepareWorkspace(
      const tasks::Task& task, const std::filesystem::path& workspace) const override {
    ++prepared_;
    SG_RETURN_IF_ERROR(WriteFileAtomic(workspace / kQuestionFile, task.instruction + "\n"));
    tasks::TaskPrompt prompt;
    prompt.offers_submit_answer = task.record.at("submit").get<bool>();
    prompt.text = fmt::format(
        "Task {}: {} (the question is also in {}). {}", task.id, task.instruction, kQuestionFile,
        prompt.offers_submit_answer ? "Give the answer with submit_answer."
                                    : std::string("Write the answer to ") + kAnswerFile + ".");
    return prompt;
  }

  Result<tasks::Verdict> Grade(const tasks::Task& task, const std::filesystem::path& workspace,
                               const Json& submitted) const override {
    ++graded_;
    const std::string expected = task.record.at("answer").get<std::string>();
    std::string actual;
    if (task.record.at("submit").get<bool>()) {
      actual = submitted.is_string() ? submitted.get<std::string>() : submitted.dump();
    } else {
      Result<std::string> text = ReadFile(workspace / kAnswerFile);
      actual = text.ok() ? *text : "(no " + std::string(kAnswerFile) + ")";
      while (!actual.empty() && (actual.back() == '\n' || actual.back() == ' ')) actual.pop_back();
    }
    tasks::Verdict verdict;
    verdict.pass = actual == expected;
    verdict.score = verdict.pass ? 1.0 : 0.0;
    verdict.details = Json{{"expected", expected}, {"actual", actual}};
    verdict.comparison = fmt::format("expected '{}', got '{}'", expected, actual);
    return verdict;
  }

  int prepared() const { return prepared_; }
  int graded() const { return graded_; }

 private:
  std::vector<MemoryTask> specs_;
  std::vector<tasks::Task> tasks_;
  mutable std::atomic<int> prepared_{0};
  mutable std::atomic<int> graded_{0};
};

}  // namespace sg::testing
