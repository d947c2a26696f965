#include <gtest/gtest.h>

#include "core/file_util.h"
#include "core/testing.h"
#include "tasks/benchmark.h"
#include "tasks/wtq_grade.h"
#include "tasks/wtq_table.h"

namespace sg::tasks {
namespace {

namespace fs = std::filesystem;

fs::path WtqSamples() { return testing::SamplesDir() / "wtq"; }

TEST(WtqCsv, QuotedFieldsEscapesAndEmbeddedNewlines) {
  auto table = wtq::ParseWtqCsv(
      "\"Year\",\"Peak\nAUS\",plain\n\"1981\",\"\\\"Stand Up\\\"\",\"a\"\"b\"\n\"\",x,\n", "t.csv");
  ASSERT_TRUE(table.ok()) << table.error().ToString();
  ASSERT_EQ(table->size(), 3u);
  EXPECT_EQ((*table)[0], (std::vector<std::string>{"Year", "Peak\nAUS", "plain"}));
  EXPECT_EQ((*table)[1], (std::vector<std::string>{"1981", "\"Stand Up\"", "a\"b"}));
  EXPECT_EQ((*table)[2], (std::vector<std::string>{"", "x", ""}));
  auto bad = wtq::ParseWtqCsv("a,\"open\nstill open", "broken.csv");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("broken.csv"), std::string::npos);
  EXPECT_NE(bad.error().message.find("line 1"), std::string::npos);
}

TEST(WtqCsv, EverySampleTableParsesWithConsistentWidth) {
  int tables = 0;
  for (const auto& entry : fs::recursive_directory_iterator(WtqSamples() / "csv")) {
    if (entry.path().extension() != ".csv") continue;
    auto table = wtq::ReadWtqCsv(entry.path());
    ASSERT_TRUE(table.ok()) << table.error().ToString();
    ASSERT_GE(table->size(), 2u) << entry.path();
    for (const auto& row : *table) EXPECT_EQ(row.size(), (*table)[0].size()) << entry.path();
    ++tables;
  }
  EXPECT_GE(tables, 30);
}

TEST(WtqBenchmark, LoadsTheSamplesAndGradesTheirOwnTargets) {
  auto bench = OpenWtqBenchmark(WtqSamples());
  ASSERT_TRUE(bench.ok()) << bench.error().ToString();
  const auto& tasks = (*bench)->tasks();
  ASSERT_EQ(tasks.size(), 40u);
  EXPECT_EQ(tasks[0].id, "nt-4997");
  const Task* task = (*bench)->FindTask("nt-4997");
  ASSERT_NE(task, nullptr);
  EXPECT_EQ(task->instruction, "which two shows appeared on the zee network?");

  for (const Task& t : tasks) {
    auto verdict = (*bench)->Grade(t, {}, Json{{"answers", t.record["targets"]}});
    ASSERT_TRUE(verdict.ok());
    EXPECT_TRUE(verdict->pass) << t.id << "\n" << verdict->comparison;
  }
  // Order does not matter; a missing item fails and is named.
  auto swapped = (*bench)->Grade(*task, {}, Json("Rock n Roll Family|saregamapa challenge"));
  ASSERT_TRUE(swapped.ok());
  EXPECT_TRUE(swapped->pass);
  auto partial = (*bench)->Grade(*task, {}, Json::array({"Rock n Roll Family"}));
  ASSERT_TRUE(partial.ok());
  EXPECT_FALSE(partial->pass);
  EXPECT_EQ(partial->score, 0.0);
  EXPECT_NE(partial->comparison.find("saregamapa challenge"), std::string::npos);
  auto none = (*bench)->Grade(*task, {}, Json());
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->pass);
  EXPECT_NE(none->comparison.find("no answer"), std::string::npos);
}

TEST(WtqBenchmark, PrepareWorkspaceCopiesTheTableAndOffersSubmitAnswer) {
  auto bench = OpenWtqBenchmark(WtqSamples());
  ASSERT_TRUE(bench.ok());
  testing::TempDir dir;
  const Task* task = (*bench)->FindTask("nt-4517");
  ASSERT_NE(task, nullptr);
  auto prompt = (*bench)->PrepareWorkspace(*task, dir.path());
  ASSERT_TRUE(prompt.ok()) << prompt.error().ToString();
  EXPECT_TRUE(prompt->offers_submit_answer);
  EXPECT_NE(prompt->text.find(task->instruction), std::string::npos);
  EXPECT_NE(prompt->text.find("table.csv"), std::string::npos);
  auto copied = ReadFile(dir.path() / "table.csv");
  auto original = ReadFile(WtqSamples() / "csv/203-csv/426.csv");
  ASSERT_TRUE(copied.ok() && original.ok());
  EXPECT_EQ(*copied, *original);
}

TEST(WtqBenchmark, TaggedTargetCanonIsUsedAndDuplicatesAndMissingTablesSkipped) {
  testing::TempDir dir;
  fs::path root = dir.path();
  ASSERT_TRUE(WriteFileAtomic(root / "csv/200-csv/1.csv", "\"a\",\"b\"\n\"1\",\"2\"\n").ok());
  ASSERT_TRUE(WriteFileAtomic(root / "data/a.tsv",
                              "id\tutterance\tcontext\ttargetValue\n"
                              "q1\thow many?\tcsv/200-csv/1.csv\tfive\n"
                              "q2\tgone?\tcsv/200-csv/9.csv\tx\n"
                              "q4\tescape?\t/etc/passwd\tx\n"
                              "q5\tescape?\tcsv/../../x.csv\tx\n")
                  .ok());
  ASSERT_TRUE(WriteFileAtomic(root / "data/b.tsv",
                              "id\tutterance\tcontext\ttargetValue\n"
                              "q1\thow many?\tcsv/200-csv/1.csv\tfive\n"
                              "q3\tlines?\tcsv/200-csv/1.csv\ta\\nb|c\\pd\n")
                  .ok());
  ASSERT_TRUE(WriteFileAtomic(root / "tagged/data/a.tagged",
                              "id\tutterance\tcontext\ttargetValue\ttokens\ttargetCanon\n"
                              "q1\thow many?\tcsv/200-csv/1.csv\tfive\tx\t5\n")
                  .ok());
  auto bench = OpenWtqBenchmark(root);
  ASSERT_TRUE(bench.ok()) << bench.error().ToString();
  ASSERT_EQ((*bench)->tasks().size(), 2u);
  const Task* q1 = (*bench)->FindTask("q1");
  ASSERT_NE(q1, nullptr);
  auto five = (*bench)->Grade(*q1, {}, Json::array({5}));
  ASSERT_TRUE(five.ok());
  EXPECT_TRUE(five->pass) << five->comparison;  // "five" is 5 through targetCanon
  const Task* q3 = (*bench)->FindTask("q3");
  ASSERT_NE(q3, nullptr);
  EXPECT_EQ(q3->record["targets"], Json::array({"a\nb", "c|d"}));
}

// A table that is a link to a host file (or reached through a linked folder) never reaches
// the workspace or the prompt.
TEST(WtqBenchmark, SymlinkedTablesAreRefused) {
  testing::TempDir dir;
  const fs::path root = dir.path() / "wtq";
  const fs::path host = dir.path() / "host";
  ASSERT_TRUE(WriteFileAtomic(host / "secret.csv", "\"HOST-SECRET\"\n\"1\"\n").ok());
  ASSERT_TRUE(WriteFileAtomic(root / "csv/200-csv/1.csv", "\"a\"\n\"1\"\n").ok());
  fs::create_symlink(host / "secret.csv", root / "csv/200-csv/2.csv");
  fs::create_directory_symlink(host, root / "csv/201-csv");
  ASSERT_TRUE(WriteFileAtomic(root / "data/a.tsv",
                              "id\tutterance\tcontext\ttargetValue\n"
                              "ok\tq?\tcsv/200-csv/1.csv\t1\n"
                              "file-link\tq?\tcsv/200-csv/2.csv\t1\n"
                              "folder-link\tq?\tcsv/201-csv/secret.csv\t1\n")
                  .ok());
  auto bench = OpenWtqBenchmark(root);
  ASSERT_TRUE(bench.ok()) << bench.error().ToString();
  testing::TempDir ok_ws;
  ASSERT_TRUE((*bench)->PrepareWorkspace(*(*bench)->FindTask("ok"), ok_ws.path()).ok());
  for (const char* id : {"file-link", "folder-link"}) {
    SCOPED_TRACE(id);
    const Task* task = (*bench)->FindTask(id);
    ASSERT_NE(task, nullptr);
    testing::TempDir ws;
    auto prompt = (*bench)->PrepareWorkspace(*task, ws.path());
    ASSERT_FALSE(prompt.ok());
    const std::string& message = prompt.error().message;
    EXPECT_NE(message.find(std::string("task ") + id), std::string::npos) << message;
    EXPECT_NE(message.find(task->record["context"].get<std::string>()), std::string::npos)
        << message;
    EXPECT_NE(message.find("benchmark data must be regular files inside the data directory"),
              std::string::npos)
        << message;
    EXPECT_EQ(message.find("HOST-SECRET"), std::string::npos);
    EXPECT_FALSE(testing::AnyFileHolds(ws.path(), "HOST-SECRET"));
  }
}

TEST(WtqBenchmark, MissingFolderIsAClearError) {
  testing::TempDir dir;
  auto bench = OpenWtqBenchmark(dir.path());
  ASSERT_FALSE(bench.ok());
  EXPECT_NE(bench.error().message.find("data/*.tsv"), std::string::npos);
}

}  // namespace
}  // namespace sg::tasks
