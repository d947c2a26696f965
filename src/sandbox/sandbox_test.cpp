#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "core/testing.h"
#include "sandbox/capped_output.h"
#include "sandbox/environment.h"
#include "sandbox/proc_scan.h"
#include "sandbox/process_sandbox.h"
#include "sandbox/seccomp_filter.h"
#include "sandbox/workspace.h"
#include "sandbox/workspace_owner.h"

namespace sg::sandbox {
namespace {
namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;

std::unique_ptr<ProcessSandbox> MakeSandbox(const fs::path& ws, Backend backend = Backend::kAuto,
                                            Limits limits = {}) {
  SandboxConfig config;
  config.workspace = ws;
  config.limits = limits;
  config.backend = backend;
  auto sandbox = ProcessSandbox::Create(config);
  EXPECT_TRUE(sandbox.ok()) << sandbox.error().ToString();
  return std::move(sandbox).value();
}

RunResult Bash(Sandbox& sandbox, const std::string& script, milliseconds timeout = seconds(30)) {
  auto result = sandbox.Run({"/bin/bash", "-c", script}, timeout);
  EXPECT_TRUE(result.ok()) << result.error().ToString();
  return std::move(result).value();
}

// True when a live (non-zombie) process on the host has `needle` in its command line.
bool HostProcessWithCommandLine(const std::string& needle) {
  for (pid_t pid : AllPids()) {
    ProcInfo info;
    if (!ReadProcInfo(pid, info) || info.zombie) continue;
    std::string cmdline;
    FILE* f = fopen(("/proc/" + std::to_string(pid) + "/cmdline").c_str(), "r");
    if (!f) continue;
    int c;
    while ((c = fgetc(f)) != EOF) cmdline.push_back(c == 0 ? ' ' : static_cast<char>(c));
    fclose(f);
    if (cmdline.find(needle) != std::string::npos) return true;
  }
  return false;
}

TEST(CappedOutputTest, KeepsHeadAndTailAndMarksTheCut) {
  CappedOutput out(10);
  out.Append("0123456789");
  EXPECT_FALSE(out.truncated());
  EXPECT_EQ(out.Text(), "0123456789");
  out.Append("abcdefghij");
  EXPECT_TRUE(out.truncated());
  EXPECT_EQ(out.total_bytes(), 20u);
  EXPECT_EQ(out.Text(), "01234\n[... 10 bytes omitted ...]\nfghij");
  CappedOutput small(10);
  for (char c : std::string("hello world!")) small.Append(std::string_view(&c, 1));
  EXPECT_EQ(small.Text(), "hello\n[... 2 bytes omitted ...]\norld!");
}

TEST(EnvironmentTest, SecretsAndProxiesNeverPass) {
  for (const char* name :
       {"OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT", "ANTHROPIC_BASE_URL", "GITHUB_TOKEN",
        "MY_SECRET_THING", "http_proxy", "HTTPS_PROXY", "no_proxy", "DB_PASSWORD", "SOME_KEY"}) {
    EXPECT_TRUE(IsForbiddenVariable(name)) << name;
  }
  for (const char* name : {"PATH", "LANG", "LC_ALL", "HOME", "TZ"}) {
    EXPECT_FALSE(IsForbiddenVariable(name)) << name;
  }
  auto env = ScrubbedEnvironment({{"OPENAI_API_KEY", "sk-x"}, {"LC_ALL", "C"}, {"USER", "root"}},
                                 "/w/.home", "/w/.tmp", {{"EXTRA", "1"}, {"X_TOKEN", "t"}});
  std::string joined;
  for (const auto& e : env) joined += e + "\n";
  EXPECT_NE(joined.find("HOME=/w/.home\n"), std::string::npos);
  EXPECT_NE(joined.find("TMPDIR=/w/.tmp\n"), std::string::npos);
  EXPECT_NE(joined.find("LC_ALL=C\n"), std::string::npos);
  EXPECT_NE(joined.find("EXTRA=1\n"), std::string::npos);
  EXPECT_EQ(joined.find("sk-x"), std::string::npos);
  EXPECT_EQ(joined.find("X_TOKEN"), std::string::npos);
  EXPECT_EQ(joined.find("USER="), std::string::npos);
}

TEST(WorkspaceTest, CopiesInputsIntoAFreshDirectory) {
  testing::TempDir tmp;
  fs::create_directories(tmp.path() / "in" / "sub");
  { std::ofstream(tmp.path() / "in" / "a.txt") << "alpha"; }
  { std::ofstream(tmp.path() / "in" / "sub" / "b.txt") << "beta"; }
  auto ws =
      CreateWorkspace(tmp.path() / "ws", {tmp.path() / "in" / "a.txt", tmp.path() / "in" / "sub"});
  ASSERT_TRUE(ws.ok()) << ws.error().ToString();
  EXPECT_TRUE(fs::exists(*ws / "a.txt"));
  EXPECT_TRUE(fs::exists(*ws / "sub" / "b.txt"));
  auto again = CreateWorkspace(tmp.path() / "ws", {});
  EXPECT_FALSE(again.ok());
  auto missing = CreateWorkspace(tmp.path() / "ws2", {tmp.path() / "nope"});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("nope"), std::string::npos);
}

TEST(ProcessSandboxTest, RunsCommandsInTheWorkspaceWithCapturedOutput) {
  testing::TempDir tmp;
  auto sandbox = MakeSandbox(tmp.path());
  auto r = Bash(*sandbox, "pwd; echo err >&2; echo $HOME; echo $TMPDIR; exit 3");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_FALSE(r.timed_out);
  std::string ws = fs::canonical(tmp.path()).string();
  EXPECT_EQ(r.stdout_text.Text(), ws + "\n" + ws + "/.home\n" + ws + "/.tmp\n");
  EXPECT_EQ(r.stderr_text.Text(), "err\n");
  EXPECT_EQ(r.Describe(), "exit code 3");
}

TEST(ProcessSandboxTest, MissingBinaryIsAClearResult) {
  testing::TempDir tmp;
  auto sandbox = MakeSandbox(tmp.path());
  auto r = sandbox->Run({"/nonexistent/binary"}, seconds(10));
  // Under a wrapper the wrapper reports it; without one exec fails in Spawn.
  if (r.ok()) {
    EXPECT_NE(r->exit_code, 0);
  } else {
    EXPECT_NE(r.error().message.find("/nonexistent/binary"), std::string::npos);
  }
}

TEST(ProcessSandboxTest, CapabilitiesAreReported) {
  const Capabilities& caps = HostCapabilities();
  auto json = caps.ToJson();
  for (const char* key : {"backend", "filesystem_isolated", "network_isolated", "pid_isolated",
                          "process_limit_enforced", "process_limit_method", "notes"}) {
    EXPECT_TRUE(json.contains(key)) << key;
  }
  if (access("/usr/bin/bwrap", X_OK) == 0) {
    EXPECT_EQ(caps.backend, Backend::kBubblewrap) << json.dump();
    EXPECT_TRUE(caps.Isolated()) << json.dump(1);
    EXPECT_TRUE(caps.filesystem_isolated);
    EXPECT_TRUE(caps.pid_isolated);
  }
}

TEST(ProcessSandboxTest, WallTimeoutKillsTheWholeTree) {
  testing::TempDir tmp;
  auto sandbox = MakeSandbox(tmp.path());
  auto r = Bash(*sandbox, "sleep 876543 & setsid sleep 876544 & while :; do :; done",
                milliseconds(1500));
  EXPECT_TRUE(r.timed_out);
  EXPECT_NE(r.Describe().find("timeout"), std::string::npos);
  EXPECT_FALSE(HostProcessWithCommandLine("sleep 876543"));
  EXPECT_FALSE(HostProcessWithCommandLine("sleep 876544"));
}

TEST(ProcessSandboxTest, BackgroundChildrenDoNotOutliveTheCommand) {
  testing::TempDir tmp;
  auto sandbox = MakeSandbox(tmp.path());
  auto r =
      Bash(*sandbox, "(setsid sleep 876545 &) ; nohup sleep 876546 >/dev/null 2>&1 & echo started");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.stdout_text.Text(), "started\n");
  EXPECT_FALSE(HostProcessWithCommandLine("sleep 876545"));
  EXPECT_FALSE(HostProcessWithCommandLine("sleep 876546"));
}

TEST(ProcessSandboxTest, HugeOutputIsCappedAndDoesNotBlock) {
  testing::TempDir tmp;
  Limits limits;
  limits.output_cap_bytes = 1000;
  auto sandbox = MakeSandbox(tmp.path(), Backend::kAuto, limits);
  auto r = Bash(*sandbox, "head -c 1073741824 /dev/zero | tr '\\0' x; echo done >&2", seconds(120));
  ASSERT_FALSE(r.timed_out);
  EXPECT_EQ(r.stdout_text.total_bytes(), 1073741824u);
  EXPECT_TRUE(r.stdout_text.truncated());
  EXPECT_LT(r.stdout_text.Text().size(), 1100u);
  EXPECT_NE(r.stdout_text.Text().find("bytes omitted"), std::string::npos);
  EXPECT_EQ(r.stderr_text.Text(), "done\n");
}

TEST(ProcessSandboxTest, FileSizeAndAddressSpaceLimitsHold) {
  testing::TempDir tmp;
  Limits limits;
  limits.file_size_bytes = 1 << 20;
  limits.address_space_bytes = 1ull << 30;
  auto sandbox = MakeSandbox(tmp.path(), Backend::kAuto, limits);
  auto r = Bash(*sandbox, "head -c 5000000 /dev/zero > big.bin; echo rc=$?");
  EXPECT_NE(r.stdout_text.Text().find("rc="), std::string::npos);
  EXPECT_LE(fs::file_size(tmp.path() / "big.bin"), 1u << 20);
  auto py = sandbox->Run({"/usr/bin/python3", "-c",
                          "try:\n  b = bytearray(4 << 30)\n  print('allocated')\n"
                          "except MemoryError:\n  print('MemoryError')"},
                         seconds(60));
  ASSERT_TRUE(py.ok());
  EXPECT_EQ(py->stdout_text.Text(), "MemoryError\n");
}

TEST(ProcessSandboxTest, ForkBombIsContained) {
  testing::TempDir tmp;
  Limits limits;
  limits.max_processes = 32;
  auto sandbox = MakeSandbox(tmp.path(), Backend::kAuto, limits);
  auto r = Bash(*sandbox, "bomb() { bomb | bomb & }; bomb; sleep 2; echo survived", seconds(20));
  if (HostCapabilities().process_limit_enforced) {
    EXPECT_TRUE(r.process_limit_hit || r.timed_out) << r.Describe();
  }
  // Whatever happened inside, nothing of it is left and the host still forks.
  auto after = Bash(*sandbox, "echo ok");
  EXPECT_EQ(after.stdout_text.Text(), "ok\n");
}

TEST(ProcessSandboxTest, WritingToAProcessThatIsGoneDoesNotKillTheCaller) {
  testing::TempDir tmp;
  auto sandbox = MakeSandbox(tmp.path());
  auto process = sandbox->Start({"/bin/true"});
  ASSERT_TRUE(process.ok()) << process.error().ToString();
  std::string big(4 << 20, 'x');  // more than a pipe holds: the write hits the closed end
  auto never = [](const std::string&) { return false; };
  auto first = (*process)->Exchange(big, never, seconds(30));
  EXPECT_TRUE(first.exited);
  EXPECT_FALSE(first.answered);
  auto second = (*process)->Exchange(big, never, seconds(30));
  EXPECT_TRUE(second.exited);
  EXPECT_FALSE((*process)->Alive());
}

TEST(ProcessSandboxTest, ExchangeWithAStartedProcess) {
  testing::TempDir tmp;
  auto sandbox = MakeSandbox(tmp.path());
  auto process = sandbox->Start(
      {"/bin/bash", "-c", "read line; echo \"out:$line\"; echo \"ctl:$line\" >&3; sleep 876550"});
  ASSERT_TRUE(process.ok()) << process.error().ToString();
  auto has_newline = [](const std::string& control) {
    return control.find('\n') != std::string::npos;
  };
  auto r = (*process)->Exchange("hello\n", has_newline, seconds(30));
  EXPECT_TRUE(r.answered);
  EXPECT_EQ(r.control, "ctl:hello\n");
  EXPECT_EQ(r.stdout_text.Text(), "out:hello\n");
  EXPECT_TRUE((*process)->Alive());
  (*process)->Kill();
  EXPECT_FALSE((*process)->Alive());
  EXPECT_FALSE(HostProcessWithCommandLine("sleep 876550"));
}

TEST(ProcessSandboxTest, EnvironmentIsScrubbed) {
  testing::TempDir tmp;
  setenv("SKILLGRAD_TEST_API_KEY", "sk-sandbox-test-secret", 1);
  setenv("https_proxy", "http://proxy.invalid:3128", 1);
  auto sandbox = MakeSandbox(tmp.path());
  auto r = Bash(*sandbox, "env");
  unsetenv("SKILLGRAD_TEST_API_KEY");
  unsetenv("https_proxy");
  EXPECT_EQ(r.stdout_text.Text().find("sk-sandbox-test-secret"), std::string::npos);
  EXPECT_EQ(r.stdout_text.Text().find("proxy.invalid"), std::string::npos);
  EXPECT_NE(r.stdout_text.Text().find("PATH="), std::string::npos);
}

TEST(ProcessSandboxTest, FilesystemIsConfinedUnderBubblewrap) {
  if (!HostCapabilities().filesystem_isolated) GTEST_SKIP() << "no bubblewrap on this host";
  testing::TempDir tmp;
  testing::TempDir outside;
  { std::ofstream(outside.path() / "secret.txt") << "top secret"; }
  fs::create_directories(tmp.path() / "ws");
  auto sandbox = MakeSandbox(tmp.path() / "ws");
  auto r = Bash(*sandbox, "cat " + (outside.path() / "secret.txt").string() +
                              " 2>&1; "
                              "ls /root 2>&1; touch /usr/x 2>&1; touch /etc/x 2>&1; "
                              "echo hi > /tmp/t && cat /tmp/t; echo ok > inside.txt");
  std::string out = r.stdout_text.Text();
  EXPECT_EQ(out.find("top secret"), std::string::npos) << out;
  EXPECT_NE(out.find("No such file or directory"), std::string::npos) << out;
  EXPECT_NE(out.find("Read-only file system"), std::string::npos) << out;
  EXPECT_NE(out.find("hi\n"), std::string::npos) << out;
  EXPECT_TRUE(fs::exists(tmp.path() / "ws" / "inside.txt"));
  EXPECT_FALSE(fs::exists("/usr/x"));
}

TEST(ProcessSandboxTest, TheTreeSeesOnlyItsOwnProcesses) {
  if (!HostCapabilities().pid_isolated) GTEST_SKIP() << "no pid namespace on this host";
  testing::TempDir tmp;
  auto sandbox = MakeSandbox(tmp.path());
  auto r = Bash(*sandbox, "ls /proc | grep -c '^[0-9]'; test -e /proc/" + std::to_string(getpid()) +
                              "/environ && echo host-visible");
  std::string out = r.stdout_text.Text();
  EXPECT_EQ(out.find("host-visible"), std::string::npos) << out;
  EXPECT_LE(std::atoi(out.c_str()), 5) << out;  // the wrapper's init, bash, ls, grep
}

TEST(ProcessSandboxTest, DegradedBackendsAreRefusedUnlessUnsafeIsAllowed) {
  for (Backend backend : {Backend::kUnshare, Backend::kNone}) {
    testing::TempDir tmp;
    SandboxConfig config;
    config.workspace = tmp.path();
    config.backend = backend;
    auto refused = ProcessSandbox::Create(config);
    ASSERT_FALSE(refused.ok()) << BackendName(backend);
    EXPECT_EQ(refused.error().code, ErrorCode::kPermission);
    EXPECT_NE(refused.error().message.find("--unsafe-sandbox"), std::string::npos)
        << refused.error().message;

    config.allow_unsafe = true;
    auto sandbox = ProcessSandbox::Create(config);
    if (!sandbox.ok()) {
      EXPECT_EQ(sandbox.error().code, ErrorCode::kPermission);
      continue;
    }
    const Capabilities& caps = (*sandbox)->capabilities();
    EXPECT_FALSE(caps.filesystem_isolated);
    EXPECT_TRUE(caps.unsafe);
    EXPECT_TRUE(caps.ToJson()["unsafe"].get<bool>());
    EXPECT_FALSE(caps.notes.empty());
    // Even without namespaces, agent code does not keep host uid 0.
    auto r = Bash(**sandbox, "echo hello; id -u; sleep 876547 &");
    std::string expected_uid = geteuid() == 0 ? "65534" : std::to_string(geteuid());
    EXPECT_EQ(r.stdout_text.Text(), "hello\n" + expected_uid + "\n") << BackendName(backend);
    EXPECT_FALSE(HostProcessWithCommandLine("sleep 876547")) << BackendName(backend);
  }
}

}  // namespace
}  // namespace sg::sandbox

namespace sg::sandbox {
namespace {

TEST(WorkspaceOwnerTest, HandsTheTreeOverWithoutFollowingLinks) {
  if (geteuid() != 0) GTEST_SKIP() << "changing owners needs root";
  testing::TempDir tmp;
  const fs::path ws = tmp.path() / "ws";
  const fs::path host = tmp.path() / "host.txt";
  fs::create_directories(ws / "sub");
  std::ofstream(ws / "sub" / "input.csv") << "a,b\n";
  std::ofstream(host) << "host file\n";
  fs::create_symlink(host, ws / "link-to-host");
  fs::create_directory_symlink(tmp.path(), ws / "sub" / "link-to-parent");
  fs::create_hard_link(host, ws / "hard-link");
  ASSERT_TRUE(HandOverTree(ws, kUnprivilegedId, kUnprivilegedId).ok());
  auto owner = [](const fs::path& p) {
    struct stat st;
    return lstat(p.c_str(), &st) == 0 ? static_cast<long>(st.st_uid) : -1L;
  };
  EXPECT_EQ(owner(ws), kUnprivilegedId);
  EXPECT_EQ(owner(ws / "sub"), kUnprivilegedId);
  EXPECT_EQ(owner(ws / "sub" / "input.csv"), kUnprivilegedId);
  EXPECT_EQ(owner(ws / "link-to-host"), kUnprivilegedId);  // the link itself
  // Nothing a link points at, and no hard-linked file, changes hands.
  EXPECT_EQ(owner(host), 0);
  EXPECT_EQ(owner(tmp.path()), 0);
  EXPECT_EQ(owner(ws / "hard-link"), 0);
}

TEST(SeccompFilterTest, CompilesToAProgramAndNamesWhatItRefuses) {
  auto fd = CompiledSeccompFilter();
  ASSERT_TRUE(fd.ok()) << fd.error().message;
  struct stat st;
  ASSERT_EQ(fstat(*fd, &st), 0);
  EXPECT_GT(st.st_size, 0);
  EXPECT_EQ(st.st_size % 8, 0);  // struct sock_filter instructions
  close(*fd);
  const auto& refused = RefusedSyscalls();
  for (const char* name : {"ptrace", "keyctl", "bpf", "userfaultfd", "init_module", "reboot"}) {
    EXPECT_NE(std::find(refused.begin(), refused.end(), name), refused.end()) << name;
  }
}

}  // namespace
}  // namespace sg::sandbox
