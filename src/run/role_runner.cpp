#include "run/role_runner.h"

namespace sg::run {

Result<agent::AgentRunResult> RunRole(const RoleEnv& env, const RoleCall& call,
                                      tools::ToolSet& tools) {
  agent::AgentRunSpec spec;
  SG_ASSIGN_OR_RETURN(spec.system_prompt, env.prompts->Render(call.system_prompt, call.values));
  SG_ASSIGN_OR_RETURN(spec.user_message, env.prompts->Render(call.user_prompt, call.values));
  spec.model = call.model;
  spec.limits = env.limits;
  spec.limits.max_turns = call.max_turns;
  spec.context = call.context;
  spec.context.role = call.role;
  spec.trajectory_path = call.trajectory_path;
  agent::AgentRunner runner(*env.client, *env.clock, env.redactor);
  agent::AgentRunResult result = runner.Run(spec, tools);
  if (result.stop_reason == agent::StopReason::kProviderError ||
      result.stop_reason == agent::StopReason::kRecordError) {
    Error error = result.error ? *result.error : Error(ErrorCode::kProvider, "provider failed");
    return error.WithContext(call.role);
  }
  return result;
}

}  // namespace sg::run
