// What the executor receives from RunTask: its system prompt (the method's three layers, steps
// and execution rules, the skills with their location), its task message (the benchmark's
// prompt, and the hints and turn budget only with --task-hints) and its tools (the method's
// set; python, grep and list_files only with --executor-tools). Over the real task runner,
// prompt library, sandbox and tools, with a scripted model that records every request.
#include "run/task_runner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/file_util.h"
#include "core/redact.h"
#include "core/testing.h"
#include "llm/testing_chat_client.h"
#include "run/prompt_library.h"
#include "tasks/testing_benchmark.h"

namespace sg::run {
namespace {
namespace fs = std::filesystem;

constexpr const char* kHint = "HINT-LINE: the answer is a single word.";

// The in-memory benchmark with a hint on every task prompt.
class HintedBenchmark final : public tasks::Benchmark {
 public:
  explicit HintedBenchmark(std::vector<sg::testing::MemoryTask> tasks) : inner_(std::move(tasks)) {}
  std::string name() const override { return inner_.name(); }
  std::string domain() const override { return inner_.domain(); }
  const std::vector<tasks::Task>& tasks() const override { return inner_.tasks(); }
  Result<tasks::TaskPrompt> PrepareWorkspace(const tasks::Task& task,
                                             const fs::path& workspace) const override {
    SG_ASSIGN_OR_RETURN(tasks::TaskPrompt prompt, inner_.PrepareWorkspace(task, workspace));
    prompt.hints = std::string(kHint) + "\n";
    return prompt;
  }
  Result<tasks::Verdict> Grade(const tasks::Task& task, const fs::path& workspace,
                               const Json& submitted) const override {
    return inner_.Grade(task, workspace, submitted);
  }

 private:
  sg::testing::MemoryBenchmark inner_;
};

std::vector<std::string> ToolNames(const llm::ChatRequest& request) {
  std::vector<std::string> names;
  for (const llm::ToolSpec& tool : request.tools) names.push_back(tool.name);
  return names;
}

bool Has(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

class TaskRunnerTest : public ::testing::Test {
 protected:
  TaskRunnerTest()
      : benchmark_({{"t1", "What colour is the sky?", "blue", false}}),
        client_(sg::testing::ScriptedChatClient::FromList(
            {sg::testing::ToolReply("activate_skill", {{"name", "answers"}}),
             sg::testing::ToolReply("shell", {{"commands", Json::array({"echo blue > answer.txt",
                                                                        "cat answer.txt"})}}),
             sg::testing::TextReply("done")})) {
    const fs::path skill = Root() / "skills" / "answers";
    EXPECT_TRUE(MakeDirs(skill / "references").ok());
    EXPECT_TRUE(WriteFileAtomic(skill / "SKILL.md",
                                "---\nname: answers\ndescription: Answer a short question in "
                                "answer.txt.\n---\n# Answers\n\nSee references/colours.md.\n")
                    .ok());
    EXPECT_TRUE(WriteFileAtomic(skill / "references" / "colours.md", "blue\n").ok());
    auto prompts = PromptLibrary::Load();
    EXPECT_TRUE(prompts.ok());
    if (prompts.ok()) prompts_ = std::move(prompts).value();
    env_.client = &client_;
    env_.clock = &clock_;
    env_.redactor = &redactor_;
    env_.benchmark = &benchmark_;
    env_.prompts = &prompts_;
    env_.settings.model = "fake-model";
    env_.settings.max_turns = 7;
  }

  fs::path Root() const { return dir_.path(); }

  // Runs t1 and returns the first request the model received.
  llm::ChatRequest Run() {
    const tasks::Task* task = env_.benchmark->FindTask("t1");
    EXPECT_NE(task, nullptr);
    auto assessment = RunTask(env_, *task, Root() / "skills", Root() / "run" / "t1", {});
    EXPECT_TRUE(assessment.ok()) << assessment.error().ToString();
    if (assessment.ok()) EXPECT_TRUE(assessment->pass) << assessment->json.dump();
    const auto calls = client_.calls();
    EXPECT_EQ(calls.size(), 3u);
    return calls.empty() ? llm::ChatRequest() : calls.front().request;
  }

  sg::testing::TempDir dir_;
  HintedBenchmark benchmark_;
  sg::testing::ScriptedChatClient client_;
  SystemClock clock_;
  SecretRedactor redactor_;
  PromptLibrary prompts_;
  ExecutorEnv env_;
};

TEST_F(TaskRunnerTest, SystemPromptCarriesTheMethodsLayersStepsRulesAndSkillLocation) {
  const llm::ChatRequest request = Run();
  ASSERT_GE(request.messages.size(), 2u);
  ASSERT_EQ(request.messages[0].role, llm::Role::kSystem);
  const std::string& system = request.messages[0].content;
  // The e2e scenarios match the executor on this prefix.
  EXPECT_EQ(system.rfind("You are an agent that completes", 0), 0u) << system;
  for (const char* part : {
           "completes tasks by writing Python code and running it",
           "three layers",                     // progressive disclosure
           "`activate_skill` returns",         // layer 2
           "`read_reference`",                 // layer 3
           "worked\n   examples, edge cases",  // what references hold
           "Call `activate_skill` before you write any code",
           "operation patterns",
           "BEFORE you write code",
           "went wrong silently",  // why references are read first
           "named by role",        // adapting role-named parameters
           "through the `shell` tool",
           "Never open .xlsx",
           "Save the result to the output path",
           "expert guidance",
           "- name: answers\n  description: Answer a short question in answer.txt.\n",
       }) {
    EXPECT_NE(system.find(part), std::string::npos) << "missing '" << part << "' in\n" << system;
  }
  const std::string location = (fs::canonical(Root() / "skills" / "answers") / "SKILL.md").string();
  EXPECT_NE(system.find("  location: " + location + "\n"), std::string::npos) << system;
  EXPECT_EQ(system.find("{{"), std::string::npos) << system;
}

TEST_F(TaskRunnerTest, TaskMessageIsTheBenchmarkPromptWithoutHintsOrBudgetByDefault) {
  const llm::ChatRequest request = Run();
  ASSERT_GE(request.messages.size(), 2u);
  const std::string& message = request.messages[1].content;
  EXPECT_NE(message.find("What colour is the sky?"), std::string::npos) << message;
  EXPECT_EQ(message.find(kHint), std::string::npos) << message;
  EXPECT_EQ(message.find("at most 7 turns"), std::string::npos) << message;
}

TEST_F(TaskRunnerTest, TaskHintsAddTheBenchmarkHintsAndTheTurnBudget) {
  env_.settings.task_hints = true;
  const llm::ChatRequest request = Run();
  ASSERT_GE(request.messages.size(), 2u);
  const std::string& message = request.messages[1].content;
  EXPECT_NE(message.find("What colour is the sky?"), std::string::npos) << message;
  EXPECT_NE(message.find(kHint), std::string::npos) << message;
  EXPECT_NE(message.find("at most 7 turns"), std::string::npos) << message;
}

TEST_F(TaskRunnerTest, DefaultToolsAreTheMethodsSetWithShellAndWithoutPython) {
  const llm::ChatRequest request = Run();
  EXPECT_EQ(ToolNames(request), (std::vector<std::string>{"activate_skill", "read_reference",
                                                          "read_file", "write_file", "shell"}));
  for (const llm::ToolSpec& tool : request.tools) {
    if (tool.name == "activate_skill") {
      EXPECT_EQ(tool.parameters["properties"]["name"]["enum"], Json::array({"answers"}))
          << tool.parameters.dump();
    }
    if (tool.name == "shell") {
      EXPECT_EQ(tool.parameters["properties"]["commands"]["type"], "array")
          << tool.parameters.dump();
    }
  }
  // The shell call's two commands both ran: the answer passed (checked in Run) and the
  // second command's output came back.
  const auto calls = client_.calls();
  ASSERT_EQ(calls.size(), 3u);
  const llm::Message* shell = sg::testing::LastMessageOf(calls[2].request, llm::Role::kTool);
  ASSERT_NE(shell, nullptr);
  EXPECT_NE(shell->content.find("$ cat answer.txt\nblue\n"), std::string::npos) << shell->content;
}

TEST_F(TaskRunnerTest, ExecutorToolsFlagAddsThePythonTool) {
  env_.settings.optional_tools = {"python"};
  const std::vector<std::string> names = ToolNames(Run());
  EXPECT_TRUE(Has(names, "python"));
  EXPECT_TRUE(Has(names, "shell"));
  EXPECT_FALSE(Has(names, "grep"));
  EXPECT_FALSE(Has(names, "list_files"));
}

TEST_F(TaskRunnerTest, UnknownExecutorToolIsAnErrorNamingTheFlag) {
  env_.settings.optional_tools = {"browser"};
  const tasks::Task* task = env_.benchmark->FindTask("t1");
  ASSERT_NE(task, nullptr);
  auto assessment = RunTask(env_, *task, Root() / "skills", Root() / "run" / "t1", {});
  ASSERT_FALSE(assessment.ok());
  EXPECT_NE(assessment.error().message.find("--executor-tools"), std::string::npos);
  EXPECT_NE(assessment.error().message.find("python, grep and list_files"), std::string::npos);
  EXPECT_TRUE(client_.calls().empty());
}

}  // namespace
}  // namespace sg::run
