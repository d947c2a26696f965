// `python`: one persistent interpreter per agent run inside the sandbox, the workspace
// as its working directory, state kept between calls. A call that passes the timeout
// kills the interpreter (and everything it started); the next call starts a fresh one and
// the model is told its state is gone. Nothing a call starts in the background outlives
// the call.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "sandbox/sandbox.h"
#include "tools/tool.h"

namespace sg::tools {

struct PythonToolOptions {
  // Debian's interpreter: it has python3-openpyxl and python3-pandas.
  std::string interpreter = "/usr/bin/python3";
  std::chrono::milliseconds call_timeout{120'000};
  std::chrono::milliseconds startup_timeout{60'000};
  std::size_t max_code_bytes = 1 << 20;
};

class PythonTool : public Tool {
 public:
  PythonTool(std::shared_ptr<sandbox::Sandbox> sandbox, PythonToolOptions options = {});
  ~PythonTool() override;

  std::string name() const override { return "python"; }
  std::string description() const override;
  Json parameters() const override;
  ToolOutput Invoke(const Json& arguments) override;
  // Kills the interpreter's stray processes and, when code left threads running in it, the
  // interpreter itself (a thread is code that would run between calls).
  std::string Sweep() override;

  // Runs `code`; what Invoke does after argument checks (also used by the benchmark).
  ToolOutput Execute(const std::string& code);
  // Starts the interpreter now instead of on the first call.
  Status Warm();
  // How many times an interpreter was started (1 + restarts).
  int starts() const { return starts_; }

 private:
  Status EnsureStarted();
  void Stop();
  // After a call: what Sweep does, as a note for the model ("" when nothing was left).
  std::string StopLeftovers();

  std::shared_ptr<sandbox::Sandbox> sandbox_;
  PythonToolOptions options_;
  std::unique_ptr<sandbox::SandboxedProcess> process_;
  int interpreter_pid_ = 0;  // as seen inside the sandbox
  int starts_ = 0;
  std::string restart_note_;  // told to the model on the call after a restart
};

}  // namespace sg::tools
