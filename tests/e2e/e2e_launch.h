// Test-only: runs of the `skillgrad` binary with an environment of the test's choosing and an
// optional wrapper command in front of it (e.g. `unshare -Urm sh -c SCRIPT`), for the disk
// and secrets end-to-end tests. Complements e2e_harness.h, whose runs always get the mock's
// OpenAI block and a dummy key.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/e2e_harness.h"

namespace sg::e2e {

struct LaunchSpec {
  fs::path work_dir;                 // the working directory (where a .env is looked for)
  fs::path output;                   // stdout and stderr go here
  std::vector<std::string> wrapper;  // argv in front of the binary; empty: none
  // NAME=value entries added to the test's environment, from which every provider
  // variable (OPENAI_*, AZURE_OPENAI_*, ANTHROPIC_*, MODEL) has been removed.
  std::vector<std::string> env;
  std::chrono::seconds timeout{300};  // then SIGKILL: a hang fails instead of blocking
};

struct LaunchOutcome {
  int exit_code = -1;  // -1: ended by a signal
  bool timed_out = false;
  std::string output;
};

// Runs wrapper + binary + args to the end (or the timeout).
inline LaunchOutcome Launch(const LaunchSpec& spec, const std::vector<std::string>& args) {
  std::vector<std::string> argv = spec.wrapper;
  argv.push_back(Binary());
  argv.insert(argv.end(), args.begin(), args.end());
  pid_t pid =
      Spawn(std::move(argv), EnvironmentWithoutProviders(spec.env), spec.output, spec.work_dir);
  LaunchOutcome outcome;
  if (pid < 0) return outcome;
  const auto deadline = std::chrono::steady_clock::now() + spec.timeout;
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      outcome.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  outcome.output = ReadFile(spec.output).value_or("");
  return outcome;
}

// Whether this machine lets a test mount a tmpfs in a user and mount namespace of its own and
// remount it (bigger, read-only): the disk tests skip, with this reason, where it does not.
inline std::string CannotMountTmpfs(const fs::path& scratch) {
  fs::create_directories(scratch);
  const std::string command = "unshare -Urm sh -c 'mount -t tmpfs -o size=64k none \"" +
                              scratch.string() + "\" && mount -o remount,size=128k \"" +
                              scratch.string() + "\" && mount -o remount,ro \"" + scratch.string() +
                              "\"' > /dev/null 2>&1";
  if (std::system(command.c_str()) == 0) return "";
  return "this machine does not allow `unshare -Urm` with a tmpfs mount (user namespaces or "
         "mounts are not permitted here)";
}

}  // namespace sg::e2e
