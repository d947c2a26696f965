#include "core/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

namespace sg::stats {

namespace {

constexpr double kZ95 = 1.959963984540054;

// A uniform index in [0, n) from the engine, by rejection of the biased top range.
uint64_t DrawIndex(std::mt19937_64& engine, uint64_t n) {
  const uint64_t limit =
      std::numeric_limits<uint64_t>::max() - (std::numeric_limits<uint64_t>::max() % n);
  uint64_t x = engine();
  while (x >= limit) x = engine();
  return x % n;
}

// The q-quantile of sorted values, by linear interpolation between closest ranks.
double Quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

// log of n choose k, through lgamma (exact enough for the tails of n up to millions).
double LogChoose(int64_t n, int64_t k) {
  return std::lgamma(static_cast<double>(n) + 1) - std::lgamma(static_cast<double>(k) + 1) -
         std::lgamma(static_cast<double>(n - k) + 1);
}

}  // namespace

double StudentT975(int df) {
  static constexpr double kTable[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306,
                                      2.262,  2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120,
                                      2.110,  2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
                                      2.060,  2.056, 2.052, 2.048, 2.045, 2.042};
  if (df < 1) return 0;
  return df <= 30 ? kTable[df - 1] : 1.96;
}

double Mean(const std::vector<double>& values) {
  if (values.empty()) return 0;
  double sum = 0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

double StdDev(const std::vector<double>& values) {
  if (values.size() < 2) return 0;
  const double mean = Mean(values);
  double sq = 0;
  for (double v : values) sq += (v - mean) * (v - mean);
  return std::sqrt(sq / static_cast<double>(values.size() - 1));
}

Interval WilsonInterval(int64_t successes, int64_t n) {
  if (n <= 0) return {0, 1};
  const double p = static_cast<double>(successes) / static_cast<double>(n);
  const double z2 = kZ95 * kZ95;
  const double denom = 1 + z2 / static_cast<double>(n);
  const double center = (p + z2 / (2.0 * static_cast<double>(n))) / denom;
  const double half =
      kZ95 *
      std::sqrt(p * (1 - p) / static_cast<double>(n) + z2 / (4.0 * n * static_cast<double>(n))) /
      denom;
  return {std::max(0.0, center - half), std::min(1.0, center + half)};
}

double McNemarExactP(int64_t only_a, int64_t only_b) {
  const int64_t n = only_a + only_b;
  if (n <= 0) return 1;
  const int64_t k = std::min(only_a, only_b);
  double tail = 0;
  for (int64_t i = 0; i <= k; ++i) {
    tail += std::exp(LogChoose(n, i) - static_cast<double>(n) * std::log(2.0));
  }
  return std::min(1.0, 2 * tail);
}

Interval BootstrapMeanInterval(const std::vector<double>& values, int resamples, uint64_t seed) {
  if (values.empty()) return {0, 0};
  if (values.size() == 1 || resamples <= 0) return {Mean(values), Mean(values)};
  std::mt19937_64 engine(seed);
  std::vector<double> means;
  means.reserve(static_cast<size_t>(resamples));
  const uint64_t n = values.size();
  for (int r = 0; r < resamples; ++r) {
    double sum = 0;
    for (uint64_t i = 0; i < n; ++i) sum += values[DrawIndex(engine, n)];
    means.push_back(sum / static_cast<double>(n));
  }
  std::sort(means.begin(), means.end());
  return {Quantile(means, 0.025), Quantile(means, 0.975)};
}

double PairedPermutationP(const std::vector<double>& differences, int resamples, uint64_t seed) {
  const size_t n = differences.size();
  const double observed = std::fabs(Mean(differences));
  const double kTolerance = 1e-12;
  if (n == 0 || observed <= kTolerance) return 1;
  auto flipped_mean = [&](auto sign_of) {
    double sum = 0;
    for (size_t i = 0; i < n; ++i) sum += sign_of(i) ? -differences[i] : differences[i];
    return std::fabs(sum / static_cast<double>(n));
  };
  if (n <= 16) {
    const uint64_t patterns = uint64_t{1} << n;
    uint64_t extreme = 0;
    for (uint64_t mask = 0; mask < patterns; ++mask) {
      const double m = flipped_mean([mask](size_t i) { return ((mask >> i) & 1) != 0; });
      extreme += m >= observed - kTolerance ? 1 : 0;
    }
    return static_cast<double>(extreme) / static_cast<double>(patterns);
  }
  std::mt19937_64 engine(seed);
  uint64_t extreme = 1;  // the observed pattern
  for (int r = 0; r < resamples; ++r) {
    std::vector<bool> signs(n);
    for (size_t i = 0; i < n; ++i) signs[i] = (engine() & 1) != 0;
    const double m = flipped_mean([&signs](size_t i) { return static_cast<bool>(signs[i]); });
    extreme += m >= observed - kTolerance ? 1 : 0;
  }
  return static_cast<double>(extreme) / static_cast<double>(resamples + 1);
}

}  // namespace sg::stats
