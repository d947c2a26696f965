#include "tools/shell_tool.h"

#include <fmt/format.h>

#include <algorithm>

#include "tools/tool_args.h"

namespace sg::tools {

std::string ShellTool::description() const {
  return fmt::format(
      "Run shell commands one after another in the workspace {} (bash; Python 3 with openpyxl "
      "is installed as python3) and return each one's stdout, stderr and exit code. No "
      "network. Each command is killed after {} s unless timeout_ms says otherwise; the "
      "commands after a timeout are not run, and background processes do not survive the "
      "call.",
      sandbox_->config().workspace.string(), options_.timeout.count() / 1000.0);
}

Json ShellTool::parameters() const {
  return {{"type", "object"},
          {"properties",
           {{"commands",
             {{"type", "array"},
              {"items", {{"type", "string"}}},
              {"description", "shell commands to run in order"}}},
            {"timeout_ms",
             {{"type", "integer"},
              {"description", fmt::format("timeout of each command in milliseconds (default {})",
                                          options_.timeout.count())}}}}},
          {"required", {"commands"}}};
}

Result<std::vector<std::string>> ShellTool::Commands(const Json& arguments) const {
  std::vector<std::string> commands;
  if (arguments.is_object() && arguments.contains("commands")) {
    const Json& list = arguments["commands"];
    if (list.is_string()) {
      commands.push_back(list.get<std::string>());
    } else if (list.is_array() &&
               std::all_of(list.begin(), list.end(), [](const Json& c) { return c.is_string(); })) {
      for (const Json& c : list) commands.push_back(c.get<std::string>());
    } else {
      return InvalidArgument("shell: 'commands' must be a list of strings");
    }
  } else {
    SG_ASSIGN_OR_RETURN(std::string command, RequiredString(arguments, "shell", "commands"));
    commands.push_back(std::move(command));
  }
  if (commands.empty()) return InvalidArgument("shell: 'commands' is empty; give one or more");
  if (commands.size() > options_.max_commands) {
    return InvalidArgument(fmt::format("shell: {} commands exceed the {} per call", commands.size(),
                                       options_.max_commands));
  }
  std::size_t bytes = 0;
  for (const std::string& c : commands) bytes += c.size();
  if (bytes > options_.max_command_bytes) {
    return InvalidArgument(
        fmt::format("shell: the commands of {} bytes exceed the {} byte cap; put "
                    "long scripts in a file",
                    bytes, options_.max_command_bytes));
  }
  return commands;
}

ToolOutput ShellTool::Invoke(const Json& arguments) {
  // The old single-command form: `command` instead of `commands`.
  Json args = arguments;
  if (args.is_object() && !args.contains("commands") && args.contains("command")) {
    args["commands"] = args["command"];
  }
  auto commands = Commands(args);
  if (!commands.ok()) return ErrorOutput(commands.error());
  auto timeout_ms = OptionalInt(args, "shell", "timeout_ms");
  if (!timeout_ms.ok()) return ErrorOutput(timeout_ms.error());
  std::chrono::milliseconds timeout = options_.timeout;
  if (timeout_ms->has_value()) {
    timeout = std::clamp(std::chrono::milliseconds(**timeout_ms), std::chrono::milliseconds(1),
                         std::max(options_.max_timeout, options_.timeout));
  }
  const bool several = commands->size() > 1;
  std::string text;
  bool failed = false;
  Json payload = {{"exit_code", 0}, {"timed_out", false}};
  for (const std::string& command : *commands) {
    if (several) text += (text.empty() ? "$ " : "\n$ ") + command + "\n";
    auto run = sandbox_->Run({"/bin/bash", "-c", command}, timeout);
    if (!run.ok()) return ErrorOutput(run.error());
    std::string out = run->stdout_text.Text();
    std::string errors = run->stderr_text.Text();
    if (!errors.empty()) {
      if (!out.empty() && out.back() != '\n') out += "\n";
      out += "[stderr]\n" + errors;
    }
    if (!out.empty() && out.back() != '\n') out += "\n";
    text += out + "[" + run->Describe() + "]";
    payload = {{"exit_code", run->exit_code}, {"timed_out", run->timed_out}};
    if (run->timed_out || run->process_limit_hit) {
      failed = true;
      break;
    }
  }
  ToolOutput out = TextOutput(text);
  out.is_error = failed;
  out.payload = std::move(payload);
  return out;
}

}  // namespace sg::tools
