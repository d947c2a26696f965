// Test-only: everything the stages of one iteration need, in a temporary folder, over the
// seams DESIGN section 3 names: a scripted model (llm/testing_chat_client.h) that plays every
// role, an in-memory benchmark (tasks/testing_benchmark.h), a manual clock, the built-in prompts
// and the real sandbox. Header-only; include it from *_test.cpp files only.
//
// The scripted model:
//   executor     run/testing_executor.h with kRule: the right answer when the task is in
//                `always_right` or the activated body holds kRule, else "wrong".
//   diagnosers   one LABEL diagnosis.
//   momentum     submit_momentum: one pattern (kSlug) appearing in 1..t, an overlay entry per
//                task of the "Batch tasks:" line of its prompt, with that line's signal.
//   patcher      write_file of SeedSkillAt(t + 1) (the seed plus kRule and a pitfall per
//                iteration from 2), then submit_patch_report naming kSlug.
#pragma once

#include <fmt/format.h>

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/file_util.h"
#include "core/json.h"
#include "core/redact.h"
#include "core/testing.h"
#include "llm/message.h"
#include "llm/testing_chat_client.h"
#include "optim/iteration_stage.h"
#include "optim/skillgrad_stages.h"
#include "optim/train_state.h"
#include "run/prompt_library.h"
#include "run/role_runner.h"
#include "run/run_layout.h"
#include "run/task_runner.h"
#include "run/testing_executor.h"
#include "run/tree_copy.h"
#include "tasks/testing_benchmark.h"

namespace sg::testing {

inline constexpr const char* kSkillName = "answers";
inline constexpr const char* kSlug = "answer-checking";
inline constexpr const char* kRule =
    "Check the answer against the question once more before writing it.";
inline constexpr const char* kModel = "fake-model";

inline std::string SeedSkill() {
  return fmt::format(
      "---\n"
      "name: {}\n"
      "description: Answer a short question from the workspace and hand in the answer.\n"
      "---\n"
      "# Answers\n"
      "\n"
      "Use this skill to answer one short question with a checked value.\n"
      "\n"
      "## Workflow\n"
      "\n"
      "1. Read the question in question.txt.\n"
      "2. Work out the answer.\n"
      "3. Hand it in the way the task asks.\n"
      "\n"
      "## Handing in\n"
      "\n"
      "Write only the answer, without a sentence around it.\n"
      "\n"
      "## Common Pitfalls\n"
      "\n"
      "- Answering a different question than the one asked.\n",
      kSkillName);
}

// The SKILL.md the scripted patcher leaves as S_{t}: the seed for t == 1, then the seed with
// kRule in "Handing in" and one pitfall line per iteration from 2 to t - 1.
inline std::string SeedSkillAt(int t) {
  std::string text = SeedSkill();
  if (t <= 1) return text;
  const std::string anchor = "without a sentence around it.\n";
  text.replace(text.find(anchor), anchor.size(), anchor + kRule + "\n");
  for (int i = 2; i < t; ++i) text += fmt::format("- Forgetting the check of iteration {}.\n", i);
  return text;
}

inline std::vector<MemoryTask> DefaultTasks() {
  return {
      {"t1", "What is 2 + 3?", "5", false},
      {"t2", "What is the capital of France?", "Paris", true},
      {"v1", "What is 3 + 4?", "7", false},
      {"v2", "What colour is a clear daytime sky?", "blue", true},
  };
}

// The record the scripted momentum agent submits at iteration t (one pattern seen in 1..t).
inline Json ScriptedRecord(int t) {
  Json appeared = Json::array();
  for (int i = 1; i <= t; ++i) appeared.push_back(i);
  Json remedies = Json::array();
  if (t == 1) {
    remedies.push_back({{"iteration", 1},
                        {"diagnosed", "answers handed in unchecked"},
                        {"patched", "added the check rule"}});
  }
  return Json{{"format", "skillgrad-momentum/1"},
              {"iteration", t},
              {"patterns",
               {{{"slug", kSlug},
                 {"kind", "operation"},
                 {"summary", "Answers are handed in without a check"},
                 {"anchor", "handing-in"},
                 {"appeared_in", appeared},
                 {"description", "The executor writes its first answer without checking it."},
                 {"guidance", "Check the answer against the question before handing it in."},
                 {"remedy_log", remedies}}}}};
}

// The batch tasks and their signals from the "Batch tasks: id (signal), ..." line.
inline std::vector<std::pair<std::string, std::string>> BatchLine(const std::string& prompt) {
  std::vector<std::pair<std::string, std::string>> out;
  const std::string head = "Batch tasks: ";
  size_t at = prompt.find(head);
  if (at == std::string::npos) return out;
  size_t end = prompt.find('\n', at);
  std::string line =
      prompt.substr(at + head.size(), end == std::string::npos ? end : end - at - head.size());
  static const std::regex entry(R"(([\w.-]+) \((\w+)\))");
  for (std::sregex_iterator it(line.begin(), line.end(), entry), stop; it != stop; ++it) {
    out.emplace_back((*it)[1].str(), (*it)[2].str());
  }
  return out;
}

class StageWorld {
 public:
  explicit StageWorld(std::vector<MemoryTask> tasks = DefaultTasks())
      : benchmark(std::move(tasks)),
        client(
            [this](const llm::ChatRequest& r, const llm::CallContext& c) { return Reply(r, c); }) {
    Result<run::PromptLibrary> loaded = run::PromptLibrary::Load();
    if (!loaded.ok()) throw std::runtime_error(loaded.error().ToString());
    prompts = std::move(loaded).value();

    roles.client = &client;
    roles.clock = &clock;
    roles.redactor = &redactor;
    roles.prompts = &prompts;
    roles.models = {kModel, kModel, kModel, kModel};
    executor.client = &client;
    executor.clock = &clock;
    executor.redactor = &redactor;
    executor.benchmark = &benchmark;
    executor.prompts = &prompts;
    executor.settings.model = kModel;
    executor.settings.max_turns = 6;
    services.roles = &roles;
    services.executor = &executor;
    services.benchmark = &benchmark;
    services.concurrency = 2;
    services.val_ids = {"v1", "v2"};
    services.training_results = TrainDir() / "training_results.json";
    services.iteration_log = TrainDir() / "iteration_log.md";
    services.costs = [this](int) {
      return optim::IterationCosts{client.spent_usd(), Json::object()};
    };

    Check(MakeDirs(SeedDir() / kSkillName));
    Check(WriteFileAtomic(SeedDir() / kSkillName / "SKILL.md", SeedSkill()));
    state.current_skills = SeedDir().string();
    state.iterations_total = 2;
  }

  static void Check(const Status& status) {
    if (!status.ok()) throw std::runtime_error(status.error().ToString());
  }

  std::filesystem::path root() const { return dir.path(); }
  std::filesystem::path SeedDir() const { return root() / "seed"; }
  std::filesystem::path BaseDir() const { return root() / "base"; }
  std::filesystem::path TrainDir() const { return root() / "train"; }
  std::filesystem::path StateFile() const { return TrainDir() / "state.json"; }
  std::filesystem::path IterDir(int t) const { return TrainDir() / fmt::format("iter_{}", t); }
  std::filesystem::path SnapshotDir(int t) const {
    return TrainDir() / "snapshots" / fmt::format("iter_{}", t);
  }

  // Iteration t's work over `batch`, with S_t snapshotted from state.current_skills once.
  optim::IterationWork Work(int t, std::vector<std::string> batch = {"t1", "t2"}) {
    optim::IterationWork work;
    work.state = &state;
    work.context.iteration = t;
    work.context.domain = benchmark.domain();
    work.context.batch = std::move(batch);
    work.context.iter_dir = IterDir(t);
    work.context.skill_dir = SnapshotDir(t);
    work.context.base_dir = BaseDir();
    if (!std::filesystem::exists(SnapshotDir(t))) {
      Check(run::CopyTree(state.current_skills, SnapshotDir(t)));
    }
    Check(MakeDirs(IterDir(t)));
    return work;
  }

  // A finished task folder as the task runner leaves it: trajectory.json, workspace/ and
  // assessment.json (written last).
  void WriteFinishedTask(const std::filesystem::path& task_dir, const std::string& id, bool pass) {
    Check(MakeDirs(task_dir / "workspace"));
    Check(WriteFileAtomic(task_dir / "workspace" / MemoryBenchmark::kAnswerFile,
                          pass ? "right\n" : "wrong\n"));
    Check(WriteJsonFile(task_dir / "trajectory.json",
                        Json{{"role", "executor"}, {"messages", Json::array()}}));
    Check(
        WriteJsonFile(task_dir / "assessment.json",
                      Json{{"task_id", id},
                           {"pass", pass},
                           {"score", pass ? 1.0 : 0.0},
                           {"graded", true},
                           {"verdict",
                            {{"pass", pass},
                             {"score", pass ? 1.0 : 0.0},
                             {"details", Json::object()},
                             {"comparison", pass ? "all values match" : "expected 'x', got 'y'"}}},
                           {"error", ""},
                           {"stop_reason", "finished"}}));
  }

  // The base run in which every training task failed (what a contrastive diagnosis reads).
  void WriteBaseRun(const std::vector<std::string>& ids = {"t1", "t2"}) {
    for (const auto& id : ids) WriteFinishedTask(BaseDir() / run::SafePathComponent(id), id, false);
  }

  // EXECUTE's files for `work` without running it: t1 failed, every other task passed.
  void WriteExecuted(const optim::IterationWork& work,
                     const std::set<std::string>& passed = {"t2"}) {
    for (const auto& id : work.context.batch) {
      WriteFinishedTask(work.context.TaskDir(id), id, passed.count(id) > 0);
    }
  }

  // Optional first say on every call: return a reply to use it instead of the script's.
  std::function<std::optional<Result<llm::ChatResponse>>(const llm::ChatRequest&,
                                                         const llm::CallContext&)>
      intercept;
  std::set<std::string> always_right = {"t2"};  // executor tasks answered right without kRule

  TempDir dir;
  MemoryBenchmark benchmark;
  ScriptedChatClient client;
  ManualClock clock;
  SecretRedactor redactor;
  run::PromptLibrary prompts;
  run::RoleEnv roles;
  run::ExecutorEnv executor;
  optim::StageServices services;
  optim::TrainState state;

 private:
  Result<llm::ChatResponse> Reply(const llm::ChatRequest& request,
                                  const llm::CallContext& context) {
    if (intercept) {
      if (auto reply = intercept(request, context)) return std::move(*reply);
    }
    const int turn = TurnOf(request);
    const std::string& role = context.role;
    if (role == "executor") {
      return ScriptedExecutorReply(benchmark, always_right, kSkillName, kRule, request, context);
    }
    if (role == "failure_diagnoser" || role == "contrastive_diagnoser") {
      return TextReply(fmt::format(
          "LABEL: answer handed in unchecked\n\nThe {} read task {}: the answer was not checked.\n",
          role, context.task_id));
    }
    if (role == "momentum") {
      const llm::Message* user = LastMessageOf(request, llm::Role::kUser);
      const int t = context.iteration;
      Json entries = Json::array();
      for (const auto& [id, signal] : BatchLine(user ? user->content : "")) {
        entries.push_back({{"task_id", id},
                           {"signal", signal},
                           {"pattern", std::string(t == 1 ? "new:" : "") + kSlug},
                           {"anchor", "handing-in"},
                           {"gap", "the skill does not ask for a check"},
                           {"proposed_change", "add a check rule to Handing in"}});
      }
      Json overlay = {{"iteration", t}, {"entries", entries}, {"workflow_themes", Json::array()}};
      return ToolReply("submit_momentum", {{"record", ScriptedRecord(t)}, {"overlay", overlay}});
    }
    if (role == "patcher") {
      const int t = context.iteration;
      const llm::Message* user = LastMessageOf(request, llm::Role::kUser);
      const bool repair = user != nullptr && user->content.find("lint") != std::string::npos &&
                          user->content.find("Patch the skill for iteration") == std::string::npos;
      if (turn == 0 && !repair) {
        return ToolReply("write_file", {{"path", std::string(kSkillName) + "/SKILL.md"},
                                        {"content", SeedSkillAt(t + 1)}});
      }
      return ToolReply("submit_patch_report",
                       {{"changes",
                         {{{"pattern", std::string(t == 1 ? "new:" : "") + kSlug},
                           {"diagnosed", "answers handed in unchecked"},
                           {"patched", "Handing in: check rule"}}}},
                        {"notes", ""}});
    }
    return Error(ErrorCode::kProvider, "scripted model: no script for role " + role);
  }
};

}  // namespace sg::testing
