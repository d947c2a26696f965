// A sweep file (docs/statistics.md, "Sweeps"): the flags every training run shares, a grid
// whose product gives the runs, and the flags of each run's evaluation. Expanded here into
// command lines (the same flags `skillgrad train` and `eval` take); cli/cmd_sweep.cpp runs
// them. A file that cannot be expanded is an error naming the file and the field.
//
//   name: wtq-seeds              # optional; default: the file's name without .yaml
//   train:                       # flag (without --) -> value; true: a bare flag
//     benchmark: wtq
//     results-root: results
//     model: gpt-4o-mini
//   grid:                        # flag -> list of values (or of flag -> value maps);
//                                # axes in the order of their names, the last fastest
//     training-seed: [0, 1, 2]
//     ablate: [none, momentum]
//   eval:                        # optional: evaluate every run, with these flags added
//     rollouts: 3
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/json.h"

namespace sg::run {

struct SweepRun {
  std::string tag;     // its --config-tag: "<axis>-<value>" for each grid axis, joined by '_'
  std::string run_id;  // skillgrad_<executor model>_<tag>[...]
  std::vector<std::string> train_args;    // "train" and its flags, --config-tag included
  std::vector<std::string> collect_args;  // "collect" and the run flags collect takes
  std::vector<std::string> eval_args;     // "eval --run <id>" and flags; empty: no eval
  Json cell = Json::object();             // the grid's value of each axis for this run
};

struct SweepSpec {
  std::string name;
  std::filesystem::path file;
  std::filesystem::path results_root;  // train's results-root ("results" when not given)
  std::vector<SweepRun> runs;          // in grid order (axes sorted by name, the last fastest)
  // The distinct collect command lines of the runs, in first-use order: one collection per
  // executor model and split, shared by every run that needs it.
  std::vector<std::vector<std::string>> collects;
};

// Reads and expands `file`.
Result<SweepSpec> LoadSweep(const std::filesystem::path& file);
// The same from a parsed document; `file` names it in errors.
Result<SweepSpec> ExpandSweep(const Json& doc, const std::filesystem::path& file);

}  // namespace sg::run
