// Test-only helpers of the optimizer's end-to-end tests (e2e_*_test.cpp): the mock LLM
// server in process, playing tests/data/e2e/scenarios/base.json with a test case's rules in
// front, and the real `skillgrad` binary run as a subprocess against it over loopback.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/file_util.h"
#include "core/json.h"
#include "core/subprocess.h"
#include "core/testing.h"
#include "core/unique_fd.h"
#include "mock/mock_server.h"
#include "mock/scenario.h"

extern char** environ;

namespace sg::e2e {
namespace fs = std::filesystem;

inline fs::path E2eData() { return testing::SourceDir() / "tests" / "data" / "e2e"; }
inline fs::path DataDir() { return E2eData() / "wtq-mini"; }
inline fs::path SeedSkills() { return E2eData() / "seed-skill"; }
inline fs::path Expected(const std::string& name) { return E2eData() / "expected" / name; }

inline std::string Binary() {
  const char* env = std::getenv("SKILLGRAD_BIN");
  return env && *env ? env : testing::SkillgradBinary().string();
}

inline std::string ReadText(const fs::path& path) {
  auto text = ReadFile(path);
  EXPECT_TRUE(text.ok()) << path;
  return text.ok() ? *text : std::string();
}

inline Json ReadJson(const fs::path& path) {
  auto json = ReadJsonFile(path);
  EXPECT_TRUE(json.ok()) << path << ": " << (json.ok() ? "" : json.error().message);
  return json.ok() ? *json : Json();
}

// base.json with the rules of `cases` (file names under scenarios/) in front, in order.
inline mock::Scenario LoadScenario(const std::vector<std::string>& cases) {
  Json base = ReadJson(E2eData() / "scenarios" / "base.json");
  Json rules = Json::array();
  for (const auto& name : cases) {
    Json extra = ReadJson(E2eData() / "scenarios" / name);
    for (const auto& rule : extra["rules"]) rules.push_back(rule);
  }
  for (const auto& rule : base["rules"]) rules.push_back(rule);
  base["rules"] = rules;
  auto scenario = mock::ParseScenario(DumpJson(base), "base.json+cases");
  EXPECT_TRUE(scenario.ok()) << scenario.error().message;
  return scenario.ok() ? *scenario : mock::Scenario();
}

inline std::unique_ptr<mock::MockServer> StartMock(const std::vector<std::string>& cases = {}) {
  mock::MockOptions options;
  options.scenario = LoadScenario(cases);
  auto server = mock::MockServer::Start(std::move(options));
  EXPECT_TRUE(server.ok()) << server.error().message;
  return server.ok() ? std::move(server).value() : nullptr;
}

// Provider variables (OPENAI_*, AZURE_OPENAI_*, ANTHROPIC_*, MODEL): the runs of the
// binary get exactly the provider block the test chooses, never the caller's.
inline bool IsProviderVariable(const std::string& entry) {
  return entry.rfind("OPENAI_", 0) == 0 || entry.rfind("AZURE_OPENAI_", 0) == 0 ||
         entry.rfind("ANTHROPIC_", 0) == 0 || entry.rfind("MODEL=", 0) == 0;
}

// The test's environment without provider variables, then `extra` (NAME=value entries).
inline std::vector<std::string> EnvironmentWithoutProviders(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    if (!IsProviderVariable(*e)) env.emplace_back(*e);
  }
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

// Starts argv[0] (looked up in PATH if it has no slash) in `work_dir`, stdin from /dev/null,
// stdout and stderr into `output`, in the test's process group, holding no descriptor of
// the test's beyond those. The child's pid, which the caller reaps, or -1 (and a test failure).
inline pid_t Spawn(std::vector<std::string> argv_strings, std::vector<std::string> env_strings,
                   const fs::path& output, const fs::path& work_dir) {
  UniqueFd out(::open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  EXPECT_TRUE(out.valid()) << "cannot create " << output;
  if (!out) return -1;
  SpawnOptions options;
  options.argv = std::move(argv_strings);
  options.env = std::move(env_strings);
  options.cwd = work_dir;
  options.stdin_stream = ChildStream::Null();
  options.stdout_stream = ChildStream::Fd(out.get());
  options.stderr_stream = ChildStream::SameAsStdout();
  options.group = ProcessGroup::kInherit;
  auto child = sg::Spawn(options);
  EXPECT_TRUE(child.ok()) << child.error().ToString();
  return child.ok() ? child->ReleasePid() : -1;
}

struct Outcome {
  int exit_code = -1;  // -1: killed by a signal
  std::string output;  // stdout and stderr
};

// One run of the binary, started in `work_dir` with the mock as its only provider.
class Process {
 public:
  Process(const mock::MockServer& server, const fs::path& work_dir,
          const std::vector<std::string>& args)
      : log_(work_dir / ("run-" + std::to_string(Counter()++) + ".log")) {
    std::vector<std::string> argv = {Binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    pid_ = Spawn(std::move(argv),
                 EnvironmentWithoutProviders({"OPENAI_BASE_URL=" + server.base_url() + "/v1",
                                              "OPENAI_API_KEY=sk-e2e-dummy-key"}),
                 log_, work_dir);
  }
  ~Process() {
    if (pid_ > 0 && !waited_) Kill();
  }

  Outcome Wait() {
    Outcome outcome;
    if (pid_ > 0 && !waited_) {
      int status = 0;
      ::waitpid(pid_, &status, 0);
      waited_ = true;
      status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    outcome.exit_code = status_;
    outcome.output = ReadFile(log_).value_or("");
    return outcome;
  }
  Outcome Kill() {
    if (pid_ > 0 && !waited_) ::kill(pid_, SIGKILL);
    return Wait();
  }
  // True once the process has ended (reaped; Wait() then returns at once). Does not block.
  bool Exited() {
    if (pid_ <= 0 || waited_) return true;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) != pid_) return false;
    waited_ = true;
    status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return true;
  }

 private:
  static int& Counter() {
    static int n = 0;
    return n;
  }
  pid_t pid_ = -1;
  bool waited_ = false;
  int status_ = -1;
  fs::path log_;
};

inline Outcome RunSkillgrad(const mock::MockServer& server, const fs::path& work_dir,
                            const std::vector<std::string>& args) {
  return Process(server, work_dir, args).Wait();
}

// The mock playing `scenario` as it is (e.g. LoadScenario's with fault rules added).
inline std::unique_ptr<mock::MockServer> StartMockPlaying(mock::Scenario scenario,
                                                          uint64_t seed = 0) {
  mock::MockOptions options;
  options.scenario = std::move(scenario);
  options.seed = seed;
  auto server = mock::MockServer::Start(std::move(options));
  EXPECT_TRUE(server.ok()) << server.error().message;
  return server.ok() ? std::move(server).value() : nullptr;
}

// Waits until the mock answers no request: a stalled request is counted (faults, status)
// only when its stall ends, after the client has given up on it.
inline bool WaitUntilIdle(const mock::MockServer& server) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  while (server.counters().in_flight > 0) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

// The lines of a JSONL file, parsed; a line that does not parse fails the test.
inline std::vector<Json> JsonLines(const fs::path& path) {
  std::vector<Json> lines;
  std::string text = ReadText(path);
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    auto line = ParseJson(std::string_view(text).substr(at, end - at), path.string());
    EXPECT_TRUE(line.ok()) << path << ": " << (line.ok() ? "" : line.error().message);
    if (line.ok()) lines.push_back(std::move(*line));
    at = end + 1;
  }
  return lines;
}

// Waits until the mock has given `rule` at least once: the observable event on which the
// kill tests act. Fails after a generous deadline instead of hanging.
inline bool WaitForRule(const mock::MockServer& server, const std::string& rule) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  while (std::chrono::steady_clock::now() < deadline) {
    auto uses = server.counters().rule_uses;
    if (auto it = uses.find(rule); it != uses.end() && it->second > 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

// The flags every run shares: the mini benchmark, the seed skill, small batches.
inline std::vector<std::string> CommonArgs(const fs::path& results) {
  return {"--benchmark",    "wtq",
          "--data-dir",     DataDir().string(),
          "--skills-dir",   SeedSkills().string(),
          "--results-root", results.string(),
          "--model",        "gpt-4o-mini",
          "--concurrency",  "2"};
}

inline std::vector<std::string> TrainArgs(const fs::path& results,
                                          const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"train"};
  for (auto& a : CommonArgs(results)) args.push_back(a);
  for (const char* a : {"--batch-size", "2", "--max-turns", "30"}) args.push_back(a);
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

inline std::vector<std::string> EvalArgs(const fs::path& results, const std::string& run_id) {
  std::vector<std::string> args = {"eval"};
  for (auto& a : CommonArgs(results)) args.push_back(a);
  if (!run_id.empty()) {
    // --skills-dir from CommonArgs would override the run's final skill: drop it.
    for (size_t i = 0; i + 1 < args.size(); ++i) {
      if (args[i] == "--skills-dir") args.erase(args.begin() + i, args.begin() + i + 2);
    }
    args.push_back("--run");
    args.push_back(run_id);
  }
  return args;
}

inline const char* kRunId = "skillgrad_gpt-4o-mini";

// The dollars a ledger.jsonl records (its rows' cost_usd; 0 when there is no ledger).
inline double LedgerCost(const fs::path& ledger) {
  double total = 0;
  std::string text = ReadFile(ledger).value_or("");
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    Json row = Json::parse(text.substr(start, end - start), nullptr, false);
    if (row.is_object() && row["cost_usd"].is_number()) total += row["cost_usd"].get<double>();
    start = end + 1;
  }
  return total;
}

// What every ledger.jsonl under `results` records (LedgerCost of each).
inline double ResultsCost(const fs::path& results) {
  double total = 0;
  std::error_code ec;
  for (const auto& entry : fs::recursive_directory_iterator(results, ec)) {
    if (entry.path().filename() == "ledger.jsonl") total += LedgerCost(entry.path());
  }
  return total;
}

// Every regular file under `root`, by relative path, with its content.
inline std::map<std::string, std::string> TreeContents(const fs::path& root) {
  std::map<std::string, std::string> files;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(root, ec)) {
    if (entry.is_regular_file()) {
      files[fs::relative(entry.path(), root).string()] = ReadFile(entry.path()).value_or("");
    }
  }
  return files;
}

// An eval summary without its wall-clock figures.
inline Json WithoutTimes(Json summary) {
  summary.erase("seconds");
  return summary;
}

// training_results.json entries without their wall-clock figures.
inline Json TrainingWithoutTimes(Json training) {
  for (auto& it : training) {
    it.erase("seconds_by_stage");
    it.erase("duration_s");
  }
  return training;
}

// training_results.json entries without wall-clock figures and costs: a call answered but not
// yet recorded when a process died is paid again on resume.
inline Json TrainingWithoutTimesOrCosts(Json training) {
  training = TrainingWithoutTimes(std::move(training));
  for (auto& it : training) {
    for (const char* key : {"cost_by_stage", "run_cost_usd", "cost_usd", "calls_without_cost"}) {
      it.erase(key);
    }
  }
  return training;
}

}  // namespace sg::e2e
