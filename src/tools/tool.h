// A tool an agent can call. Tools never throw and never crash the run: bad arguments,
// refused paths and timeouts come back as a ToolOutput with is_error set, whose content
// tells the model what went wrong and what to do instead.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/json.h"

namespace sg::tools {

struct ToolOutput {
  std::string content;  // what the model reads
  bool is_error = false;
  bool terminal = false;  // ends the agent run (e.g. submit_answer)
  Json payload;           // structured result for the caller (e.g. the submitted answer)

  static ToolOutput Text(std::string text) { return {std::move(text), false, false, nullptr}; }
  static ToolOutput Failure(std::string text) { return {std::move(text), true, false, nullptr}; }
};

class Tool {
 public:
  virtual ~Tool() = default;
  virtual std::string name() const = 0;
  virtual std::string description() const = 0;
  virtual Json parameters() const = 0;  // JSON Schema of the arguments object
  virtual ToolOutput Invoke(const Json& arguments) = 0;
  // Called after every tool call of the run, whichever tool it was: kills what this tool's
  // processes left running (a stray child, a thread timer that fires between calls) and
  // returns a note for the model, or "" when there was nothing to stop.
  virtual std::string Sweep() { return ""; }
};

// The tools one agent run offers, in registration order.
class ToolSet {
 public:
  void Add(std::unique_ptr<Tool> tool) { tools_.push_back(std::move(tool)); }
  Tool* Find(const std::string& name) const {
    for (const auto& tool : tools_) {
      if (tool->name() == name) return tool.get();
    }
    return nullptr;
  }
  const std::vector<std::unique_ptr<Tool>>& all() const { return tools_; }
  // Tool::Sweep of every tool; the notes joined by newlines.
  std::string SweepAll() {
    std::string notes;
    for (const auto& tool : tools_) {
      std::string note = tool->Sweep();
      if (note.empty()) continue;
      if (!notes.empty()) notes += "\n";
      notes += note;
    }
    return notes;
  }

 private:
  std::vector<std::unique_ptr<Tool>> tools_;
};

}  // namespace sg::tools
