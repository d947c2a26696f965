// The commands with a cost plan (run/cost_plan.h). Each is added twice with the same flags: as
// itself, which logs its plan before any call, and under `skillgrad plan`, which prints the
// plan and stops without writing or calling anything.
#pragma once

#include <CLI/CLI.hpp>

#include "core/error.h"
#include "run/cost_plan.h"

namespace sg::cli {

enum class CommandMode { kRun, kPlanOnly };

void AddCollectCommand(CLI::App& parent, CommandMode mode);
void AddEvalCommand(CLI::App& parent, CommandMode mode);
void AddTrainCommand(CLI::App& parent, CommandMode mode);

// In plan mode: --json prints the plan as JSON instead of the table.
void AddPlanFlags(CLI::App* cmd, bool* json);
// Prints the plan and exits 0, or fails (exit 2) with its error.
[[noreturn]] void PrintPlan(const Result<run::CostPlan>& plan, bool json);

}  // namespace sg::cli
