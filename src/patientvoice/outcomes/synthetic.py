"""Made-up but plausible learner responses, for the tests, the load benchmark and trying the report."""

from __future__ import annotations

import datetime as dt
import random

from patientvoice.course.model import Course, Item, Module

# Crockford-style: no I, L, O or U, no 0 or 1, so a code read aloud or copied by hand stays unambiguous.
ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
SKILL = {"pre": 0.45, "post": 0.8, "follow-up": 0.7}   # chance of a correct answer in each phase
COMMITMENTS = ["Ask about itch and sleep at every review", "Record a 0-10 itch score in the notes",
               "Give the first analgesic dose within 60 minutes", "Use the individual pain plan at triage"]
FOLLOW_UPS = ["I now ask every patient; time in clinic is the main barrier", "Nothing yet",
              "We added an itch score to the clinic template", "Not yet, waiting for a new triage protocol"]


def learner_code(n: int) -> str:
    """The n-th learner code, like ``K7QF-3M9X``; distinct for every n below 30**8."""
    n = (n * 2654435761 + 12345) % len(ALPHABET) ** 8  # a bijection (the factor is coprime to 30) that scatters codes
    chars = []
    for _ in range(8):
        n, r = divmod(n, len(ALPHABET))
        chars.append(ALPHABET[r])
    code = "".join(reversed(chars))
    return f"{code[:4]}-{code[4:]}"


def response(module: Module, phase: str, learner: str, rng: random.Random, when: dt.datetime,
             evaluation: list[Item] = ()) -> dict:
    """One complete response of ``learner`` to ``module``'s ``phase`` questionnaire (and the post-test evaluation)."""
    answers = {}
    for item in module.questionnaire.phase(phase) + (list(evaluation) if phase == "post" else []):
        if item.kind == "single" and item.answer is None:  # an evaluation question: most pick the first option
            answers[item.id] = 0 if rng.random() < 0.9 else rng.randrange(len(item.options))
        elif item.kind == "single":
            answers[item.id] = item.answer if rng.random() < SKILL[phase] else rng.randrange(len(item.options))
        elif item.kind == "multiple" and item.answer is None:
            answers[item.id] = sorted(rng.sample(range(len(item.options)), rng.randint(1, len(item.options))))
        elif item.kind == "multiple":
            key = item.answer if isinstance(item.answer, list) else [item.answer]
            answers[item.id] = sorted(key) if rng.random() < SKILL[phase] else sorted(
                rng.sample(range(len(item.options)), rng.randint(1, len(item.options))))
        elif item.kind == "likert" and item.id.startswith("eval-"):  # most learners rate the activity well
            answers[item.id] = len(item.scale) - 1 - rng.choice([0, 0, 1, 1, 2])
        elif item.kind == "likert":
            shift = {"pre": 0, "post": 1, "follow-up": 1}[phase] * rng.choice([0, 1, 1, 2])
            answers[item.id] = min(len(item.scale) - 1, rng.randint(0, 2) + shift)
        elif item.kind == "commitment":
            answers[item.id] = rng.choice(COMMITMENTS)
        elif item.id.startswith("eval-"):
            if rng.random() < 0.1:  # an optional evaluation text: most learners leave it empty
                answers[item.id] = "The slides named one brand of rifampicin only"
        else:
            answers[item.id] = rng.choice(FOLLOW_UPS)
    return {"activity": module.activity.get("id"), "module": module.id, "phase": phase, "learner": learner,
            "submitted": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "answers": answers}


def cohort(course: Course, learners: int, seed: int = 1, post: float = 0.9, follow_up: float = 0.6,
           first: int = 0, evaluation: list[Item] = ()) -> list[dict]:
    """Responses of ``learners`` learners to every module: all take the pre-test, most the post, fewer the follow-up."""
    rng = random.Random(seed)
    start = dt.datetime(2026, 2, 1, 9, 0, tzinfo=dt.timezone.utc)
    out = []
    for module in course.modules.values():
        if module.questionnaire is None:
            continue
        for n in range(first, first + learners):
            code, when = learner_code(n), start + dt.timedelta(minutes=n)
            out.append(response(module, "pre", code, rng, when))
            if rng.random() < post:
                posted = when + dt.timedelta(minutes=40)
                out.append(response(module, "post", code, rng, posted, evaluation))
                if rng.random() < follow_up:  # when it is due: an earlier follow-up would not count
                    due = dt.timedelta(days=module.questionnaire.follow_up_after_days, hours=2)
                    out.append(response(module, "follow-up", code, rng, posted + due))
    return out
