"""Confidence intervals and effect sizes: Wilson, Newcombe's paired difference, Cohen's d_z, Holm, two groups.

All intervals are 95 %. SciPy does the distributions (``binomtest(...).proportion_ci``, the noncentral t, the t
tests, Mann–Whitney); Newcombe's paired interval and Holm's step-down are a few lines of arithmetic on top, and
the tests check them against a published worked example and statsmodels.
"""

from __future__ import annotations

import math
from statistics import mean, stdev

from scipy import optimize
from scipy import stats as sp

LEVEL = 0.95


def wilson(k: int, n: int) -> tuple[float, float] | None:
    """Wilson score interval (no continuity correction) for k of n; None when n is 0."""
    if n <= 0:
        return None
    ci = sp.binomtest(int(k), int(n)).proportion_ci(confidence_level=LEVEL, method="wilson")
    return float(ci.low), float(ci.high)


def newcombe_paired(both: int, gained: int, lost: int, neither: int) -> tuple[float, float]:
    """Newcombe's (1998) method 10 interval for p_after − p_before of matched yes/no pairs.

    ``both`` right in both phases, ``gained`` wrong→right, ``lost`` right→wrong, ``neither`` wrong twice. The
    Wilson intervals of the two shares are combined by "square and add", corrected for their correlation φ
    (taken as 0 when 0 ≤ AD − BC ≤ n/2, shrunk by n/2 when larger, as Newcombe specifies).
    """
    n = both + gained + lost + neither
    after, before = both + gained, both + lost          # right after / right before
    p1, p2 = after / n, before / n
    l1, u1 = wilson(after, n)
    l2, u2 = wilson(before, n)
    margins = after * (n - after) * before * (n - before)
    phi = 0.0
    if margins:
        a = both * neither - gained * lost
        phi = (a - n / 2) / math.sqrt(margins) if a > n / 2 else (a / math.sqrt(margins) if a < 0 else 0.0)
    d = p1 - p2
    lower = d - math.sqrt(max(0.0, (p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2))
    upper = d + math.sqrt(max(0.0, (p2 - l2) ** 2 - 2 * phi * (p2 - l2) * (u1 - p1) + (u1 - p1) ** 2))
    return max(-1.0, lower), min(1.0, upper)


def cohens_dz(diffs: list[float]) -> dict | None:
    """Cohen's d_z (mean change / SD of the changes) with its 95 % CI from the noncentral t distribution.

    The interval inverts the noncentral t of t = d_z·√n (exact when the changes are normal); the paired
    mean change gets its t interval and p (``scipy.stats.ttest_1samp``). None below 2 pairs or with no spread.
    """
    n = len(diffs)
    if n < 2 or stdev(diffs) == 0:
        return None
    d = mean(diffs) / stdev(diffs)
    t, df = d * math.sqrt(n), n - 1

    def cdf(nc):  # SciPy's noncentral t gives NaN far in a tail, where the value is 0 or 1
        value = float(sp.nct.cdf(t, df, nc))
        return value if not math.isnan(value) else (0.0 if nc > t else 1.0)

    def ncp_for(q):  # the noncentrality at which t is the q-quantile
        f = lambda nc: cdf(nc) - q  # noqa: E731
        span = 10 + 2 * abs(t)
        return optimize.brentq(f, t - span, t + span, xtol=1e-10)

    test = sp.ttest_1samp(diffs, 0.0)
    ci = test.confidence_interval(LEVEL)
    return {"n": n, "mean_change": mean(diffs), "mean_change_ci": [float(ci.low), float(ci.high)],
            "t": float(test.statistic), "pvalue": float(test.pvalue), "d_z": d,
            "d_z_ci": [ncp_for((1 + LEVEL) / 2) / math.sqrt(n), ncp_for((1 - LEVEL) / 2) / math.sqrt(n)],
            "ci_method": "noncentral t"}


def holm(pvalues: list[float]) -> list[float]:
    """Holm's step-down adjusted p-values, in the input order (as statsmodels ``multipletests(method="holm")``).

    Written here because SciPy has only Benjamini–Hochberg (``false_discovery_control``), which controls the
    false discovery rate, not the chance of any false level that Holm bounds; five lines keep statsmodels a
    test-only dependency.
    """
    m = len(pvalues)
    out, running = [0.0] * m, 0.0
    for rank, i in enumerate(sorted(range(m), key=pvalues.__getitem__)):
        running = max(running, min(1.0, (m - rank) * pvalues[i]))
        out[i] = running
    return out


def two_groups(stayed: list[float], left: list[float]) -> dict | None:
    """Compare those who stayed with those who dropped out: mean difference (Welch CI) and Mann–Whitney p.

    None when either group is empty; the interval is None when either group has fewer than 2 members.
    """
    if not stayed or not left:
        return None
    out = {"stayed": {"n": len(stayed), "mean": mean(stayed)}, "left": {"n": len(left), "mean": mean(left)},
           "difference": mean(left) - mean(stayed), "difference_ci": None,
           "mann_whitney_p": float(sp.mannwhitneyu(left, stayed, alternative="two-sided").pvalue)}
    if len(stayed) > 1 and len(left) > 1 and (stdev(stayed) or stdev(left)):
        ci = sp.ttest_ind(left, stayed, equal_var=False).confidence_interval(LEVEL)
        out["difference_ci"] = [float(ci.low), float(ci.high)]
    return out
