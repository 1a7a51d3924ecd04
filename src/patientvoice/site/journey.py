"""The learner's journey through a module: the step indicator and the next-step link every step page ends with.

Steps run pre-test → module → post-test and evaluation → claim → follow-up. The indicator is plain HTML (links
that work without JavaScript); theme/assets/journey.js ticks the steps this browser knows are done, from the
responses questionnaire-store.js keeps. The pages that show them are built by site/pages.py and
site/module_page.py, so any publisher of those pages gets the journey, not only the mkdocs plugin.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from markupsafe import Markup

from patientvoice.course.model import Item, Module
from patientvoice.course.waves import is_follow_up
from patientvoice.render import env

# Seconds a clinician needs per item, by kind: a choice is read and clicked, a free-text answer is written.
SECONDS_PER_ITEM = {"single": 40, "multiple": 50, "likert": 20, "text": 120, "commitment": 120}


@dataclass(frozen=True)
class Step:
    """One step of the journey: its id, short label (fits a phone), hidden detail for screen readers, page."""

    id: str
    label: str
    detail: str
    path: str  # relative to the module page; "" is the module page itself


STEPS = (
    Step("pre", "Pre-test", "not scored", "pre/"),
    Step("module", "Module", "the content", ""),
    Step("post", "Post-test", "and evaluation", "post/"),
    Step("claim", "Claim", "your credit", "claim/"),
    Step("follow-up", "Follow-up", "later", "follow-up/"),
)
# Where each step sends the learner next, and the words of the link.
NEXT = {
    "pre": ("module", "Now read the module", "Once you have submitted the pre-test, the module comes next."),
    "module": ("post", "Take the post-test", "Then answer the post-test and the evaluation; you need them for credit."),
    "post": ("claim", "Claim your credit", "Once you have passed the post-test and answered the evaluation."),
    "claim": ("follow-up", "The follow-up questionnaire", "It opens {days} days after your post-test; come back then."),
}


def minutes(items: list[Item]) -> int:
    """About how long a questionnaire takes, in whole minutes (at least 2), from its items' kinds."""
    seconds = sum(SECONDS_PER_ITEM.get(i.kind, 40) for i in items)
    return max(2, math.ceil(seconds / 60))


def _href(step: Step, current: str) -> str:
    """A step's URL relative to the page of ``current`` (the module page, or a step page one folder down)."""
    up = "" if current == "module" else "../"
    if step.id == "module":
        return f"{up}#content" if up else "#content"
    return up + step.path


def journey(module: Module, current: str, *, attempts: int = 1, evaluation: list[str] | None = None) -> str:
    """The step indicator for ``module`` on the page of step ``current`` ("pre", "module", "post", ...).

    ``evaluation`` holds the ids of the required evaluation items, so the script can tell a post-test that
    completed the evaluation from one that did not (as the claim page and the collector do).
    """
    if module.questionnaire is None:
        return ""
    page = current
    current = "follow-up" if is_follow_up(current) else current  # a later wave's page is the follow-up step
    steps = [{"step": s, "href": _href(s, current), "current": s.id == current} for s in STEPS]
    if page != current:
        # On a later wave's page the current step links to that page, as aria-current says, not to the first wave.
        for s in steps:
            if s["current"]:
                s["href"] = f"../{page}/"
    return env().get_template("journey.html").render(
        module=module, current=current, steps=steps, attempts=max(1, int(attempts or 1)),
        evaluation=json.dumps(evaluation or [], separators=(",", ":")),
        follow_up_days=module.questionnaire.follow_up_after_days)


def next_step(module: Module, current: str) -> str:
    """The link at the end of a step's page to the step after it; the follow-up leads back to the course."""
    if module.questionnaire is None:
        return ""
    if is_follow_up(current):
        # One wave leads to the next (each opens later); the last leads back to the course.
        waves = module.questionnaire.waves()
        later = [w for i, w in enumerate(waves) if i > 0 and waves[i - 1][0] == current]
        if later:
            phase, days = later[0]
            target, label = f"../{phase}/", "The next follow-up questionnaire"
            hint = f"It opens {days} days after your post-test; come back then."
        else:
            target, label, hint = "../../", "Back to the course", "You have finished every step of this module."
        current = "follow-up"
    else:
        step_id, label, hint = NEXT[current]
        hint = hint.format(days=module.questionnaire.follow_up_after_days)
        target = _href(next(s for s in STEPS if s.id == step_id), current)
    return env().get_template("next_step.html").render(href=target, label=label, hint=hint, current=current)


def pre_test_hint(module: Module) -> Markup:
    """On the post-test, shown by the script when this browser holds no pre-test: what skipping it means."""
    return Markup(env().get_template("pre_hint.html").render(module=module))
