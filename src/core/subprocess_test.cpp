// core/subprocess.h against real processes (/bin/sh, /bin/cat, /usr/bin/env, ...).
#include "core/subprocess.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/child_env.h"
#include "core/testing.h"
#include "core/unique_fd.h"

namespace sg {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

SpawnOptions Shell(const std::string& script) {
  SpawnOptions options;
  options.argv = {"/bin/sh", "-c", script};
  options.env = {"PATH=/usr/bin:/bin"};
  options.stdout_stream = ChildStream::Pipe();
  options.stderr_stream = ChildStream::Pipe();
  return options;
}

// The descriptors this process has open.
std::set<int> OpenFds() {
  std::set<int> fds;
  for (const auto& entry : fs::directory_iterator("/proc/self/fd")) {
    fds.insert(std::stoi(entry.path().filename().string()));
  }
  return fds;
}

// True once `pid` is gone or a zombie (reparented to an init that does not reap).
bool Dead(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  if (!stat) return true;
  std::string line;
  std::getline(stat, line);
  size_t paren = line.rfind(')');
  return paren == std::string::npos || line.substr(paren + 2, 1) == "Z";
}

bool DeadWithin(pid_t pid, milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!Dead(pid)) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return true;
}

TEST(UniqueFd, ClosesOnDestructionAndMovesOwnership) {
  int raw = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(raw, 0);
  {
    UniqueFd a(raw);
    UniqueFd b = std::move(a);
    EXPECT_FALSE(a.valid());
    EXPECT_EQ(b.get(), raw);
    EXPECT_EQ(::fcntl(raw, F_GETFD), FD_CLOEXEC);
  }
  EXPECT_EQ(::fcntl(raw, F_GETFD), -1);
  UniqueFd c(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  int released = c.release();
  EXPECT_FALSE(c.valid());
  EXPECT_EQ(::close(released), 0);
}

TEST(Subprocess, ReportsTheExitCodeAndCapturesBothOutputs) {
  auto run = RunSubprocess(Shell("echo out; echo err >&2; exit 3"));
  ASSERT_TRUE(run.ok()) << run.error().ToString();
  EXPECT_EQ(run->exit_code, 3);
  EXPECT_EQ(run->signal, 0);
  EXPECT_FALSE(run->timed_out);
  EXPECT_EQ(run->stdout_text, "out\n");
  EXPECT_EQ(run->stderr_text, "err\n");
  EXPECT_EQ(run->Describe(), "exit status 3");
}

TEST(Subprocess, StderrCanJoinStdout) {
  SpawnOptions options = Shell("echo one; echo two >&2");
  options.stderr_stream = ChildStream::SameAsStdout();
  auto run = RunSubprocess(options);
  ASSERT_TRUE(run.ok()) << run.error().ToString();
  EXPECT_EQ(run->stdout_text, "one\ntwo\n");
}

TEST(Subprocess, MissingProgramIsNotFoundAndNamesIt) {
  SpawnOptions options;
  options.argv = {"/nonexistent/grader", "x"};
  auto run = RunSubprocess(options);
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.error().code, ErrorCode::kNotFound);
  EXPECT_NE(run.error().message.find("/nonexistent/grader"), std::string::npos);

  options.argv = {"no-such-program-skillgrad"};
  options.search_path = "/usr/bin:/bin";
  run = RunSubprocess(options);
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.error().code, ErrorCode::kNotFound);
  EXPECT_NE(run.error().message.find("no-such-program-skillgrad"), std::string::npos);
}

TEST(Subprocess, NamesLookedUpOnTheSearchPathAndRunInTheWorkingDirectory) {
  testing::TempDir dir;
  SpawnOptions options;
  options.argv = {"pwd"};
  options.search_path = "/nonexistent:/bin:/usr/bin";
  options.cwd = dir.path();
  options.stdout_stream = ChildStream::Pipe();
  auto run = RunSubprocess(options);
  ASSERT_TRUE(run.ok()) << run.error().ToString();
  EXPECT_EQ(run->stdout_text, fs::canonical(dir.path()).string() + "\n");

  options.cwd = dir.path() / "missing";
  run = RunSubprocess(options);
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.error().code, ErrorCode::kNotFound);
  EXPECT_NE(run.error().message.find("missing"), std::string::npos) << run.error().message;
}

TEST(Subprocess, TimeoutKillsTheWholeGroup) {
  // The grandchild would sleep on after its parent: the group kill must reach it.
  SpawnOptions options = Shell("sleep 1000 & echo $!; wait");
  RunOptions run;
  run.timeout = milliseconds(300);
  auto start = std::chrono::steady_clock::now();
  auto result = RunSubprocess(options, run);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_TRUE(result->timed_out);
  EXPECT_EQ(result->signal, SIGKILL);
  EXPECT_EQ(result->Describe(), "timed out and killed");
  pid_t grandchild = std::stoi(result->stdout_text);
  EXPECT_TRUE(DeadWithin(grandchild, std::chrono::seconds(5))) << grandchild;
}

TEST(Subprocess, WhatTheChildLeftInItsGroupIsKilledWhenItEnds) {
  SpawnOptions options = Shell("sleep 1000 > /dev/null 2>&1 & echo $!");
  auto result = RunSubprocess(options);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->exit_code, 0);
  EXPECT_FALSE(result->timed_out);
  EXPECT_TRUE(DeadWithin(std::stoi(result->stdout_text), std::chrono::seconds(5)));
}

TEST(Subprocess, OutputsAreCappedAndTheChildStillFinishes) {
  SpawnOptions options = Shell("head -c 1000000 /dev/zero; head -c 300000 /dev/zero >&2");
  RunOptions run;
  run.stdout_cap = 1000;
  run.stderr_cap = 10;
  run.timeout = std::chrono::seconds(30);
  auto result = RunSubprocess(options, run);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->exit_code, 0);
  EXPECT_EQ(result->stdout_text.size(), 1000u);
  EXPECT_EQ(result->stderr_text.size(), 10u);
  EXPECT_TRUE(result->stdout_truncated);
  EXPECT_TRUE(result->stderr_truncated);
}

TEST(Subprocess, LargeStdinAndStdoutDoNotDeadlock) {
  SpawnOptions options;
  options.argv = {"/bin/cat"};
  options.stdin_stream = ChildStream::Pipe();
  options.stdout_stream = ChildStream::Pipe();
  RunOptions run;
  run.stdin_text = std::string(3 << 20, 'x');
  run.timeout = std::chrono::seconds(30);
  auto result = RunSubprocess(options, run);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->exit_code, 0);
  EXPECT_EQ(result->stdout_text, run.stdin_text);
}

// A SIGPIPE would end the test binary, not fail an expectation.
TEST(Subprocess, WritingToAChildThatExitedEarlyRaisesNoSigpipe) {
  struct sigaction dfl {
  }, old{};
  dfl.sa_handler = SIG_DFL;
  ASSERT_EQ(::sigaction(SIGPIPE, &dfl, &old), 0);
  // The last one closes its stdin and lives on: the write surely meets EPIPE.
  for (const char* script : {"exit 0", "head -c 10 > /dev/null", "exec 0<&-; sleep 0.3"}) {
    SpawnOptions options = Shell(script);
    options.stdin_stream = ChildStream::Pipe();
    RunOptions run;
    run.stdin_text = std::string(4 << 20, 'x');  // far more than a pipe buffer
    run.timeout = std::chrono::seconds(30);
    auto result = RunSubprocess(options, run);
    ASSERT_TRUE(result.ok()) << result.error().ToString();
    EXPECT_EQ(result->exit_code, 0) << script;
  }
  ::sigaction(SIGPIPE, &old, nullptr);
}

// `ls -l /proc/self/fd` of a child spawned while this process holds `marker` open
// without O_CLOEXEC, once through close_range and once through the /proc/self/fd walk.
TEST(Subprocess, OnlyTheListedDescriptorsReachTheChild) {
  testing::TempDir dir;
  fs::path marker = dir.path() / "leaky-descriptor-marker";
  std::ofstream(marker) << "x";
  marker = fs::canonical(marker);
  UniqueFd leaky(::open(marker.c_str(), O_RDONLY));  // no O_CLOEXEC
  ASSERT_TRUE(leaky.valid());
  UniqueFd high(::fcntl(leaky.get(), F_DUPFD, 200));  // no O_CLOEXEC either
  ASSERT_TRUE(high.valid());
  for (bool walk : {false, true}) {
    SCOPED_TRACE(walk ? "/proc/self/fd walk" : "close_range");
    SpawnOptions options = Shell("ls -l /proc/self/fd/");
    options.seams.skip_close_range = walk;
    auto result = RunSubprocess(options);
    ASSERT_TRUE(result.ok()) << result.error().ToString();
    EXPECT_EQ(result->stdout_text.find("leaky-descriptor-marker"), std::string::npos)
        << result->stdout_text;

    options.inherit = {{high.get(), 7}};
    result = RunSubprocess(options);
    ASSERT_TRUE(result.ok()) << result.error().ToString();
    const std::string& out = result->stdout_text;
    EXPECT_NE(out.find(" 7 -> " + marker.string()), std::string::npos) << out;
    EXPECT_EQ(out.find(" 200 -> "), std::string::npos) << out;
  }
}

TEST(Subprocess, InheritedDescriptorsMayTradeNumbers) {
  // The parent's fd A becomes the child's B while its fd B becomes the child's A.
  int a[2], b[2];
  ASSERT_EQ(::pipe(a), 0);
  ASSERT_EQ(::pipe(b), 0);
  UniqueFd a_read(a[0]), a_write(a[1]), b_read(b[0]), b_write(b[1]);
  SpawnOptions options = Shell("echo to-a > /proc/self/fd/" + std::to_string(b_write.get()) +
                               "; echo to-b > /proc/self/fd/" + std::to_string(a_write.get()));
  options.inherit = {{a_write.get(), b_write.get()}, {b_write.get(), a_write.get()}};
  auto result = RunSubprocess(options);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->exit_code, 0) << result->stderr_text;
  a_write.reset();
  b_write.reset();
  char buf[64] = {};
  ASSERT_GT(::read(a_read.get(), buf, sizeof buf - 1), 0);
  EXPECT_STREQ(buf, "to-a\n");
  char buf2[64] = {};
  ASSERT_GT(::read(b_read.get(), buf2, sizeof buf2 - 1), 0);
  EXPECT_STREQ(buf2, "to-b\n");
}

TEST(Subprocess, TheEnvironmentIsExactlyTheGivenOne) {
  ::setenv("SKILLGRAD_SUBPROCESS_TEST_LEAK", "parent-only", 1);
  SpawnOptions options;
  options.argv = {"/usr/bin/env"};
  options.env = {"A=1", "B=two words"};
  options.stdout_stream = ChildStream::Pipe();
  auto result = RunSubprocess(options);
  ::unsetenv("SKILLGRAD_SUBPROCESS_TEST_LEAK");
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->stdout_text, "A=1\nB=two words\n");
}

TEST(Subprocess, AScrubbedHostEnvironmentHoldsNoSecrets) {
  ::setenv("OPENAI_API_KEY", "sk-subprocess-test-secret", 1);
  ::setenv("MY_SERVICE_TOKEN", "tok-subprocess-test-secret", 1);
  std::vector<std::string> env = ScrubbedHostEnvironment("/tmp/h", "/tmp/t");
  ::unsetenv("OPENAI_API_KEY");
  ::unsetenv("MY_SERVICE_TOKEN");
  for (const std::string& entry : env) {
    EXPECT_EQ(entry.find("subprocess-test-secret"), std::string::npos) << entry;
  }
  EXPECT_NE(std::find(env.begin(), env.end(), "HOME=/tmp/h"), env.end());
  EXPECT_NE(std::find(env.begin(), env.end(), "TMPDIR=/tmp/t"), env.end());
  EXPECT_NE(std::find(env.begin(), env.end(), std::string("PATH=") + std::getenv("PATH")),
            env.end());
}

pid_t FailingFork() {
  errno = EAGAIN;
  return -1;
}

TEST(Subprocess, AFailedForkLeaksNoDescriptor) {
  testing::TempDir dir;
  UniqueFd extra(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  UniqueFd out(::open((dir.path() / "out").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
  ASSERT_TRUE(extra.valid() && out.valid());
  const std::set<int> before = OpenFds();
  SpawnOptions options;
  options.argv = {"/bin/cat"};
  options.stdin_stream = ChildStream::Pipe();
  options.stdout_stream = ChildStream::Pipe();
  options.stderr_stream = ChildStream::Null();
  options.inherit = {{extra.get(), 5}};
  options.seams.fork_fn = &FailingFork;
  auto spawned = Spawn(options);
  ASSERT_FALSE(spawned.ok());
  EXPECT_EQ(spawned.error().code, ErrorCode::kIo);
  EXPECT_NE(spawned.error().message.find("/bin/cat"), std::string::npos);
  EXPECT_NE(spawned.error().message.find("fork"), std::string::npos);
  EXPECT_EQ(OpenFds(), before);

  options.stdout_stream = ChildStream::Fd(out.get());
  EXPECT_FALSE(RunSubprocess(options).ok());
  EXPECT_EQ(OpenFds(), before);
}

TEST(Subprocess, ExecFailureLeaksNoDescriptor) {
  testing::TempDir dir;
  fs::path not_executable = dir.path() / "script";
  std::ofstream(not_executable) << "#!/bin/sh\n";  // mode 0644: exec fails with EACCES
  const std::set<int> before = OpenFds();
  SpawnOptions options;
  options.argv = {not_executable.string()};
  options.stdin_stream = ChildStream::Pipe();
  options.stdout_stream = ChildStream::Pipe();
  auto spawned = Spawn(options);
  ASSERT_FALSE(spawned.ok());
  EXPECT_NE(spawned.error().message.find(not_executable.string()), std::string::npos);
  EXPECT_NE(spawned.error().message.find("exec"), std::string::npos);
  EXPECT_EQ(OpenFds(), before);
}

TEST(Subprocess, SpawnHandsOverPipesAndDestructionKillsAndReaps) {
  SpawnOptions options = Shell("echo ready; exec sleep 1000");
  auto spawned = Spawn(options);
  ASSERT_TRUE(spawned.ok()) << spawned.error().ToString();
  pid_t pid = spawned->pid();
  char buf[6] = {};
  ASSERT_EQ(::read(spawned->stdout_pipe().get(), buf, sizeof buf), 6);
  EXPECT_EQ(std::string(buf, sizeof buf), "ready\n");
  EXPECT_FALSE(spawned->Ended());
  EXPECT_FALSE(spawned->TryWait().has_value());
  { Subprocess gone = std::move(spawned).value(); }
  // Reaped by the destructor: no longer our child, not a zombie either.
  EXPECT_EQ(::waitpid(pid, nullptr, WNOHANG), -1);
  EXPECT_TRUE(Dead(pid));
}

TEST(Subprocess, ChildStreamsMayBeFilesOfTheParent) {
  testing::TempDir dir;
  fs::path log = dir.path() / "log";
  UniqueFd file(::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  ASSERT_TRUE(file.valid());
  SpawnOptions options = Shell("echo to-file; echo also >&2; read x || echo stdin-empty");
  options.stdout_stream = ChildStream::Fd(file.get());
  options.stderr_stream = ChildStream::SameAsStdout();
  options.group = ProcessGroup::kInherit;
  auto spawned = Spawn(options);
  ASSERT_TRUE(spawned.ok()) << spawned.error().ToString();
  EXPECT_FALSE(spawned->has_own_group());
  int status = spawned->Wait();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(testing::RunCommand("cat '" + log.string() + "'").output,
            "to-file\nalso\nstdin-empty\n");
}

TEST(Subprocess, ANewSessionAndLimitsApplyBeforeExec) {
  // Field 6 of /proc/self/stat is the session id (cut's, which is the shell's).
  SpawnOptions options = Shell("cut -d' ' -f6 /proc/self/stat; ulimit -n");
  options.group = ProcessGroup::kNewSession;
  options.limits = {{RLIMIT_NOFILE, 64}};
  auto spawned = Spawn(options);
  ASSERT_TRUE(spawned.ok()) << spawned.error().ToString();
  pid_t pid = spawned->pid();
  std::string out;
  char buf[256];
  ssize_t n;
  while ((n = ::read(spawned->stdout_pipe().get(), buf, sizeof buf)) > 0) out.append(buf, n);
  spawned->Wait();
  EXPECT_EQ(out, std::to_string(pid) + "\n64\n");  // the session leader is the child itself
}

}  // namespace
}  // namespace sg
