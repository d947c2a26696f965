// The SpreadsheetBench loader, workspace and grader on the real samples and on a
// synthetic data folder with every naming convention, several test cases, exclude notes
// and tasks without test cases.
#include "tasks/spreadsheetbench.h"

#include <gtest/gtest.h>

#include "core/file_util.h"
#include "core/json.h"
#include "core/testing.h"
#include "tasks/split_benchmark.h"
#include "xlsx/recalc.h"

namespace sg::tasks {
namespace {

namespace fs = std::filesystem;

fs::path Samples() { return testing::SamplesDir() / "spreadsheetbench"; }

void CopyWritable(const fs::path& from, const fs::path& to) {
  fs::create_directories(to.parent_path());
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
  fs::permissions(to, fs::perms::owner_read | fs::perms::owner_write);
}

TEST(SpreadsheetBenchTest, LoadsTheSamplesWithStringIds) {
  auto bench = SpreadsheetBench::Open(Samples());
  ASSERT_TRUE(bench.ok()) << bench.error().message;
  const auto& tasks = (*bench)->tasks();
  ASSERT_EQ(tasks.size(), 10u);
  EXPECT_TRUE((*bench)->skipped().empty());
  EXPECT_EQ(tasks[0].id, "13-1");
  const Task* numeric = (*bench)->FindTask("13284");  // a bare JSON number in dataset.json
  ASSERT_NE(numeric, nullptr);
  EXPECT_EQ(numeric->instruction_type, "Cell-Level Manipulation");
  const auto& cases = (*bench)->test_cases(*numeric);
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0].input.filename(), "initial.xlsx");
  EXPECT_EQ(cases[0].answer.filename(), "golden.xlsx");
  const auto& verified = (*bench)->test_cases(*(*bench)->FindTask("14240"));
  ASSERT_EQ(verified.size(), 1u);
  EXPECT_EQ(verified[0].answer.filename(), "1_14240_golden.xlsx");
}

TEST(SpreadsheetBenchTest, SamplesGoldenAgainstGoldenAllPassInputAgainstGoldenAsOfficial) {
  auto bench = SpreadsheetBench::Open(Samples());
  ASSERT_TRUE(bench.ok());
  // Verdicts of the official logic (openpyxl) for input-vs-golden: only 13-1 passes, because
  // its answer_position has no sheet and the official default is the first sheet (RANGES),
  // which the task does not change.
  for (const Task& task : (*bench)->tasks()) {
    SCOPED_TRACE(task.id);
    const auto& tc = (*bench)->test_cases(task).front();
    std::string position = task.record["answer_position"].get<std::string>();
    auto same = CompareWorkbookFiles(tc.answer, tc.answer, position);
    ASSERT_TRUE(same.ok()) << same.error().message;
    EXPECT_TRUE(same->pass) << same->ToText();
    EXPECT_GT(same->cells_compared, 0u);
    auto input = CompareWorkbookFiles(tc.answer, tc.input, position);
    ASSERT_TRUE(input.ok());
    EXPECT_EQ(input->pass, task.id == "13-1") << input->ToText();
    if (!input->pass) {
      EXPECT_FALSE(input->diffs.empty() && input->problems.empty());
      EXPECT_NE(input->ToText().find("FAIL"), std::string::npos);
    }
  }
}

TEST(SpreadsheetBenchTest, DiffsListEveryDifferingCellWithSheetAndValues) {
  fs::path dir = Samples() / "spreadsheet" / "32293";
  auto cmp =
      CompareWorkbookFiles(dir / "1_32293_golden.xlsx", dir / "1_32293_init.xlsx", "B14:B17");
  ASSERT_TRUE(cmp.ok());
  EXPECT_FALSE(cmp->pass);
  EXPECT_EQ(cmp->cells_compared, 4u);
  ASSERT_FALSE(cmp->diffs.empty());
  Json j = cmp->ToJson();
  EXPECT_FALSE(j["pass"].get<bool>());
  ASSERT_EQ(j["diffs"].size(), cmp->diffs.size());
  EXPECT_EQ(j["diffs"][0]["sheet"], "Sheet1");
  EXPECT_EQ(j["diffs"][0]["cell"].get<std::string>().substr(0, 1), "B");
  EXPECT_TRUE(j["diffs"][0].contains("expected"));
  EXPECT_TRUE(j["diffs"][0].contains("actual"));
  for (const CellDiff& d : cmp->diffs) {
    EXPECT_NE(cmp->ToText().find("'Sheet1'!" + d.cell + ": expected"), std::string::npos);
  }
}

TEST(SpreadsheetBenchTest, OutputProblemsAreFailingVerdictsGoldenProblemsAreErrors) {
  testing::TempDir tmp;
  fs::path golden = Samples() / "spreadsheet" / "14240" / "1_14240_golden.xlsx";
  auto missing = CompareWorkbookFiles(golden, tmp.path() / "none.xlsx", "U4:U75");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->pass);
  ASSERT_EQ(missing->problems.size(), 1u);
  EXPECT_NE(missing->problems[0].find("does not exist"), std::string::npos);

  ASSERT_TRUE(WriteFileAtomic(tmp.path() / "junk.xlsx", "junk").ok());
  auto junk = CompareWorkbookFiles(golden, tmp.path() / "junk.xlsx", "U4:U75");
  ASSERT_TRUE(junk.ok());
  EXPECT_FALSE(junk->pass);
  EXPECT_NE(junk->problems.at(0).find("unreadable"), std::string::npos);

  auto wrong_sheet = CompareWorkbookFiles(golden, golden, "'sheet1'!U4:U75");
  ASSERT_TRUE(wrong_sheet.ok());
  EXPECT_FALSE(wrong_sheet->pass);  // exact lookup, as the official evaluator
  EXPECT_NE(wrong_sheet->problems.at(0).find("'sheet1'"), std::string::npos);

  auto bad_range = CompareWorkbookFiles(golden, golden, "U4:U");
  ASSERT_TRUE(bad_range.ok());
  EXPECT_FALSE(bad_range->pass);

  auto too_big = CompareWorkbookFiles(golden, golden, "A1:XFD1048576");
  ASSERT_TRUE(too_big.ok());
  EXPECT_FALSE(too_big->pass);
  EXPECT_NE(too_big->problems.at(0).find("limit"), std::string::npos);

  auto bad_golden = CompareWorkbookFiles(tmp.path() / "junk.xlsx", golden, "A1");
  ASSERT_FALSE(bad_golden.ok());
  EXPECT_NE(bad_golden.error().message.find("golden workbook"), std::string::npos);
}

// 73-45's position 'Sheet1'!BD2:308: the official evaluator covers no cell there, so every
// output passes that part, the golden and the input alike; refusing it failed them all.
TEST(SpreadsheetBenchTest, AnEndCornerWithoutAColumnCoversNoCellAsInTheOfficialEvaluator) {
  fs::path dir = Samples() / "spreadsheet" / "14240";
  const fs::path golden = dir / "1_14240_golden.xlsx", input = dir / "1_14240_init.xlsx";
  for (const fs::path& output : {golden, input}) {
    SCOPED_TRACE(output.filename().string());
    auto cmp = CompareWorkbookFiles(golden, output, "'Sheet1'!BD2:308");
    ASSERT_TRUE(cmp.ok()) << cmp.error().message;
    EXPECT_TRUE(cmp->pass) << cmp->ToText();
    EXPECT_EQ(cmp->cells_compared, 0u);
    ASSERT_EQ(cmp->notes.size(), 1u);
    EXPECT_NE(cmp->notes[0].find("covers no cell"), std::string::npos);
    EXPECT_EQ(cmp->ToJson()["notes"].size(), 1u);
  }
  // With another part, that part still decides: the input differs from the golden in U4:U75.
  auto mixed = CompareWorkbookFiles(golden, input, "'Sheet1'!BD2:308,U4:U75");
  ASSERT_TRUE(mixed.ok());
  EXPECT_FALSE(mixed->pass);
  // A corner without a column at the start is still malformed.
  auto start_open = CompareWorkbookFiles(golden, golden, "2:BD308");
  ASSERT_TRUE(start_open.ok());
  EXPECT_FALSE(start_open->pass);
}

TEST(SpreadsheetBenchTest, WholeColumnsSpanTheGoldenSheetsRows) {
  fs::path dir = Samples() / "spreadsheet" / "283-32";
  auto cmp = CompareWorkbookFiles(dir / "1_283-32_golden.xlsx", dir / "1_283-32_init.xlsx",
                                  "Sheet3'!A:G,'Sheet4'!A:G");
  ASSERT_TRUE(cmp.ok());
  EXPECT_EQ(cmp->cells_compared, 2u * 7u * 2u);  // golden Sheet3/Sheet4 have max_row 2
  EXPECT_FALSE(cmp->pass);
}

// A data folder with the three naming conventions, several test cases, an exclude note, a
// task without test case and a test case without its answer.
fs::path MakeDataDir(const fs::path& root) {
  fs::path sample = Samples() / "spreadsheet" / "14240";
  fs::path in = sample / "1_14240_init.xlsx", gold = sample / "1_14240_golden.xlsx";
  for (int n = 1; n <= 3; ++n) {
    CopyWritable(in, root / "spreadsheet" / "77" / (std::to_string(n) + "_77_input.xlsx"));
    CopyWritable(gold, root / "spreadsheet" / "77" / (std::to_string(n) + "_77_answer.xlsx"));
  }
  CopyWritable(in, root / "spreadsheet" / "a-1" / "1_a-1_init.xlsx");
  CopyWritable(gold, root / "spreadsheet" / "a-1" / "1_a-1_golden.xlsx");
  CopyWritable(in, root / "spreadsheet" / "a-1" / "2_a-1_init.xlsx");  // no answer
  CopyWritable(in, root / "spreadsheet" / "x" / "1_x_init.xlsx");
  CopyWritable(gold, root / "spreadsheet" / "x" / "1_x_golden.xlsx");
  CopyWritable(in, root / "spreadsheet" / "9" / "initial.xlsx");
  CopyWritable(gold, root / "spreadsheet" / "9" / "golden.xlsx");
  fs::create_directories(root / "spreadsheet" / "empty");
  Json dataset = Json::array();
  auto record = [](Json id, const std::string& path) {
    return Json{{"id", id},
                {"instruction", "Fix the SUMPRODUCT formulas in U4:U75."},
                {"spreadsheet_path", path},
                {"instruction_type", "Cell-Level Manipulation"},
                {"answer_position", "U4:U75"}};
  };
  dataset.push_back(record(77, "spreadsheet/77"));
  dataset.push_back(record("a-1", "spreadsheet/a-1"));
  dataset.push_back(record(9, "spreadsheet/9"));
  auto excluded = record("x", "spreadsheet/x");
  excluded["exclude"] = "answer depends on the current date";
  dataset.push_back(excluded);
  dataset.push_back(record("empty", "spreadsheet/empty"));
  EXPECT_TRUE(WriteJsonFile(root / "dataset.json", dataset).ok());
  return root;
}

// By default an `exclude` note is not read (the authors' rule: a record with a test case is a
// task); each task keeps its record's position in dataset.json.
TEST(SpreadsheetBenchTest, LoaderConventionsAndMissingCasesIgnoringExcludeNotes) {
  testing::TempDir tmp;
  fs::path data = MakeDataDir(tmp.path());
  auto bench = SpreadsheetBench::Open(data);
  ASSERT_TRUE(bench.ok()) << bench.error().message;
  ASSERT_EQ((*bench)->tasks().size(), 4u);
  EXPECT_EQ((*bench)->tasks()[0].id, "77");
  EXPECT_EQ((*bench)->test_cases((*bench)->tasks()[0]).size(), 3u);
  EXPECT_EQ((*bench)->test_cases((*bench)->tasks()[1]).size(), 1u);  // case 2 lacks its answer
  EXPECT_EQ((*bench)->tasks()[2].id, "9");
  EXPECT_EQ((*bench)->tasks()[3].id, "x");
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ((*bench)->tasks()[i].position, i);
  EXPECT_EQ((*bench)->excluded_count(), 0u);
  ASSERT_EQ((*bench)->skipped().size(), 1u);
  EXPECT_EQ((*bench)->skipped()[0].id, "empty");
  EXPECT_NE((*bench)->skipped()[0].reason.find("no test case"), std::string::npos);
}

TEST(SpreadsheetBenchTest, HonorExcludeLeavesNotedRecordsOutAndCountsThem) {
  testing::TempDir tmp;
  fs::path data = MakeDataDir(tmp.path());
  auto bench = OpenBenchmark("spreadsheetbench", data, OpenOptions{.honor_exclude = true});
  ASSERT_TRUE(bench.ok()) << bench.error().message;
  ASSERT_EQ((*bench)->tasks().size(), 3u);
  EXPECT_EQ((*bench)->tasks()[2].id, "9");
  EXPECT_EQ((*bench)->excluded_count(), 1u);
  const auto& skipped = dynamic_cast<const SpreadsheetBench&>(**bench).skipped();
  ASSERT_EQ(skipped.size(), 2u);
  EXPECT_EQ(skipped[0].id, "x");
  EXPECT_NE(skipped[0].reason.find("current date"), std::string::npos);
  EXPECT_EQ(skipped[1].id, "empty");
}

TEST(SpreadsheetBenchTest, ASplitShufflesTheDataPositionsAndRecordsTheExcludeChoice) {
  testing::TempDir tmp;
  fs::path data = MakeDataDir(tmp.path());
  for (bool honor : {false, true}) {
    SCOPED_TRACE(honor ? "honor_exclude" : "default");
    const OpenOptions open{.honor_exclude = honor};
    auto bench = OpenBenchmark("spreadsheetbench", data, open);
    ASSERT_TRUE(bench.ok()) << bench.error().message;
    std::vector<SplitTask> tasks = SplitTasksOf(**bench);
    ASSERT_EQ(tasks.size(), honor ? 3u : 4u);
    EXPECT_EQ(tasks[2].id, "9");
    EXPECT_EQ(tasks[2].position, 2u);
    auto split = SplitBenchmark(**bench, data, open, {});
    ASSERT_TRUE(split.ok()) << split.error().ToString();
    EXPECT_EQ(split->n_valid_tasks, tasks.size());
    EXPECT_EQ(split->n_excluded, honor ? 1u : 0u);
    EXPECT_EQ(split->honor_exclude, honor);
    EXPECT_EQ(split->data_dir, data.string());
  }
}

// The self-check at split time: 13-1's input already passes (see above), and a task whose
// answer cannot pass against itself is named too.
TEST(SpreadsheetBenchTest, TheSelfCheckNamesTasksNoOutputCanFailOrPass) {
  SpreadsheetBenchOptions official;
  official.grader = GraderKind::kOfficial;
  auto bench = SpreadsheetBench::Open(Samples(), official);
  ASSERT_TRUE(bench.ok());
  std::vector<SuspectTask> suspects = (*bench)->SelfCheck(2);
  ASSERT_EQ(suspects.size(), 1u);
  EXPECT_EQ(suspects[0].id, "13-1");
  EXPECT_NE(suspects[0].reason.find("untouched input already passes"), std::string::npos);
  // The method's grader splits "Sheet3'!A:G,'Sheet4'!A:G" (283-32) inside the quote it
  // opens: one unreadable range, one valueless cell, which every output matches.
  auto method = SpreadsheetBench::Open(Samples());
  ASSERT_TRUE(method.ok());
  std::vector<SuspectTask> method_suspects = (*method)->SelfCheck(2);
  ASSERT_EQ(method_suspects.size(), 2u);
  EXPECT_EQ(method_suspects[0].id, "13-1");
  EXPECT_EQ(method_suspects[1].id, "283-32");

  testing::TempDir tmp;
  fs::path data = MakeDataDir(tmp.path());
  auto dataset = ReadJsonFile(data / "dataset.json");
  ASSERT_TRUE(dataset.ok());
  (*dataset)[2]["answer_position"] = "'NoSuchSheet'!A1";  // task 9: no output can pass
  ASSERT_TRUE(WriteJsonFile(data / "dataset.json", *dataset).ok());
  auto broken = SpreadsheetBench::Open(data, official);
  ASSERT_TRUE(broken.ok());
  auto split = SplitBenchmark(**broken, data, {}, {});
  ASSERT_TRUE(split.ok()) << split.error().ToString();
  ASSERT_EQ(split->suspect_tasks.size(), 1u);
  EXPECT_EQ(split->suspect_tasks[0].id, "9");
  EXPECT_NE(split->suspect_tasks[0].reason.find("does not pass against itself"), std::string::npos)
      << split->suspect_tasks[0].reason;
  auto back = Split::FromJson(split->ToJson(), "split.json");
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->suspect_tasks.size(), 1u);
  EXPECT_EQ(back->suspect_tasks[0].reason, split->suspect_tasks[0].reason);
}

TEST(SpreadsheetBenchTest, WorkspaceAndGradeThroughTheBenchmarkInterface) {
  testing::TempDir tmp;
  fs::path data = MakeDataDir(tmp.path() / "data");
  SpreadsheetBenchOptions options;
  options.recalc = false;
  auto opened = OpenSpreadsheetBench(data, options);
  ASSERT_TRUE(opened.ok());
  Benchmark& bench = **opened;
  EXPECT_EQ(bench.name(), "spreadsheetbench");
  const Task* task = bench.FindTask("77");
  ASSERT_NE(task, nullptr);
  fs::path ws = tmp.path() / "ws";
  auto prompt = bench.PrepareWorkspace(*task, ws);
  ASSERT_TRUE(prompt.ok()) << prompt.error().message;
  EXPECT_FALSE(prompt->offers_submit_answer);
  for (int n = 1; n <= 3; ++n) {
    std::string input = std::to_string(n) + "_77_input.xlsx";
    std::string output = std::to_string(n) + "_77_output.xlsx";
    EXPECT_TRUE(fs::exists(ws / input));
    EXPECT_NE(prompt->text.find(output), std::string::npos);
  }
  EXPECT_NE(prompt->text.find("U4:U75"), std::string::npos);
  EXPECT_NE(prompt->text.find("SUMPRODUCT"), std::string::npos);
  // The method's message: request, input path, four numbered steps, the openpyxl reminder;
  // the hints (instruction type, recalculation note) only in `hints` (--task-hints).
  const fs::path abs_ws = fs::canonical(ws);
  EXPECT_NE(prompt->text.find((abs_ws / "1_77_input.xlsx").string()), std::string::npos)
      << prompt->text;
  EXPECT_NE(prompt->text.find((abs_ws / "1_77_output.xlsx").string()), std::string::npos);
  for (const char* step :
       {"1. Read the input workbook.", "2. Write Python code", "3. Save the result to",
        "4. The answer must appear in the cells U4:U75", "openpyxl", "save it"}) {
    EXPECT_NE(prompt->text.find(step), std::string::npos) << step << " in\n" << prompt->text;
  }
  for (const char* hint : {"Instruction type", "Answer sheet", "recalculated", "turns"}) {
    EXPECT_EQ(prompt->text.find(hint), std::string::npos) << hint << " in\n" << prompt->text;
  }
  EXPECT_NE(prompt->hints.find("Instruction type: " + task->instruction_type), std::string::npos)
      << prompt->hints;
  EXPECT_NE(prompt->hints.find("recalculated"), std::string::npos) << prompt->hints;

  // No outputs: every case fails and says why.
  auto none = bench.Grade(*task, ws, nullptr);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->pass);
  EXPECT_EQ(none->score, 0.0);
  EXPECT_NE(none->comparison.find("does not exist"), std::string::npos);
  EXPECT_TRUE(none->no_output);
  ASSERT_TRUE(none->match_count && none->total_count);
  EXPECT_EQ(*none->match_count, 0u);
  EXPECT_GT(*none->total_count, 0u);  // the method counts the expected cells of each case

  // Two correct outputs, one left unchanged: soft 2/3, hard fail.
  fs::path gold = Samples() / "spreadsheet" / "14240" / "1_14240_golden.xlsx";
  CopyWritable(gold, ws / "1_77_output.xlsx");
  CopyWritable(gold, ws / "2_77_output.xlsx");
  CopyWritable(ws / "3_77_input.xlsx", ws / "3_77_output.xlsx");
  auto some = bench.Grade(*task, ws, nullptr);
  ASSERT_TRUE(some.ok());
  EXPECT_FALSE(some->pass);
  EXPECT_NEAR(some->score, 2.0 / 3.0, 1e-12);
  EXPECT_FALSE(some->no_output);
  ASSERT_TRUE(some->cell_accuracy && some->match_count && some->total_count);
  EXPECT_DOUBLE_EQ(*some->cell_accuracy, some->score);  // the method's soft score
  EXPECT_EQ(*some->total_count, 3 * 72u);               // U4:U75 in each of 3 cases
  EXPECT_EQ(*some->match_count, 2 * 72u);               // the unchanged input matches none
  ASSERT_EQ(some->details["test_cases"].size(), 3u);
  EXPECT_TRUE(some->details["test_cases"][0]["pass"].get<bool>());
  EXPECT_FALSE(some->details["test_cases"][2]["pass"].get<bool>());
  EXPECT_FALSE(some->details["test_cases"][2]["diffs"].empty());
  EXPECT_NE(some->comparison.find("Test case 3"), std::string::npos);
}

// Workbooks that are links to host files, reached through a linked folder, or through a
// spreadsheet_path that climbs out of the data folder never reach the workspace; a linked
// answer workbook is not graded against.
TEST(SpreadsheetBenchTest, SymlinkedAndEscapingWorkbooksAreRefused) {
  testing::TempDir tmp;
  const fs::path data = tmp.path() / "data";
  const fs::path host = tmp.path() / "host";
  const fs::path gold = Samples() / "spreadsheet" / "14240" / "1_14240_golden.xlsx";
  ASSERT_TRUE(WriteFileAtomic(host / "secret.xlsx", "HOST-SECRET\n").ok());
  for (const char* id : {"folder-link", "escape"}) {
    fs::copy_file(host / "secret.xlsx", host / (std::string("1_") + id + "_input.xlsx"));
    CopyWritable(gold, host / (std::string("1_") + id + "_answer.xlsx"));
  }
  fs::create_directories(data / "spreadsheet" / "file-link");
  fs::create_symlink(host / "secret.xlsx", data / "spreadsheet/file-link/1_file-link_input.xlsx");
  CopyWritable(gold, data / "spreadsheet/file-link/1_file-link_answer.xlsx");
  fs::create_directory_symlink(host, data / "spreadsheet" / "linked");
  CopyWritable(gold, data / "spreadsheet/answer-link/1_answer-link_input.xlsx");
  fs::create_symlink(host / "secret.xlsx",
                     data / "spreadsheet/answer-link/1_answer-link_answer.xlsx");
  Json dataset = Json::array();
  for (auto [id, path] : {std::pair<std::string, std::string>{"file-link", "spreadsheet/file-link"},
                          {"folder-link", "spreadsheet/linked"},
                          {"escape", "../host"},
                          {"answer-link", "spreadsheet/answer-link"}}) {
    dataset.push_back({{"id", id},
                       {"instruction", "Fix it."},
                       {"spreadsheet_path", path},
                       {"answer_position", "A1"}});
  }
  ASSERT_TRUE(WriteJsonFile(data / "dataset.json", dataset).ok());
  SpreadsheetBenchOptions options;
  options.recalc = false;
  auto bench = SpreadsheetBench::Open(data, options);
  ASSERT_TRUE(bench.ok()) << bench.error().message;
  ASSERT_EQ((*bench)->tasks().size(), 4u);

  for (const char* id : {"file-link", "folder-link", "escape"}) {
    SCOPED_TRACE(id);
    const Task* task = (*bench)->FindTask(id);
    ASSERT_NE(task, nullptr);
    const fs::path ws = tmp.path() / "ws" / id;
    auto prompt = (*bench)->PrepareWorkspace(*task, ws);
    ASSERT_FALSE(prompt.ok());
    const std::string& message = prompt.error().message;
    EXPECT_EQ(prompt.error().code, ErrorCode::kPermission) << message;
    EXPECT_NE(message.find(std::string("task ") + id), std::string::npos) << message;
    EXPECT_NE(message.find(std::string("1_") + id + "_input.xlsx"), std::string::npos) << message;
    EXPECT_NE(message.find("benchmark data must be regular files inside the data directory"),
              std::string::npos)
        << message;
    EXPECT_FALSE(testing::AnyFileHolds(ws, "HOST-SECRET"));
  }

  const Task* answer_link = (*bench)->FindTask("answer-link");
  ASSERT_NE(answer_link, nullptr);
  const fs::path ws = tmp.path() / "ws" / "answer-link";
  ASSERT_TRUE((*bench)->PrepareWorkspace(*answer_link, ws).ok());
  CopyWritable(ws / "1_answer-link_input.xlsx", ws / "1_answer-link_output.xlsx");
  auto verdict = (*bench)->Grade(*answer_link, ws, nullptr);
  ASSERT_FALSE(verdict.ok());
  EXPECT_NE(verdict.error().message.find("1_answer-link_answer.xlsx is a symbolic link"),
            std::string::npos)
      << verdict.error().message;
}

TEST(SpreadsheetBenchTest, GradeRecalculatesOutputsWithLibreOffice) {
  if (!xlsx::LibreOfficeAvailable()) GTEST_SKIP() << "soffice not installed";
  testing::TempDir tmp;
  fs::path dir = Samples() / "spreadsheet" / "32293";
  fs::path output = tmp.path() / "out.xlsx";
  CopyWritable(dir / "1_32293_golden.xlsx", output);
  GradeOptions options;
  options.recalc = true;
  auto cmp = CompareWorkbookFiles(dir / "1_32293_golden.xlsx", output, "B14:B17", options);
  ASSERT_TRUE(cmp.ok()) << cmp.error().message;
  EXPECT_TRUE(cmp->pass) << cmp->ToText();
  EXPECT_EQ(cmp->graded_output, tmp.path() / "out.recalc.xlsx");
  EXPECT_TRUE(fs::exists(cmp->graded_output));
}

}  // namespace
}  // namespace sg::tasks

namespace sg::tasks {
namespace {

// One test case: the method's message word for word in substance, in its order, and nothing
// of the hints.
TEST(SpreadsheetBenchTest, TaskMessageIsTheMethodsRequestPathStepsAndReminder) {
  auto bench = SpreadsheetBench::Open(Samples());
  ASSERT_TRUE(bench.ok()) << bench.error().message;
  const Task* task = (*bench)->FindTask("13284");
  ASSERT_NE(task, nullptr);
  testing::TempDir tmp;
  auto prompt = (*bench)->PrepareWorkspace(*task, tmp.path() / "ws");
  ASSERT_TRUE(prompt.ok()) << prompt.error().message;
  const fs::path ws = fs::canonical(tmp.path() / "ws");
  const std::string position = task->record["answer_position"].get<std::string>();
  const std::string& text = prompt->text;
  const std::vector<std::string> parts = {
      task->instruction,
      "The workbook is at " + (ws / "1_13284_input.xlsx").string(),
      "1. Read the input workbook.",
      "2. Write Python code that does what the user asks.",
      "3. Save the result to " + (ws / "1_13284_output.xlsx").string(),
      "4. The answer must appear in the cells " + position,
      "Read and write the workbook with openpyxl, and remember to save it",
  };
  size_t at = 0;
  for (const std::string& part : parts) {
    size_t found = text.find(part, at);
    ASSERT_NE(found, std::string::npos) << "'" << part << "' (in order) in\n" << text;
    at = found + part.size();
  }
  for (const char* hint : {"Instruction type", "Answer sheet", "recalculated", "turns", "Hint"}) {
    EXPECT_EQ(text.find(hint), std::string::npos) << hint << " in\n" << text;
  }
  EXPECT_NE(prompt->hints.find("Instruction type: Cell-Level Manipulation"), std::string::npos)
      << prompt->hints;
}

}  // namespace
}  // namespace sg::tasks
