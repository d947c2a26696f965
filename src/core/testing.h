// Helpers for tests only (header-only; included from *_test.cpp files).
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

#include "core/child_env.h"
#include "core/subprocess.h"

namespace sg::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with its content on destruction.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::filesystem::path root = base && *base ? base : "/tmp";
    std::random_device rd;
    for (int i = 0; i < 100; ++i) {
      path_ = root / ("skillgrad-test-" + std::to_string(rd()));
      if (std::filesystem::create_directory(path_)) return;
    }
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// True when some regular file under `dir` holds `marker` (a leak check).
inline bool AnyFileHolds(const std::filesystem::path& dir, const std::string& marker) {
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text.find(marker) != std::string::npos) return true;
  }
  return false;
}

inline std::filesystem::path SourceDir() { return SKILLGRAD_SOURCE_DIR; }
inline std::filesystem::path BinaryDir() { return SKILLGRAD_BINARY_DIR; }
// Real SpreadsheetBench and WikiTableQuestions files (CC BY-SA 4.0), kept in the repository.
inline std::filesystem::path SamplesDir() { return SourceDir() / "tests" / "data" / "samples"; }
inline std::filesystem::path SkillgradBinary() { return BinaryDir() / "skillgrad"; }

// The skillgrad binary under test: $SKILLGRAD_BIN when set (CTest sets it), else the
// build tree's.
inline std::string SkillgradCommand() {
  const char* env = std::getenv("SKILLGRAD_BIN");
  return "'" + (env && *env ? std::string(env) : SkillgradBinary().string()) + "'";
}

struct CommandResult {
  int exit_code = -1;  // -1 when the command did not exit normally
  std::string output;  // stdout (and stderr when the command line redirects it)
};

// Runs a shell command line (/bin/sh -c) with this process's environment and captures its
// stdout; stdin is /dev/null, stderr is this process's.
inline CommandResult RunCommand(const std::string& command_line) {
  CommandResult result;
  SpawnOptions options;
  options.argv = {"/bin/sh", "-c", command_line};
  for (const auto& [name, value] : CurrentEnvironment()) options.env.push_back(name + "=" + value);
  options.stdout_stream = ChildStream::Pipe();
  options.stderr_stream = ChildStream::Fd(STDERR_FILENO);
  options.group = ProcessGroup::kInherit;
  RunOptions run;
  run.stdout_cap = static_cast<size_t>(-1);
  auto ran = RunSubprocess(options, run);
  if (!ran.ok()) return result;
  result.exit_code = ran->exit_code;
  result.output = std::move(ran->stdout_text);
  return result;
}

}  // namespace sg::testing
