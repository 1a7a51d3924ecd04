"""The report's statistics agree with SciPy and statsmodels on known and random data, and with published values."""

import math
import random

import pytest
from scipy import stats as sp

from patientvoice.outcomes import intervals, stats


def test_mcnemar_exact_matches_binomial_test_on_every_small_table():
    for b in range(0, 21):
        for c in range(0, 21):
            expected = sp.binomtest(min(b, c), b + c, 0.5).pvalue if b + c else 1.0
            assert stats.mcnemar_exact(b, c) == pytest.approx(expected, abs=1e-12), (b, c)


def test_mcnemar_known_value():
    # 10 learners improved, 2 got worse: 2 * P(X <= 2 | n = 12, p = 0.5) = 2 * 79 / 4096
    assert stats.mcnemar_exact(10, 2) == pytest.approx(158 / 4096)


@pytest.mark.parametrize("p1,p2", [(0.2, 0.8), (0.5, 0.5), (0.0, 1.0), (0.45, 0.6), (0.9, 0.3)])
def test_cohens_h(p1, p2):
    expected = 2 * math.asin(math.sqrt(p2)) - 2 * math.asin(math.sqrt(p1))
    assert stats.cohens_h(p1, p2) == pytest.approx(expected)
    assert stats.cohens_h(0.5, 0.8) == pytest.approx(0.6435, abs=1e-4)


def test_rankdata_matches_scipy():
    rng = random.Random(3)
    for _ in range(50):
        values = [rng.randint(0, 6) for _ in range(rng.randint(1, 30))]
        ranks, ties = stats.rankdata(values)
        assert ranks == pytest.approx(list(sp.rankdata(values)))
        assert sum(ties) == len(values)


def _check(before, after):
    ours = stats.wilcoxon(before, after)
    method = {"exact": "exact", "normal approximation": "asymptotic"}.get(ours.method)
    if method is None:  # the exact permutation distribution: SciPy enumerates every sign pattern up to 2**13
        assert len(before) <= 15
        method = sp.PermutationMethod(n_resamples=2 ** len(before))
    theirs = sp.wilcoxon(after, before, method=method)
    assert ours.statistic == pytest.approx(theirs.statistic)
    assert ours.pvalue == pytest.approx(theirs.pvalue, rel=1e-9, abs=1e-12)
    if method == "asymptotic":
        assert ours.z == pytest.approx(-abs(theirs.zstatistic) if ours.z < 0 else abs(theirs.zstatistic))
    return ours


def test_wilcoxon_scipy_documentation_example_is_exact():
    d = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75]
    r = _check([0] * len(d), d)
    assert r.method == "exact" and r.statistic == 24 and r.pvalue == pytest.approx(0.041259765625)
    # the same choice as scipy's default method="auto"
    assert r.pvalue == pytest.approx(sp.wilcoxon(d).pvalue)


def test_wilcoxon_exact_without_ties_agrees_with_scipy_auto():
    rng = random.Random(11)
    for _ in range(60):
        n = rng.randint(1, 50)
        before = [rng.gauss(0, 1) for _ in range(n)]
        after = [x + rng.gauss(0.4, 1) for x in before]
        r = _check(before, after)
        assert r.method == "exact"
        assert r.pvalue == pytest.approx(sp.wilcoxon(after, before).pvalue, rel=1e-9)


def test_wilcoxon_with_ties_and_zeros_is_scipys_exact_permutation_test():
    rng = random.Random(5)
    for _ in range(40):
        n = rng.randint(3, 13)
        before = [rng.randint(0, 4) for _ in range(n)]
        after = [min(4, max(0, x + rng.choice([-1, 0, 0, 1, 1, 2]))) for x in before]
        r = stats.wilcoxon(before, after)
        if r is None:
            continue
        assert r.method == "exact permutation"  # likert changes always tie
        _check(before, after)
        assert r.pvalue == pytest.approx(sp.wilcoxon(after, before).pvalue, rel=1e-9)  # SciPy's "auto" agrees


def test_exact_permutation_beyond_scipys_enumeration_and_the_normal_fallback():
    # 15 pairs with ties: SciPy's "auto" falls back to the normal approximation; the exhaustive
    # PermutationMethod (checked in _check) is what we compute
    d = [1, 1, 2, -1, 0, 3, 3, 1, 2, 2, 1, -2, 1, 4, 2]
    r = _check([0] * 15, d)
    assert r.method == "exact permutation" and r.pvalue == pytest.approx(0.0096435546875)
    rng = random.Random(4)
    before = [rng.randint(0, 4) for _ in range(900)]
    after = [min(4, max(0, x + rng.choice([-1, 0, 1, 1]))) for x in before]
    assert _check(before, after).method == "normal approximation"


def test_five_learners_changing_can_never_reach_p_below_0_0625():
    for after in ([1, 1, 1, 1, 1], [1, 2, 3, 4, 5], [2, 2, 1, 1, 3], [1, 1, 2, 2, 2]):
        r = stats.wilcoxon([0] * 5, after)
        assert r.pvalue == pytest.approx(0.0625) and r.pvalue >= 0.0625
    # with a zero among them as well
    assert stats.wilcoxon([0] * 6, [1, 1, 1, 1, 1, 0]).pvalue == pytest.approx(0.0625)


def test_wilcoxon_large_n_without_ties_uses_normal_approximation_like_scipy_auto():
    rng = random.Random(9)
    before = [rng.gauss(0, 1) for _ in range(80)]
    after = [x + rng.gauss(0.2, 1) for x in before]
    r = _check(before, after)
    assert r.method == "normal approximation"
    assert r.pvalue == pytest.approx(sp.wilcoxon(after, before).pvalue, rel=1e-9)


def test_rank_biserial_and_edge_cases():
    r = stats.wilcoxon([1, 1, 1, 1], [2, 3, 2, 2])
    assert r.rank_biserial == 1.0
    r = stats.wilcoxon([3, 3, 3, 2], [1, 1, 4, 2])
    ranks = sp.rankdata([2, 2, 1])  # |differences| of the non-zero pairs: -2, -2, +1
    w_plus, w_minus = ranks[2], ranks[0] + ranks[1]
    assert r.zeros == 1 and r.n == 3
    assert r.rank_biserial == pytest.approx((w_plus - w_minus) / (w_plus + w_minus))
    assert stats.wilcoxon([2, 2], [2, 2]) is None


def test_paired_binary_counts_and_describe_scale():
    pairs = [(False, True)] * 7 + [(True, False)] * 1 + [(True, True)] * 2
    p = stats.paired_binary(pairs)
    assert (p.n, p.improved, p.worsened) == (10, 7, 1)
    assert p.before == 0.3 and p.after == 0.9 and p.change == 60.0
    assert p.pvalue == pytest.approx(sp.binomtest(1, 8, 0.5).pvalue)
    assert p.h == pytest.approx(stats.cohens_h(0.3, 0.9))
    assert stats.paired_binary([]) is None
    assert stats.describe_scale([0, 2, 2, 4], 5) == {"n": 4, "median": 2, "counts": [1, 0, 2, 0, 1]}


def test_mcnemar_midp_against_the_binomial():
    for b in range(0, 15):
        for c in range(0, 15):
            if b + c == 0:
                continue
            k, n = min(b, c), b + c
            expected = min(1.0, 2 * (sp.binom.cdf(k, n, 0.5) - 0.5 * sp.binom.pmf(k, n, 0.5)))
            assert stats.mcnemar_midp(b, c) == pytest.approx(expected, abs=1e-12)
            assert stats.mcnemar_midp(b, c) <= stats.mcnemar_exact(b, c)
    from statsmodels.stats.contingency_tables import mcnemar
    assert stats.mcnemar_exact(7, 1) == pytest.approx(mcnemar([[2, 7], [1, 0]], exact=True).pvalue)


def test_paired_binary_carries_wilson_and_newcombe_intervals():
    from statsmodels.stats.proportion import proportion_confint
    p = stats.paired_binary([(False, True)] * 7 + [(True, False)] + [(True, True)] * 2)
    assert p.before_ci == pytest.approx(proportion_confint(3, 10, method="wilson"))
    assert p.after_ci == pytest.approx(proportion_confint(9, 10, method="wilson"))
    lo, hi = intervals.newcombe_paired(2, 7, 1, 0)
    assert p.change_ci == (round(100 * lo, 1), round(100 * hi, 1)) and lo < 0.6 < hi
    assert p.midp < p.pvalue and p.method == "McNemar exact (binomial)"
