// The benchmark interface the optimizer is written against. A benchmark knows its tasks,
// how to set up an executor's workspace and phrase its prompt, and how to grade what the
// executor left behind. Graders never call a model.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/json.h"

namespace sg::tasks {

struct Task {
  std::string id;           // always a string, even where the data file has a number
  std::string instruction;  // the natural-language task
  // e.g. "Cell-Level Manipulation"; empty when the benchmark has none
  std::string instruction_type;
  Json record;  // the task's raw record from the data files
  // The record's index in the benchmark's data file (SpreadsheetBench: dataset.json), which
  // splits are shuffled and sorted by; unset when the benchmark has no such file, and then a
  // split uses the task's index in tasks().
  std::optional<size_t> position;
};

// How a benchmark is opened. The defaults are the SkillGrad authors' choices.
struct OpenOptions {
  // SpreadsheetBench: leave out the records that carry an `exclude` note. An extension (the
  // authors' code does not read the note); off by default.
  bool honor_exclude = false;
  // SpreadsheetBench's grader: "skillgrad" (the method's cell accuracy) or "official"
  // (evaluation.py's verdict); see tasks/spreadsheetbench_grader.h.
  std::string grader = "skillgrad";
};

// What the executor is told, after PrepareWorkspace has copied its inputs.
struct TaskPrompt {
  std::string text;
  std::string hints;  // extra lines the executor sees only with --task-hints; may be empty
  bool offers_submit_answer = false;  // table QA: the run ends with a submit_answer tool call
};

struct Verdict {
  bool pass = false;   // hard: every test case passed
  double score = 0.0;  // soft: fraction of test cases passed (or mean cell accuracy), in [0, 1]
  // Graders that count cells (SpreadsheetBench): expected cells and those matched, summed
  // over test cases, and the cell accuracy (mean over test cases).
  std::optional<std::uint64_t> match_count, total_count;
  std::optional<double> cell_accuracy;
  bool no_output = false;  // no test case left an output to grade
  // Machine-readable comparison (per test case, each differing cell or value with expected
  // and actual); diagnosers read `comparison`, a plain-text rendering of the same.
  Json details = Json::object();
  std::string comparison;
};

// A task whose grader verdicts look wrong before anything is run on it: its answer does not
// pass against itself (no output can pass), or its untouched input already passes.
struct SuspectTask {
  std::string id;
  std::string reason;
};

class Benchmark {
 public:
  virtual ~Benchmark() = default;
  virtual std::string name() const = 0;
  // Domain wording that the role prompts are filled with, e.g. "spreadsheet manipulation
  // tasks solved by editing .xlsx workbooks with Python (openpyxl)".
  virtual std::string domain() const = 0;
  // The valid tasks, in the data's order. Skipped tasks are reported by the loader.
  virtual const std::vector<Task>& tasks() const = 0;
  const Task* FindTask(std::string_view id) const;
  // Records left out because of an `exclude` note (OpenOptions::honor_exclude); 0 otherwise.
  virtual size_t excluded_count() const { return 0; }
  // The grader's self-check, with no model involved: grades every task's answer against itself
  // and its input against its answer. Empty for a benchmark without answer files.
  virtual std::vector<SuspectTask> SelfCheck(int concurrency) const { return {}; }

  // Copies the task's inputs into `workspace` (an empty directory) and returns the prompt.
  virtual Result<TaskPrompt> PrepareWorkspace(const Task& task,
                                              const std::filesystem::path& workspace) const = 0;
  // Grades what the run left in `workspace`; `submitted` is the submit_answer payload (null
  // when the benchmark does not use it). An output that is missing or unreadable is a failed
  // verdict explaining why; an Error means the grader itself could not run.
  virtual Result<Verdict> Grade(const Task& task, const std::filesystem::path& workspace,
                                const Json& submitted) const = 0;
};

// The benchmark registry (registry.cpp), the only list of the --benchmark names: help texts,
// flag validation and OpenBenchmark read it. In the order messages list them:
// "spreadsheetbench", "wtq", "external".
const std::vector<std::string>& BenchmarkNames();
// The names for a message or a help text: "spreadsheetbench, wtq or external".
std::string BenchmarkNamesText();

// One of BenchmarkNames(); `data_dir` is the benchmark's root folder. Errors name the folder
// and what was expected in it, or list the known names.
Result<std::unique_ptr<Benchmark>> OpenBenchmark(std::string_view name,
                                                 const std::filesystem::path& data_dir,
                                                 const OpenOptions& options = {});

// Provided by each benchmark's own file; OpenBenchmark dispatches to them.
Result<std::unique_ptr<Benchmark>> OpenSpreadsheetBench(const std::filesystem::path& data_dir);
Result<std::unique_ptr<Benchmark>> OpenWtqBenchmark(const std::filesystem::path& data_dir);
Result<std::unique_ptr<Benchmark>> OpenExternalBenchmark(const std::filesystem::path& data_dir);

}  // namespace sg::tasks
