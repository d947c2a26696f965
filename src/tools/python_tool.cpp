#include "tools/python_tool.h"

#include <fmt/format.h>

#include "core/json.h"
#include "tools/python_driver.h"
#include "tools/tool_args.h"

namespace sg::tools {
namespace {

// A complete "<len>\n<bytes>" frame at the start of `buffer`, or nullopt.
std::optional<std::string> ParseFrame(const std::string& buffer) {
  auto newline = buffer.find('\n');
  if (newline == std::string::npos || newline == 0 || newline > 12) return std::nullopt;
  size_t length = 0;
  for (size_t i = 0; i < newline; ++i) {
    if (buffer[i] < '0' || buffer[i] > '9') return std::nullopt;
    length = length * 10 + static_cast<size_t>(buffer[i] - '0');
  }
  if (buffer.size() < newline + 1 + length) return std::nullopt;
  return buffer.substr(newline + 1, length);
}

bool FrameComplete(const std::string& buffer) { return ParseFrame(buffer).has_value(); }

std::string Seconds(std::chrono::milliseconds ms) {
  return fmt::format("{:g}", static_cast<double>(ms.count()) / 1000.0);
}

// stdout, then stderr under a marker; "(no output)" when both are empty.
std::string RenderOutput(const sandbox::CappedOutput& out, const sandbox::CappedOutput& err) {
  std::string text = out.Text();
  std::string errors = err.Text();
  if (!errors.empty()) {
    if (!text.empty() && text.back() != '\n') text += "\n";
    text += "[stderr]\n" + errors;
  }
  if (text.empty()) text = "(no output)";
  return text;
}

}  // namespace

PythonTool::PythonTool(std::shared_ptr<sandbox::Sandbox> sandbox, PythonToolOptions options)
    : sandbox_(std::move(sandbox)), options_(std::move(options)) {}

PythonTool::~PythonTool() { Stop(); }

std::string PythonTool::description() const {
  return fmt::format(
      "Run Python 3 code in a persistent interpreter (variables and imports stay between "
      "calls, like a notebook). The working directory is the workspace {}; openpyxl and "
      "pandas are installed. Print what you need to see: stdout and stderr are returned "
      "(long output is cut in the middle), and the value of a final expression is shown. "
      "No network. A call running longer than {} s is killed and the interpreter restarted "
      "(its state is lost). Background processes do not survive a call.",
      sandbox_->config().workspace.string(), Seconds(options_.call_timeout));
}

Json PythonTool::parameters() const {
  return {{"type", "object"},
          {"properties", {{"code", {{"type", "string"}, {"description", "Python code to run"}}}}},
          {"required", {"code"}}};
}

ToolOutput PythonTool::Invoke(const Json& arguments) {
  auto code = RequiredString(arguments, "python", "code");
  if (!code.ok()) return ErrorOutput(code.error());
  if (code->size() > options_.max_code_bytes) {
    return ErrorOutput(
        fmt::format("python: code of {} bytes exceeds the {} byte cap; write "
                    "long programs to a file and run them from shorter code",
                    code->size(), options_.max_code_bytes));
  }
  return Execute(*code);
}

Status PythonTool::Warm() { return EnsureStarted(); }

Status PythonTool::EnsureStarted() {
  if (process_ && process_->Alive()) return Ok();
  Stop();
  SG_ASSIGN_OR_RETURN(process_, sandbox_->Start({options_.interpreter, "-c", kPythonDriver}));
  ++starts_;
  auto ready = process_->Exchange("", FrameComplete, options_.startup_timeout);
  auto frame = ParseFrame(ready.control);
  auto hello =
      frame ? ParseJson(*frame, "python driver greeting") : Result<Json>(ParseError("none"));
  if (!ready.answered || !hello.ok() || hello->value("status", "") != "ready") {
    Stop();
    return Error(ErrorCode::kInternal,
                 fmt::format("the python interpreter {} did not start in the sandbox{}: {}",
                             options_.interpreter, ready.timed_out ? " (startup timed out)" : "",
                             RenderOutput(ready.stdout_text, ready.stderr_text)));
  }
  interpreter_pid_ = hello->value("pid", 0);
  return Ok();
}

std::string PythonTool::Sweep() { return StopLeftovers(); }

std::string PythonTool::StopLeftovers() {
  if (!process_ || !process_->Alive()) return "";
  std::string note;
  int strays = process_->KillStrays({interpreter_pid_});
  if (strays > 0) {
    note = fmt::format(
        "[{} background process(es) started by python code were killed: nothing may outlive "
        "a call; wait for subprocesses inside the code]",
        strays);
  }
  int threads = process_->ThreadCount(interpreter_pid_);
  if (threads > 1) {
    Stop();
    restart_note_ =
        "[note: this is a fresh interpreter; the previous one was stopped because threads "
        "were left running in it, and its state is gone]";
    if (!note.empty()) note += "\n";
    note += fmt::format(
        "[python code left {} thread(s) running after its call (threading, timers, executors): "
        "nothing may outlive a call, so the interpreter was stopped; its variables and imports "
        "are lost and it restarts on the next call. Join threads before the call ends]",
        threads - 1);
  }
  return note;
}

void PythonTool::Stop() {
  if (process_) process_->Kill();
  process_.reset();
  interpreter_pid_ = 0;
}

ToolOutput PythonTool::Execute(const std::string& code) {
  std::string note = std::move(restart_note_);
  restart_note_.clear();
  if (auto st = EnsureStarted(); !st.ok()) return ErrorOutput(st.error());
  std::string request = std::to_string(code.size()) + "\n" + code;
  auto result = process_->Exchange(request, FrameComplete, options_.call_timeout);
  std::string output = RenderOutput(result.stdout_text, result.stderr_text);
  if (!note.empty()) output = note + "\n" + output;

  if (result.answered) {
    auto frame = ParseFrame(result.control);
    auto answer = ParseJson(*frame, "python driver answer");
    std::string leftovers = StopLeftovers();
    if (!leftovers.empty()) output += "\n" + leftovers;
    if (!answer.ok()) {
      Stop();
      return ErrorOutput(output +
                         "\n[the interpreter's answer was garbled (did the code write "
                         "to the driver's descriptors?); it was restarted and its "
                         "state is lost]");
    }
    std::string status = answer->value("status", "");
    ToolOutput out = TextOutput(output);
    out.is_error = status == "error";
    return out;
  }
  Stop();
  if (result.timed_out) {
    restart_note_ =
        "[note: this is a fresh interpreter; variables and imports from before the "
        "timeout are gone]";
    return ErrorOutput(fmt::format(
        "{}\n[the code ran longer than the {} s limit: the interpreter was killed and will be "
        "restarted on the next call; its variables and imports are lost, re-run what you need. "
        "Avoid infinite loops and long computations.]",
        output, Seconds(options_.call_timeout)));
  }
  restart_note_ =
      "[note: this is a fresh interpreter; the previous one died and its state is "
      "gone]";
  return ErrorOutput(fmt::format(
      "{}\n[the python interpreter died during this call (killed by a resource limit — memory, "
      "CPU time, file size or process count — or it exited). It will be restarted on the next "
      "call; its variables and imports are lost.]",
      output));
}

}  // namespace sg::tools
