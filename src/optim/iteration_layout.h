// The files of one training iteration, train/iter_<t>/ (DESIGN section 4): every stage
// builds its paths here, so that a name is written in one place.
#pragma once

#include <filesystem>
#include <string>

namespace sg::optim {

class IterationLayout {
 public:
  explicit IterationLayout(std::filesystem::path dir) : dir_(std::move(dir)) {}
  const std::filesystem::path& dir() const { return dir_; }

  // <task>/: the executor's folder (run/run_layout.h TaskLayout), plus the diagnosis.
  std::filesystem::path TaskDir(const std::string& task_id) const;
  static std::filesystem::path Diagnosis(const std::filesystem::path& task_dir);
  static std::filesystem::path DiagnosisTrajectory(const std::filesystem::path& task_dir);

  std::filesystem::path SnapshotDone() const { return dir_ / "snapshot.done"; }
  std::filesystem::path Timings() const { return dir_ / "timings.json"; }
  std::filesystem::path BatchDiagnoses() const { return dir_ / "batch_diagnoses.md"; }

  std::filesystem::path MomentumStage() const { return dir_ / "momentum_stage.json"; }
  std::filesystem::path MomentumMemory() const { return dir_ / "momentum_memory.json"; }
  std::filesystem::path MomentumMemoryMarkdown() const { return dir_ / "momentum_memory.md"; }
  std::filesystem::path MomentumOverlay() const { return dir_ / "momentum_overlay.json"; }
  std::filesystem::path MomentumOverlayMarkdown() const { return dir_ / "momentum_overlay.md"; }
  std::filesystem::path MomentumTrajectory() const { return dir_ / "momentum_trajectory.json"; }
  std::filesystem::path MomentumDropped() const { return dir_ / "momentum_dropped.json"; }

  std::filesystem::path PatchedSkills() const { return dir_ / "patched_skills"; }
  std::filesystem::path PatchResult() const { return dir_ / "patch_result.json"; }
  std::filesystem::path PatchReport() const { return dir_ / "patch_report.json"; }
  std::filesystem::path PatchDiff() const { return dir_ / "patch.diff"; }
  std::filesystem::path PatchTrajectory() const { return dir_ / "patch_trajectory.json"; }
  std::filesystem::path PatchRepairTrajectory() const {
    return dir_ / "patch_repair_trajectory.json";
  }

  std::filesystem::path Validation() const { return dir_ / "validation.json"; }
  std::filesystem::path Summary() const { return dir_ / "summary.md"; }  // written by RECORD
  std::filesystem::path ValidateBefore() const { return dir_ / "validate" / "before"; }
  std::filesystem::path ValidateAfter() const { return dir_ / "validate" / "after"; }

 private:
  std::filesystem::path dir_;
};

}  // namespace sg::optim
