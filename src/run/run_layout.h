// Where every artifact of a results root lives (DESIGN section 4). All paths are built
// here so that the layout stays compatible with the reference's and is defined once.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace sg::run {

// Model names may contain '/' or ':' (e.g. "meta-llama/Llama-3.1-8B", "qwen2.5:7b"); this
// maps them to one safe path component.
std::string SafePathComponent(std::string_view text);

// run_id = <method>_<model>[_<config_tag>]
std::string MakeRunId(std::string_view method, std::string_view model, std::string_view config_tag);

class ResultsLayout {
 public:
  explicit ResultsLayout(std::filesystem::path root) : root_(std::move(root)) {}
  const std::filesystem::path& root() const { return root_; }

  std::filesystem::path SplitDir(int64_t master_seed, int64_t heldout_seed) const;
  std::filesystem::path SplitFile(int64_t master_seed, int64_t heldout_seed) const;
  // base_trajectories/master_<M>_heldout_<H>/<model>/
  std::filesystem::path BaseDir(int64_t master_seed, int64_t heldout_seed,
                                std::string_view model) const;
  // base_trajectories/master_<M>_heldout_<H>/<model>/ledger.jsonl: collect's calls
  std::filesystem::path BaseLedger(int64_t master_seed, int64_t heldout_seed,
                                   std::string_view model) const;
  std::filesystem::path RunDir(std::string_view run_id) const;
  // exec/<model>/<task>/: `skillgrad exec`'s default task folder (its ledger is beside it)
  std::filesystem::path ExecTaskDir(std::string_view model, std::string_view task_id) const;
  std::filesystem::path Manifest() const { return root_ / "manifest.json"; }
  std::filesystem::path CacheFile() const { return root_ / "cache.sqlite"; }

 private:
  std::filesystem::path root_;
};

// Paths inside one task folder: the executor's workspace, its trajectory and its grade.
class TaskLayout {
 public:
  explicit TaskLayout(std::filesystem::path dir) : dir_(std::move(dir)) {}
  const std::filesystem::path& dir() const { return dir_; }

  std::filesystem::path Workspace() const { return dir_ / "workspace"; }
  std::filesystem::path Trajectory() const { return dir_ / "trajectory.json"; }
  std::filesystem::path Assessment() const { return dir_ / "assessment.json"; }

 private:
  std::filesystem::path dir_;
};

// <base_dir>/ledger.jsonl: the calls of the collect that wrote <base_dir>.
inline std::filesystem::path BaseLedgerIn(const std::filesystem::path& base_dir) {
  return base_dir / "ledger.jsonl";
}

// base_trajectories/.../<model>/failure_pool.json: collect's result.
inline std::filesystem::path FailurePoolFile(const std::filesystem::path& base_dir) {
  return base_dir / "failure_pool.json";
}

// Files of an evaluation folder (eval/, eval_seed/): the skill it graded, its summary.
inline std::filesystem::path EvalSkillStamp(const std::filesystem::path& eval_dir) {
  return eval_dir / "skill.json";
}
inline std::filesystem::path EvalSummaryFile(const std::filesystem::path& eval_dir) {
  return eval_dir / "summary.json";
}

// Paths inside runs/<run_id>/.
class RunLayout {
 public:
  explicit RunLayout(std::filesystem::path dir) : dir_(std::move(dir)) {}
  const std::filesystem::path& dir() const { return dir_; }

  std::filesystem::path Config() const { return dir_ / "config.json"; }
  std::filesystem::path Ledger() const { return dir_ / "ledger.jsonl"; }
  std::filesystem::path Log() const { return dir_ / "run.log"; }
  std::filesystem::path TrainDir() const { return dir_ / "train"; }
  std::filesystem::path TrainState() const { return TrainDir() / "state.json"; }
  std::filesystem::path TrainSet() const { return TrainDir() / "train_set.json"; }
  std::filesystem::path TrainingResults() const { return TrainDir() / "training_results.json"; }
  std::filesystem::path IterationLog() const { return TrainDir() / "iteration_log.md"; }
  std::filesystem::path IterDir(int t) const;
  std::filesystem::path SnapshotDir(int t) const;  // the skills before iteration t
  std::filesystem::path CurrentSkillsDir() const { return TrainDir() / "current_skills"; }
  std::filesystem::path FinalSkillsDir() const { return TrainDir() / "final_skill"; }
  std::filesystem::path EvalDir() const { return dir_ / "eval"; }
  std::filesystem::path EvalSummary() const { return EvalSummaryFile(EvalDir()); }
  std::filesystem::path SeedEvalDir() const { return dir_ / "eval_seed"; }

 private:
  std::filesystem::path dir_;
};

}  // namespace sg::run
