// What a grader child holds: no secret of the engine's environment, no stray descriptor.
#include "tasks/external_process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/testing.h"
#include "core/unique_fd.h"

namespace sg::tasks {
namespace {

namespace fs = std::filesystem;

TEST(ExternalProcess, AGraderGetsAScrubbedEnvironmentAndNoStrayDescriptors) {
  testing::TempDir dir;
  fs::path marker = dir.path() / "engine-only-descriptor";
  std::ofstream(marker) << "x";
  UniqueFd leaky(::open(marker.c_str(), O_RDONLY));  // no O_CLOEXEC, as a library might
  ASSERT_TRUE(leaky.valid());
  const char* names[] = {"OPENAI_API_KEY", "ANTHROPIC_API_KEY", "AZURE_OPENAI_API_KEY",
                         "SOME_SERVICE_API_KEY", "GRADER_TEST_TOKEN"};
  for (const char* name : names) ::setenv(name, "secret-value-for-the-grader-test", 1);
  auto run = RunProcess({"/bin/sh", "-c", "env; ls -l /proc/self/fd/"}, dir.path(), "",
                        std::chrono::seconds(30));
  for (const char* name : names) ::unsetenv(name);
  ASSERT_TRUE(run.ok()) << run.error().ToString();
  EXPECT_EQ(run->exit_code, 0) << run->stderr_text;
  const std::string& out = run->stdout_text;
  EXPECT_EQ(out.find("secret-value-for-the-grader-test"), std::string::npos) << out;
  EXPECT_EQ(out.find("engine-only-descriptor"), std::string::npos) << out;
  EXPECT_NE(out.find("PATH="), std::string::npos) << out;
  EXPECT_NE(out.find("HOME="), std::string::npos) << out;
}

TEST(ExternalProcess, AGraderRunsInItsFolderAndReadsItsStdin) {
  testing::TempDir dir;
  auto run =
      RunProcess({"/bin/sh", "-c", "pwd; cat"}, dir.path(), "verdict\n", std::chrono::seconds(30));
  ASSERT_TRUE(run.ok()) << run.error().ToString();
  EXPECT_EQ(run->stdout_text, fs::canonical(dir.path()).string() + "\nverdict\n");
}

TEST(ExternalProcess, ATimeoutIsReportedAndTheGraderKilled) {
  testing::TempDir dir;
  auto run =
      RunProcess({"/bin/sh", "-c", "sleep 100"}, dir.path(), "", std::chrono::milliseconds(200));
  ASSERT_TRUE(run.ok()) << run.error().ToString();
  EXPECT_TRUE(run->timed_out);
  EXPECT_EQ(run->exit_code, -1);
  EXPECT_EQ(run->signal, SIGKILL);
}

}  // namespace
}  // namespace sg::tasks
