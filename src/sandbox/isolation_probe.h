// The isolation probe: runs a short shell script inside a sandboxed process, set up
// exactly as agent code is (same wrapper, uid, seccomp filter), and records in the
// capabilities what it saw from inside. doctor, config.json and every trajectory report
// these readings, so a claim of isolation is always a verified one.
#pragma once

#include <filesystem>

#include "sandbox/capabilities.h"

namespace sg::sandbox {

// Fills caps.verified_* from inside a tree under caps.backend; `scratch` is an empty
// directory the probe may use as its workspace (a marker is planted beside it).
void VerifyIsolation(Capabilities& caps, const std::filesystem::path& scratch);

}  // namespace sg::sandbox
