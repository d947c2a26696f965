// A crash loop: one train + eval run SIGKILLed at ten random moments, each kill followed by
// a rerun (`train --resume`, or the same `eval`) of the same results root. After every kill
// each artifact is whole (every .json parses, every .jsonl line parses but a torn last one);
// after the last rerun no torn line and no temporary file is left, and the final skill, the
// training results and the eval summary are those of an uninterrupted run.
//
// A moment is a number of requests the mock has received plus 0-30 ms: one moment drawn in
// each tenth of the run's span of requests, so the kills spread
// over collect, execute, diagnose, momentum, patch and eval. Any moment must give the same
// result, so the test does not depend on when exactly the kill lands. The moments come from
// a seeded std::mt19937: SKILLGRAD_CRASH_SEED=<n> replays a failure's seed (printed).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <random>

#include "tests/e2e/e2e_harness.h"

namespace sg::e2e {
namespace {

const fs::path kRun = fs::path("runs") / kRunId;
constexpr uint32_t kDefaultSeed = 20261122;

uint32_t CrashSeed() {
  const char* env = std::getenv("SKILLGRAD_CRASH_SEED");
  return env && *env ? static_cast<uint32_t>(std::strtoul(env, nullptr, 10)) : kDefaultSeed;
}

// The run's progress: requests the mock received. A rerun replays the calls its killed
// predecessor had finished from the response cache, without a request, so the count grows
// only with new work (the one call a kill cut off in flight is sent again).
int64_t Progress(const mock::MockServer& mock) { return mock.counters().requests; }

bool IsTempName(const std::string& name) {
  return name.find(".tmp-") != std::string::npos || name.ends_with(".partial") ||
         name.find(".old-") != std::string::npos;
}

struct ArtifactCheck {
  int json_files = 0;
  int jsonl_lines = 0;
  int torn_lines = 0;  // a last line without its newline
  std::vector<std::string> temps;
};

// Reads every .json and .jsonl under `root`; parse failures fail the test.
ArtifactCheck CheckArtifacts(const fs::path& root) {
  ArtifactCheck check;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::path& path = it->path();
    const std::string name = path.filename().string();
    if (IsTempName(name)) check.temps.push_back(fs::relative(path, root).string());
    if (!it->is_regular_file() || IsTempName(name)) continue;
    if (path.extension() == ".json") {
      ++check.json_files;
      auto json = ReadJsonFile(path);
      EXPECT_TRUE(json.ok()) << path << ": " << (json.ok() ? "" : json.error().message);
    } else if (path.extension() == ".jsonl") {
      std::string text = ReadText(path);
      size_t at = 0;
      while (at < text.size()) {
        size_t end = text.find('\n', at);
        if (end == std::string::npos) {
          ++check.torn_lines;  // a writer killed mid-line: the reader and resume skip it
          break;
        }
        ++check.jsonl_lines;
        auto line = ParseJson(std::string_view(text).substr(at, end - at), path.string());
        EXPECT_TRUE(line.ok()) << path << " line at byte " << at << ": "
                               << (line.ok() ? "" : line.error().message);
        at = end + 1;
      }
    }
  }
  return check;
}

struct Final {
  std::map<std::string, std::string> final_skill;
  Json training;      // without wall-clock seconds and costs
  Json eval_summary;  // without seconds, cost and the absolute skills_dir
};

// A call answered but not yet recorded when the process was killed is paid again on
// resume, and an eval's cost is its own invocation's: costs and times are left out.
Final ReadFinal(const fs::path& results) {
  Final f;
  f.final_skill = TreeContents(results / kRun / "train/final_skill");
  f.training =
      TrainingWithoutTimesOrCosts(ReadJson(results / kRun / "train/training_results.json"));
  f.eval_summary = WithoutTimes(ReadJson(results / kRun / "eval/summary.json"));
  f.eval_summary.erase("skills_dir");
  f.eval_summary.erase("cost");
  return f;
}

// Where a killed process was: the train checkpoint, or the eval.
std::string WhereKilled(const fs::path& results, bool in_eval) {
  if (in_eval) return "eval";
  auto state = ReadJsonFile(results / kRun / "train/state.json");
  if (!state.ok()) return "collect (no checkpoint yet)";
  return fmt::format("iteration {} after {}", state->value("iteration", 0),
                     state->value("completed_stage", std::string("?")));
}

struct Moment {
  int64_t calls = 0;
  int extra_ms = 0;
};

TEST(E2eCrashLoop, TenRandomKillsEachResumedGiveTheUninterruptedResult) {
  const auto started = std::chrono::steady_clock::now();
  const uint32_t seed = CrashSeed();
  std::printf("crash loop seed %u (SKILLGRAD_CRASH_SEED=%u replays it)\n", seed, seed);

  Final want;
  int64_t span = 0;
  {
    testing::TempDir work;
    auto mock = StartMock();
    ASSERT_NE(mock, nullptr);
    const fs::path results = work.path() / "results";
    Outcome train = RunSkillgrad(*mock, work.path(), TrainArgs(results));
    ASSERT_EQ(train.exit_code, 0) << train.output;
    Outcome eval = RunSkillgrad(*mock, work.path(), EvalArgs(results, kRunId));
    ASSERT_EQ(eval.exit_code, 0) << eval.output;
    want = ReadFinal(results);
    span = Progress(*mock);
    ASSERT_GE(span, 20);
  }
  const double reference_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  std::mt19937 rng(seed);
  std::vector<Moment> moments;
  // Up to 95% of the span: a rerun may find in the cache a reply that the reference run
  // asked for twice (two tasks with the same request in flight at once), so the very last
  // requests of the reference may never be sent again.
  const int64_t reach = span * 95 / 100;
  for (int i = 0; i < 10; ++i) {
    std::uniform_int_distribution<int64_t> calls(reach * i / 10 + 1, reach * (i + 1) / 10);
    std::uniform_int_distribution<int> extra(0, 30);
    Moment m;
    m.calls = calls(rng);
    m.extra_ms = extra(rng);
    moments.push_back(m);
  }

  testing::TempDir work;
  const fs::path results = work.path() / "results";
  auto mock = StartMock();
  ASSERT_NE(mock, nullptr);
  bool started_train = false, train_done = false;
  auto next_args = [&] {
    if (train_done) return EvalArgs(results, kRunId);
    std::vector<std::string> extra;
    if (started_train) extra.push_back("--resume");
    started_train = true;
    return TrainArgs(results, extra);
  };

  int kill_number = 0;
  for (const Moment& moment : moments) {
    ++kill_number;
    SCOPED_TRACE(
        fmt::format("kill {} at {} calls + {} ms", kill_number, moment.calls, moment.extra_ms));
    for (;;) {
      const bool in_eval = train_done;
      Process process(*mock, work.path(), next_args());
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
      bool reached = false;
      while (!process.Exited() && std::chrono::steady_clock::now() < deadline) {
        if (Progress(*mock) >= moment.calls) {
          reached = true;
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
      if (reached) {
        std::this_thread::sleep_for(std::chrono::milliseconds(moment.extra_ms));
        Outcome killed = process.Kill();
        ArtifactCheck check = CheckArtifacts(results);
        std::printf(
            "kill %d at %lld calls + %d ms: %s (exit %d); %d json files, %d jsonl lines, %d "
            "torn, %zu temporary files\n",
            kill_number, static_cast<long long>(moment.calls), moment.extra_ms,
            WhereKilled(results, in_eval).c_str(), killed.exit_code, check.json_files,
            check.jsonl_lines, check.torn_lines, check.temps.size());
        if (killed.exit_code == 0 && !in_eval) train_done = true;  // ended before the signal
        break;
      }
      Outcome ended = process.Wait();
      ASSERT_EQ(ended.exit_code, 0) << ended.output;
      // The moment lies beyond this command: go on with the next one.
      ASSERT_FALSE(in_eval) << "the eval ended before " << moment.calls << " calls";
      train_done = true;
    }
  }

  // The last rerun, to the end.
  if (!train_done) {
    Outcome train = RunSkillgrad(*mock, work.path(), next_args());
    ASSERT_EQ(train.exit_code, 0) << train.output;
  }
  Outcome eval = RunSkillgrad(*mock, work.path(), EvalArgs(results, kRunId));
  ASSERT_EQ(eval.exit_code, 0) << eval.output;

  ArtifactCheck after = CheckArtifacts(results);
  EXPECT_EQ(after.torn_lines, 0);
  EXPECT_TRUE(after.temps.empty()) << fmt::format("{}", fmt::join(after.temps, ", "));
  Final got = ReadFinal(results);
  EXPECT_EQ(got.final_skill, want.final_skill);
  EXPECT_EQ(got.training, want.training);
  EXPECT_EQ(got.eval_summary, want.eval_summary);
  EXPECT_EQ(ReadJson(results / "manifest.json")["runs"][kRunId]["status"], "completed");

  const double total_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("span %lld calls; reference run %.1f s, crash loop %.1f s, %lld requests\n",
              static_cast<long long>(span), reference_s, total_s - reference_s,
              static_cast<long long>(mock->counters().requests));
}

}  // namespace
}  // namespace sg::e2e
