// A full disk and a read-only results root, end to end. The binary runs inside
// `unshare -Urm` (its own user and mount namespace; the network namespace is shared, so the
// mock in this process stays reachable over loopback) with the results root on a small tmpfs
// or a read-only bind mount made by the test. The mounts vanish with the namespace, so one
// shell script runs every step that needs them and copies the results root out for the test
// to inspect. Where the machine does not allow the namespace, the tests skip and say why.
#include <fstream>

#include "tests/e2e/e2e_launch.h"

namespace sg::e2e {
namespace {

const fs::path kRun = fs::path("runs") / kRunId;

// The tmpfs sizes: a train of the mini benchmark writes about 340 KiB by the end of collect
// and 920 KiB by its end (cache.sqlite ~450 KiB, trajectories, skills, snapshots), so 700 KiB
// fills up during the first training iteration, after collect; 8 MiB holds the whole run.
constexpr const char* kSmall = "700k";
constexpr const char* kBig = "8m";

// The full-disk steps: a train on the small tmpfs, a copy of what it left, the tmpfs grown,
// the same train with --resume, a copy of the result. "$@" is the binary and its arguments.
constexpr const char* kFullDiskScript = R"(
set -u
mount -t tmpfs -o size="$SG_SMALL" none "$SG_ROOT" || { echo "mount failed"; exit 90; }
timeout -s KILL 300 "$@" > "$SG_OUT/full.log" 2>&1; echo $? > "$SG_OUT/full.rc"
df -k "$SG_ROOT" > "$SG_OUT/full.df"
cp -a "$SG_ROOT" "$SG_OUT/after-full"
mount -o remount,size="$SG_BIG" "$SG_ROOT" || { echo "remount failed"; exit 91; }
timeout -s KILL 300 "$@" --resume > "$SG_OUT/resume.log" 2>&1; echo $? > "$SG_OUT/resume.rc"
df -k "$SG_ROOT" > "$SG_OUT/resume.df"
cp -a "$SG_ROOT" "$SG_OUT/after-resume"
)";

// The results root bind-mounted read-only onto itself for one run.
constexpr const char* kReadOnlyScript = R"(
set -u
mount --bind "$SG_ROOT" "$SG_ROOT" && mount -o remount,bind,ro "$SG_ROOT" || exit 90
exec "$@"
)";

// Root needs only a mount namespace of its own (a user namespace would map no unprivileged
// uid for the sandbox to drop agent code to); anyone else maps themselves to uid 0 in one.
std::vector<std::string> Namespaced(const char* script, const char* name) {
  if (geteuid() == 0)
    return {"unshare", "-m", "--propagation", "private", "sh", "-c", script, name};
  return {"unshare", "-Urm", "sh", "-c", script, name};
}

std::string Trimmed(const std::string& s) {
  size_t end = s.find_last_not_of(" \n");
  return end == std::string::npos ? "" : s.substr(0, end + 1);
}

// Every *.json under `root` parses; every line of every *.jsonl parses. Returns the count.
int ExpectReadableArtifacts(const fs::path& root) {
  int files = 0;
  for (const auto& [rel, content] : TreeContents(root)) {
    const std::string ext = fs::path(rel).extension().string();
    EXPECT_EQ(rel.find(".tmp-"), std::string::npos) << "temporary file left: " << rel;
    EXPECT_EQ(rel.find(".partial"), std::string::npos) << "half copy left: " << rel;
    if (ext == ".json") {
      ++files;
      EXPECT_TRUE(ParseJson(content, rel).ok()) << rel << " does not parse:\n" << content;
    } else if (ext == ".jsonl") {
      ++files;
      size_t at = 0;
      while (at < content.size()) {
        size_t end = content.find('\n', at);
        EXPECT_NE(end, std::string::npos) << rel << " ends with an unterminated line";
        if (end == std::string::npos) break;
        EXPECT_TRUE(ParseJson(std::string_view(content).substr(at, end - at), rel).ok())
            << rel << ": a damaged line at byte " << at;
        at = end + 1;
      }
    }
  }
  return files;
}

// training_results.json without wall-clock figures and costs (a call answered but not yet
// recorded when the disk filled is paid again on resume).
Json Outcomes(const fs::path& results) {
  return TrainingWithoutTimesOrCosts(ReadJson(results / kRun / "train/training_results.json"));
}

TEST(E2eDisk, FullDiskStopsWithAClearErrorAndResumesToTheSameResult) {
  testing::TempDir work;
  if (std::string why = CannotMountTmpfs(work.path() / "probe"); !why.empty()) GTEST_SKIP() << why;
  auto mock = StartMock();
  ASSERT_NE(mock, nullptr);

  // The reference: the same train on an ordinary disk.
  const fs::path reference = work.path() / "reference";
  Outcome ref = RunSkillgrad(*mock, work.path(), TrainArgs(reference));
  ASSERT_EQ(ref.exit_code, 0) << ref.output;

  const fs::path root = work.path() / "results";
  const fs::path out = work.path() / "out";
  fs::create_directories(root);
  fs::create_directories(out);
  LaunchSpec spec;
  spec.work_dir = work.path();
  spec.output = out / "wrapper.log";
  spec.wrapper = Namespaced(kFullDiskScript, "sg-full-disk");
  spec.env = {"OPENAI_BASE_URL=" + mock->base_url() + "/v1",
              "OPENAI_API_KEY=sk-e2e-dummy-key",
              "SG_ROOT=" + root.string(),
              "SG_OUT=" + out.string(),
              std::string("SG_SMALL=") + kSmall,
              std::string("SG_BIG=") + kBig};
  spec.timeout = std::chrono::seconds(900);
  const auto start = std::chrono::steady_clock::now();
  LaunchOutcome wrapped = Launch(spec, TrainArgs(root));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_FALSE(wrapped.timed_out);
  ASSERT_EQ(wrapped.exit_code, 0) << wrapped.output;

  // The run on the full disk: exit 1 (not a signal: timeout's kill gives 137), and a message
  // naming what could not be written, why, and what to do.
  const std::string full = ReadText(out / "full.log");
  EXPECT_EQ(Trimmed(ReadText(out / "full.rc")), "1") << full;
  EXPECT_NE(full.find("No space left on device"), std::string::npos) << full;
  EXPECT_NE(full.find("error: "), std::string::npos) << full;
  const size_t error_at = full.rfind("error: ");
  const std::string message = error_at == std::string::npos ? "" : full.substr(error_at);
  EXPECT_NE(message.find(root.string() + "/"), std::string::npos) << message;
  EXPECT_NE(message.find("No space left on device"), std::string::npos) << message;
  EXPECT_NE(message.find("free space on the disk holding " + root.string()), std::string::npos)
      << message;
  EXPECT_NE(message.find("--resume"), std::string::npos) << message;
  EXPECT_EQ(full.find("LOG ERROR"), std::string::npos) << full;  // spdlog's raw complaint

  // What the full disk left is readable: no half-written artifact.
  const fs::path after_full = out / "after-full";
  EXPECT_GT(ExpectReadableArtifacts(after_full), 0);
  EXPECT_FALSE(fs::exists(after_full / kRun / "train/final_skill"));
  Json state = ReadJson(after_full / kRun / "train/state.json");
  // The run filled the disk after collect (its base trajectories are complete).
  EXPECT_TRUE(fs::exists(after_full / "base_trajectories")) << full;

  // Grown, the same command with --resume finishes with the reference's result.
  const std::string resumed = ReadText(out / "resume.log");
  EXPECT_EQ(Trimmed(ReadText(out / "resume.rc")), "0") << resumed;
  EXPECT_NE(resumed.find("status: completed"), std::string::npos) << resumed;
  const fs::path after = out / "after-resume";
  ExpectReadableArtifacts(after);
  EXPECT_EQ(TreeContents(after / kRun / "train/final_skill"),
            TreeContents(reference / kRun / "train/final_skill"));
  EXPECT_EQ(ReadText(after / kRun / "train/final_skill/table-qa/SKILL.md"),
            ReadText(Expected("SKILL.v2.md")));
  EXPECT_EQ(Outcomes(after), Outcomes(reference));

  // Figures for docs/RELIABILITY.md.
  std::cout << "[figures] tmpfs " << kSmall << " then " << kBig
            << "; full disk at: " << state.dump()
            << "\n[figures] df at the stop: " << ReadText(out / "full.df")
            << "[figures] df after resume: " << ReadText(out / "resume.df")
            << "[figures] message: " << message << "[figures] wall time of both runs: " << seconds
            << " s\n";
}

TEST(E2eDisk, ReadOnlyResultsRootIsRefusedBeforeAnyCallThenRunsOnceWritable) {
  testing::TempDir work;
  if (std::string why = CannotMountTmpfs(work.path() / "probe"); !why.empty()) GTEST_SKIP() << why;
  auto mock = StartMock();
  ASSERT_NE(mock, nullptr);
  const fs::path root = work.path() / "results";
  fs::create_directories(root);

  LaunchSpec spec;
  spec.work_dir = work.path();
  spec.output = work.path() / "read-only.log";
  spec.wrapper = Namespaced(kReadOnlyScript, "sg-read-only");
  spec.env = {"OPENAI_BASE_URL=" + mock->base_url() + "/v1", "OPENAI_API_KEY=sk-e2e-dummy-key",
              "SG_ROOT=" + root.string()};
  for (const auto& args : {TrainArgs(root), EvalArgs(root, "")}) {
    SCOPED_TRACE(args.front());
    LaunchOutcome refused = Launch(spec, args);
    ASSERT_FALSE(refused.timed_out);
    EXPECT_EQ(refused.exit_code, 1) << refused.output;
    EXPECT_NE(refused.output.find("the results root " + root.string() +
                                  " is not writable (Read-only file system)"),
              std::string::npos)
        << refused.output;
    EXPECT_NE(refused.output.find("no LLM call was made"), std::string::npos) << refused.output;
    EXPECT_NE(refused.output.find("remount it read-write"), std::string::npos) << refused.output;
    EXPECT_EQ(mock->counters().requests, 0);
    std::cout << "[figures] " << args.front()
              << " on a read-only root: " << refused.output.substr(refused.output.rfind("error: "))
              << "\n";
  }
  EXPECT_TRUE(TreeContents(root).empty());

  // Writable again (outside the namespace the bind mount does not exist): the run proceeds.
  Outcome train = RunSkillgrad(*mock, work.path(), TrainArgs(root));
  ASSERT_EQ(train.exit_code, 0) << train.output;
  EXPECT_EQ(ReadText(root / kRun / "train/final_skill/table-qa/SKILL.md"),
            ReadText(Expected("SKILL.v2.md")));
}

}  // namespace
}  // namespace sg::e2e
