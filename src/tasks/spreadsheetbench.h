// SpreadsheetBench as a Benchmark: tasks from dataset.json, one or more test cases per
// task (input workbook + answer workbook), graded by comparing the executor's output
// workbooks with the answers at the task's answer_position.
//
// Test-case files in spreadsheet/<id>/ follow one of three conventions:
//   <n>_<id>_input.xlsx / <n>_<id>_answer.xlsx   (the original release)
//   <n>_<id>_init.xlsx  / <n>_<id>_golden.xlsx   (the verified release)
//   initial.xlsx        / golden.xlsx            (a few verified tasks; one case)
// The executor writes <n>_<id>_output.xlsx next to each <n>_<id>_input.xlsx it was given.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tasks/benchmark.h"
#include "tasks/spreadsheetbench_grader.h"

namespace sg::tasks {

struct SpreadsheetBenchOptions {
  bool recalc = true;  // recalculate outputs with LibreOffice before comparing
  xlsx::RecalcOptions recalc_options;
  // Leave out records with an `exclude` note (OpenOptions::honor_exclude). Off: the note is
  // not read, as in the authors' code; a record is a task when it has a test case.
  bool honor_exclude = false;
  GraderKind grader = GraderKind::kSkillgrad;  // --grader: which comparison decides
};

struct SpreadsheetBenchTestCase {
  int index = 1;  // the <n> of the file names
  std::filesystem::path input;
  std::filesystem::path answer;
  std::string InputName(const std::string& id) const;   // "<n>_<id>_input.xlsx"
  std::string OutputName(const std::string& id) const;  // "<n>_<id>_output.xlsx"
};

struct SkippedTask {
  std::string id;
  std::string reason;  // the exclude note, or why no test case was usable
};

class SpreadsheetBench : public Benchmark {
 public:
  static Result<std::unique_ptr<SpreadsheetBench>> Open(const std::filesystem::path& data_dir,
                                                        SpreadsheetBenchOptions options = {});

  std::string name() const override { return "spreadsheetbench"; }
  std::string domain() const override;
  const std::vector<Task>& tasks() const override { return tasks_; }
  Result<TaskPrompt> PrepareWorkspace(const Task& task,
                                      const std::filesystem::path& workspace) const override;
  Result<Verdict> Grade(const Task& task, const std::filesystem::path& workspace,
                        const Json& submitted) const override;

  // Tasks left out: without a usable test case, or (honor_exclude) excluded by a note.
  const std::vector<SkippedTask>& skipped() const { return skipped_; }
  size_t excluded_count() const override { return excluded_count_; }
  // Per test case, without recalculation: the answer against itself must pass, the input
  // against the answer must fail.
  std::vector<SuspectTask> SelfCheck(int concurrency) const override;
  const std::vector<SpreadsheetBenchTestCase>& test_cases(const Task& task) const;

 private:
  SpreadsheetBench() = default;
  // A test-case file's path relative to data_dir_, for ResolveDataFile / CopyDataFile.
  std::filesystem::path DataRelative(const std::filesystem::path& file) const;
  std::filesystem::path data_dir_;
  SpreadsheetBenchOptions options_;
  std::vector<Task> tasks_;
  std::vector<std::vector<SpreadsheetBenchTestCase>> cases_;  // parallel to tasks_
  std::vector<SkippedTask> skipped_;
  size_t excluded_count_ = 0;
};

// Test cases found in a task folder, sorted by index; `problems` gets a line for each
// input without its answer (or answer without input).
std::vector<SpreadsheetBenchTestCase> FindTestCases(const std::filesystem::path& folder,
                                                    const std::string& id,
                                                    std::vector<std::string>& problems);

// OpenSpreadsheetBench (benchmark.h) with explicit options.
Result<std::unique_ptr<Benchmark>> OpenSpreadsheetBench(const std::filesystem::path& data_dir,
                                                        const SpreadsheetBenchOptions& options);

}  // namespace sg::tasks
