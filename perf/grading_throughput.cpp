// Grading throughput: skillgrad's SpreadsheetBench grader against the official evaluator's
// approach (openpyxl load_workbook(data_only=True) of both workbooks, then cell-by-cell
// comparison; perf/spreadsheetbench_reference.py) on the same workbooks in one run:
//   - a generated workbook pair of 100,000 populated cells compared over all of them;
//   - the ten real SpreadsheetBench samples, each input graded against its golden.
// Prints seconds per round for both and the speedup; exits 1 when the speedup on either
// set is below the target (20x), 2 when the baseline cannot run.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/testing.h"
#include "tasks/spreadsheetbench_grader.h"

namespace {

namespace fs = std::filesystem;
using sg::Json;
using sg::tasks::CompareWorkbookFiles;

constexpr double kTarget = 20.0;
constexpr const char* kPython = "/usr/bin/python3";

struct Request {
  fs::path golden, output;
  std::string position;
};

// The stdout of a shell command line.
std::string Run(const std::string& cmd) { return sg::testing::RunCommand(cmd).output; }

void WriteManifest(const fs::path& path, const std::vector<Request>& requests) {
  std::ofstream out(path);
  for (const Request& r : requests) {
    out << Json{{"golden", r.golden.string()},
                {"output", r.output.string()},
                {"answer_position", r.position}}
               .dump()
        << "\n";
  }
}

struct Timing {
  double seconds_per_round = 0;
  int passed = 0;
};

Timing TimeOpenpyxl(const fs::path& script, const fs::path& manifest, int rounds) {
  std::string out = Run(std::string(kPython) + " " + script.string() + " time " +
                        manifest.string() + " " + std::to_string(rounds) + " 2>/dev/null");
  Json j = Json::parse(out, nullptr, false);
  if (j.is_discarded() || !j.contains("seconds_per_round")) return {-1, 0};
  return {j["seconds_per_round"].get<double>(), j["passed"].get<int>()};
}

Timing TimeSkillgrad(const std::vector<Request>& requests, int rounds) {
  Timing t;
  auto start = std::chrono::steady_clock::now();
  for (int round = 0; round < rounds; ++round) {
    t.passed = 0;
    for (const Request& r : requests) {
      auto result = CompareWorkbookFiles(r.golden, r.output, r.position);
      if (!result.ok()) {
        std::cerr << "grading failed: " << result.error().message << "\n";
        std::exit(2);
      }
      t.passed += result->pass;
    }
  }
  t.seconds_per_round =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / rounds;
  return t;
}

}  // namespace

int main() {
  fs::path source = sg::testing::SourceDir();
  fs::path script = source / "perf" / "spreadsheetbench_reference.py";
  if (sg::testing::RunCommand(std::string(kPython) + " -c 'import openpyxl' 2>/dev/null")
          .exit_code != 0) {
    std::cerr << "grading_throughput: " << kPython
              << " with openpyxl is needed for the baseline (Debian: python3-openpyxl)\n";
    return 2;
  }
  sg::testing::TempDir tmp;

  // The 100,000-cell pair (every 1000th cell differs in the output).
  std::string position =
      Run(std::string(kPython) + " " + script.string() + " big " + tmp.path().string() + " 100000");
  while (!position.empty() && (position.back() == '\n' || position.back() == ' ')) {
    position.pop_back();
  }
  std::vector<Request> big = {
      {tmp.path() / "big_golden.xlsx", tmp.path() / "big_output.xlsx", position}};
  if (!fs::exists(big[0].golden)) {
    std::cerr << "grading_throughput: could not generate the 100,000-cell workbook\n";
    return 2;
  }

  // The ten samples, input against golden.
  fs::path samples = sg::testing::SamplesDir() / "spreadsheetbench";
  Json dataset = Json::parse(std::ifstream(samples / "dataset.json"));
  std::vector<Request> sample_requests;
  for (const auto& record : dataset) {
    fs::path folder = samples / record["spreadsheet_path"].get<std::string>();
    Request r;
    for (const auto& e : fs::directory_iterator(folder)) {
      std::string name = e.path().filename().string();
      if (e.path().extension() != ".xlsx") continue;
      (name.find("golden") != std::string::npos ? r.golden : r.output) = e.path();
    }
    r.position = record["answer_position"].get<std::string>();
    sample_requests.push_back(r);
  }
  WriteManifest(tmp.path() / "big.jsonl", big);
  WriteManifest(tmp.path() / "samples.jsonl", sample_requests);

  struct Set {
    const char* name;
    const std::vector<Request>* requests;
    fs::path manifest;
    int python_rounds, native_rounds;
  };
  std::vector<Set> sets = {
      {"100,000-cell workbook pair", &big, tmp.path() / "big.jsonl", 2, 5},
      {"10 SpreadsheetBench samples", &sample_requests, tmp.path() / "samples.jsonl", 3, 50}};
  bool ok = true;
  std::printf("grading throughput: skillgrad vs openpyxl (official evaluator's approach)\n");
  for (const Set& set : sets) {
    Timing python = TimeOpenpyxl(script, set.manifest, set.python_rounds);
    if (python.seconds_per_round < 0) {
      std::cerr << "grading_throughput: the openpyxl baseline failed\n";
      return 2;
    }
    Timing native = TimeSkillgrad(*set.requests, set.native_rounds);
    double speedup = python.seconds_per_round / native.seconds_per_round;
    bool same = python.passed == native.passed;
    std::printf("  %-28s openpyxl %8.3f s  skillgrad %8.4f s  speedup %6.1fx  (target %.0fx)%s\n",
                set.name, python.seconds_per_round, native.seconds_per_round, speedup, kTarget,
                same ? "" : "  VERDICTS DIFFER");
    if (speedup < kTarget || !same) ok = false;
  }
  std::printf("%s\n", ok ? "target met" : "TARGET MISSED");
  return ok ? 0 : 1;
}
