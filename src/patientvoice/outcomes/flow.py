"""Who took part and who dropped out: the participant flow, response rates, drop-outs, and post-test retakes.

A CONSORT-like flow: learners who started (any response), who completed the pre-test, the post-test (first
attempt) and each follow-up, with the responses left out and why. The response rate of each wave carries a
Wilson interval, and learners who dropped out after the pre-test are compared with those who stayed on their
pre-test score, because a change measured only on those who stayed is biased when the two groups differ.
"""

from __future__ import annotations

from statistics import mean

from patientvoice.course.model import Course, Item
from patientvoice.outcomes.intervals import two_groups, wilson
from patientvoice.outcomes.scoring import score


def _rate(k: int, n: int) -> dict:
    ci = wilson(k, n)
    return {"k": k, "n": n, "rate": round(k / n, 3) if n else None, "ci": [round(x, 3) for x in ci] if ci else None}


def knowledge_share(items: dict[str, Item], answers: dict) -> float | None:
    """A learner's share of knowledge items right in one response (unanswered counts as wrong)."""
    return score(items, answers)["share"]


def participant_flow(groups: dict[str, dict[str, list[dict]]], kept: dict[str, dict], dropped: dict,
                     pre_items: dict[str, Item]) -> dict:
    """The flow of one module's learners through its phases.

    ``groups`` is ``{phase: {learner: [responses, oldest first]}}`` (everything stored), ``kept`` the
    responses that count (``{phase: {learner: answers}}``) and ``dropped`` the follow-ups not counted, by reason.
    """
    everyone = {lr for phase in groups.values() for lr in phase}
    pre, post = set(kept.get("pre", {})), set(kept.get("post", {}))
    follow_any = set(groups.get("follow-up", {}))
    follow = set(kept.get("follow-up", {}))
    duplicates = {phase: sum(len(rs) - 1 for rs in learners.values()) for phase, learners in groups.items()}
    shares = {lr: knowledge_share(pre_items, a) for lr, a in kept.get("pre", {}).items()}
    stayed = [s for lr, s in shares.items() if lr in post and s is not None]
    left = [s for lr, s in shares.items() if lr not in post and s is not None]
    compared = two_groups(stayed, left)
    return {
        "started": len(everyone),
        "pre": {"completed": len(pre), "without_pre": len(everyone - pre)},
        "post": {"completed": len(post), "matched": len(pre & post), "no_post": len(pre - post),
                 "without_pre": len(post - pre)},
        "follow-up": {"answered": len(follow_any), "counted": len(follow), "matched": len(pre & follow),
                      "excluded": dict(dropped)},
        "duplicates": {p: n for p, n in duplicates.items() if n},
        "response_rate": {"post": _rate(len(pre & post), len(pre)),
                          "follow-up": _rate(len(post & follow), len(post))},
        "dropouts": compared,
    }


def retakes(attempts: dict[str, list[dict]], post_items: dict[str, Item], mark: float | None,
            allowed: int) -> dict:
    """Post-test retakes, apart from the analysis: how many retook, their first against their best score.

    ``attempts`` is ``{learner: [post-test responses, oldest first]}``; ``allowed`` is the course's
    ``attempts`` option (how many attempts may count for credit).
    """
    retook = {lr: rs for lr, rs in attempts.items() if len(rs) > 1}
    first = [score(post_items, rs[0]["answers"], mark) for rs in retook.values()]
    best = [max((score(post_items, r["answers"], mark) for r in rs), key=lambda s: s["share"] or 0)
            for rs in retook.values()]

    def avg(results):
        values = [r["share"] for r in results if r["share"] is not None]
        return round(mean(values), 4) if values else None

    passed_first = sum(1 for rs in attempts.values() if score(post_items, rs[0]["answers"], mark).get("passed"))
    passed_allowed = sum(1 for rs in attempts.values()
                         if any(score(post_items, r["answers"], mark).get("passed") for r in rs[:allowed]))
    return {"attempts_counting_for_credit": allowed, "analysed": "first", "learners": len(attempts),
            "retook": len(retook), "attempts_total": sum(len(rs) for rs in attempts.values()),
            "first_mean_share": avg(first), "best_mean_share": avg(best),
            "passed_first": passed_first, "passed_within_allowed": passed_allowed}


def attempts_allowed(course: Course) -> int:
    """The course's ``attempts`` option, read as the credit policy reads it (1 when unset or unreadable)."""
    from patientvoice.outcomes.attempts import attempts_option
    from patientvoice.site.questionnaire import EvaluationError

    try:
        return attempts_option(course.root)
    except EvaluationError:  # the collector refuses to start then; the report still analyses the first attempt
        return 1
