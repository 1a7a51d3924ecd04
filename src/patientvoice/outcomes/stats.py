"""The statistics of the outcomes report, in pure Python so the collector and report need no SciPy.

Each function mirrors a SciPy or statsmodels call, named in its docstring, and the tests check them
against SciPy on known data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from statistics import median

EXACT_MAX_N = 50  # scipy.stats.wilcoxon(method="auto") switches to the normal approximation above this


def binom_cdf_half(k: int, n: int) -> float:
    """P(X ≤ k) for X ~ Binomial(n, 0.5), exact with integers."""
    if k < 0:
        return 0.0
    return sum(math.comb(n, i) for i in range(min(k, n) + 1)) / 2 ** n


def mcnemar_exact(b: int, c: int) -> float:
    """Two-sided exact McNemar p-value from the discordant counts b and c.

    Same as ``statsmodels...mcnemar([[a, b], [c, d]], exact=True).pvalue`` and
    ``scipy.stats.binomtest(min(b, c), b + c, 0.5).pvalue``; 1.0 when there are no discordant pairs.
    """
    n = b + c
    if n == 0:
        return 1.0
    return min(1.0, 2 * binom_cdf_half(min(b, c), n))


def cohens_h(p1: float, p2: float) -> float:
    """Cohen's h for a change from proportion p1 to p2: 2·asin√p2 − 2·asin√p1 (positive when p2 is higher)."""
    return 2 * math.asin(math.sqrt(p2)) - 2 * math.asin(math.sqrt(p1))


def rankdata(values: list[float]) -> tuple[list[float], list[int]]:
    """Average ranks (1-based), as ``scipy.stats.rankdata``, and the sizes of the groups of tied values."""
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    ties, i = [], 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        ties.append(j - i + 1)
        i = j + 1
    return ranks, ties


@lru_cache(maxsize=64)
def _signed_rank_counts(n: int) -> tuple[int, ...]:
    # counts[s] = how many of the 2**n sign patterns give W+ = s; the exact null distribution without ties
    counts = [1] + [0] * (n * (n + 1) // 2)
    for r in range(1, n + 1):
        for s in range(len(counts) - 1, r - 1, -1):
            counts[s] += counts[s - r]
    return tuple(counts)


def normal_sf(z: float) -> float:
    """Upper tail of the standard normal distribution."""
    return 0.5 * math.erfc(z / math.sqrt(2))


@dataclass
class Wilcoxon:
    """A Wilcoxon signed-rank result; ``statistic`` is min(W+, W−) as SciPy reports for two-sided tests."""

    n: int            # pairs with a non-zero difference (zeros are dropped, as Wilcoxon proposed)
    zeros: int
    w_plus: float
    w_minus: float
    statistic: float
    pvalue: float
    method: str       # "exact" or "normal"
    z: float | None
    rank_biserial: float  # matched-pairs rank-biserial r = (W+ − W−) / (W+ + W−)


def wilcoxon(before: list[float], after: list[float]) -> Wilcoxon | None:
    """Two-sided Wilcoxon signed-rank test on ``after − before``; None when every pair is unchanged.

    Matches ``scipy.stats.wilcoxon(after, before)`` with its defaults (zero_method="wilcox",
    correction=False): the exact distribution when there are at most 50 pairs, no ties and no zeros
    (what method="auto" does), otherwise the normal approximation with the tie-corrected variance
    (method="asymptotic"). SciPy's "auto" would run a permutation test for n ≤ 13 with ties; we use the
    normal approximation there too and say so in the report.
    """
    diffs = [a - b for a, b in zip(after, before, strict=True)]
    nonzero = [d for d in diffs if d != 0]
    n, zeros = len(nonzero), len(diffs) - len(nonzero)
    if n == 0:
        return None
    ranks, ties = rankdata([abs(d) for d in nonzero])
    w_plus = sum(r for r, d in zip(ranks, nonzero) if d > 0)
    w_minus = sum(r for r, d in zip(ranks, nonzero) if d < 0)
    r = (w_plus - w_minus) / (w_plus + w_minus)
    if len(diffs) <= EXACT_MAX_N and zeros == 0 and all(t == 1 for t in ties):
        counts, total = _signed_rank_counts(n), 2 ** n
        k = int(w_plus)
        cdf, sf = sum(counts[: k + 1]) / total, sum(counts[k:]) / total
        return Wilcoxon(n, zeros, w_plus, w_minus, min(w_plus, w_minus), min(1.0, 2 * min(cdf, sf)), "exact", None, r)
    mean = n * (n + 1) / 4
    var = (n * (n + 1) * (2 * n + 1) - sum(t ** 3 - t for t in ties) / 2) / 24
    if var <= 0:
        return None
    z = (w_plus - mean) / math.sqrt(var)
    return Wilcoxon(n, zeros, w_plus, w_minus, min(w_plus, w_minus), min(1.0, 2 * normal_sf(abs(z))), "normal", z, r)


@dataclass
class Paired:
    """A matched comparison of a yes/no measure: counts, shares, McNemar's exact p and Cohen's h."""

    n: int
    before: float
    after: float
    change: float      # percentage points, after − before
    improved: int      # b: wrong before, right after
    worsened: int      # c: right before, wrong after
    pvalue: float
    h: float


def paired_binary(pairs: list[tuple[bool, bool]]) -> Paired | None:
    """Compare matched yes/no outcomes (before, after); None without pairs."""
    n = len(pairs)
    if n == 0:
        return None
    p1 = sum(a for a, _ in pairs) / n
    p2 = sum(b for _, b in pairs) / n
    b = sum(1 for x, y in pairs if not x and y)
    c = sum(1 for x, y in pairs if x and not y)
    return Paired(n, p1, p2, round(100 * (p2 - p1), 1), b, c, mcnemar_exact(b, c), cohens_h(p1, p2))


def describe_scale(values: list[int], points: int) -> dict:
    """Median and counts per scale point of likert answers (scale indexes)."""
    counts = [0] * points
    for v in values:
        counts[v] += 1
    return {"n": len(values), "median": median(values) if values else None, "counts": counts}
