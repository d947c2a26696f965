// Bad inputs to collect, train and eval: each is a clear error, naming the flag or file at
// fault, before any LLM call (the mock receives no request) and without a crash.
#include "tests/e2e/e2e_harness.h"

namespace sg::e2e {
namespace {

// Replaces the value of `flag` in `args` (or appends the flag).
std::vector<std::string> WithFlag(std::vector<std::string> args, const std::string& flag,
                                  const std::string& value) {
  for (size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == flag) {
      args[i + 1] = value;
      return args;
    }
  }
  args.push_back(flag);
  args.push_back(value);
  return args;
}

void ExpectCleanError(const Outcome& outcome, const std::vector<std::string>& mentions,
                      const mock::MockServer& mock) {
  EXPECT_NE(outcome.exit_code, 0) << outcome.output;
  EXPECT_NE(outcome.exit_code, -1) << "killed by a signal: " << outcome.output;
  for (const auto& m : mentions) {
    EXPECT_NE(outcome.output.find(m), std::string::npos)
        << "the error does not mention '" << m << "':\n"
        << outcome.output;
  }
  EXPECT_EQ(mock.counters().requests, 0) << outcome.output;
}

class E2eBadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    mock_ = StartMock();
    ASSERT_NE(mock_, nullptr);
    results_ = work_.path() / "results";
  }
  testing::TempDir work_;
  std::unique_ptr<mock::MockServer> mock_;
  fs::path results_;
};

TEST_F(E2eBadInput, NoSeedSkillFolder) {
  const std::string missing = (work_.path() / "no-such-skills").string();
  for (const char* command : {"collect", "train"}) {
    SCOPED_TRACE(command);
    std::vector<std::string> args = TrainArgs(results_);
    args[0] = command;
    if (std::string(command) == "collect") args.resize(args.size() - 4);  // no --batch-size...
    ExpectCleanError(RunSkillgrad(*mock_, work_.path(), WithFlag(args, "--skills-dir", missing)),
                     {"--skills-dir", missing}, *mock_);
  }
  EXPECT_FALSE(fs::exists(results_ / "runs"));
}

TEST_F(E2eBadInput, SeedSkillWithoutFrontmatter) {
  const fs::path skills = work_.path() / "skills";
  fs::create_directories(skills / "table-qa");
  ASSERT_TRUE(WriteFileAtomic(skills / "table-qa/SKILL.md",
                              "# Table QA\n\nAnswer questions about tables.\n\n"
                              "## Common Pitfalls\n\n- Guessing.\n")
                  .ok());
  ExpectCleanError(RunSkillgrad(*mock_, work_.path(),
                                WithFlag(TrainArgs(results_), "--skills-dir", skills.string())),
                   {"frontmatter", "SKILL.md"}, *mock_);
  EXPECT_FALSE(fs::exists(results_ / "runs"));
}

TEST_F(E2eBadInput, DataDirectoryThatIsNotABenchmark) {
  const fs::path not_bench = work_.path() / "not-a-benchmark";
  fs::create_directories(not_bench / "stuff");
  ASSERT_TRUE(WriteFileAtomic(not_bench / "stuff/readme.txt", "hello\n").ok());
  for (const char* command : {"train", "eval"}) {
    SCOPED_TRACE(command);
    std::vector<std::string> args = WithFlag(TrainArgs(results_), "--data-dir", not_bench.string());
    if (std::string(command) == "eval")
      args = WithFlag(EvalArgs(results_, ""), "--data-dir", not_bench.string());
    ExpectCleanError(RunSkillgrad(*mock_, work_.path(), args), {not_bench.string(), "data/"},
                     *mock_);
  }
}

TEST_F(E2eBadInput, SplitAskingForMoreTasksThanExist) {
  ExpectCleanError(
      RunSkillgrad(*mock_, work_.path(), WithFlag(TrainArgs(results_), "--n-test", "1000")),
      {"--n-test", "1000"}, *mock_);
  ExpectCleanError(
      RunSkillgrad(*mock_, work_.path(), WithFlag(EvalArgs(results_, ""), "--n-test", "1000")),
      {"--n-test", "1000"}, *mock_);
}

TEST_F(E2eBadInput, ExecRefusesToWipeAFolderThatIsNotATaskRun) {
  const fs::path out = work_.path() / "my-notes";
  fs::create_directories(out);
  ASSERT_TRUE(WriteFileAtomic(out / "keep.txt", "precious\n").ok());
  std::vector<std::string> args = CommonArgs(results_);
  args.insert(args.begin(), "exec");
  for (const char* a : {"--task", "nu-0", "--out"}) args.push_back(a);
  args.push_back(out.string());
  ExpectCleanError(RunSkillgrad(*mock_, work_.path(), args), {"--out", out.string()}, *mock_);
  EXPECT_EQ(ReadText(out / "keep.txt"), "precious\n");
}

}  // namespace
}  // namespace sg::e2e
