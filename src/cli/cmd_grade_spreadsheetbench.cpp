// `skillgrad grade spreadsheetbench`: compare output workbooks with golden ones at an
// answer_position, with the official evaluator's semantics. One pair from flags (prints
// one JSON object; exit 0 pass, 1 fail, 2 error) or many from --batch FILE.jsonl (prints
// one JSON line per input line, in order; exit 0 once every line has its answer).
#include <condition_variable>
#include <fstream>
#include <iostream>

#include "cli/command.h"
#include "core/json.h"
#include "tasks/spreadsheetbench_grader.h"

namespace sg::cli {
namespace {

struct GradeSpreadsheetBenchFlags {
  std::string golden, output, answer_position, batch;
  std::string grader = "skillgrad";
  bool recalc = false;
  double recalc_timeout_s = 120;
  int jobs = 1;
};

void RunBatch(const GradeSpreadsheetBenchFlags& flags, const tasks::GradeOptions& options) {
  std::ifstream in(flags.batch);
  if (!in) Fail(NotFound("--batch " + flags.batch + " cannot be read"));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    lines.push_back(std::move(line));
  }
  std::vector<std::string> answers(lines.size());
  std::atomic<std::size_t> next{0};
  std::mutex mu;
  std::condition_variable cv;
  std::vector<bool> done(lines.size(), false);
  auto worker = [&] {
    for (std::size_t i; (i = next++) < lines.size();) {
      Result<Json> request = ParseJson(lines[i], "--batch line " + std::to_string(i + 1));
      Json answer = request.ok() ? tasks::GradeRequest(*request, options)
                                 : Json{{"error", request.error().message}};
      std::lock_guard<std::mutex> lock(mu);
      answers[i] = DumpJson(answer);
      done[i] = true;
      cv.notify_all();
    }
  };
  std::vector<std::thread> workers;
  for (int j = 0; j < std::max(1, flags.jobs); ++j) workers.emplace_back(worker);
  for (std::size_t i = 0; i < lines.size(); ++i) {  // print in input order as results arrive
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return done[i]; });
    std::cout << answers[i] << "\n" << std::flush;
  }
  for (std::thread& t : workers) t.join();
  ExitWith(0);
}

}  // namespace

void RegisterGradeSpreadsheetBench(CLI::App& grade) {
  auto flags = std::make_shared<GradeSpreadsheetBenchFlags>();
  auto* cmd = grade.add_subcommand(
      "spreadsheetbench", "Compare output workbooks with golden ones at an answer_position");
  cmd->add_option("--golden", flags->golden, "Golden (answer) workbook .xlsx");
  cmd->add_option("--output", flags->output, "Output workbook .xlsx to grade");
  cmd->add_option("--answer-position", flags->answer_position,
                  "Cells to compare, e.g. \"'Sheet1'!A1:B5,C7\" or A:G");
  cmd->add_option("--grader", flags->grader,
                  "skillgrad: the SkillGrad method's cell accuracy (pass at 1.0); official: "
                  "SpreadsheetBench's evaluation.py verdict")
      ->capture_default_str();
  cmd->add_flag("--recalc", flags->recalc,
                "Recalculate the output with LibreOffice first (copy written beside it)");
  cmd->add_option("--recalc-timeout", flags->recalc_timeout_s,
                  "Seconds before a LibreOffice run is killed")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--batch", flags->batch,
                  "JSONL file of {golden, output, answer_position[, recalc]} requests");
  cmd->add_option("--jobs", flags->jobs, "Requests graded in parallel with --batch")
      ->check(CLI::Range(1, 64));
  cmd->callback([flags] {
    tasks::GradeOptions options;
    Result<tasks::GraderKind> grader = tasks::ParseGraderKind(flags->grader, "--grader");
    if (!grader.ok()) Fail(grader.error());
    options.grader = *grader;
    options.recalc = flags->recalc;
    options.recalc_options.timeout =
        std::chrono::milliseconds(static_cast<long long>(flags->recalc_timeout_s * 1000));
    if (!flags->batch.empty()) {
      if (!flags->golden.empty() || !flags->output.empty() || !flags->answer_position.empty()) {
        Fail(
            InvalidArgument("--batch cannot be combined with --golden/--output/--answer-position"));
      }
      RunBatch(*flags, options);
    }
    if (flags->golden.empty() || flags->output.empty() || flags->answer_position.empty()) {
      Fail(InvalidArgument(
          "grade spreadsheetbench needs --golden, --output and --answer-position (or --batch)"));
    }
    Result<tasks::WorkbookComparison> result =
        tasks::CompareWorkbooks(flags->golden, flags->output, flags->answer_position, options);
    if (!result.ok()) Fail(result.error());
    Json out = result->ToJson();
    out["comparison"] = result->ToText();
    std::cout << DumpJson(out) << "\n";
    ExitWith(result->pass ? 0 : 1);
  });
}

}  // namespace sg::cli
