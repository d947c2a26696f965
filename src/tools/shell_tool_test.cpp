// The method's shell tool: a list of commands run in order, each with its own timeout (120 s
// unless the call says otherwise); the commands after a timeout do not run.
#include "tools/shell_tool.h"

#include <gtest/gtest.h>

#include <chrono>

#include "core/testing.h"
#include "tools/tool_test_util.h"

namespace sg::tools {
namespace {

TEST(ShellToolTest, RunsAListOfCommandsInOrderAndShowsEach) {
  testing::TempDir tmp;
  ShellTool shell(testing_util::MakeSandbox(tmp.path()));
  const Json schema = shell.parameters();
  EXPECT_EQ(schema["required"], Json::array({"commands"}));
  EXPECT_EQ(schema["properties"]["commands"]["type"], "array");
  EXPECT_NE(schema["properties"]["timeout_ms"]["description"].get<std::string>().find("120000"),
            std::string::npos);
  EXPECT_NE(shell.description().find("120 s"), std::string::npos) << shell.description();

  auto out = shell.Invoke({{"commands", Json::array({"printf 'x = 6 * 7\\nprint(x)\\n' > s.py",
                                                     "python3 s.py", "exit 3"})}});
  EXPECT_FALSE(out.is_error) << out.content;
  EXPECT_EQ(out.content,
            "$ printf 'x = 6 * 7\\nprint(x)\\n' > s.py\n[exit code 0]\n$ python3 s.py\n42\n"
            "[exit code 0]\n$ exit 3\n[exit code 3]");
  EXPECT_EQ(out.payload["exit_code"], 3);
  // One command, as a list or as the older `command` string: no "$" header.
  EXPECT_EQ(shell.Invoke({{"commands", Json::array({"echo one"})}}).content, "one\n[exit code 0]");
  EXPECT_EQ(shell.Invoke({{"command", "echo one"}}).content, "one\n[exit code 0]");
  EXPECT_TRUE(shell.Invoke({{"commands", Json::array()}}).is_error);
  EXPECT_TRUE(shell.Invoke({{"commands", Json::array({1, 2})}}).is_error);
  EXPECT_TRUE(shell.Invoke({{"cmd", "ls"}}).is_error);
}

TEST(ShellToolTest, TimeoutStopsTheCommandAndTheRestOfTheList) {
  testing::TempDir tmp;
  ShellTool shell(testing_util::MakeSandbox(tmp.path()));
  const auto start = std::chrono::steady_clock::now();
  auto out =
      shell.Invoke({{"commands", Json::array({"sleep 30", "echo never"})}, {"timeout_ms", 300}});
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  EXPECT_TRUE(out.is_error) << out.content;
  EXPECT_EQ(out.payload["timed_out"], true);
  EXPECT_EQ(out.content.find("never"), std::string::npos) << out.content;
  EXPECT_EQ(out.content.find("$ echo never"), std::string::npos) << out.content;
}

}  // namespace
}  // namespace sg::tools
