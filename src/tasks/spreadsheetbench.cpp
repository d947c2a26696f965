#include "tasks/spreadsheetbench.h"

#include <set>

#include "core/json.h"
#include "core/log.h"
#include "core/parallel.h"
#include "tasks/data_path.h"

namespace sg::tasks {
namespace {

namespace fs = std::filesystem;

std::string IdString(const Json& id) {
  if (id.is_string()) return id.get<std::string>();
  if (id.is_number_integer() || id.is_number_unsigned()) return id.dump();
  if (id.is_number_float()) {
    double v = id.get<double>();
    if (v == static_cast<double>(static_cast<long long>(v))) {
      return std::to_string(static_cast<long long>(v));
    }
    return id.dump();
  }
  return "";
}

bool Excluded(const Json& record, std::string& note) {
  auto it = record.find("exclude");
  if (it == record.end() || it->is_null() || (it->is_boolean() && !it->get<bool>())) {
    return false;
  }
  note = it->is_string() ? it->get<std::string>() : it->dump();
  if (note.empty()) note = "excluded";
  return true;
}

}  // namespace

fs::path SpreadsheetBench::DataRelative(const fs::path& file) const {
  // Empty when `file` is not under data_dir_ (a spreadsheet_path that is absolute):
  // ResolveDataFile refuses it, as it refuses the '..' of a path that climbs out.
  return file.lexically_relative(data_dir_);
}

std::string SpreadsheetBenchTestCase::InputName(const std::string& id) const {
  return std::to_string(index) + "_" + id + "_input.xlsx";
}
std::string SpreadsheetBenchTestCase::OutputName(const std::string& id) const {
  return std::to_string(index) + "_" + id + "_output.xlsx";
}

std::vector<SpreadsheetBenchTestCase> FindTestCases(const fs::path& folder, const std::string& id,
                                                    std::vector<std::string>& problems) {
  std::map<int, SpreadsheetBenchTestCase> by_index;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder, ec)) {
    std::string name = entry.path().filename().string();
    auto take = [&](const std::string& input_suffix, const std::string& answer_suffix) {
      for (const std::string* suffix : {&input_suffix, &answer_suffix}) {
        std::string tail = "_" + id + *suffix;
        if (name.size() <= tail.size() ||
            name.compare(name.size() - tail.size(), tail.size(), tail) != 0) {
          continue;
        }
        std::string n = name.substr(0, name.size() - tail.size());
        if (n.empty() || n.size() > 6 || !std::all_of(n.begin(), n.end(), ::isdigit)) continue;
        SpreadsheetBenchTestCase& tc = by_index[std::stoi(n)];
        tc.index = std::stoi(n);
        (suffix == &input_suffix ? tc.input : tc.answer) = entry.path();
      }
    };
    take("_input.xlsx", "_answer.xlsx");
    take("_init.xlsx", "_golden.xlsx");
    if (name == "initial.xlsx" || name == "golden.xlsx") {
      SpreadsheetBenchTestCase& tc = by_index[1];
      tc.index = 1;
      (name == "initial.xlsx" ? tc.input : tc.answer) = entry.path();
    }
  }
  std::vector<SpreadsheetBenchTestCase> cases;
  for (auto& [index, tc] : by_index) {
    if (tc.input.empty() || tc.answer.empty()) {
      problems.push_back("test case " + std::to_string(index) + " in " + folder.string() +
                         (tc.input.empty() ? " has an answer but no input workbook"
                                           : " has an input but no answer workbook"));
      continue;
    }
    cases.push_back(tc);
  }
  return cases;
}

Result<std::unique_ptr<SpreadsheetBench>> SpreadsheetBench::Open(const fs::path& data_dir,
                                                                 SpreadsheetBenchOptions options) {
  fs::path dataset_path = data_dir / "dataset.json";
  std::error_code ec;
  if (!fs::exists(dataset_path, ec)) {
    return NotFound("SpreadsheetBench data dir " + data_dir.string() +
                    " has no dataset.json; point --data-dir at the folder holding dataset.json "
                    "and spreadsheet/");
  }
  SG_ASSIGN_OR_RETURN(Json dataset, ReadJsonFile(dataset_path));
  if (!dataset.is_array()) {
    return InvalidArgument(dataset_path.string() + " must hold a JSON array of task records");
  }
  std::unique_ptr<SpreadsheetBench> bench(new SpreadsheetBench());
  bench->data_dir_ = data_dir;
  bench->options_ = options;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < dataset.size(); ++i) {
    const Json& record = dataset[i];
    std::string where = dataset_path.string() + " record " + std::to_string(i);
    if (!record.is_object()) return InvalidArgument(where + " is not a JSON object");
    std::string id = IdString(record.value("id", Json()));
    if (id.empty()) return InvalidArgument(where + " has no usable \"id\" (a string or number)");
    if (!seen.insert(id).second) return InvalidArgument(where + " repeats id " + id);
    std::string note;
    if (options.honor_exclude && Excluded(record, note)) {
      bench->skipped_.push_back({id, "excluded: " + note});
      ++bench->excluded_count_;
      continue;
    }
    for (const char* field : {"instruction", "answer_position"}) {
      if (!record.contains(field) || !record[field].is_string()) {
        return InvalidArgument(where + " (id " + id + ") has no string field \"" + field + "\"");
      }
    }
    std::string folder_rel = record.value("spreadsheet_path", "spreadsheet/" + id);
    fs::path folder = data_dir / folder_rel;
    std::vector<std::string> problems;
    std::vector<SpreadsheetBenchTestCase> cases;
    if (fs::is_directory(folder, ec)) cases = FindTestCases(folder, id, problems);
    for (const std::string& p : problems) log::Warn("spreadsheetbench task " + id + ": " + p);
    if (cases.empty()) {
      bench->skipped_.push_back(
          {id, "no test case (input + answer workbook) in " + folder.string()});
      continue;
    }
    Task task;
    task.id = id;
    task.instruction = record["instruction"].get<std::string>();
    task.instruction_type = record.value("instruction_type", "");
    task.record = record;
    task.position = i;
    bench->tasks_.push_back(std::move(task));
    bench->cases_.push_back(std::move(cases));
  }
  for (const SkippedTask& s : bench->skipped_) {
    log::Info("spreadsheetbench: task " + s.id + " skipped (" + s.reason + ")");
  }
  return bench;
}

namespace {

// Why one test case's verdicts look wrong; empty when they do not.
std::string SelfCheckCase(const SpreadsheetBenchTestCase& tc, const std::string& position,
                          GraderKind grader) {
  GradeOptions check;
  check.grader = grader;
  auto same = CompareWorkbooks(tc.answer, tc.answer, position, check);
  if (!same.ok()) return "test case " + std::to_string(tc.index) + ": " + same.error().message;
  if (!same->pass) {
    return "test case " + std::to_string(tc.index) +
           ": its answer does not pass against itself, so no output can pass (" +
           (same->problems.empty() ? std::string("cell values differ") : same->problems[0]) + ")";
  }
  auto input = CompareWorkbooks(tc.answer, tc.input, position, check);
  if (input.ok() && input->pass) {
    return "test case " + std::to_string(tc.index) +
           ": its untouched input already passes, so doing nothing passes";
  }
  return "";
}

}  // namespace

std::vector<SuspectTask> SpreadsheetBench::SelfCheck(int concurrency) const {
  std::vector<std::string> reasons(tasks_.size());
  Status ran = ParallelFor(tasks_.size(), concurrency, [&](size_t i) {
    const std::string position = tasks_[i].record.value("answer_position", "");
    for (const SpreadsheetBenchTestCase& tc : cases_[i]) {
      std::string reason = SelfCheckCase(tc, position, options_.grader);
      if (!reason.empty()) {
        reasons[i] = std::move(reason);
        return;
      }
    }
  });
  std::vector<SuspectTask> suspects;
  if (!ran.ok()) {
    log::Warn("spreadsheetbench: the grader self-check did not finish: " + ran.error().message);
  }
  for (size_t i = 0; i < tasks_.size(); ++i) {
    if (!reasons[i].empty()) suspects.push_back({tasks_[i].id, reasons[i]});
  }
  return suspects;
}

std::string SpreadsheetBench::domain() const {
  return "spreadsheet manipulation tasks solved by editing .xlsx workbooks with Python "
         "(openpyxl)";
}

const std::vector<SpreadsheetBenchTestCase>& SpreadsheetBench::test_cases(const Task& task) const {
  static const std::vector<SpreadsheetBenchTestCase> kNone;
  for (std::size_t i = 0; i < tasks_.size(); ++i) {
    if (tasks_[i].id == task.id) return cases_[i];
  }
  return kNone;
}

Result<TaskPrompt> SpreadsheetBench::PrepareWorkspace(const Task& task,
                                                      const fs::path& workspace) const {
  const auto& cases = test_cases(task);
  if (cases.empty()) return NotFound("spreadsheetbench has no task " + task.id);
  std::error_code ec;
  fs::create_directories(workspace, ec);
  // Absolute paths, as the agent's shell sees them (the workspace is its working directory).
  fs::path where = fs::weakly_canonical(fs::absolute(workspace, ec), ec);
  if (ec) where = fs::absolute(workspace);
  std::string inputs, outputs;
  for (const SpreadsheetBenchTestCase& tc : cases) {
    // CopyDataFile creates the copy writable by its owner, whatever the data's modes.
    SG_RETURN_IF_ERROR(CopyDataFile(data_dir_, DataRelative(tc.input),
                                    workspace / tc.InputName(task.id), task.id));
    const std::string input = (where / tc.InputName(task.id)).string();
    const std::string output = (where / tc.OutputName(task.id)).string();
    if (cases.size() == 1) {
      inputs = input;
      outputs = output;
    } else {
      inputs += "\n- " + input;
      outputs += "\n- " + output + " (from " + tc.InputName(task.id) + ")";
    }
  }
  const std::string position = task.record.value("answer_position", "");
  // The method's message: the request, the input, four steps and the openpyxl reminder.
  TaskPrompt prompt;
  prompt.text =
      "A user needs help with a spreadsheet.\n\n## The request\n" + task.instruction +
      "\n\n## Input workbook\n" +
      (cases.size() == 1 ? "The workbook is at " + inputs
                         : "Apply the same solution to each of these workbooks:" + inputs) +
      "\n\n## Steps\n1. Read the input workbook.\n2. Write Python code that does what "
      "the user asks.\n3. Save the result to " +
      (cases.size() == 1 ? outputs : "the output of each input:" + outputs) +
      "\n4. The answer must appear in the cells " + position +
      ".\n\nRead and write the workbook with openpyxl, and remember to save it after "
      "your changes.\n";
  // With --task-hints only (the method does not give them).
  prompt.hints = "Instruction type: " + task.instruction_type + "\n";
  if (task.record.contains("answer_sheet") && task.record["answer_sheet"].is_string()) {
    prompt.hints += "Answer sheet: " + task.record["answer_sheet"].get<std::string>() + "\n";
  }
  prompt.hints +=
      "Leave the input files unchanged. Cells in the answer position are checked by value "
      "after the workbook is recalculated.\n";
  return prompt;
}

Result<Verdict> SpreadsheetBench::Grade(const Task& task, const fs::path& workspace,
                                        const Json& submitted) const {
  const auto& cases = test_cases(task);
  if (cases.empty()) return NotFound("spreadsheetbench has no task " + task.id);
  GradeOptions grade_options;
  grade_options.grader = options_.grader;
  grade_options.recalc = options_.recalc;
  grade_options.recalc_options = options_.recalc_options;
  std::string answer_position = task.record.value("answer_position", "");
  Verdict verdict;
  Json per_case = Json::array();
  int passed = 0, outputs = 0;
  std::uint64_t match_count = 0, total_count = 0;
  double accuracy_sum = 0;
  for (const SpreadsheetBenchTestCase& tc : cases) {
    // The answer never enters the workspace, but its cells reach the diagnoser's prompt.
    SG_ASSIGN_OR_RETURN(fs::path answer,
                        ResolveDataFile(data_dir_, DataRelative(tc.answer), task.id));
    fs::path output = workspace / tc.OutputName(task.id);
    grade_options.recalc_options.output =
        workspace / (std::to_string(tc.index) + "_" + task.id + "_output.recalc.xlsx");
    SG_ASSIGN_OR_RETURN(WorkbookComparison cmp,
                        CompareWorkbooks(answer, output, answer_position, grade_options));
    if (cmp.pass) ++passed;
    match_count += cmp.match_count;
    total_count += cmp.total_count;
    accuracy_sum += cmp.output_missing ? 0.0 : cmp.cell_accuracy();
    outputs += cmp.output_missing ? 0 : 1;
    Json entry = cmp.ToJson();
    entry["test_case"] = tc.index;
    entry["output"] = tc.OutputName(task.id);
    per_case.push_back(std::move(entry));
    verdict.comparison += "Test case " + std::to_string(tc.index) + " (" + tc.OutputName(task.id) +
                          "): " + cmp.ToText();
  }
  const double n_cases = static_cast<double>(cases.size());
  verdict.match_count = match_count;
  verdict.total_count = total_count;
  verdict.cell_accuracy = accuracy_sum / n_cases;
  verdict.no_output = outputs == 0;
  // The method's soft score is the cell accuracy; the official one, the cases passed.
  verdict.score =
      options_.grader == GraderKind::kSkillgrad ? *verdict.cell_accuracy : passed / n_cases;
  verdict.pass = passed == static_cast<int>(cases.size());
  verdict.details = {{"answer_position", answer_position},
                     {"grader", GraderName(options_.grader)},
                     {"test_cases", std::move(per_case)}};
  return verdict;
}

Result<std::unique_ptr<Benchmark>> OpenSpreadsheetBench(const fs::path& data_dir,
                                                        const SpreadsheetBenchOptions& options) {
  SG_ASSIGN_OR_RETURN(std::unique_ptr<SpreadsheetBench> bench,
                      SpreadsheetBench::Open(data_dir, options));
  return std::unique_ptr<Benchmark>(std::move(bench));
}

Result<std::unique_ptr<Benchmark>> OpenSpreadsheetBench(const fs::path& data_dir) {
  return OpenSpreadsheetBench(data_dir, SpreadsheetBenchOptions{});
}

}  // namespace sg::tasks
