// Test-only: runs of the `skillgrad` binary with an environment of the test's choosing and an
// optional wrapper command in front of it (e.g. `unshare -Urm sh -c SCRIPT`), for the disk
// and secrets end-to-end tests. Complements e2e_harness.h, whose runs always get the mock's
// OpenAI block and a dummy key.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "optim/e2e_harness.h"

namespace sg::optim::e2e {

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

inline bool IsProviderVariable(const std::string& entry) {
  return entry.rfind("OPENAI_", 0) == 0 || entry.rfind("AZURE_OPENAI_", 0) == 0 ||
         entry.rfind("ANTHROPIC_", 0) == 0 || entry.rfind("MODEL=", 0) == 0;
}

// Runs wrapper + binary + args to the end (or the timeout).
inline LaunchOutcome Launch(const LaunchSpec& spec, const std::vector<std::string>& args) {
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    if (!IsProviderVariable(*e)) env_strings.push_back(*e);
  }
  env_strings.insert(env_strings.end(), spec.env.begin(), spec.env.end());
  std::vector<std::string> argv_strings = spec.wrapper;
  argv_strings.push_back(Binary());
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv, envp;
  for (auto& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, spec.output.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addchdir_np(&actions, spec.work_dir.c_str());
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  LaunchOutcome outcome;
  EXPECT_EQ(rc, 0) << "cannot start " << argv[0];
  if (rc != 0) return outcome;
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

}  // namespace sg::optim::e2e
