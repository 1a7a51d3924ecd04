"""Item analysis of the post-test: how hard each knowledge item is, how well it separates learners, what to revise.

Difficulty is the share of learners answering the item correctly on their first post-test; discrimination is
the corrected point-biserial correlation between the item and the rest of the post-test (the item itself left
out of the total, so it does not correlate with itself). Thresholds follow common classroom-test practice.
"""

from __future__ import annotations

import math

from scipy import stats as sp

from patientvoice.course.model import Item
from patientvoice.outcomes.scoring import KNOWLEDGE_KINDS, is_correct

TOO_EASY, TOO_HARD = 0.9, 0.2      # difficulty outside these tells little after the module
LOW_DISCRIMINATION = 0.2           # below this the item barely separates those who know from those who do not
MIN_LEARNERS = 10                  # below this, flags are not given (the figures are shown)


def item_analysis(items: list[Item], post: dict[str, dict]) -> list[dict]:
    """Difficulty and discrimination per knowledge item of the post-test, with review flags.

    ``post`` is ``{learner: answers}`` of the first post-test attempts.
    """
    asked = [i for i in items if i.kind in KNOWLEDGE_KINDS and i.answer is not None and "post" in i.phases]
    marks = {lr: {i.id: bool(is_correct(i, a.get(i.id))) for i in asked} for lr, a in post.items()}
    out = []
    for item in asked:
        right = [m[item.id] for m in marks.values()]
        rest = [sum(v for k, v in m.items() if k != item.id) for m in marks.values()]
        n = len(right)
        difficulty = sum(right) / n if n else None
        disc = None
        if n > 2 and 0 < sum(right) < n and len(set(rest)) > 1:
            disc = float(sp.pointbiserialr(right, rest).statistic)
            disc = None if math.isnan(disc) else disc
        flags = []
        if n >= MIN_LEARNERS and difficulty is not None:
            if difficulty > TOO_EASY:
                flags.append(f"very easy ({difficulty:.0%} correct): tells little about what learners gained")
            if difficulty < TOO_HARD:
                flags.append(f"very hard ({difficulty:.0%} correct): check the key and the wording")
            if disc is not None and disc < LOW_DISCRIMINATION:
                flags.append(f"low discrimination (r = {disc:.2f}): check the key, the distractors and the stem")
        out.append({"id": item.id, "objective": item.objective, "n": n,
                    "difficulty": None if difficulty is None else round(difficulty, 3),
                    "discrimination": None if disc is None else round(disc, 3), "flags": flags})
    return out
