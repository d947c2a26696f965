#include <gtest/gtest.h>

#include "core/file_util.h"
#include "core/testing.h"
#include "tasks/benchmark.h"
#include "tasks/external_process.h"

namespace sg::tasks {
namespace {

namespace fs = std::filesystem;

fs::path Example() { return testing::SourceDir() / "examples/external-benchmark"; }

// The worked example of docs/benchmarks.md, run for real.
TEST(ExternalBenchmark, WorkedExampleGradesRightWrongAndMissingOutputs) {
  auto bench = OpenExternalBenchmark(Example());
  ASSERT_TRUE(bench.ok()) << bench.error().ToString();
  EXPECT_EQ((*bench)->name(), "text-chores");
  ASSERT_EQ((*bench)->tasks().size(), 3u);
  const Task* sum = (*bench)->FindTask("sum-1");
  ASSERT_NE(sum, nullptr);

  testing::TempDir ws;
  auto prompt = (*bench)->PrepareWorkspace(*sum, ws.path());
  ASSERT_TRUE(prompt.ok()) << prompt.error().ToString();
  EXPECT_FALSE(prompt->offers_submit_answer);
  EXPECT_NE(prompt->text.find("numbers.txt"), std::string::npos);
  EXPECT_TRUE(fs::exists(ws.path() / "numbers.txt"));

  auto missing = (*bench)->Grade(*sum, ws.path(), Json());
  ASSERT_TRUE(missing.ok()) << missing.error().ToString();
  EXPECT_FALSE(missing->pass);
  EXPECT_EQ(missing->details["error"], "answer.txt was not written");

  ASSERT_TRUE(WriteFileAtomic(ws.path() / "answer.txt", "14\n").ok());
  auto wrong = (*bench)->Grade(*sum, ws.path(), Json());
  ASSERT_TRUE(wrong.ok());
  EXPECT_FALSE(wrong->pass);
  EXPECT_EQ(wrong->details["actual"], "14");

  ASSERT_TRUE(WriteFileAtomic(ws.path() / "answer.txt", "15\n").ok());
  auto right = (*bench)->Grade(*sum, ws.path(), Json());
  ASSERT_TRUE(right.ok());
  EXPECT_TRUE(right->pass);
  EXPECT_EQ(right->score, 1.0);

  const Task* count = (*bench)->FindTask("count-3");
  ASSERT_NE(count, nullptr);
  testing::TempDir ws2;
  ASSERT_TRUE((*bench)->PrepareWorkspace(*count, ws2.path()).ok());
  EXPECT_TRUE(fs::exists(ws2.path() / "poem.txt"));  // {"source", "target"} form
}

// A benchmark folder written by the test: grader script given as a shell one-liner.
fs::path MakeBenchmark(const fs::path& dir, const std::string& grader_script, double timeout = 30) {
  Json config = {{"grader", {"sh", "-c", grader_script}}, {"timeout_seconds", timeout}};
  EXPECT_TRUE(WriteFileAtomic(dir / "benchmark.json", config.dump()).ok());
  EXPECT_TRUE(
      WriteFileAtomic(dir / "tasks.jsonl", "{\"id\": 7, \"prompt\": \"do it\", \"answer\": 42}\n")
          .ok());
  return dir;
}

TEST(ExternalBenchmark, GraderSeesTheTaskAndTheSubmittedAnswer) {
  testing::TempDir dir;
  // Echo back whether the answer field equals the task's: the grader reads stdin.
  MakeBenchmark(dir.path(),
                "python3 -c 'import json,sys; r=json.load(sys.stdin); "
                "print(json.dumps({\"pass\": r[\"output\"][\"answer\"] == r[\"task\"][\"answer\"], "
                "\"score\": 0.5, \"details\": {\"id\": r[\"task\"][\"id\"]}}))'");
  auto bench = OpenExternalBenchmark(dir.path());
  ASSERT_TRUE(bench.ok()) << bench.error().ToString();
  const Task& task = (*bench)->tasks()[0];
  EXPECT_EQ(task.id, "7");
  testing::TempDir ws;
  auto verdict = (*bench)->Grade(task, ws.path(), Json(42));
  ASSERT_TRUE(verdict.ok()) << verdict.error().ToString();
  EXPECT_TRUE(verdict->pass);
  EXPECT_EQ(verdict->score, 0.5);
  EXPECT_EQ(verdict->details["id"], 7);
}

TEST(ExternalBenchmark, BadVerdictsAreClearErrors) {
  struct Case {
    const char* script;
    const char* message;
  };
  for (const Case& c :
       {Case{"echo hello", "last line is not JSON"},
        Case{"echo '{\"score\": 1}'", "no boolean \"pass\""},
        Case{"echo '{\"pass\": true, \"score\": 3}'", "must be a number in [0, 1]"},
        Case{"true", "printed nothing"}, Case{"echo oops >&2; exit 3", "status 3"}}) {
    testing::TempDir dir;
    MakeBenchmark(dir.path(), c.script);
    auto bench = OpenExternalBenchmark(dir.path());
    ASSERT_TRUE(bench.ok());
    testing::TempDir ws;
    auto verdict = (*bench)->Grade((*bench)->tasks()[0], ws.path(), Json());
    ASSERT_FALSE(verdict.ok()) << c.script;
    EXPECT_NE(verdict.error().message.find(c.message), std::string::npos)
        << verdict.error().message;
    EXPECT_NE(verdict.error().message.find("task 7"), std::string::npos);
  }
}

TEST(ExternalBenchmark, HangingGraderIsKilledWithItsChildren) {
  testing::TempDir dir;
  fs::path marker = dir.path() / "child_still_running";
  // The grader starts a background child that would write the marker later, then hangs.
  MakeBenchmark(dir.path(), "(sleep 3; touch " + marker.string() + ") & sleep 60", 0.5);
  auto bench = OpenExternalBenchmark(dir.path());
  ASSERT_TRUE(bench.ok());
  testing::TempDir ws;
  auto verdict = (*bench)->Grade((*bench)->tasks()[0], ws.path(), Json());
  ASSERT_FALSE(verdict.ok());
  EXPECT_EQ(verdict.error().code, ErrorCode::kTimeout);
  EXPECT_NE(verdict.error().message.find("timeout_seconds"), std::string::npos);
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  EXPECT_FALSE(fs::exists(marker)) << "the grader's process group outlived the timeout";
}

TEST(ExternalBenchmark, BadFoldersAreClearErrors) {
  testing::TempDir dir;
  auto none = OpenExternalBenchmark(dir.path());
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("benchmark.json"), std::string::npos);

  ASSERT_TRUE(WriteFileAtomic(dir.path() / "benchmark.json", "{\"grader\": \"grade.py\"}").ok());
  auto bad_grader = OpenExternalBenchmark(dir.path());
  ASSERT_FALSE(bad_grader.ok());
  EXPECT_NE(bad_grader.error().message.find("\"grader\""), std::string::npos);

  ASSERT_TRUE(WriteFileAtomic(dir.path() / "benchmark.json", "{\"grader\": [\"true\"]}").ok());
  ASSERT_TRUE(WriteFileAtomic(dir.path() / "tasks.jsonl",
                              "{\"id\": \"a\", \"prompt\": \"p\", \"input_files\": "
                              "[\"../secret\"]}\n")
                  .ok());
  auto escape = OpenExternalBenchmark(dir.path());
  ASSERT_FALSE(escape.ok());
  EXPECT_NE(escape.error().message.find("tasks.jsonl:1"), std::string::npos);

  ASSERT_TRUE(WriteFileAtomic(dir.path() / "tasks.jsonl",
                              "{\"id\": \"a\", \"prompt\": \"p\"}\n{\"id\": \"a\", \"prompt\": "
                              "\"q\"}\n")
                  .ok());
  auto dup = OpenExternalBenchmark(dir.path());
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.error().message.find("tasks.jsonl:2"), std::string::npos);
}

// An input file that is a link to a host file, or lies under a linked folder, is refused
// when the workspace is prepared; the host file's content never reaches the workspace.
TEST(ExternalBenchmark, SymlinkedInputFilesAreRefused) {
  testing::TempDir dir;
  const fs::path root = dir.path() / "bench";
  const fs::path host = dir.path() / "host";
  ASSERT_TRUE(WriteFileAtomic(host / "secret.txt", "HOST-SECRET\n").ok());
  ASSERT_TRUE(WriteFileAtomic(root / "benchmark.json", "{\"grader\": [\"true\"]}").ok());
  ASSERT_TRUE(WriteFileAtomic(root / "inputs" / "plain.txt", "plain\n").ok());
  fs::create_symlink(host / "secret.txt", root / "inputs" / "link.txt");
  fs::create_directory_symlink(host, root / "linked");
  ASSERT_TRUE(
      WriteFileAtomic(root / "tasks.jsonl",
                      "{\"id\": \"file-link\", \"prompt\": \"p\", \"input_files\": "
                      "[\"inputs/plain.txt\", \"inputs/link.txt\"]}\n"
                      "{\"id\": \"folder-link\", \"prompt\": \"p\", \"input_files\": "
                      "[{\"source\": \"linked/secret.txt\", \"target\": \"data/s.txt\"}]}\n")
          .ok());
  auto bench = OpenExternalBenchmark(root);
  ASSERT_TRUE(bench.ok()) << bench.error().ToString();
  for (auto [id, file] : {std::pair<std::string, std::string>{"file-link", "inputs/link.txt"},
                          {"folder-link", "linked/secret.txt"}}) {
    SCOPED_TRACE(id);
    const Task* task = (*bench)->FindTask(id);
    ASSERT_NE(task, nullptr);
    testing::TempDir ws;
    auto prompt = (*bench)->PrepareWorkspace(*task, ws.path());
    ASSERT_FALSE(prompt.ok());
    const std::string& message = prompt.error().message;
    EXPECT_EQ(prompt.error().code, ErrorCode::kPermission) << message;
    EXPECT_NE(message.find("task " + id), std::string::npos) << message;
    EXPECT_NE(message.find(file), std::string::npos) << message;
    EXPECT_NE(message.find("benchmark data must be regular files inside the data directory"),
              std::string::npos)
        << message;
    EXPECT_FALSE(testing::AnyFileHolds(ws.path(), "HOST-SECRET"));
  }
}

TEST(ExternalProcess, MissingProgramIsNotFound) {
  auto run = RunProcess({"/nonexistent/grader"}, fs::current_path(), "", std::chrono::seconds(5));
  ASSERT_FALSE(run.ok());
  EXPECT_NE(run.error().message.find("/nonexistent/grader"), std::string::npos);
}

TEST(ExternalProcess, AGraderThatIgnoresStdinDoesNotKillTheCaller) {
  std::string big(3 << 20, 'x');  // far more than a pipe buffer
  auto run = RunProcess({"true"}, fs::current_path(), big, std::chrono::seconds(30));
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->exit_code, 0);
}

TEST(ExternalProcess, LargeStdinAndStdoutDoNotDeadlock) {
  std::string big(3 << 20, 'x');
  auto run = RunProcess({"cat"}, fs::current_path(), big, std::chrono::seconds(30));
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->exit_code, 0);
  EXPECT_EQ(run->stdout_text.size(), big.size());
}

}  // namespace
}  // namespace sg::tasks
