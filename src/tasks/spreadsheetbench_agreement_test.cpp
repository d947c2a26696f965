// Verdict-for-verdict agreement with the official evaluator's logic run by openpyxl
// (perf/spreadsheetbench_reference.py) over synthetic workbooks that stress the value
// semantics (rounding ties, numeric strings, booleans, dates, times, durations, empties,
// rich and inline strings, cached formula results, the 1904 date system, positions with
// quoted names and whole columns) and over the real samples.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/json.h"
#include "core/testing.h"
#include "tasks/cell_accuracy.h"
#include "tasks/cell_compare.h"
#include "tasks/spreadsheetbench_grader.h"
#include "xlsx/workbook.h"

namespace sg::tasks {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPython = "/usr/bin/python3";

bool PythonHasOpenpyxl() {
  std::string cmd = std::string(kPython) + " -c 'import openpyxl' >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

std::string RunCommand(const std::string& cmd) {
  std::string out;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return out;
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  pclose(pipe);
  return out;
}

std::vector<Json> ReadJsonLines(const fs::path& path) {
  std::vector<Json> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(Json::parse(line));
  }
  return out;
}

// Runs perf/<script> <mode> <manifest> and parses one JSON answer per output line.
std::vector<Json> ReferenceAnswers(const char* script, const char* mode, const fs::path& manifest,
                                   std::string* raw) {
  fs::path path = testing::SourceDir() / "perf" / script;
  *raw = RunCommand(std::string(kPython) + " " + path.string() + " " + mode + " " +
                    manifest.string() + " 2>&1");
  std::vector<Json> answers;
  std::istringstream lines(*raw);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) answers.push_back(Json::parse(line));
  }
  return answers;
}

// One request per sample task and workbook: its golden and its input, each against the golden.
void WriteSamplesManifest(const fs::path& manifest_path) {
  fs::path samples = testing::SamplesDir() / "spreadsheetbench";
  Json dataset = Json::parse(std::ifstream(samples / "dataset.json"));
  std::ofstream manifest(manifest_path);
  for (const auto& record : dataset) {
    fs::path folder = samples / record["spreadsheet_path"].get<std::string>();
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(folder)) {
      if (e.path().extension() == ".xlsx") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    fs::path golden, input;
    for (const fs::path& f : files) {
      std::string n = f.filename().string();
      (n.find("golden") != std::string::npos ? golden : input) = f;
    }
    for (const fs::path& out : {golden, input}) {
      manifest << Json{{"golden", golden.string()},
                       {"output", out.string()},
                       {"answer_position", record["answer_position"]}}
                      .dump()
               << "\n";
    }
  }
}

void ExpectAgreement(const fs::path& manifest, std::size_t min_requests) {
  std::string out;
  std::vector<Json> verdicts =
      ReferenceAnswers("spreadsheetbench_reference.py", "verdicts", manifest, &out);
  std::vector<Json> requests = ReadJsonLines(manifest);
  ASSERT_EQ(verdicts.size(), requests.size()) << out;
  ASSERT_GE(requests.size(), min_requests);
  fs::path base = manifest.parent_path();
  int passes = 0;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const auto& r = requests[i];
    auto ours = CompareWorkbookFiles(base / r["golden"].get<std::string>(),
                                     base / r["output"].get<std::string>(),
                                     r["answer_position"].get<std::string>());
    ASSERT_TRUE(ours.ok()) << r.dump() << ": " << ours.error().message;
    bool official = verdicts[i]["pass"].get<bool>();
    passes += official;
    EXPECT_EQ(ours->pass, official) << "request " << i << ": " << r.dump() << "\n"
                                    << ours->ToText();
  }
  // The corpus must exercise both verdicts.
  EXPECT_GT(passes, 0);
  EXPECT_LT(passes, static_cast<int>(requests.size()));
}

TEST(SpreadsheetBenchAgreementTest, SyntheticWorkbooksMatchOpenpyxlVerdicts) {
  if (!PythonHasOpenpyxl()) GTEST_SKIP() << kPython << " lacks openpyxl (python3-openpyxl)";
  testing::TempDir dir;
  fs::path script = testing::SourceDir() / "perf" / "spreadsheetbench_reference.py";
  RunCommand(std::string(kPython) + " " + script.string() + " corpus " + dir.path().string() +
             " 400");
  ExpectAgreement(dir.path() / "manifest.jsonl", 400);
}

TEST(SpreadsheetBenchAgreementTest, SamplesMatchOpenpyxlVerdicts) {
  if (!PythonHasOpenpyxl()) GTEST_SKIP() << kPython << " lacks openpyxl (python3-openpyxl)";
  testing::TempDir dir;
  WriteSamplesManifest(dir.path() / "manifest.jsonl");
  ExpectAgreement(dir.path() / "manifest.jsonl", 20);
}

// Every pair of tricky values, cell by cell: the value typing (openpyxl's reading with
// number formats) and the comparison must give the official verdict for each.
TEST(SpreadsheetBenchAgreementTest, EveryValuePairMatchesOpenpyxlCellVerdicts) {
  if (!PythonHasOpenpyxl()) GTEST_SKIP() << kPython << " lacks openpyxl (python3-openpyxl)";
  testing::TempDir dir;
  fs::path script = testing::SourceDir() / "perf" / "spreadsheetbench_reference.py";
  std::string out = RunCommand(std::string(kPython) + " " + script.string() + " cellpairs " +
                               dir.path().string());
  Json verdicts = Json::parse(out);
  ASSERT_GT(verdicts.size(), 5000u);
  auto golden = xlsx::Workbook::Open(dir.path() / "cells_golden.xlsx");
  auto output = xlsx::Workbook::Open(dir.path() / "cells_output.xlsx");
  ASSERT_TRUE(golden.ok() && output.ok());
  auto ws_g = (*golden)->Sheet((*golden)->sheet_names().front());
  auto ws_o = (*output)->Sheet((*output)->sheet_names().front());
  ASSERT_TRUE(ws_g.ok() && ws_o.ok());
  int matches = 0, mismatches = 0;
  for (std::size_t i = 0; i < verdicts.size(); ++i) {
    xlsx::CellRef ref{static_cast<int>(i) + 1, 1};
    const xlsx::CellValue& g = (*ws_g)->Get(ref);
    const xlsx::CellValue& o = (*ws_o)->Get(ref);
    bool ours = CellValuesMatch(g, o);
    (ours ? matches : mismatches)++;
    EXPECT_EQ(ours, verdicts[i].get<bool>()) << "row " << i + 1 << ": golden " << CellValueToText(g)
                                             << ", output " << CellValueToText(o);
  }
  EXPECT_GT(matches, 100);
  EXPECT_GT(mismatches, 100);
}

// The SkillGrad method's counts (perf/cell_accuracy_reference.py over openpyxl) against
// MeasureCellAccuracy, request by request, cell count for cell count.
void ExpectSameCounts(const fs::path& manifest, std::size_t min_requests) {
  std::string out;
  std::vector<Json> counts =
      ReferenceAnswers("cell_accuracy_reference.py", "counts", manifest, &out);
  std::vector<Json> requests = ReadJsonLines(manifest);
  ASSERT_EQ(counts.size(), requests.size()) << out;
  ASSERT_GE(requests.size(), min_requests);
  const fs::path base = manifest.parent_path();
  int passes = 0;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const Json& r = requests[i];
    auto ours = MeasureCellAccuracy(base / r["golden"].get<std::string>(),
                                    base / r["output"].get<std::string>(),
                                    r["answer_position"].get<std::string>());
    ASSERT_TRUE(ours.ok()) << r.dump() << ": " << ours.error().message;
    const auto match = counts[i]["match_count"].get<std::uint64_t>();
    const auto total = counts[i]["total_count"].get<std::uint64_t>();
    // A missing output scores 0, even where no cell is expected.
    const bool pass = match == total && fs::exists(base / r["output"].get<std::string>());
    passes += pass;
    EXPECT_EQ(ours->total_count, total) << "request " << i << ": " << r.dump();
    EXPECT_EQ(ours->match_count, match) << "request " << i << ": " << r.dump() << "\n"
                                        << ours->ToText();
    EXPECT_EQ(ours->pass, pass) << "request " << i;
  }
  EXPECT_GT(passes, 0);
  EXPECT_LT(passes, static_cast<int>(requests.size()));
}

TEST(CellAccuracyAgreementTest, TrickyPositionsCountAsOpenpyxlReadsThem) {
  if (!PythonHasOpenpyxl()) GTEST_SKIP() << kPython << " lacks openpyxl (python3-openpyxl)";
  testing::TempDir dir;
  fs::path script = testing::SourceDir() / "perf" / "cell_accuracy_reference.py";
  RunCommand(std::string(kPython) + " " + script.string() + " corpus " + dir.path().string() +
             " 300");
  ExpectSameCounts(dir.path() / "manifest.jsonl", 300);
}

TEST(CellAccuracyAgreementTest, OfficialCorpusAndSamplesCountAsTheMethodDoes) {
  if (!PythonHasOpenpyxl()) GTEST_SKIP() << kPython << " lacks openpyxl (python3-openpyxl)";
  testing::TempDir dir;
  fs::path script = testing::SourceDir() / "perf" / "spreadsheetbench_reference.py";
  RunCommand(std::string(kPython) + " " + script.string() + " corpus " + dir.path().string() +
             " 200");
  ExpectSameCounts(dir.path() / "manifest.jsonl", 200);

  testing::TempDir samples_dir;
  WriteSamplesManifest(samples_dir.path() / "manifest.jsonl");
  ExpectSameCounts(samples_dir.path() / "manifest.jsonl", 18);
}

}  // namespace
}  // namespace sg::tasks
