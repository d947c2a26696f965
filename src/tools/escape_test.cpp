// Escapes tried by agent code through the python and shell tools. Each must be
// contained, come back as a clear tool result, and leave this process (the
// orchestrator) unharmed. Timeouts here are limits, never asserted durations.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <iostream>

#include "core/testing.h"
#include "sandbox/proc_scan.h"
#include "tools/python_tool.h"
#include "tools/shell_tool.h"
#include "tools/tool_test_util.h"

namespace sg::tools {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing_util::ReadText;
using testing_util::WriteText;

constexpr const char* kSecret = "sk-escape-test-0123456789abcdef";

// True when a live process on the host has `needle` in its command line.
bool HostProcessWithCommandLine(const std::string& needle) {
  for (pid_t pid : sandbox::AllPids()) {
    sandbox::ProcInfo info;
    if (!sandbox::ReadProcInfo(pid, info) || info.zombie) continue;
    std::string cmdline = ReadText("/proc/" + std::to_string(pid) + "/cmdline");
    for (char& c : cmdline) {
      if (c == 0) c = ' ';
    }
    if (cmdline.find(needle) != std::string::npos) return true;
  }
  return false;
}

class EscapeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("OPENAI_API_KEY", kSecret, 1);
    setenv("SKILLGRAD_ESCAPE_TOKEN", kSecret, 1);
    workspace_ = fs::canonical(tmp_.path()) / "workspace";
    outside_ = fs::canonical(tmp_.path()) / "outside";
    fs::create_directories(workspace_);
    WriteText(outside_ / ".env", std::string("OPENAI_API_KEY=") + kSecret + "\n");
    sandbox::Limits limits;
    limits.max_processes = 64;
    limits.address_space_bytes = 4ull << 30;
    limits.output_cap_bytes = 8 * 1024;
    sandbox_ = testing_util::MakeSandbox(workspace_, limits);
    PythonToolOptions py;
    py.call_timeout = 20s;  // a limit for the runaway cases, not a measured duration
    python_ = std::make_unique<PythonTool>(sandbox_, py);
    ShellToolOptions sh;
    sh.timeout = 20s;
    shell_ = std::make_unique<ShellTool>(sandbox_, sh);
  }
  void TearDown() override {
    unsetenv("OPENAI_API_KEY");
    unsetenv("SKILLGRAD_ESCAPE_TOKEN");
  }

  ToolOutput Py(const std::string& code) { return Show(python_->Invoke({{"code", code}})); }
  ToolOutput Sh(const std::string& command) { return Show(shell_->Invoke({{"command", command}})); }

  // With SKILLGRAD_TEST_VERBOSE set, prints what the model would read (for inspection).
  static ToolOutput Show(ToolOutput out) {
    if (std::getenv("SKILLGRAD_TEST_VERBOSE")) {
      std::cerr << "--- tool result" << (out.is_error ? " (error)" : "") << ":\n"
                << out.content.substr(0, 1500) << "\n";
    }
    return out;
  }

  // The orchestrator still works: the interpreter answers, and this process can fork.
  void ExpectHealthy() {
    auto out = Py("print(6 * 7)");
    EXPECT_FALSE(out.is_error) << out.content;
    EXPECT_NE(out.content.find("42"), std::string::npos) << out.content;
    auto sh = Sh("echo alive");
    EXPECT_NE(sh.content.find("alive"), std::string::npos) << sh.content;
  }

  bool SandboxHasFilesystemIsolation() const {
    return sandbox_->capabilities().filesystem_isolated;
  }

  testing::TempDir tmp_;
  fs::path workspace_;
  fs::path outside_;
  std::shared_ptr<sandbox::Sandbox> sandbox_;
  std::unique_ptr<PythonTool> python_;
  std::unique_ptr<ShellTool> shell_;
};

TEST_F(EscapeTest, ApiKeysAreNotInTheEnvironment) {
  auto py =
      Py("import os\nprint(sorted(os.environ))\nprint(os.environ.get('OPENAI_API_KEY'))\n"
         "print(open('/proc/1/environ','rb').read())\n"
         "print(open('/proc/self/environ','rb').read())");
  EXPECT_EQ(py.content.find(kSecret), std::string::npos) << py.content;
  EXPECT_NE(py.content.find("None"), std::string::npos) << py.content;
  auto sh = Sh("env; cat /proc/*/environ 2>/dev/null | tr '\\0' '\\n'");
  EXPECT_EQ(sh.content.find(kSecret), std::string::npos) << sh.content;
  EXPECT_EQ(sh.content.find("OPENAI_API_KEY"), std::string::npos) << sh.content;
  ExpectHealthy();
}

TEST_F(EscapeTest, DotEnvOutsideTheWorkspaceIsNotReadable) {
  if (!SandboxHasFilesystemIsolation()) GTEST_SKIP() << "no bubblewrap: filesystem shared";
  std::string env_path = (outside_ / ".env").string();
  auto py = Py("print(open('" + env_path + "').read())");
  EXPECT_TRUE(py.is_error) << py.content;
  EXPECT_NE(py.content.find("FileNotFoundError"), std::string::npos) << py.content;
  EXPECT_EQ(py.content.find(kSecret), std::string::npos) << py.content;
  auto sh = Sh("cat " + env_path +
               "; cat ../outside/.env; ls /root /home 2>&1; "
               "find / -name .env -not -path '/proc/*' 2>/dev/null | xargs cat 2>/dev/null");
  EXPECT_EQ(sh.content.find(kSecret), std::string::npos) << sh.content;
  ExpectHealthy();
}

TEST_F(EscapeTest, WritesOutsideTheWorkspaceFail) {
  if (!SandboxHasFilesystemIsolation()) GTEST_SKIP() << "no bubblewrap: filesystem shared";
  fs::path target = outside_ / "pwned.txt";
  auto py = Py("open('" + target.string() + "', 'w').write('pwned')");
  EXPECT_TRUE(py.is_error) << py.content;
  EXPECT_NE(py.content.find("Error"), std::string::npos) << py.content;
  auto sh = Sh("echo pwned > " + target.string() +
               "; echo pwned > /usr/pwned; "
               "echo pwned > /etc/pwned; echo pwned > ../pwned.txt");
  EXPECT_NE(sh.content.find("/usr/pwned: Read-only file system"), std::string::npos) << sh.content;
  // /etc is a directory of the read-only root, owned by root: the unprivileged uid agent
  // code runs as is refused before the read-only check is reached.
  EXPECT_TRUE(sh.content.find("/etc/pwned: Read-only file system") != std::string::npos ||
              sh.content.find("/etc/pwned: Permission denied") != std::string::npos)
      << sh.content;
  // "../pwned.txt" lands in the sandbox's private /tmp here (the test workspace lives under
  // /tmp): it may succeed inside, but never reaches the host, as checked below.
  EXPECT_FALSE(fs::exists(target));
  EXPECT_FALSE(fs::exists("/usr/pwned"));
  EXPECT_FALSE(fs::exists("/etc/pwned"));
  EXPECT_FALSE(fs::exists(tmp_.path() / "pwned.txt"));
  // Inside the workspace, writing works.
  auto ok = Py("open('result.txt', 'w').write('fine')");
  EXPECT_FALSE(ok.is_error) << ok.content;
  EXPECT_EQ(ReadText(workspace_ / "result.txt"), "fine");
  ExpectHealthy();
}

TEST_F(EscapeTest, LoopbackListenerOfTheHostIsUnreachable) {
  if (!sandbox_->capabilities().network_isolated) GTEST_SKIP() << "no network namespace here";
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(listen(listener, 8), 0);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  int port = ntohs(addr.sin_port);

  auto py = Py("import socket\ns = socket.create_connection(('127.0.0.1', " + std::to_string(port) +
               "), timeout=5)\nprint('connected')");
  EXPECT_TRUE(py.is_error) << py.content;
  EXPECT_EQ(py.content.find("connected\n"), std::string::npos) << py.content;
  EXPECT_NE(py.content.find("ConnectionRefusedError"), std::string::npos) << py.content;
  auto sh = Sh("exec 3<>/dev/tcp/127.0.0.1/" + std::to_string(port) + " && echo connected");
  EXPECT_EQ(sh.content.find("connected\n"), std::string::npos) << sh.content;

  // Nobody connected to the host's listener.
  fcntl(listener, F_SETFL, O_NONBLOCK);
  EXPECT_LT(accept(listener, nullptr, nullptr), 0);
  close(listener);
  ExpectHealthy();
}

TEST_F(EscapeTest, ForkBombIsContained) {
  auto py = Py("import os\nwhile True:\n    os.fork()");
  EXPECT_TRUE(py.is_error) << py.content;
  auto sh = Sh("bomb() { bomb | bomb & }; bomb");
  EXPECT_FALSE(sh.content.empty());
  ExpectHealthy();
}

TEST_F(EscapeTest, HugeAllocationFailsInsideAndTheInterpreterSurvives) {
  auto set = Py("kept = 'state'");
  EXPECT_FALSE(set.is_error) << set.content;
  auto py = Py("x = bytearray(10 * 1024**3)");
  EXPECT_TRUE(py.is_error) << py.content;
  EXPECT_NE(py.content.find("MemoryError"), std::string::npos) << py.content;
  auto kept = Py("kept");
  EXPECT_NE(kept.content.find("'state'"), std::string::npos) << kept.content;
  auto sh = Sh("python3 -c 'x = bytearray(10 * 1024**3)'");
  EXPECT_NE(sh.content.find("MemoryError"), std::string::npos) << sh.content;
  ExpectHealthy();
}

TEST_F(EscapeTest, InfiniteLoopIsKilledAndTheInterpreterRestarted) {
  PythonToolOptions options;
  options.call_timeout = 2s;
  PythonTool python(sandbox_, options);
  EXPECT_FALSE(python.Invoke({{"code", "before = 1"}}).is_error);
  auto looped = python.Invoke({{"code", "while True:\n    pass"}});
  EXPECT_TRUE(looped.is_error);
  EXPECT_NE(looped.content.find("limit"), std::string::npos) << looped.content;
  EXPECT_NE(looped.content.find("restarted"), std::string::npos) << looped.content;
  auto after = python.Invoke({{"code", "print('x', 'before' in globals())"}});
  EXPECT_FALSE(after.is_error) << after.content;
  EXPECT_NE(after.content.find("x False"), std::string::npos) << after.content;
  EXPECT_NE(after.content.find("fresh interpreter"), std::string::npos) << after.content;
  EXPECT_EQ(python.starts(), 2);
  ShellToolOptions sh_options;
  sh_options.timeout = 2s;
  ShellTool shell(sandbox_, sh_options);
  auto sh = shell.Invoke({{"command", "while :; do :; done"}});
  EXPECT_TRUE(sh.is_error);
  EXPECT_NE(sh.content.find("timeout"), std::string::npos) << sh.content;
  ExpectHealthy();
}

TEST_F(EscapeTest, GigabyteOnStdoutIsCapped) {
  auto py =
      Py("import sys\nchunk = 'x' * (1 << 20)\nfor _ in range(1024):\n"
         "    sys.stdout.write(chunk)\nprint('end')");
  EXPECT_FALSE(py.is_error) << py.content.substr(0, 500);
  EXPECT_LT(py.content.size(), 16u * 1024);
  EXPECT_NE(py.content.find("bytes omitted"), std::string::npos);
  EXPECT_NE(py.content.find("end"), std::string::npos);
  auto sh = Sh("head -c 1073741824 /dev/zero");
  EXPECT_LT(sh.content.size(), 16u * 1024);
  EXPECT_NE(sh.content.find("bytes omitted"), std::string::npos);
  ExpectHealthy();
}

TEST_F(EscapeTest, SleepingChildrenDoNotSurviveTheCall) {
  auto py =
      Py("import subprocess, os\n"
         "p = subprocess.Popen(['sleep', '876601'])\n"
         "q = subprocess.Popen(['sleep', '876602'], start_new_session=True)\n"
         "os.system('sleep 876603 &')\n"
         "print('spawned')");
  EXPECT_NE(py.content.find("spawned"), std::string::npos) << py.content;
  EXPECT_NE(py.content.find("killed"), std::string::npos) << py.content;
  for (const char* marker : {"sleep 876601", "sleep 876602", "sleep 876603"}) {
    EXPECT_FALSE(HostProcessWithCommandLine(marker)) << marker;
  }
  // The interpreter itself survived with its state; its child is reported dead.
  auto poll = Py("p.poll()");
  EXPECT_FALSE(poll.is_error) << poll.content;
  EXPECT_NE(poll.content.find("-9"), std::string::npos) << poll.content;
  auto sh = Sh("sleep 876604 & setsid sleep 876605 & disown; echo left");
  EXPECT_NE(sh.content.find("left"), std::string::npos) << sh.content;
  EXPECT_FALSE(HostProcessWithCommandLine("sleep 876604"));
  EXPECT_FALSE(HostProcessWithCommandLine("sleep 876605"));
  ExpectHealthy();
}

}  // namespace
}  // namespace sg::tools
