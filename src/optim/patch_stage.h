// PATCH (DESIGN 2.2, 2.3): the patcher edits a working copy of S_t, pattern by pattern,
// and reports what it changed through submit_patch_report. Then the projection step: lint
// every skill; violations go back to the patcher for one repair round; what still fails
// is recorded. The per-iteration diff is saved as iter_<t>/patch.diff.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "optim/iteration_context.h"
#include "optim/momentum.h"
#include "run/prompt_library.h"
#include "run/role_runner.h"

namespace sg::optim {

struct PatchStageInput {
  const IterationContext* iteration = nullptr;  // S_t is its skill_dir (read-only snapshot)
  std::string diagnoses;                        // the batch's diagnoses, markdown
  const MomentumRecord* record = nullptr;       // M_t (M_0, empty, at t == 1)
  const Overlay* overlay = nullptr;             // O_t; null at t == 1 (momentum comes after)
};

struct PatchStageResult {
  std::filesystem::path skills_after;  // iter_<t>/patched_skills: S_{t+1}
  PatchReport report;
  bool reported = false;                     // the patcher called submit_patch_report
  std::vector<std::string> lint_violations;  // still present after the repair round
  bool repaired = false;                     // a repair round ran
  std::string diff;                          // unified diff S_t -> S_{t+1}
};

Result<PatchStageResult> RunPatchStage(const run::RoleEnv& env, const PatchStageInput& input);

// Reads a finished stage back (patch_result.json present), else nullopt.
std::optional<PatchStageResult> LoadPatchStage(const std::filesystem::path& iter_dir);

}  // namespace sg::optim
