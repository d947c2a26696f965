#include "tasks/wtq_value.h"

#include <gtest/gtest.h>

#include <fstream>

#include "core/json.h"
#include "core/testing.h"
#include "tasks/wtq_normalize.h"

namespace sg::tasks::wtq {
namespace {

namespace fs = std::filesystem;

// One file per case in tests/data/wtq_normalize; expected strings come from CPython running
// the evaluator's rules (tests/data/wtq_agreement/evaluator_semantics.py).
TEST(WtqNormalize, DataDrivenCases) {
  fs::path dir = testing::SourceDir() / "tests/data/wtq_normalize";
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    auto c = ReadJsonFile(entry.path());
    ASSERT_TRUE(c.ok()) << c.error().ToString();
    EXPECT_EQ(Normalize((*c)["input"].get<std::string>()), (*c)["expected"].get<std::string>())
        << entry.path().filename() << ": " << (*c)["why"].get<std::string>();
    ++cases;
  }
  EXPECT_GE(cases, 40);
}

// Every verdict of tests/data/wtq_agreement/pairs.jsonl was computed by CPython.
TEST(WtqDenotation, AgreesWithTheEvaluatorVerdictForVerdict) {
  std::ifstream in(testing::SourceDir() / "tests/data/wtq_agreement/pairs.jsonl");
  ASSERT_TRUE(in);
  std::string line;
  int pairs = 0, passes = 0;
  while (std::getline(in, line)) {
    Json c = Json::parse(line);
    auto targets_raw = c["targets"].get<std::vector<std::string>>();
    std::vector<std::string> canon;
    if (c.contains("target_canon")) canon = c["target_canon"].get<std::vector<std::string>>();
    auto targets = ToValueList(targets_raw, c.contains("target_canon") ? &canon : nullptr);
    auto predictions = ToValueList(c["predictions"].get<std::vector<std::string>>());
    bool expected = c["pass"].get<bool>();
    EXPECT_EQ(CheckDenotation(targets, predictions), expected) << line;
    ++pairs;
    passes += expected;
  }
  EXPECT_GE(pairs, 3000);
  EXPECT_GT(passes, 500);
  EXPECT_LT(passes, pairs - 500);
}

TEST(WtqValue, NumbersDatesAndStrings) {
  EXPECT_EQ(ToValue("5").kind, ValueKind::kNumber);
  EXPECT_EQ(ToValue("1,000").kind, ValueKind::kString);  // float() refuses the comma
  EXPECT_EQ(ToValue("1_000").number.integer, 1000);      // PEP 515 underscores
  EXPECT_EQ(ToValue("\xD9\xA3").number.integer, 3);      // Arabic-Indic digit three
  EXPECT_EQ(ToValue("nan").kind, ValueKind::kString);
  EXPECT_EQ(ToValue("5\x1f").kind, ValueKind::kString);          // int() strips ASCII spaces only
  EXPECT_EQ(ToValue("5\xE2\x80\x83").kind, ValueKind::kNumber);  // ... after mapping U+2003
  EXPECT_EQ(ToValue("1e400").kind, ValueKind::kString);
  Value truncated = ToValue("2.9999999");
  ASSERT_TRUE(truncated.number.is_integer);
  EXPECT_EQ(truncated.number.integer, 2);  // int() truncates once within 1e-6 of 3
  Value date = ToValue("xx-01-12");
  EXPECT_EQ(date.kind, ValueKind::kDate);
  EXPECT_EQ(date.year, -1);
  EXPECT_EQ(date.month, 1);
  EXPECT_EQ(ToValue("1990-xx-xx").kind, ValueKind::kNumber);  // a year alone is a number
  EXPECT_EQ(ToValue("2001-13-01").kind, ValueKind::kString);
  EXPECT_EQ(ToValue("five", "5").number.integer, 5);
  EXPECT_EQ(ToValue("five", "5").normalized, "five");
}

TEST(WtqValue, DenotationsAreSets) {
  auto t = ToValueList({"a", "b"});
  EXPECT_TRUE(CheckDenotation(t, ToValueList({"B", "A"})));
  EXPECT_FALSE(CheckDenotation(t, ToValueList({"a"})));
  EXPECT_FALSE(CheckDenotation(t, ToValueList({"a", "b", "c"})));
  EXPECT_TRUE(CheckDenotation(ToValueList({"a", "a"}), ToValueList({"a"})));  // merged
  EXPECT_TRUE(CheckDenotation(ToValueList({"3"}), ToValueList({"3.0000001"})));
}

TEST(WtqTsv, UnescapesInTheEvaluatorsOrder) {
  EXPECT_EQ(TsvUnescape("a\\nb"), "a\nb");
  EXPECT_EQ(TsvUnescape("a\\pb"), "a|b");
  EXPECT_EQ(TsvUnescape("a\\\\b"), "a\\b");
  // Replacements run one after the other: "\\n" (escaped backslash, n) holds "\n" first.
  EXPECT_EQ(TsvUnescape("\\\\n"), "\\\n");
  EXPECT_EQ(TsvUnescapeList("x|y\\pz"), (std::vector<std::string>{"x", "y|z"}));
}

}  // namespace
}  // namespace sg::tasks::wtq
