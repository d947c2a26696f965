#include "llm/ledger_reader.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "core/file_util.h"
#include "core/testing.h"
#include "llm/ledger_totals.h"

namespace sg::llm {
namespace {

std::string Row(const std::string& stage, double cost) {
  return Json({{"role", "executor"}, {"model", "m"}, {"stage", stage}, {"cost_usd", cost}}).dump();
}

struct Read {
  std::vector<std::string> stages;
  LedgerReadStats stats;
};

Read ReadAll(const std::filesystem::path& path, uintmax_t from_byte = 0) {
  Read read;
  auto stats = ReadLedger(
      path, [&](const Json& row) { read.stages.push_back(row.value("stage", "")); }, from_byte);
  EXPECT_TRUE(stats.ok()) << stats.error().message;
  if (stats.ok()) read.stats = *stats;
  return read;
}

TEST(LedgerReaderTest, SkipsAndCountsDamagedLinesAndLeavesATornTailOut) {
  testing::TempDir dir;
  const auto path = dir.path() / "ledger.jsonl";
  // A row, a cut row glued to the next (a full disk, then a resume by an old writer), an
  // empty line, a JSON value that is not an object, a row, and a last line without '\n' that
  // parses: it is still a line a writer did not finish.
  const std::string text = Row("collect", 1) + "\n" + Row("x", 0).substr(0, 12) +
                           Row("execute", 2) + "\n\n[1,2]\n" + Row("patch", 3) + "\n" +
                           Row("eval", 4);
  ASSERT_TRUE(WriteFileAtomic(path, text).ok());
  Read read = ReadAll(path);
  EXPECT_EQ(read.stages, (std::vector<std::string>{"collect", "patch"}));
  EXPECT_EQ(read.stats.rows, 2);
  EXPECT_EQ(read.stats.damaged_lines, 2);
  EXPECT_EQ(read.stats.first_damaged_line, 2);
  EXPECT_TRUE(read.stats.torn_tail);
  const std::string problem = read.stats.Problem(path);
  EXPECT_NE(problem.find(path.string() + ":2: not a JSON object; 2 damaged line(s)"),
            std::string::npos)
      << problem;
  EXPECT_NE(problem.find("last line is cut short"), std::string::npos) << problem;
}

TEST(LedgerReaderTest, ACleanLedgerHasNoProblem) {
  testing::TempDir dir;
  const auto path = dir.path() / "ledger.jsonl";
  ASSERT_TRUE(WriteFileAtomic(path, Row("collect", 1) + "\n" + Row("eval", 2) + "\n").ok());
  Read read = ReadAll(path);
  EXPECT_EQ(read.stats.rows, 2);
  EXPECT_EQ(read.stats.Problem(path), "");
}

TEST(LedgerReaderTest, FromAByteOffsetReadsTheLaterLinesAndNumbersLinesFromTheTop) {
  testing::TempDir dir;
  const auto path = dir.path() / "ledger.jsonl";
  const std::string head = Row("collect", 1) + "\ngarbage\n";
  ASSERT_TRUE(
      WriteFileAtomic(path, head + Row("eval", 2) + "\nbad\n" + Row("eval", 3) + "\n").ok());
  Read read = ReadAll(path, head.size());
  EXPECT_EQ(read.stages, (std::vector<std::string>{"eval", "eval"}));
  EXPECT_EQ(read.stats.damaged_lines, 1);  // the one before the offset is not read
  EXPECT_EQ(read.stats.first_damaged_line, 4);
  // An offset inside a line starts at that line.
  EXPECT_EQ(ReadAll(path, head.size() + 5).stages.size(), 2u);
  EXPECT_EQ(ReadAll(path, 1u << 20).stats.rows, 0);  // past the end: nothing
  // SummarizeLedger from the same offset applies the same rule.
  auto since = SummarizeLedger(path, head.size());
  ASSERT_TRUE(since.ok()) << since.error().message;
  EXPECT_EQ(since->by_stage["eval"].calls, 2);
  EXPECT_DOUBLE_EQ(since->total.cost_usd, 5);
  EXPECT_EQ(since->read.damaged_lines, 1);
}

TEST(LedgerReaderTest, AMissingLedgerIsEmptyAndADirectoryIsAnError) {
  testing::TempDir dir;
  Read read = ReadAll(dir.path() / "none.jsonl");
  EXPECT_EQ(read.stats.rows, 0);
  EXPECT_FALSE(read.stats.torn_tail);
  auto refused = ReadLedger(dir.path(), [](const Json&) {});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("not a regular file"), std::string::npos);
}

TEST(LedgerReaderTest, AFifoIsRefusedWithoutBlocking) {
  testing::TempDir dir;
  const auto fifo = dir.path() / "ledger.jsonl";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto refused = ReadLedger(fifo, [](const Json&) {});
  EXPECT_FALSE(refused.ok());
}

}  // namespace
}  // namespace sg::llm
