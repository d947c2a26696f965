// PATCH (DESIGN 2.2, 2.3): the patcher edits a working copy of S_t, pattern by pattern,
// and reports what it changed through submit_patch_report. It writes only that copy; it
// reads the iteration's folder (the per-task traces, outputs and assessments, and
// batch_diagnoses.md) and the base run's folders of the batch, on demand. Then the
// projection step (--projection on): the lint findings the patch introduced on the rules of
// skill/lint_projection.h go back to the patcher for one repair round; what it still leaves
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
  bool projection = true;  // --projection: send what the patch broke back for one repair
};

struct PatchStageResult {
  std::filesystem::path skills_after;  // iter_<t>/patched_skills: S_{t+1}
  PatchReport report;
  bool reported = false;  // the patcher called submit_patch_report
  // The findings the patch introduced (skill/lint_projection.h) still present at the end of
  // the stage, one "<skill folder>:\n<findings>" entry per skill; recorded with or without
  // the projection.
  std::vector<std::string> lint_violations;
  bool repaired = false;  // a repair round ran
  std::string diff;       // unified diff S_t -> S_{t+1}
};

Result<PatchStageResult> RunPatchStage(const run::RoleEnv& env, const PatchStageInput& input);

// Reads a finished stage back (patch_result.json present), else nullopt.
std::optional<PatchStageResult> LoadPatchStage(const std::filesystem::path& iter_dir);

}  // namespace sg::optim
