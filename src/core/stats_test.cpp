// The interval and paired tests of core/stats.h against values worked by hand (the binomial
// tails and sign patterns are small enough to count), the textbook Wilson interval, and the
// reference cases that tests/data/stats/make_cases.py computes with CPython.
#include "core/stats.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/file_util.h"
#include "core/json.h"
#include "core/testing.h"

namespace sg::stats {
namespace {

TEST(StatsTest, WilsonIntervalMatchesTheTextbookValues) {
  const Interval seven_of_ten = WilsonInterval(7, 10);
  EXPECT_NEAR(seven_of_ten.low, 0.3968, 1e-4);
  EXPECT_NEAR(seven_of_ten.high, 0.8922, 1e-4);
  const Interval none = WilsonInterval(0, 20);
  EXPECT_DOUBLE_EQ(none.low, 0.0);
  EXPECT_NEAR(none.high, 0.1611, 1e-4);
  const Interval all = WilsonInterval(20, 20);
  EXPECT_NEAR(all.low, 0.8389, 1e-4);
  EXPECT_DOUBLE_EQ(all.high, 1.0);
  const Interval empty = WilsonInterval(0, 0);
  EXPECT_DOUBLE_EQ(empty.low, 0.0);
  EXPECT_DOUBLE_EQ(empty.high, 1.0);
}

TEST(StatsTest, McNemarExactIsTheDoubledBinomialTail) {
  EXPECT_NEAR(McNemarExactP(1, 9), 2.0 * (1 + 10) / 1024, 1e-15);  // 0.021484375
  EXPECT_NEAR(McNemarExactP(9, 1), McNemarExactP(1, 9), 1e-15);
  EXPECT_DOUBLE_EQ(McNemarExactP(0, 0), 1.0);
  EXPECT_DOUBLE_EQ(McNemarExactP(3, 3), 1.0);  // the doubled tail passes 1 and is capped
  EXPECT_NEAR(McNemarExactP(0, 6), 2.0 / 64, 1e-15);
  // A large table stays finite and tiny.
  EXPECT_LT(McNemarExactP(10, 90), 1e-15);
  EXPECT_GT(McNemarExactP(10, 90), 0.0);
}

TEST(StatsTest, ExactPermutationCountsTheSignPatterns) {
  // |mean| >= 0.75 only when the three ones share a sign: 2 signs x 2 flips of the zero.
  EXPECT_DOUBLE_EQ(PairedPermutationP({1, 1, 1, 0}, 0, 7), 4.0 / 16);
  EXPECT_DOUBLE_EQ(PairedPermutationP({0, 0, 0}, 1000, 7), 1.0);
  EXPECT_DOUBLE_EQ(PairedPermutationP({}, 1000, 7), 1.0);
  EXPECT_DOUBLE_EQ(PairedPermutationP({0.5, -0.5}, 0, 7), 1.0);
}

TEST(StatsTest, SampledPermutationIsSeededAndNeverZero) {
  std::vector<double> many(40, 1.0);  // every task better: the observed pattern is the extreme
  const double p = PairedPermutationP(many, 999, 11);
  EXPECT_DOUBLE_EQ(p, 1.0 / 1000);
  std::vector<double> mixed;
  for (int i = 0; i < 40; ++i) mixed.push_back(i % 3 == 0 ? -1.0 : (i % 3 == 1 ? 1.0 : 0.5));
  EXPECT_DOUBLE_EQ(PairedPermutationP(mixed, 2000, 5), PairedPermutationP(mixed, 2000, 5));
  EXPECT_GT(PairedPermutationP(mixed, 2000, 5), 0.0);
  EXPECT_LE(PairedPermutationP(mixed, 2000, 5), 1.0);
}

TEST(StatsTest, BootstrapIntervalHoldsTheMeanAndNarrowsWithMoreTasks) {
  std::vector<double> few = {0, 1, 1, 0, 1, 1, 1, 0, 1, 1};
  const Interval a = BootstrapMeanInterval(few, 4000, 3);
  EXPECT_LT(a.low, Mean(few));
  EXPECT_GT(a.high, Mean(few));
  const Interval again = BootstrapMeanInterval(few, 4000, 3);
  EXPECT_DOUBLE_EQ(a.low, again.low);
  EXPECT_DOUBLE_EQ(a.high, again.high);
  std::vector<double> more;
  for (int i = 0; i < 20; ++i) more.insert(more.end(), few.begin(), few.end());
  const Interval b = BootstrapMeanInterval(more, 4000, 3);
  EXPECT_LT(b.high - b.low, a.high - a.low);
  const Interval constant = BootstrapMeanInterval({0.5, 0.5, 0.5}, 100, 1);
  EXPECT_DOUBLE_EQ(constant.low, 0.5);
  EXPECT_DOUBLE_EQ(constant.high, 0.5);
  EXPECT_DOUBLE_EQ(BootstrapMeanInterval({}, 100, 1).high, 0.0);
}

TEST(StatsTest, MeanAndSampleStdDev) {
  EXPECT_DOUBLE_EQ(Mean({1, 2, 3, 4}), 2.5);
  EXPECT_NEAR(StdDev({1, 2, 3, 4}), 1.2909944487358056, 1e-12);
  EXPECT_DOUBLE_EQ(StdDev({5}), 0.0);
  EXPECT_DOUBLE_EQ(Mean({}), 0.0);
}

}  // namespace
}  // namespace sg::stats

namespace sg::stats {
namespace {

// The 97.5th percentiles of Student's t, as printed in any t table (and by
// scipy.stats.t.ppf(0.975, df) rounded to three places).
TEST(StatsTest, StudentTQuantilesForTheIntervalOverSeeds) {
  EXPECT_DOUBLE_EQ(StudentT975(1), 12.706);
  EXPECT_DOUBLE_EQ(StudentT975(2), 4.303);
  EXPECT_DOUBLE_EQ(StudentT975(4), 2.776);
  EXPECT_DOUBLE_EQ(StudentT975(9), 2.262);
  EXPECT_DOUBLE_EQ(StudentT975(30), 2.042);
  EXPECT_DOUBLE_EQ(StudentT975(31), 1.96);
  EXPECT_DOUBLE_EQ(StudentT975(0), 0.0);
}

// Reference values computed independently by tests/data/stats/make_cases.py with CPython's
// math, fractions, itertools and statistics modules (and its own mt19937_64 for the seeded
// bootstrap draws).
Json ReferenceCases() {
  auto cases = ReadJsonFile(testing::SourceDir() / "tests/data/stats/cases.json");
  EXPECT_TRUE(cases.ok()) << (cases.ok() ? "" : cases.error().message);
  return cases.ok() ? *cases : Json::object();
}

std::vector<double> Doubles(const Json& values) { return values.get<std::vector<double>>(); }

TEST(StatsTest, MatchesTheReferenceCasesComputedWithCPython) {
  const Json cases = ReferenceCases();
  ASSERT_FALSE(cases.empty());
  for (const Json& c : cases["wilson"]) {
    const Interval got = WilsonInterval(c["successes"].get<int64_t>(), c["n"].get<int64_t>());
    EXPECT_NEAR(got.low, c["low"].get<double>(), 1e-12) << c.dump();
    EXPECT_NEAR(got.high, c["high"].get<double>(), 1e-12) << c.dump();
  }
  for (const Json& c : cases["mcnemar"]) {
    EXPECT_NEAR(McNemarExactP(c["only_a"].get<int64_t>(), c["only_b"].get<int64_t>()),
                c["p"].get<double>(), 1e-12)
        << c.dump();
  }
  for (const Json& c : cases["permutation_exact"]) {
    EXPECT_NEAR(PairedPermutationP(Doubles(c["differences"]), 10000, 0), c["p"].get<double>(),
                1e-12)
        << c.dump();
  }
  for (const Json& c : cases["mean_sd"]) {
    EXPECT_NEAR(Mean(Doubles(c["values"])), c["mean"].get<double>(), 1e-12) << c.dump();
    EXPECT_NEAR(StdDev(Doubles(c["values"])), c["sd"].get<double>(), 1e-12) << c.dump();
  }
  for (const Json& c : cases["bootstrap"]) {
    const Interval got = BootstrapMeanInterval(Doubles(c["values"]), c["resamples"].get<int>(),
                                               c["seed"].get<uint64_t>());
    EXPECT_NEAR(got.low, c["low"].get<double>(), 1e-12) << c.dump();
    EXPECT_NEAR(got.high, c["high"].get<double>(), 1e-12) << c.dump();
  }
}

}  // namespace
}  // namespace sg::stats
