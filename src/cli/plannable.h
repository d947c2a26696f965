// The commands with a cost plan (run/cost_plan.h). Each is added twice with the same flags: as
// itself, which logs its plan before any call, and under `skillgrad plan`, which prints the
// plan and stops without writing or calling anything.
#pragma once

#include <CLI/CLI.hpp>

#include "core/error.h"
#include "run/cost_plan.h"

namespace sg::cli {

enum class CommandMode { kRun, kPlanOnly };

// In plan mode with `plan_out`, the plan is stored there instead of printed (the sweep's use).
void AddCollectCommand(CLI::App& parent, CommandMode mode, run::CostPlan* plan_out = nullptr);
void AddEvalCommand(CLI::App& parent, CommandMode mode, run::CostPlan* plan_out = nullptr);
void AddTrainCommand(CLI::App& parent, CommandMode mode, run::CostPlan* plan_out = nullptr);

// In plan mode: --json prints the plan as JSON instead of the table.
void AddPlanFlags(CLI::App* cmd, bool* json);
// Prints the plan (or stores it in `plan_out` when given) and exits 0, or fails (exit 2)
// with its error.
[[noreturn]] void PrintPlan(const Result<run::CostPlan>& plan, bool json, run::CostPlan* plan_out);

}  // namespace sg::cli
