"""Intervals and effect sizes against published values, statsmodels and SciPy."""

import math
import random

import pytest
from scipy import stats as sp
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from patientvoice.outcomes import intervals


def test_wilson_matches_statsmodels():
    for n in (1, 5, 12, 40, 200):
        for k in range(0, n + 1, max(1, n // 7)):
            assert intervals.wilson(k, n) == pytest.approx(proportion_confint(k, n, method="wilson"), abs=1e-12)
    assert intervals.wilson(0, 0) is None


def test_newcombe_paired_published_example():
    # Fagerland, Lydersen & Laake (2017), Statistical Analysis of Contingency Tables, ch. 8: complete response
    # before and after consolidation therapy (Cavo et al. 2012), table [[59, 6], [16, 80]]: Newcombe's
    # square-and-add interval (Newcombe 1998, method 10) for the difference is −0.0621 (−0.1186 to −0.0046).
    lo, hi = intervals.newcombe_paired(59, 6, 16, 80)
    assert (round(lo, 4), round(hi, 4)) == (-0.1186, -0.0046)


def test_newcombe_paired_is_a_sane_interval():
    rng = random.Random(2)
    for _ in range(200):
        cells = [rng.randint(0, 15) for _ in range(4)]
        if not sum(cells):
            continue
        both, gained, lost, neither = cells
        n = sum(cells)
        lo, hi = intervals.newcombe_paired(*cells)
        d = (gained - lost) / n
        assert -1 <= lo <= d + 1e-12 and d - 1e-12 <= hi <= 1
    assert intervals.newcombe_paired(0, 0, 0, 5) == pytest.approx((-intervals.wilson(0, 5)[1], intervals.wilson(0, 5)[1]))


def test_cohens_dz_and_its_noncentral_t_interval():
    rng = random.Random(7)
    diffs = [rng.gauss(0.5, 1) for _ in range(25)]
    r = intervals.cohens_dz(diffs)
    n = len(diffs)
    d = sum(diffs) / n / math.sqrt(sum((x - sum(diffs) / n) ** 2 for x in diffs) / (n - 1))
    assert r["d_z"] == pytest.approx(d)
    t = d * math.sqrt(n)
    lo, hi = r["d_z_ci"]
    # the limits are the noncentralities at which the observed t is the 97.5 % and 2.5 % quantile
    assert sp.nct.cdf(t, n - 1, lo * math.sqrt(n)) == pytest.approx(0.975, abs=1e-7)
    assert sp.nct.cdf(t, n - 1, hi * math.sqrt(n)) == pytest.approx(0.025, abs=1e-7)
    # close to the usual normal approximation, d ± 1.96·√(1/n + d²/2n)
    se = math.sqrt(1 / n + d * d / (2 * n))
    assert lo == pytest.approx(d - 1.96 * se, abs=0.05) and hi == pytest.approx(d + 1.96 * se, abs=0.05)
    test = sp.ttest_rel([x + 1 for x in diffs], [1] * n)
    assert r["pvalue"] == pytest.approx(test.pvalue) and r["t"] == pytest.approx(test.statistic)
    assert intervals.cohens_dz([1.0]) is None and intervals.cohens_dz([0.2, 0.2, 0.2]) is None


def test_holm_matches_statsmodels():
    rng = random.Random(1)
    for _ in range(50):
        p = [rng.random() ** 3 for _ in range(rng.randint(1, 9))]
        assert intervals.holm(p) == pytest.approx(list(multipletests(p, method="holm")[1]))


def test_two_groups_against_scipy():
    stayed, left = [0.4, 0.5, 0.6, 0.5, 0.7], [0.2, 0.3, 0.4]
    r = intervals.two_groups(stayed, left)
    ci = sp.ttest_ind(left, stayed, equal_var=False).confidence_interval()
    assert r["difference"] == pytest.approx(sum(left) / 3 - sum(stayed) / 5)
    assert r["difference_ci"] == pytest.approx([ci.low, ci.high])
    assert r["mann_whitney_p"] == pytest.approx(sp.mannwhitneyu(left, stayed).pvalue)
    assert intervals.two_groups(stayed, []) is None
