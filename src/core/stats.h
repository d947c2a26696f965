// Uncertainty of accuracy figures over a small task set: the interval of one accuracy and the
// paired comparison of two skills on the same tasks (docs/statistics.md). Every resampling
// draws from a seeded std::mt19937_64 through a rejection draw (not a std:: distribution,
// whose output differs between standard libraries), so a figure reproduces on any machine.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sg::stats {

struct Interval {
  double low = 0;
  double high = 0;
};

// Wilson score interval of `successes` out of `n` at 95% (z = 1.959964); [0, 1] when n = 0.
Interval WilsonInterval(int64_t successes, int64_t n);

// Two-sided exact McNemar test of paired binary outcomes: `only_a` tasks that A passes and B
// fails, `only_b` the reverse. The binomial(only_a + only_b, 1/2) tail doubled, capped at 1;
// 1 when there is no discordant task.
double McNemarExactP(int64_t only_a, int64_t only_b);

// A percentile bootstrap over tasks of the mean of `values` (per-task figures, or per-task
// differences for a paired comparison): `resamples` draws of n tasks with replacement, the
// 2.5th and 97.5th percentiles of their means. {mean, mean} for one task; {0, 0} for none.
Interval BootstrapMeanInterval(const std::vector<double>& values, int resamples, uint64_t seed);

// Two-sided paired sign-flip permutation test of mean(differences) = 0: exact over all 2^n
// sign patterns for n <= 16, otherwise `resamples` random patterns (with the observed one
// counted, so p is never 0). 1 when every difference is 0.
double PairedPermutationP(const std::vector<double>& differences, int resamples, uint64_t seed);

double Mean(const std::vector<double>& values);  // 0 for none
// The 97.5th percentile of Student's t with `df` degrees of freedom (df >= 1), from a table
// for df <= 30 and 1.96 beyond; for the 95% interval of a mean over a few training seeds.
double StudentT975(int df);
// Sample standard deviation (n - 1); 0 for fewer than two values.
double StdDev(const std::vector<double>& values);

}  // namespace sg::stats
