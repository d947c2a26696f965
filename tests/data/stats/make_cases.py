#!/usr/bin/env python3
"""Writes cases.json: reference values of skillgrad's statistics (src/core/stats.h) computed
here independently with CPython's math, fractions, itertools and statistics modules:
Wilson 95% intervals, exact McNemar p-values (exact binomial sums), exact sign-flip
permutation p-values (every sign pattern enumerated), means and sample standard deviations,
and percentile-bootstrap intervals with a fixed seed. The bootstrap needs the same random
draws as the C++ code: std::mt19937_64 (implemented below from its published definition)
and a uniform index by rejection of the biased top range; the percentiles are
statistics.quantiles' inclusive method (linear interpolation between closest ranks).
Run: python3 make_cases.py"""
import itertools
import json
import math
import statistics
from fractions import Fraction
from pathlib import Path

Z = 1.959963984540054  # the 97.5th percentile of the standard normal
MASK64 = (1 << 64) - 1


class MT19937_64:
    N, M = 312, 156
    MATRIX_A = 0xB5026F5AA96619E9
    UPPER, LOWER = 0xFFFFFFFF80000000, 0x7FFFFFFF

    def __init__(self, seed):
        self.mt = [seed & MASK64]
        for i in range(1, self.N):
            prev = self.mt[-1]
            self.mt.append((6364136223846793005 * (prev ^ (prev >> 62)) + i) & MASK64)
        self.index = self.N

    def _twist(self):
        mt = self.mt
        for i in range(self.N):
            x = (mt[i] & self.UPPER) | (mt[(i + 1) % self.N] & self.LOWER)
            xa = x >> 1
            if x & 1:
                xa ^= self.MATRIX_A
            mt[i] = mt[(i + self.M) % self.N] ^ xa
        self.index = 0

    def __call__(self):
        if self.index >= self.N:
            self._twist()
        y = self.mt[self.index]
        self.index += 1
        y ^= (y >> 29) & 0x5555555555555555
        y ^= (y << 17) & 0x71D67FFFEDA60000
        y ^= (y << 37) & 0xFFF7EEE000000000
        y ^= y >> 43
        return y & MASK64


def draw_index(engine, n):
    limit = MASK64 - (MASK64 % n)
    x = engine()
    while x >= limit:
        x = engine()
    return x % n


def wilson(k, n):
    p = k / n
    denom = 1 + Z * Z / n
    center = (p + Z * Z / (2 * n)) / denom
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / denom
    return max(0.0, center - half), min(1.0, center + half)


def mcnemar(a, b):
    n = a + b
    if n == 0:
        return 1.0
    tail = sum(Fraction(math.comb(n, i), 2 ** n) for i in range(min(a, b) + 1))
    return float(min(Fraction(1), 2 * tail))


def permutation_exact(differences):
    n = len(differences)
    observed = abs(statistics.fmean(differences))
    if observed <= 1e-12:
        return 1.0
    extreme = 0
    for signs in itertools.product((1, -1), repeat=n):
        m = abs(sum(s * d for s, d in zip(signs, differences)) / n)
        extreme += m >= observed - 1e-12
    return extreme / 2 ** n


def bootstrap(values, resamples, seed):
    engine = MT19937_64(seed)
    n = len(values)
    means = []
    for _ in range(resamples):
        total = 0.0
        for _ in range(n):
            total += values[draw_index(engine, n)]
        means.append(total / n)
    cuts = statistics.quantiles(means, n=40, method="inclusive")
    return cuts[0], cuts[38]


def main():
    wilson_cases = [(0, 10), (7, 10), (4, 10), (10, 10), (1, 1), (90, 180), (133, 180)]
    mcnemar_cases = [(1, 9), (3, 0), (0, 0), (5, 5), (12, 30), (0, 7)]
    permutation_cases = [[1, 1, 1, 0, 0], [0.5, -0.25, 1, 0, 0.75, -1, 0.25], [1, -1], [0, 0, 0]]
    spread_cases = [[0.5, 0.7], [0.61, 0.58, 0.66], [0.4, 0.4, 0.4, 0.4], [0.1, 0.9, 0.3, 0.55, 0.2]]
    bootstrap_cases = [([1, 1, 0, 1, 0, 0, 1, 1, 1, 0], 2000, 0),
                       ([0.3, 1, 0.6667, 0, 1, 0.3333, 1], 1000, 7),
                       ([1, 0, -1, 1, 0, 1, 1, 0, 0, 1, -1, 1], 500, 42)]
    cases = {
        "wilson": [{"successes": k, "n": n, "low": wilson(k, n)[0], "high": wilson(k, n)[1]}
                   for k, n in wilson_cases],
        "mcnemar": [{"only_a": a, "only_b": b, "p": mcnemar(a, b)} for a, b in mcnemar_cases],
        "permutation_exact": [{"differences": d, "p": permutation_exact(d)}
                              for d in permutation_cases],
        "mean_sd": [{"values": v, "mean": statistics.fmean(v), "sd": statistics.stdev(v)}
                    for v in spread_cases],
        "bootstrap": [{"values": v, "resamples": r, "seed": s, "low": bootstrap(v, r, s)[0],
                       "high": bootstrap(v, r, s)[1]} for v, r, s in bootstrap_cases],
    }
    out = Path(__file__).resolve().parent / "cases.json"
    out.write_text(json.dumps(cases, indent=1) + "\n")


if __name__ == "__main__":
    main()
