// Runs the non-executor roles (diagnosers, momentum, patcher): a prompt pair from the
// prompt library, a tool set, a model and a turn cap, recorded as a trajectory.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "agent/agent_loop.h"
#include "core/clock.h"
#include "core/redact.h"
#include "llm/chat_client.h"
#include "run/prompt_library.h"

namespace sg::run {

struct RoleModels {
  std::string executor;
  std::string diagnoser;
  std::string momentum;
  std::string patcher;
};

struct RoleEnv {
  llm::ChatClient* client = nullptr;
  Clock* clock = nullptr;
  const SecretRedactor* redactor = nullptr;
  const PromptLibrary* prompts = nullptr;
  RoleModels models;
  int diagnoser_max_turns = 15;
  int momentum_max_turns = 15;  // the method's cap for the momentum agent
  int patcher_max_turns = 20;
  agent::AgentLimits limits;  // context window, output caps; max_turns set per role
};

struct RoleCall {
  std::string role;  // CallContext.role and the trajectory's role
  std::string model;
  int max_turns = 15;
  std::string system_prompt;  // prompt library names
  std::string user_prompt;
  PromptValues values;
  std::filesystem::path trajectory_path;
  llm::CallContext context;
};

// Renders the prompts and runs the agent. A provider failure is returned as the error;
// every other stop (finished, turn cap, terminal tool, ...) is a result.
Result<agent::AgentRunResult> RunRole(const RoleEnv& env, const RoleCall& call,
                                      tools::ToolSet& tools);

}  // namespace sg::run
