"""The tests of the outcomes report: McNemar (exact and mid-p), Wilcoxon signed-rank, Cohen's h.

SciPy note: SciPy is a runtime dependency of the report. ``scipy.stats.binomtest`` gives McNemar's exact p and
``scipy.stats.wilcoxon`` the signed-rank test whenever SciPy's own method is exact (no ties or zeros, at most
50 pairs) or when the sample is large (the tie-corrected normal approximation). The hand-written copies of
those that this module used to hold are gone. One case stays here: with ties or zeros SciPy's exact answer is
a permutation test (``PermutationMethod``) that enumerates all 2**n sign patterns — 1.8 s for 13 pairs and
only up to 13 pairs — so :func:`signed_rank_permutation` counts the same permutation distribution in
O(n³) instead; the tests check it against SciPy's ``PermutationMethod`` on every case SciPy enumerates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import median

import numpy as np
from scipy import stats as sp

from patientvoice.outcomes.intervals import newcombe_paired, wilson

EXACT_MAX_N = 50         # scipy.stats.wilcoxon(method="auto") is exact without ties up to here
PERMUTATION_MAX_N = 400  # with ties or zeros, the exact permutation distribution up to this many changed pairs


def mcnemar_exact(b: int, c: int) -> float:
    """Two-sided exact McNemar p-value from the discordant counts b and c (``scipy.stats.binomtest``)."""
    if b + c == 0:
        return 1.0
    return float(sp.binomtest(min(b, c), b + c, 0.5).pvalue)


def mcnemar_midp(b: int, c: int) -> float:
    """McNemar mid-p (Fagerland, Lydersen & Laake 2013): the exact p less the probability of the observed split.

    Less conservative than the exact test and close to nominal in their simulations; shown beside the exact p.
    """
    if b + c == 0:
        return 1.0
    k, n = min(b, c), b + c
    # 2·P(X ≤ k) − P(X = k) before capping; the capped exact p would be wrong when b = c
    return min(1.0, float(2 * sp.binom.cdf(k, n, 0.5) - sp.binom.pmf(k, n, 0.5)))


def cohens_h(p1: float, p2: float) -> float:
    """Cohen's h for a change from proportion p1 to p2: 2·asin√p2 − 2·asin√p1 (positive when p2 is higher)."""
    return 2 * math.asin(math.sqrt(p2)) - 2 * math.asin(math.sqrt(p1))


def rankdata(values: list[float]) -> tuple[list[float], list[int]]:
    """Average ranks (1-based), as ``scipy.stats.rankdata``, and the sizes of the groups of tied values."""
    ranks = sp.rankdata(values).tolist()
    _, ties = np.unique(np.asarray(values), return_counts=True)
    return ranks, ties.tolist()


def signed_rank_permutation(ranks: list[float], w_plus: float) -> float:
    """Two-sided p of W+ under the permutation (sign-flip) distribution of the given (possibly tied) ranks.

    The same distribution SciPy's ``wilcoxon(method=PermutationMethod())`` enumerates, counted by dynamic
    programming over doubled ranks (tied ranks are halves), so it stays exact for hundreds of pairs.
    """
    doubled = [int(round(2 * r)) for r in ranks]
    dist = np.zeros(sum(doubled) + 1)
    dist[0] = 1.0
    for r in doubled:  # each rank is added to W+ with probability one half
        shifted = np.concatenate([np.zeros(r), dist[:-r]])
        dist = 0.5 * dist + 0.5 * shifted
    w = int(round(2 * w_plus))
    less, greater = dist[: w + 1].sum(), dist[w:].sum()
    return float(min(1.0, 2 * min(less, greater)))


@dataclass
class Wilcoxon:
    """A Wilcoxon signed-rank result; ``statistic`` is min(W+, W−) as SciPy reports for two-sided tests."""

    n: int            # pairs with a non-zero difference (zeros are dropped, as Wilcoxon proposed)
    zeros: int
    w_plus: float
    w_minus: float
    statistic: float
    pvalue: float
    method: str       # "exact", "exact permutation" or "normal approximation"
    z: float | None
    rank_biserial: float  # matched-pairs rank-biserial r = (W+ − W−) / (W+ + W−)


def wilcoxon(before: list[float], after: list[float]) -> Wilcoxon | None:
    """Two-sided Wilcoxon signed-rank test on ``after − before``; None when every pair is unchanged.

    Without ties or zeros and with at most 50 pairs: SciPy's exact distribution (``method="exact"``, what
    ``"auto"`` picks). With ties or zeros and at most 400 changed pairs: the exact permutation distribution
    (SciPy's ``PermutationMethod``, which SciPy's "auto" uses only up to 13 pairs). Otherwise SciPy's normal
    approximation with the tie-corrected variance and no continuity correction (``method="asymptotic"``).
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
    tied = zeros > 0 or any(t > 1 for t in ties)
    z = None
    if not tied and n <= EXACT_MAX_N:
        p, method = float(sp.wilcoxon(nonzero, method="exact").pvalue), "exact"
    elif tied and n <= PERMUTATION_MAX_N:
        p, method = signed_rank_permutation(ranks, w_plus), "exact permutation"
    else:
        res = sp.wilcoxon(nonzero, method="asymptotic")
        p, method = float(res.pvalue), "normal approximation"
        z = math.copysign(abs(float(res.zstatistic)), w_plus - w_minus)
    return Wilcoxon(n, zeros, w_plus, w_minus, min(w_plus, w_minus), min(1.0, p), method, z, r)


@dataclass
class Paired:
    """A matched comparison of a yes/no measure: shares with Wilson CIs, the change with Newcombe's CI, McNemar."""

    n: int
    before: float
    after: float
    change: float      # percentage points, after − before
    improved: int      # b: wrong before, right after
    worsened: int      # c: right before, wrong after
    pvalue: float      # McNemar exact (binomial); the one levels are decided on
    midp: float        # McNemar mid-p, shown beside it
    h: float
    before_ci: tuple[float, float]
    after_ci: tuple[float, float]
    change_ci: tuple[float, float]  # percentage points, Newcombe (1998) method 10
    method: str = "McNemar exact (binomial)"


def paired_binary(pairs: list[tuple[bool, bool]]) -> Paired | None:
    """Compare matched yes/no outcomes (before, after); None without pairs."""
    n = len(pairs)
    if n == 0:
        return None
    both = sum(1 for x, y in pairs if x and y)
    b = sum(1 for x, y in pairs if not x and y)
    c = sum(1 for x, y in pairs if x and not y)
    p1 = sum(a for a, _ in pairs) / n
    p2 = sum(y for _, y in pairs) / n
    lo, hi = newcombe_paired(both, b, c, n - both - b - c)
    return Paired(n, p1, p2, round(100 * (p2 - p1), 1), b, c, mcnemar_exact(b, c), mcnemar_midp(b, c),
                  cohens_h(p1, p2), wilson(round(p1 * n), n), wilson(round(p2 * n), n),
                  (round(100 * lo, 1), round(100 * hi, 1)))


def describe_scale(values: list[int], points: int) -> dict:
    """Median and counts per scale point of likert answers (scale indexes)."""
    counts = [0] * points
    for v in values:
        counts[v] += 1
    return {"n": len(values), "median": median(values) if values else None, "counts": counts}
