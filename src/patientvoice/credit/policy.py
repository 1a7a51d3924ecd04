"""The server's decision on a claim: the attempt policy, the evaluation, the activity's dates.

The browser never decides: the post-tests are the collector's stored copies, rescored here with the module's
answer key and pass mark; the dates are the server's clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from patientvoice.credit.claim import Refused
from patientvoice.credit.registry import credit_types_for
from patientvoice.course.model import Course, Item, Provider
from patientvoice.outcomes.attempts import DEFAULT_ATTEMPTS, attempts_option, counted_attempt, counting
from patientvoice.outcomes.evaluation import plugin_options
from patientvoice.outcomes.scoring import pass_mark, score
from patientvoice.outcomes.validate import index_course
from patientvoice.site.questionnaire import REQUIRED_KINDS
from patientvoice.render import long_date

__all__ = ["DEFAULT_ATTEMPTS", "Activity", "Setup", "attempts_option", "check_dates", "counting_post", "setup"]


@dataclass(frozen=True)
class Activity:
    """What a module's activity offers for credit, computed once when the collector starts."""

    id: str
    module: str
    title: str
    credits: float
    credit_types: tuple[str, ...]
    release: dt.date | None
    expires: dt.date | None
    pass_mark: float | None
    post_items: dict[str, Item]
    evaluation: tuple[Item, ...]  # the evaluation items a learner must answer
    # Issue 13: per credit type, the amount designated and the statement; the accreditation statement
    amounts: dict = field(default_factory=dict)
    statements: dict = field(default_factory=dict)
    accreditation: str = ""


@dataclass(frozen=True)
class Setup:
    """Everything the claim routes and certificates need from the course."""

    activities: dict[str, Activity]
    attempts: int
    paper: str
    provider: Provider | None
    theme: Path


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def setup(course: Course, evaluation: list[Item]) -> Setup:
    """Read the activities that offer credit, the attempt policy and the paper size from the course."""
    specs = index_course(course, evaluation)
    required = tuple(i for i in evaluation if i.kind in REQUIRED_KINDS)
    activities = {}
    for m in course.modules.values():
        if m.id not in specs:
            continue  # no questionnaire, so no post-test and no credit
        a = m.activity
        credits = a.get("credits")
        credits = float(credits) if isinstance(credits, (int, float)) and not isinstance(credits, bool) else 0.0
        activities[m.id] = Activity(
            id=str(a.get("id", "")), module=m.id, title=m.title, credits=credits,
            credit_types=tuple(credit_types_for(a)), release=_date(a.get("release")),
            expires=_date(a.get("expires")), pass_mark=pass_mark(m), post_items=specs[m.id].phases.get("post", {}),
            evaluation=required, **_credit_offers(course, m))
    paper = plugin_options(course.root).get("paper", "A4")
    return Setup(activities, attempts_option(course.root), paper if paper in ("A4", "Letter") else "A4",
                 course.provider, Path(course.root) / "theme")


def _credit_offers(course: Course, module) -> dict:
    """The amounts and statements of the module's credit types, and its accreditation statement."""
    from patientvoice.compliance.statements import provider_statements

    if course.provider is None:
        return {}
    accreditation, designations = provider_statements(course, module)
    return {"amounts": {o.type: o.amount for o in module.credit_types if o.amount is not None},
            "statements": dict(designations), "accreditation": accreditation}


def check_dates(act: Activity, today: dt.date) -> None:
    """Refuse a claim before the activity's release date or after its expiry date (both days included)."""
    if act.release is None or act.expires is None:
        raise Refused(403, "This activity has no release and expiry dates, so it cannot award credit yet. "
                           "Please contact the provider.")
    if today < act.release:
        raise Refused(403, f"This activity is released for credit on {long_date(act.release)}. You can claim "
                           "credit from that day.")
    if today > act.expires:
        raise Refused(403, f"This activity expired on {long_date(act.expires)} and can no longer award credit.")


def _order(row: dict) -> tuple:
    # The collector's stored order numbers the attempts (outcomes/attempts.py): a response's own `submitted`
    # time is the browser's word, and a retake sent with an earlier time must not become the first attempt.
    return (row.get("attempt") or 0, row["id"])


def counting_post(act: Activity, posts: list[dict], attempts: int) -> dict:
    """The post-test that counts for credit: the first passing one among the first ``attempts``, rescored here.

    ``posts`` are the learner's stored post-test rows for the module (any order; numbered by the collector's
    stored order, as outcomes.attempts.counting does for the collector's answers). Raises Refused when none
    counts, or when the evaluation is not answered in that submission or a later one.
    """
    if act.pass_mark is None or not act.credits:
        raise Refused(403, "This activity does not award credit. Please contact the provider.")
    rows = sorted((r for r in posts if isinstance(r.get("answers"), dict)), key=_order)
    if not rows:
        raise Refused(403, "We have no post-test from this browser for this activity. Take the post-test in "
                           "this browser first, then claim credit here.")
    percent = f"{round(act.pass_mark * 100)}%"
    results = [score(act.post_items, row["answers"], act.pass_mark) for row in rows]
    counted = [row for row, counts in zip(rows, counting([bool(r.get("passed")) for r in results], attempts))
               if counts]
    index = counted_attempt([bool(r.get("passed")) for r in results], attempts)
    if index is not None:
        row, result = rows[index], results[index]
    else:
        if attempts == 1:
            raise Refused(403, f"Your post-test did not reach the pass mark of {percent}. Only the first attempt "
                               "counts for credit, so this activity cannot award you credit.")
        tried = f"{len(counted)} attempt{'s' * (len(counted) != 1)}"
        if len(counted) < attempts:
            raise Refused(403, f"Your post-test has not reached the pass mark of {percent} yet ({tried} of the "
                               f"{attempts} that count for credit). Take the post-test again, then claim credit.")
        raise Refused(403, f"None of your first {attempts} post-test attempts reached the pass mark of {percent}, "
                           "so this activity cannot award you credit.")
    needed = [i for i in act.evaluation]
    for later in rows[index:]:
        if all(later["answers"].get(i.id) is not None for i in needed):
            return {**row, "score": result, "evaluated": later["id"]}
    missing = [i.stem for i in needed if not any(r["answers"].get(i.id) is not None for r in rows[index:])]
    listed = " ".join(f"“{s}”" for s in (missing or [i.stem for i in needed])[:4])
    raise Refused(403, "Please answer the evaluation questions at the end of the post-test and submit it again, "
                       f"then claim credit. Still to answer: {listed}")
