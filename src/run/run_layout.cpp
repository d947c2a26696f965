#include "run/run_layout.h"

#include <fmt/format.h>

namespace sg::run {
namespace fs = std::filesystem;

std::string SafePathComponent(std::string_view text) {
  std::string out;
  for (char c : text) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_' || c == '.';
    out.push_back(keep ? c : '-');
  }
  if (out.empty() || out == "." || out == "..") out = "_" + out;
  return out;
}

std::string MakeRunId(std::string_view method, std::string_view model,
                      std::string_view config_tag) {
  std::string id = fmt::format("{}_{}", method, SafePathComponent(model));
  if (!config_tag.empty()) id += "_" + SafePathComponent(config_tag);
  return id;
}

fs::path ResultsLayout::SplitDir(int64_t master_seed, int64_t heldout_seed) const {
  return root_ / "splits" / fmt::format("master_{}_heldout_{}", master_seed, heldout_seed);
}

fs::path ResultsLayout::SplitFile(int64_t master_seed, int64_t heldout_seed) const {
  return SplitDir(master_seed, heldout_seed) / "split.json";
}

fs::path ResultsLayout::BaseDir(int64_t master_seed, int64_t heldout_seed,
                                std::string_view model) const {
  return root_ / "base_trajectories" /
         fmt::format("master_{}_heldout_{}", master_seed, heldout_seed) / SafePathComponent(model);
}

fs::path ResultsLayout::RunDir(std::string_view run_id) const {
  return root_ / "runs" / std::string(run_id);
}

fs::path RunLayout::IterDir(int t) const { return TrainDir() / fmt::format("iter_{}", t); }

fs::path RunLayout::SnapshotDir(int t) const {
  return TrainDir() / "snapshots" / fmt::format("iter_{}", t);
}

std::filesystem::path ResultsLayout::BaseLedger(int64_t master_seed, int64_t heldout_seed,
                                                std::string_view model) const {
  return BaseLedgerIn(BaseDir(master_seed, heldout_seed, model));
}

std::filesystem::path ResultsLayout::ExecTaskDir(std::string_view model,
                                                 std::string_view task_id) const {
  return root_ / "exec" / SafePathComponent(model) / SafePathComponent(task_id);
}

}  // namespace sg::run
