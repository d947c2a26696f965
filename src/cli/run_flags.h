// The flags that collect, train and eval share, bound to the library's option structs.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "run/commands.h"
#include "run/engine.h"
#include "run/options.h"

namespace sg::cli {

struct RunFlags {
  std::string model;
  std::string env_file;
  std::string cache_mode = "read-write";
  std::string cache_path;
  double llm_timeout_s = 300;  // --llm-timeout
};

// Adds --benchmark, --data-dir, --skills-dir, --results-root, --model and the per-role
// models, seeds, --concurrency, --llm-concurrency, --max-turns, --max-cost-usd, --cache,
// --env-file, --prompts-dir, --prices, --llm-timeout, --llm-attempts.
void AddRunFlags(CLI::App* cmd, run::CommonOptions& options, run::LlmSettings& llm,
                 RunFlags& flags);

// Turns the parsed flags into the option structs (models per role, cache mode and path).
Status FinishRunFlags(CLI::App* cmd, run::CommonOptions& options, run::LlmSettings& llm,
                      const RunFlags& flags);

// The exit code of a command that failed in `phase`: 2 for bad usage or input, 1 once it ran.
inline int ExitCodeOf(run::CommandPhase phase) {
  return phase == run::CommandPhase::kWriting ? 1 : 2;
}

// The same, for the error it failed with: 3 when the cost cap stopped it (status
// budget_exhausted, as train reports it; finished work is kept).
inline int ExitCodeOf(run::CommandPhase phase, const Error& error) {
  return error.code == ErrorCode::kBudget && phase == run::CommandPhase::kWriting
             ? 3
             : ExitCodeOf(phase);
}

}  // namespace sg::cli
