// `shell`: runs a list of commands one after another, each as `bash -c COMMAND` in the sandbox
// (the workspace as working directory), as the method's shell tool does. Each command has a
// timeout (120 s unless the call gives timeout_ms) after which its whole process tree is
// killed, and the commands after it are not run. Each command is a fresh process tree:
// nothing it starts outlives it. A single `command` string is accepted too.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "sandbox/sandbox.h"
#include "tools/tool.h"

namespace sg::tools {

struct ShellToolOptions {
  std::chrono::milliseconds timeout{120'000};      // per command, when the call gives none
  std::chrono::milliseconds max_timeout{600'000};  // the most a call's timeout_ms may ask
  std::size_t max_command_bytes = 64 << 10;        // all commands of one call together
  std::size_t max_commands = 32;
};

class ShellTool : public Tool {
 public:
  ShellTool(std::shared_ptr<sandbox::Sandbox> sandbox, ShellToolOptions options = {})
      : sandbox_(std::move(sandbox)), options_(options) {}
  std::string name() const override { return "shell"; }
  std::string description() const override;
  Json parameters() const override;
  ToolOutput Invoke(const Json& arguments) override;

 private:
  // The commands of a call: `commands` (a list of strings) or `command` (one string).
  Result<std::vector<std::string>> Commands(const Json& arguments) const;

  std::shared_ptr<sandbox::Sandbox> sandbox_;
  ShellToolOptions options_;
};

}  // namespace sg::tools
