// LLM faults during a full run: train (collect included) and eval against the mock with one
// request in five failing, through every fault kind the mock injects, end exactly like the
// same run without faults: same final skill, same training and eval results, every task run
// once, and the ledger counting each retry. The faults hit fixed request numbers, so the
// count of faults does not depend on thread timing; which call they hit may, and must not
// matter.
#include <fmt/format.h>

#include <cmath>

#include "tests/e2e/e2e_harness.h"

namespace sg::e2e {
namespace {

const fs::path kRun = fs::path("runs") / kRunId;

// Both runs: an attempt still unanswered after a second is abandoned (a stall costs the run
// one second, not five minutes), and a call has attempts enough that faults hitting it one
// after another never use them up.
std::vector<std::string> WithLlmFlags(std::vector<std::string> args) {
  for (const char* a : {"--llm-timeout", "1", "--llm-attempts", "10"}) args.push_back(a);
  return args;
}

// One fault action per kind the mock has (http_error with three statuses). The run sends no
// streamed request (the roles call without streaming), so streamed faults do not arise.
const std::vector<Json>& FaultActions() {
  static const std::vector<Json> actions = {
      {{"kind", "rate_limit"}, {"retry_after_ms", 20}},
      {{"kind", "http_error"}, {"status", 500}},
      {{"kind", "reset"}},
      {{"kind", "http_error"}, {"status", 502}},
      {{"kind", "malformed"}},
      {{"kind", "http_error"}, {"status", 503}},
      {{"kind", "truncate"}, {"truncate_fraction", 0.4}},
      // Longer than --llm-timeout: the client gives up on the attempt first.
      {{"kind", "stall"}, {"stall_ms", 1500}},
  };
  return actions;
}

constexpr int kFaultEvery = 5;           // requests 5, 10, 15, ... fail: 20% of all requests
constexpr int64_t kLastNumbered = 2000;  // far beyond the run's requests

// base.json with the fault schedule: request number n (n % 5 == 0) gets action
// (n / 5 - 1) % 8, so every kind comes round once in 40 requests.
mock::Scenario FaultedScenario() {
  Json base = ReadJson(E2eData() / "scenarios" / "base.json");
  const auto& actions = FaultActions();
  Json faults = Json::array();
  for (size_t i = 0; i < actions.size(); ++i) {
    Json rule = actions[i];
    Json numbers = Json::array();
    for (int64_t n = kFaultEvery * static_cast<int64_t>(i + 1); n <= kLastNumbered;
         n += kFaultEvery * static_cast<int64_t>(actions.size())) {
      numbers.push_back(n);
    }
    rule["requests"] = numbers;
    faults.push_back(rule);
  }
  base["faults"] = faults;
  auto scenario = mock::ParseScenario(DumpJson(base), "base.json+faults");
  EXPECT_TRUE(scenario.ok()) << scenario.error().message;
  return scenario.ok() ? *scenario : mock::Scenario();
}

// Every number of a JSON value rounded to 1e-9 (costs summed in another order compare
// equal) and every "latency_ms" removed (a retried call takes longer).
void Normalize(Json& value) {
  if (value.is_number_float()) {
    value = std::round(value.get<double>() * 1e9) / 1e9;
  } else if (value.is_structured()) {
    if (value.is_object()) value.erase("latency_ms");
    for (auto& item : value) Normalize(item);
  }
}

// Relative paths of every file named `name` under `root`, sorted.
std::vector<std::string> FilesNamed(const fs::path& root, const std::string& name) {
  std::vector<std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().filename() == name) {
      found.push_back(fs::relative(entry.path(), root).string());
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

// What a train + eval leaves that must not depend on faults (times and latencies aside).
struct RunResult {
  std::map<std::string, std::string> final_skill;
  Json training;                           // training_results.json without seconds
  Json eval_summary;                       // without seconds and the absolute skills_dir
  std::map<std::string, Json> eval_tasks;  // eval/<task>/assessment.json by task
  std::vector<std::string> trajectories;   // every trajectory.json, by relative path
  std::vector<std::string> ledger_calls;   // "stage role iteration task" per ledger row
  int64_t ledger_retries = 0;              // sum over rows of attempts - 1
  int64_t ledger_errors = 0;               // rows of calls that failed in the end
  int64_t requests = 0;                    // requests the mock received
  std::map<std::string, int64_t> faults;   // injected, by kind
  std::map<int, int64_t> by_status;        // HTTP statuses the mock sent
};

RunResult TrainAndEval(mock::MockServer& mock, const fs::path& work) {
  const fs::path results = work / "results";
  RunResult r;
  Outcome train = RunSkillgrad(mock, work, WithLlmFlags(TrainArgs(results)));
  EXPECT_EQ(train.exit_code, 0) << train.output;
  Outcome eval = RunSkillgrad(mock, work, WithLlmFlags(EvalArgs(results, kRunId)));
  EXPECT_EQ(eval.exit_code, 0) << eval.output;
  EXPECT_TRUE(WaitUntilIdle(mock));
  const fs::path run = results / kRun;

  r.final_skill = TreeContents(run / "train/final_skill");
  r.training = TrainingWithoutTimes(ReadJson(run / "train/training_results.json"));
  Normalize(r.training);
  r.eval_summary = WithoutTimes(ReadJson(run / "eval/summary.json"));
  r.eval_summary.erase("skills_dir");
  Normalize(r.eval_summary);
  for (const auto& rel : FilesNamed(run / "eval", "assessment.json")) {
    Json a = ReadJson(run / "eval" / rel);
    r.eval_tasks[fs::path(rel).parent_path().string()] = a;
  }
  r.trajectories = FilesNamed(results, "trajectory.json");

  for (const Json& row : JsonLines(run / "ledger.jsonl")) {
    r.ledger_calls.push_back(fmt::format("{} {} {} {}", row.value("stage", ""),
                                         row.value("role", ""), row.value("iteration", 0),
                                         row.value("task", "")));
    r.ledger_retries += std::max(0, row.value("attempts", 0) - 1);
    if (row.contains("error")) ++r.ledger_errors;
  }
  std::sort(r.ledger_calls.begin(), r.ledger_calls.end());
  mock::MockCounters counters = mock.counters();
  r.requests = counters.requests;
  r.faults = counters.faults;
  r.by_status = counters.by_status;
  EXPECT_EQ(counters.unmatched, 0);
  return r;
}

// The task ids of a list of objects with a "task_id", checking that none comes twice.
std::vector<std::string> TaskIds(const Json& list) {
  std::vector<std::string> ids;
  for (const auto& item : list) ids.push_back(item.value("task_id", ""));
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end()) << list.dump();
  return ids;
}

TEST(E2eFaults, OneRequestInFiveFailingGivesTheFaultFreeResult) {
  const auto started = std::chrono::steady_clock::now();
  RunResult want;
  {
    testing::TempDir work;
    auto mock = StartMock();
    ASSERT_NE(mock, nullptr);
    want = TrainAndEval(*mock, work.path());
    ASSERT_FALSE(HasFailure());
    EXPECT_TRUE(want.faults.empty());
    EXPECT_EQ(want.ledger_retries, 0);
    EXPECT_EQ(static_cast<int64_t>(want.ledger_calls.size()), want.requests);
  }
  const double reference_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  testing::TempDir work;
  auto mock = StartMockPlaying(FaultedScenario());
  ASSERT_NE(mock, nullptr);
  RunResult got = TrainAndEval(*mock, work.path());
  const double total_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  // The schedule: every fifth request failed, every kind of fault at least once.
  int64_t injected = 0;
  for (const auto& [kind, n] : got.faults) injected += n;
  EXPECT_EQ(injected, got.requests / kFaultEvery);
  for (const char* kind : {"rate_limit", "http_error", "reset", "stall", "malformed", "truncate"}) {
    EXPECT_GE(got.faults[kind], 1) << kind;
  }
  for (int status : {429, 500, 502, 503}) EXPECT_GE(got.by_status[status], 1) << status;

  // The ledger: one row per logical call, as many as without faults and for the same
  // calls; the retries it counts are the faults the mock injected.
  EXPECT_EQ(got.ledger_calls, want.ledger_calls);
  EXPECT_EQ(got.ledger_retries, injected);
  EXPECT_EQ(got.ledger_errors, 0);
  EXPECT_EQ(got.requests, want.requests + injected);

  // The results.
  EXPECT_EQ(got.final_skill, want.final_skill);
  EXPECT_EQ(got.training, want.training);
  EXPECT_EQ(got.eval_summary, want.eval_summary);
  EXPECT_EQ(got.eval_tasks, want.eval_tasks);
  EXPECT_EQ(got.trajectories, want.trajectories);

  // No task lost or run twice: each iteration's outcomes and the eval's tasks are the
  // reference's, each once.
  ASSERT_EQ(got.training.size(), want.training.size());
  for (size_t i = 0; i < got.training.size(); ++i) {
    EXPECT_EQ(TaskIds(got.training[i]["outcomes"]), TaskIds(want.training[i]["outcomes"]));
  }
  EXPECT_EQ(TaskIds(got.eval_summary["per_task"]), TaskIds(want.eval_summary["per_task"]));

  std::string kinds;
  for (const auto& [kind, n] : got.faults) kinds += fmt::format(" {}={}", kind, n);
  std::printf(
      "faults: %lld of %lld requests failed (%s); ledger: %zu calls, %lld retries; "
      "reference run %.1f s, faulted run %.1f s\n",
      static_cast<long long>(injected), static_cast<long long>(got.requests), kinds.c_str(),
      got.ledger_calls.size(), static_cast<long long>(got.ledger_retries), reference_s,
      total_s - reference_s);
}

}  // namespace
}  // namespace sg::e2e
