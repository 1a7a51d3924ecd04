"""Matched comparisons of scores: pairs of a learner's values, the primary measure of an objective, the knowledge score.

An objective's primary measure is its total score (its knowledge items right), and the module's knowledge
score each learner's share of its knowledge items right; both compare each matched learner's pre-test with
a later phase by the Wilcoxon signed-rank test, with Cohen's d_z and its interval beside it.
"""

from __future__ import annotations

from dataclasses import asdict

from patientvoice.course.model import Item, Module
from patientvoice.outcomes import stats
from patientvoice.outcomes.intervals import cohens_dz
from patientvoice.outcomes.scoring import KNOWLEDGE_KINDS, is_correct

COMPARISONS = ("post", "follow-up")  # each compared with pre, in matched pairs
ALPHA = 0.05


def _pairs(phases: dict, later: str, value) -> list[tuple]:
    """(pre, later) values for every learner with both, skipping pairs where either value is None."""
    out = []
    for learner, pre in phases.get("pre", {}).items():
        post = phases.get(later, {}).get(learner)
        if post is not None:
            a, b = value(pre), value(post)
            if a is not None and b is not None:
                out.append((a, b))
    return out


def _paired(result) -> dict | None:
    if result is None:
        return None
    out = asdict(result)
    direction = result.change if isinstance(result, stats.Paired) else result.rank_biserial
    out["significant"] = result.pvalue < ALPHA
    out["improved_significantly"] = out["significant"] and direction > 0
    return out


def _tested(pairs: list[tuple]) -> dict:
    """Wilcoxon on matched totals, with d_z; ``improved_significantly`` decides a level."""
    test = stats.wilcoxon([a for a, _ in pairs], [b for _, b in pairs]) if pairs else None
    out = {"pairs": len(pairs), **(_paired(test) or {"n": 0, "pvalue": None, "significant": False,
                                                       "improved_significantly": False})}
    out["before_mean"] = sum(a for a, _ in pairs) / len(pairs) if pairs else None
    out["after_mean"] = sum(b for _, b in pairs) / len(pairs) if pairs else None
    out["effect"] = cohens_dz([b - a for a, b in pairs])
    return out


def _total(items: list[Item], share: bool):
    """A learner's count (or share) of ``items`` right; None when they answered none of them."""
    def value(answers):
        if not items or not any(i.id in answers for i in items):
            return None
        right = sum(bool(is_correct(i, answers.get(i.id))) for i in items)
        return right / len(items) if share else right
    return value


def primary_measure(items: list[Item], phases: dict, share: bool = False) -> dict:
    """The objective's pre-specified primary measure: its total score (items right; with ``share`` the share
    right), each matched learner's pre against each later phase, by Wilcoxon with d_z."""
    out = {}
    for later in COMPARISONS:
        shared = [i for i in items if "pre" in i.phases and later in i.phases and i.answer is not None]
        if shared:
            out[later] = {"items": [i.id for i in shared], **_tested(_pairs(phases, later, _total(shared, share)))}
    return out


def knowledge_total(module: Module, phases: dict) -> dict:
    """Each matched learner's share of the module's knowledge items right, pre against later, with d_z and CI."""
    return primary_measure([i for i in module.questionnaire.items if i.kind in KNOWLEDGE_KINDS], phases, True)
