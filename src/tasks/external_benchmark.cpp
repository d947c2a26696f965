// OpenExternalBenchmark: any benchmark described by files, no rebuild needed.
//
//   <dir>/benchmark.json  {"name": "...", "domain": "...", "grader": ["python3", "grade.py"],
//                          "timeout_seconds": 60, "submit_answer": false}
//   <dir>/tasks.jsonl     one task per line: {"id": ..., "prompt": "...",
//                          "input_files": ["inputs/a.csv", {"source": "x", "target": "y"}],
//                          ...any other fields, passed to the grader untouched}
//
// The grader runs in <dir> with {"task": <the task's line>, "output": {"workspace": <abs
// path>, "answer": <submit_answer payload or null>, "files": [<files in the workspace>]}}
// on stdin, and prints {"pass": bool, "score": number in [0, 1], "details": any,
// "comparison": "text"?} as its last non-empty stdout line. It is killed (with its process
// group) after timeout_seconds. A grader that fails, times out or prints no valid verdict is
// an Error naming the benchmark and what was wrong.
#include <set>
#include <sstream>

#include "core/file_util.h"
#include "core/json.h"
#include "tasks/benchmark.h"
#include "tasks/data_path.h"
#include "tasks/external_process.h"

namespace sg::tasks {
namespace {

namespace fs = std::filesystem;

struct ExternalConfig {
  std::string name = "external";
  std::string domain = "tasks described in each prompt";
  std::vector<std::string> grader;
  double timeout_seconds = 60;
  bool submit_answer = false;
};

struct InputFile {
  fs::path source;  // relative to the benchmark folder
  fs::path target;  // relative to the workspace
};

bool EscapesRoot(const fs::path& p) {
  if (p.empty() || p.is_absolute()) return true;
  for (const auto& part : p.lexically_normal()) {
    if (part == "..") return true;
  }
  return false;
}

Result<ExternalConfig> ReadConfig(const fs::path& dir) {
  fs::path path = dir / "benchmark.json";
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return NotFound(path.string() +
                    " does not exist; an external benchmark folder needs benchmark.json with "
                    "at least {\"grader\": [\"command\", \"args\"...]} (see docs/benchmarks.md)");
  }
  SG_ASSIGN_OR_RETURN(Json json, ReadJsonFile(path));
  if (!json.is_object()) return ParseError(path.string() + ": must be a JSON object");
  ExternalConfig config;
  auto grader = json.find("grader");
  if (grader == json.end() || !grader->is_array() || grader->empty()) {
    return InvalidArgument(path.string() +
                           ": field \"grader\" must be a non-empty array: the command and its "
                           "arguments, e.g. [\"python3\", \"grade.py\"]");
  }
  for (const Json& arg : *grader) {
    if (!arg.is_string()) {
      return InvalidArgument(path.string() + ": field \"grader\" holds " + arg.dump() +
                             "; every element must be a string");
    }
    config.grader.push_back(arg.get<std::string>());
  }
  if (json.contains("timeout_seconds")) {
    const Json& t = json["timeout_seconds"];
    if (!t.is_number() || t.get<double>() <= 0) {
      return InvalidArgument(path.string() +
                             ": field \"timeout_seconds\" must be a positive number");
    }
    config.timeout_seconds = t.get<double>();
  }
  if (json.contains("name")) {
    if (!json["name"].is_string())
      return InvalidArgument(path.string() + ": \"name\" must be a string");
    config.name = json["name"].get<std::string>();
  }
  if (json.contains("domain")) {
    if (!json["domain"].is_string()) {
      return InvalidArgument(path.string() + ": \"domain\" must be a string");
    }
    config.domain = json["domain"].get<std::string>();
  }
  if (json.contains("submit_answer")) {
    if (!json["submit_answer"].is_boolean()) {
      return InvalidArgument(path.string() + ": \"submit_answer\" must be true or false");
    }
    config.submit_answer = json["submit_answer"].get<bool>();
  }
  return config;
}

Result<std::vector<InputFile>> InputFiles(const Json& record, const std::string& where) {
  std::vector<InputFile> files;
  auto it = record.find("input_files");
  if (it == record.end() || it->is_null()) return files;
  if (!it->is_array()) return InvalidArgument(where + ": \"input_files\" must be an array");
  for (const Json& entry : *it) {
    InputFile file;
    if (entry.is_string()) {
      file.source = entry.get<std::string>();
      file.target = file.source.filename();
    } else if (entry.is_object() && entry.contains("source") && entry["source"].is_string()) {
      file.source = entry["source"].get<std::string>();
      file.target = entry.value("target", file.source.filename().string());
    } else {
      return InvalidArgument(where +
                             ": each \"input_files\" entry is a path or {\"source\", "
                             "\"target\"}, not " +
                             entry.dump());
    }
    if (EscapesRoot(file.source) || EscapesRoot(file.target)) {
      return InvalidArgument(where + ": input file " + entry.dump() +
                             " must be a relative path inside the benchmark folder");
    }
    files.push_back(std::move(file));
  }
  return files;
}

std::vector<std::string> ListFiles(const fs::path& workspace) {
  std::vector<std::string> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(workspace, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file()) files.push_back(fs::relative(it->path(), workspace).string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string Tail(const std::string& text, size_t n = 2000) {
  return text.size() <= n ? text : "..." + text.substr(text.size() - n);
}

class ExternalBenchmark : public Benchmark {
 public:
  ExternalBenchmark(fs::path root, ExternalConfig config, std::vector<Task> tasks)
      : root_(std::move(root)), config_(std::move(config)), tasks_(std::move(tasks)) {}

  std::string name() const override { return config_.name; }
  std::string domain() const override { return config_.domain; }
  const std::vector<Task>& tasks() const override { return tasks_; }

  Result<TaskPrompt> PrepareWorkspace(const Task& task, const fs::path& workspace) const override {
    SG_ASSIGN_OR_RETURN(auto files, InputFiles(task.record, "task " + task.id));
    for (const InputFile& file : files) {
      fs::path target = workspace / file.target;
      std::error_code ec;
      fs::create_directories(target.parent_path(), ec);
      SG_RETURN_IF_ERROR(CopyDataFile(root_, file.source, target, task.id));
    }
    TaskPrompt prompt;
    prompt.text = task.instruction;
    prompt.offers_submit_answer = config_.submit_answer;
    return prompt;
  }

  Result<Verdict> Grade(const Task& task, const fs::path& workspace,
                        const Json& submitted) const override {
    Json input = {{"task", task.record},
                  {"output",
                   {{"workspace", fs::absolute(workspace).string()},
                    {"answer", submitted},
                    {"files", ListFiles(workspace)}}}};
    std::string who = "grader of " + config_.name + " (" + (root_ / "benchmark.json").string() +
                      ") on task " + task.id;
    auto timeout = std::chrono::milliseconds(static_cast<int64_t>(config_.timeout_seconds * 1000));
    SG_ASSIGN_OR_RETURN(ProcessResult run,
                        RunProcess(config_.grader, root_, DumpJson(input) + "\n", timeout));
    if (run.timed_out) {
      return Error(ErrorCode::kTimeout,
                   who + ": no verdict within " + std::to_string(config_.timeout_seconds) +
                       " s; it was killed. Raise \"timeout_seconds\" in benchmark.json or "
                       "make the grader faster");
    }
    if (run.exit_code != 0) {
      return InvalidArgument(who + ": exited with " +
                             (run.signal ? "signal " + std::to_string(run.signal)
                                         : "status " + std::to_string(run.exit_code)) +
                             "; stderr: " + Tail(run.stderr_text));
    }
    return ParseVerdict(run.stdout_text, who);
  }

 private:
  static Result<Verdict> ParseVerdict(const std::string& out, const std::string& who) {
    std::string last;
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
      if (line.find_first_not_of(" \t\r") != std::string::npos) last = line;
    }
    const std::string expected =
        "; it must print {\"pass\": true|false, \"score\": 0..1, \"details\": ...} as its last "
        "line";
    if (last.empty()) return ParseError(who + ": printed nothing" + expected);
    auto json = ParseJson(last, who + " output");
    if (!json.ok())
      return ParseError(who + ": last line is not JSON: " + Tail(last, 300) + expected);
    if (!json->is_object() || !json->contains("pass") || !(*json)["pass"].is_boolean()) {
      return ParseError(who + ": verdict " + Tail(last, 300) + " has no boolean \"pass\"" +
                        expected);
    }
    Verdict verdict;
    verdict.pass = (*json)["pass"].get<bool>();
    verdict.score = verdict.pass ? 1.0 : 0.0;
    if (json->contains("score")) {
      const Json& score = (*json)["score"];
      if (!score.is_number() || score.get<double>() < 0 || score.get<double>() > 1) {
        return ParseError(who + ": \"score\" is " + score.dump() +
                          "; it must be a number in [0, 1]");
      }
      verdict.score = score.get<double>();
    }
    verdict.details = json->value("details", Json::object());
    if (json->contains("comparison") && (*json)["comparison"].is_string()) {
      verdict.comparison = (*json)["comparison"].get<std::string>();
    } else {
      verdict.comparison = std::string(verdict.pass ? "PASS" : "FAIL") +
                           (verdict.details.empty() ? "" : ": " + DumpJson(verdict.details, 2));
    }
    return verdict;
  }

  fs::path root_;
  ExternalConfig config_;
  std::vector<Task> tasks_;
};

}  // namespace

Result<std::unique_ptr<Benchmark>> OpenExternalBenchmark(const fs::path& data_dir) {
  SG_ASSIGN_OR_RETURN(ExternalConfig config, ReadConfig(data_dir));
  fs::path tasks_path = data_dir / "tasks.jsonl";
  auto text = ReadFile(tasks_path);
  if (!text.ok()) {
    return NotFound(tasks_path.string() +
                    " cannot be read; an external benchmark lists its tasks there, one JSON "
                    "object per line with \"id\" and \"prompt\"");
  }
  std::vector<Task> tasks;
  std::set<std::string> seen;
  std::istringstream lines(*text);
  int n = 0;
  for (std::string line; std::getline(lines, line);) {
    ++n;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::string where = tasks_path.string() + ":" + std::to_string(n);
    SG_ASSIGN_OR_RETURN(Json record, ParseJson(line, where));
    if (!record.is_object()) return ParseError(where + ": each line must be a JSON object");
    Task task;
    const Json& id = record.contains("id") ? record["id"] : Json();
    if (id.is_string()) {
      task.id = id.get<std::string>();
    } else if (id.is_number_integer()) {
      task.id = std::to_string(id.get<int64_t>());
    } else {
      return InvalidArgument(where + ": \"id\" must be a string or an integer");
    }
    if (task.id.empty()) return InvalidArgument(where + ": \"id\" is empty");
    if (!seen.insert(task.id).second) {
      return InvalidArgument(where + ": id '" + task.id + "' is used by an earlier task");
    }
    if (!record.contains("prompt") || !record["prompt"].is_string()) {
      return InvalidArgument(where + ": \"prompt\" must be a string (what the agent is asked)");
    }
    task.instruction = record["prompt"].get<std::string>();
    if (record.contains("instruction_type") && record["instruction_type"].is_string()) {
      task.instruction_type = record["instruction_type"].get<std::string>();
    }
    SG_ASSIGN_OR_RETURN(auto files, InputFiles(record, where));
    for (const InputFile& file : files) {
      std::error_code ec;
      if (!fs::is_regular_file(data_dir / file.source, ec)) {
        return NotFound(where + ": input file " + (data_dir / file.source).string() +
                        " does not exist");
      }
    }
    task.record = std::move(record);
    tasks.push_back(std::move(task));
  }
  if (tasks.empty()) return InvalidArgument(tasks_path.string() + " holds no task");
  return std::unique_ptr<Benchmark>(
      new ExternalBenchmark(data_dir, std::move(config), std::move(tasks)));
}

}  // namespace sg::tasks
