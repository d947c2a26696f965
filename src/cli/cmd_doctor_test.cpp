// Black-box tests of `skillgrad doctor`: the real binary against the in-process mock
// server (OPENAI_BASE_URL), and with a broken provider configuration.
#include <gtest/gtest.h>
#include <unistd.h>

#include <regex>

#include "core/file_util.h"
#include "core/testing.h"
#include "mock/mock_server.h"

namespace sg::cli {
namespace {

std::string Quote(const std::string& s) { return "'" + s + "'"; }

// Runs the binary with a clean provider environment plus `env` (VAR=value words).
testing::CommandResult Doctor(const std::string& env, const std::string& args) {
  return testing::RunCommand(
      "env -u OPENAI_API_KEY -u OPENAI_BASE_URL -u AZURE_OPENAI_API_KEY -u AZURE_OPENAI_ENDPOINT "
      "-u ANTHROPIC_API_KEY -u ANTHROPIC_BASE_URL -u MODEL " +
      env + " " + testing::SkillgradCommand() + " doctor " + args + " 2>&1");
}

std::unique_ptr<mock::MockServer> StartMock() {
  auto scenario = mock::ParseScenario(
      R"({"rules": [{"name": "any", "match": {}, "reply": {"text": "OK",
          "usage": {"input": 12, "output": 1}}}]})",
      "doctor scenario");
  EXPECT_TRUE(scenario.ok()) << scenario.error().message;
  mock::MockOptions options;
  options.scenario = *scenario;
  options.required_api_key = "sk-doctor-test";
  auto server = mock::MockServer::Start(std::move(options));
  EXPECT_TRUE(server.ok()) << server.error().message;
  return std::move(*server);
}

TEST(DoctorCommand, CallsTheConfiguredProviderAndReportsEveryCheck) {
  auto server = StartMock();
  testing::TempDir tmp;
  ASSERT_TRUE(WriteFileAtomic(tmp.path() / "empty.env", "").ok());
  testing::CommandResult run =
      Doctor("OPENAI_API_KEY=sk-doctor-test OPENAI_BASE_URL=" + server->base_url() +
                 "/v1 MODEL=mock-doctor",
             "--env-file " + Quote((tmp.path() / "empty.env").string()) + " --results-root " +
                 Quote((tmp.path() / "results").string()));
  EXPECT_TRUE(std::regex_search(
      run.output,
      std::regex("\\[ok\\]   provider: openai from OPENAI_API_KEY.*model mock-doctor; one "
                 "call answered in [0-9]+ ms by model mock-doctor")))
      << run.output;
  EXPECT_EQ(server->counters().requests, 1);
  for (const char* name : {"python", "libreoffice", "sandbox", "results root"}) {
    EXPECT_TRUE(std::regex_search(run.output,
                                  std::regex(std::string("\\[(ok\\]  |FAIL\\]) ") + name + ": ")))
        << name << "\n"
        << run.output;
  }
  EXPECT_NE(run.output.find("[ok]   results root: "), std::string::npos) << run.output;
  // The sandbox line reports what the probe read from inside, and agent code is never root.
  if (access("/usr/bin/bwrap", X_OK) == 0) {
    const std::string uid = geteuid() == 0 ? "65534" : std::to_string(geteuid());
    EXPECT_NE(
        run.output.find("[ok]   sandbox: backend bubblewrap; verified from inside: uid " + uid +
                        ", filesystem isolated, network loopback only, /proc/sys "
                        "read-only, seccomp on, capabilities none"),
        std::string::npos)
        << run.output;
  }
  EXPECT_TRUE(std::filesystem::is_directory(tmp.path() / "results"));
  EXPECT_EQ(run.output.find("sk-doctor-test"), std::string::npos);  // the key never shows
  // Exit 0 exactly when no check failed, and every failure comes with its fix.
  const bool any_failed = run.output.find("[FAIL]") != std::string::npos;
  EXPECT_EQ(run.exit_code, any_failed ? 1 : 0) << run.output;
  if (any_failed) {
    EXPECT_NE(run.output.find("       fix: "), std::string::npos);
  }
}

TEST(DoctorCommand, NoCallSkipsTheRequest) {
  auto server = StartMock();
  testing::TempDir tmp;
  ASSERT_TRUE(WriteFileAtomic(tmp.path() / "empty.env", "").ok());
  testing::CommandResult run =
      Doctor("OPENAI_API_KEY=sk-doctor-test OPENAI_BASE_URL=" + server->base_url() +
                 "/v1 MODEL=mock-doctor",
             "--no-call --env-file " + Quote((tmp.path() / "empty.env").string()) +
                 " --results-root " + Quote((tmp.path() / "results").string()));
  EXPECT_NE(run.output.find("model mock-doctor (no call: --no-call)"), std::string::npos)
      << run.output;
  EXPECT_EQ(server->counters().requests, 0);
}

TEST(DoctorCommand, BrokenConfigurationsFailWithAFix) {
  testing::TempDir tmp;
  ASSERT_TRUE(WriteFileAtomic(tmp.path() / "empty.env", "").ok());
  const std::string env_file = " --env-file " + Quote((tmp.path() / "empty.env").string());
  const std::string root = " --results-root " + Quote((tmp.path() / "results").string());

  // No provider block at all.
  testing::CommandResult none = Doctor("", "--no-call" + env_file + root);
  EXPECT_EQ(none.exit_code, 1) << none.output;
  EXPECT_NE(none.output.find("[FAIL] provider: "), std::string::npos) << none.output;
  EXPECT_NE(none.output.find("fix: set exactly one of OPENAI_API_KEY"), std::string::npos);

  // Two blocks at once.
  testing::CommandResult two =
      Doctor("OPENAI_API_KEY=a ANTHROPIC_API_KEY=b MODEL=m", "--no-call" + env_file + root);
  EXPECT_EQ(two.exit_code, 1);
  EXPECT_NE(two.output.find("[FAIL] provider: "), std::string::npos) << two.output;

  // A server that is not there: the call fails and says what to check.
  testing::CommandResult gone = Doctor(
      "OPENAI_API_KEY=k OPENAI_BASE_URL=http://127.0.0.1:1/v1 MODEL=m", env_file.substr(1) + root);
  EXPECT_EQ(gone.exit_code, 1);
  EXPECT_NE(gone.output.find("[FAIL] provider: openai"), std::string::npos) << gone.output;
  EXPECT_NE(gone.output.find("the call failed"), std::string::npos) << gone.output;

  // A results root that cannot be created (under a regular file).
  ASSERT_TRUE(WriteFileAtomic(tmp.path() / "file", "x").ok());
  testing::CommandResult root_bad =
      Doctor("OPENAI_API_KEY=k MODEL=m", "--no-call" + env_file + " --results-root " +
                                             Quote((tmp.path() / "file" / "results").string()));
  EXPECT_EQ(root_bad.exit_code, 1);
  EXPECT_NE(root_bad.output.find("[FAIL] results root: cannot create"), std::string::npos)
      << root_bad.output;
  EXPECT_NE(root_bad.output.find("fix: pass --results-root DIR"), std::string::npos);
}

}  // namespace
}  // namespace sg::cli
