// OpenWtqBenchmark: WikiTableQuestions as a Benchmark. The root folder holds data/*.tsv
// (question files, read in file-name order; an id already seen in an earlier file is
// skipped, as the random-split files repeat training.tsv), the csv/ tables, and optionally
// tagged/data/*.tagged whose targetCanon columns give the targets' CoreNLP values.
#include <set>

#include "core/log.h"
#include "tasks/benchmark.h"
#include "tasks/data_path.h"
#include "tasks/wtq_grade.h"
#include "tasks/wtq_table.h"

namespace sg::tasks {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> FilesWithExtension(const fs::path& dir, const std::string& ext) {
  std::vector<fs::path> files;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ext) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

class WtqBenchmark : public Benchmark {
 public:
  WtqBenchmark(fs::path root, std::vector<Task> tasks)
      : root_(std::move(root)), tasks_(std::move(tasks)) {}

  std::string name() const override { return "wtq"; }
  std::string domain() const override {
    return "table question answering over Wikipedia tables given as CSV files, answered by "
           "reading the table (with Python and pandas if useful) and submitting the answer "
           "values";
  }
  const std::vector<Task>& tasks() const override { return tasks_; }

  Result<TaskPrompt> PrepareWorkspace(const Task& task, const fs::path& workspace) const override {
    std::error_code ec;
    fs::create_directories(workspace, ec);
    const std::string context = task.record["context"].get<std::string>();
    const fs::path table = workspace / "table.csv";
    SG_RETURN_IF_ERROR(CopyDataFile(root_, context, table, task.id));
    // The header is read from the copy: exactly what the agent sees.
    auto read = wtq::ReadWtqCsv(table);
    if (!read.ok()) {
      return read.error().WithContext("task " + task.id + ": table " + (root_ / context).string());
    }
    wtq::Table rows = std::move(read).value();
    std::string columns;
    if (!rows.empty()) {
      for (size_t i = 0; i < rows[0].size(); ++i) {
        columns += (i ? " | " : "") + rows[0][i];
      }
    }
    TaskPrompt prompt;
    prompt.offers_submit_answer = true;
    prompt.text =
        "Answer a question about the table in table.csv (in the working directory; " +
        std::to_string(rows.empty() ? 0 : rows.size() - 1) + " data rows; header: " + columns +
        "). Cells are quoted CSV fields; a header may span several lines.\n\n"
        "Question: " +
        task.instruction +
        "\n\nWhen you know the answer, call submit_answer with the answer values: one value "
        "for a single answer, several for a list (order does not matter). Give numbers as "
        "plain numbers and dates as yyyy-mm-dd (xx for an unknown part).";
    return prompt;
  }

  Result<Verdict> Grade(const Task& task, const fs::path& workspace,
                        const Json& submitted) const override {
    (void)workspace;
    auto targets = task.record["targets"].get<std::vector<std::string>>();
    std::vector<std::string> canon;
    if (task.record.contains("target_canon")) {
      canon = task.record["target_canon"].get<std::vector<std::string>>();
    }
    Verdict verdict;
    auto items = wtq::AnswerItems(submitted);
    if (!items.ok()) {
      verdict.details = {{"error", items.error().message}, {"targets", targets}};
      verdict.comparison = "FAIL: " + items.error().message;
      return verdict;
    }
    wtq::AnswerGrade grade = wtq::GradeAnswer(targets, *items, canon);
    verdict.pass = grade.pass;
    verdict.score = grade.pass ? 1.0 : 0.0;
    verdict.details = std::move(grade.details);
    verdict.comparison = std::move(grade.comparison);
    return verdict;
  }

 private:
  fs::path root_;
  std::vector<Task> tasks_;
};

}  // namespace

Result<std::unique_ptr<Benchmark>> OpenWtqBenchmark(const fs::path& data_dir) {
  std::vector<fs::path> question_files = FilesWithExtension(data_dir / "data", ".tsv");
  if (question_files.empty()) {
    return NotFound(data_dir.string() +
                    " has no data/*.tsv question files; point --data-dir at the "
                    "WikiTableQuestions root (the folder holding data/ and csv/)");
  }
  std::map<std::string, std::vector<std::string>> canon_by_id;
  for (const fs::path& tagged : FilesWithExtension(data_dir / "tagged" / "data", ".tagged")) {
    SG_ASSIGN_OR_RETURN(auto questions, wtq::ReadQuestionFile(tagged));
    for (auto& q : questions) {
      if (!q.target_canon.empty() && q.target_canon.size() == q.targets.size()) {
        canon_by_id.emplace(q.id, std::move(q.target_canon));
      }
    }
  }

  std::vector<Task> tasks;
  std::set<std::string> seen;
  size_t missing_tables = 0;
  for (const fs::path& file : question_files) {
    SG_ASSIGN_OR_RETURN(auto questions, wtq::ReadQuestionFile(file));
    for (auto& q : questions) {
      if (!seen.insert(q.id).second) continue;  // repeated by a later split file
      std::error_code ec;
      fs::path context(q.context);
      if (context.is_absolute() || q.context.find("..") != std::string::npos ||
          !fs::is_regular_file(data_dir / context, ec)) {
        ++missing_tables;
        log::Warn("wtq: skipping " + q.id + ": its table " + (data_dir / q.context).string() +
                  " does not exist");
        continue;
      }
      Task task;
      task.id = q.id;
      task.instruction = q.utterance;
      task.record = {{"id", q.id},           {"utterance", q.utterance},
                     {"context", q.context}, {"targetValue", q.target_value},
                     {"targets", q.targets}, {"source", file.filename().string()}};
      if (auto it = canon_by_id.find(q.id); it != canon_by_id.end()) {
        task.record["target_canon"] = it->second;
      }
      tasks.push_back(std::move(task));
    }
  }
  if (tasks.empty()) {
    return NotFound(data_dir.string() + ": no question has its table under csv/ (" +
                    std::to_string(missing_tables) + " skipped)");
  }
  return std::unique_ptr<Benchmark>(new WtqBenchmark(data_dir, std::move(tasks)));
}

}  // namespace sg::tasks
