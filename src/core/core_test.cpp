#include <gtest/gtest.h>

#include "core/clock.h"
#include "core/error.h"
#include "core/file_util.h"
#include "core/json.h"
#include "core/sha256.h"
#include "core/testing.h"

namespace sg {
namespace {

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(FileUtil, AtomicWriteReplacesAndLeavesNoTemporaries) {
  testing::TempDir dir;
  auto path = dir.path() / "a" / "b" / "out.json";
  ASSERT_TRUE(WriteFileAtomic(path, "first").ok());
  ASSERT_TRUE(WriteFileAtomic(path, "second").ok());
  auto text = ReadFile(path);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "second");
  int entries = 0;
  for (auto& e : std::filesystem::directory_iterator(path.parent_path())) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 1);
}

TEST(FileUtil, MissingFileIsNotFoundAndNamesThePath) {
  auto text = ReadFile("/nonexistent/skillgrad/file.txt");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().code, ErrorCode::kNotFound);
  EXPECT_NE(text.error().message.find("/nonexistent/skillgrad/file.txt"), std::string::npos);
}

TEST(FileUtil, AppendLineAppends) {
  testing::TempDir dir;
  auto path = dir.path() / "log.jsonl";
  ASSERT_TRUE(AppendLine(path, "one").ok());
  ASSERT_TRUE(AppendLine(path, "two").ok());
  EXPECT_EQ(*ReadFile(path), "one\ntwo\n");
}

TEST(Json, ParseErrorNamesTheSource) {
  auto parsed = ParseJson("{\"a\": ", "config.json");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, ErrorCode::kParse);
  EXPECT_NE(parsed.error().message.find("config.json"), std::string::npos);
}

Result<int> Half(int x) {
  if (x % 2) return InvalidArgument("odd");
  return x / 2;
}
Result<int> Quarter(int x) {
  SG_ASSIGN_OR_RETURN(int h, Half(x));
  SG_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

TEST(Result, PropagatesErrors) {
  EXPECT_EQ(*Quarter(8), 2);
  auto bad = Quarter(6);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "odd");
}

TEST(Clock, ManualClockAdvancesOnlyWhenSlept) {
  ManualClock clock;
  auto start = clock.Now();
  clock.SleepFor(std::chrono::milliseconds(250));
  EXPECT_EQ(clock.Now() - start, std::chrono::milliseconds(250));
  EXPECT_EQ(FormatUtcMillis(0), "1970-01-01T00:00:00.000Z");
}

}  // namespace
}  // namespace sg

#include "core/redact.h"

namespace sg {
namespace {

TEST(SecretRedactor, ReplacesEveryOccurrenceAndIgnoresShortValues) {
  SecretRedactor redactor;
  redactor.AddSecret("sk-test-1234567890");
  redactor.AddSecret("abc");  // too short to redact safely
  EXPECT_EQ(redactor.Redact("key=sk-test-1234567890 and again sk-test-1234567890 abc"),
            "key=[REDACTED] and again [REDACTED] abc");
}

}  // namespace
}  // namespace sg

#include "core/text_cap.h"

namespace sg {
namespace {

TEST(CapHeadTail, KeepsHeadAndTailAndCountsTheCut) {
  EXPECT_EQ(CapHeadTail("short", 100), "short");
  std::string text = std::string(600, 'a') + std::string(600, 'b');
  std::string capped = CapHeadTail(text, 300);
  EXPECT_EQ(capped.substr(0, 200), std::string(200, 'a'));
  EXPECT_EQ(capped.substr(capped.size() - 100), std::string(100, 'b'));
  EXPECT_NE(capped.find("[... 900 bytes omitted ...]"), std::string::npos);
}

TEST(CapHeadTail, DoesNotSplitMultibyteCharacters) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += "\xC3\xA9";  // é
  std::string capped = CapHeadTail(text, 101);
  size_t marker = capped.find("\n[...");
  ASSERT_NE(marker, std::string::npos);
  EXPECT_EQ(marker % 2, 0u);
}

}  // namespace
}  // namespace sg

#include "core/parallel.h"

namespace sg {
namespace {

TEST(ParallelFor, RunsEveryIndexOnceWithinTheConcurrencyBound) {
  std::vector<std::atomic<int>> hits(200);
  std::atomic<int> in_flight{0};
  std::atomic<int> max_in_flight{0};
  Status done = ParallelFor(hits.size(), 3, [&](size_t i) {
    int now = ++in_flight;
    int seen = max_in_flight.load();
    while (now > seen && !max_in_flight.compare_exchange_weak(seen, now)) {
    }
    hits[i]++;
    --in_flight;
  });
  EXPECT_TRUE(done.ok());
  for (auto& h : hits) EXPECT_EQ(h.load(), 1);
  EXPECT_LE(max_in_flight.load(), 3);
  EXPECT_GE(max_in_flight.load(), 1);
}

// An exception escaping a worker used to reach std::terminate (exit 134, state left "running").
TEST(ParallelFor, AnEscapedExceptionBecomesAnErrorAndTheOtherItemsStillRun) {
  for (int concurrency : {1, 4}) {
    std::vector<std::atomic<int>> hits(20);
    Status done = ParallelFor(hits.size(), concurrency, [&](size_t i) {
      hits[i]++;
      if (i == 7) throw std::runtime_error("filesystem error: canonical: No such file");
    });
    ASSERT_FALSE(done.ok()) << "concurrency " << concurrency;
    EXPECT_EQ(done.error().code, ErrorCode::kInternal);
    EXPECT_NE(done.error().message.find("work item 7 threw: filesystem error"), std::string::npos)
        << done.error().message;
    for (auto& h : hits) EXPECT_EQ(h.load(), 1);
  }
}

}  // namespace
}  // namespace sg
