// The environment a sandboxed process sees: core/child_env.h's allow-list (never the
// orchestrator's own environment), named here for the sandbox's callers.
#pragma once

#include "core/child_env.h"

namespace sg::sandbox {

using sg::CurrentEnvironment;
using sg::IsForbiddenVariable;
using sg::ScrubbedEnvironment;

}  // namespace sg::sandbox
