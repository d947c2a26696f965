// results/manifest.json: an index of the runs under a results root, updated at the start
// and end of every command that writes a run.
#pragma once

#include <string>

#include "core/error.h"
#include "core/json.h"
#include "run/run_layout.h"

namespace sg::run {

// Sets manifest.runs[run_id] = {command, updated_at, ...state}, keeping other runs.
Status UpdateManifest(const ResultsLayout& layout, const std::string& run_id,
                      const std::string& command, const Json& state);

// Rewrites manifest.runs[run_id] only when its status differs from the state's: a kill between
// a run's last checkpoint and its manifest update leaves the index behind, and the next command
// that finds the checkpoint brings it level without touching an index that already agrees.
Status CatchUpManifest(const ResultsLayout& layout, const std::string& run_id,
                       const std::string& command, const Json& state);

}  // namespace sg::run
