"""Check a learner response object against the course's questionnaires before anything stores it."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from patientvoice.course.model import Course, Item

# Always matched with fullmatch: "$" would also match before a final newline and let "K7QF-3M9X\n" in as a
# second learner.
LEARNER_RE = re.compile(r"[A-Z0-9]{4}-[A-Z0-9]{4}")
MAX_ATTEMPT = 1000  # far beyond any real retakes; an attempt number larger is not a browser's
MAX_TEXT = 4000  # characters in one free-text answer; a paragraph or two, not a document
CHOICE_KINDS = ("single", "likert")
TEXT_KINDS = ("text", "commitment")
# Control characters would corrupt CSV exports and PostgreSQL rejects NUL outright; keep tab and newlines.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Invalid(ValueError):
    """A response that does not fit the course; the message says why, for the 400 answer."""


@dataclass(frozen=True)
class ModuleSpec:
    """What a module accepts: its activity id and, per phase, the items asked."""

    id: str
    activity: str
    phases: dict[str, dict[str, Item]]


def index_course(course: Course, evaluation: list[Item] | None = None) -> dict[str, ModuleSpec]:
    """Map module ids to what each accepts, computed once so validating a response is a few dict look-ups.

    The site's post-test also asks the evaluation items (``eval-…`` ids); ``None`` reads them from the
    course's mkdocs.yml, as the site does.
    """
    if evaluation is None:
        from patientvoice.outcomes.evaluation import site_evaluation

        evaluation = site_evaluation(course.root)
    specs = {}
    for m in course.modules.values():
        if m.questionnaire is None:
            continue
        phases: dict[str, dict[str, Item]] = {}
        for item in m.questionnaire.items:
            for phase in item.phases:
                phases.setdefault(phase, {})[item.id] = item
        for item in evaluation:  # every post-test page ends with them; the build stops on a clashing id
            phases.setdefault("post", {}).setdefault(item.id, item)
        # later follow-up waves (follow-up-2, ...) ask the follow-up items again (course/waves.py)
        for wave, _ in m.questionnaire.waves()[1:]:
            if "follow-up" in phases:
                phases[wave] = phases["follow-up"]
        specs[m.id] = ModuleSpec(m.id, str(m.activity.get("id", "")), phases)
    return specs


def _show(value) -> str:
    # Echo a bit of the offending value so the client can find it, but never a whole hostile payload.
    text = json.dumps(value, ensure_ascii=True)
    return text if len(text) <= 40 else text[:37] + "..."


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _text(value, what: str, limit: int) -> str:
    if not isinstance(value, str):
        raise Invalid(f"{what} must be a string, not {_show(value)}")
    if len(value) > limit:
        raise Invalid(f"{what} is {len(value)} characters long; the limit is {limit}")
    if CONTROL_RE.search(value):
        raise Invalid(f"{what} contains control characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates from \ud800-style JSON escapes
        raise Invalid(f"{what} is not valid Unicode text") from None
    return value


def check_answer(item: Item, value):
    """Return ``value`` normalised for storage, or raise Invalid saying what is wrong with it."""
    where = f"answer to '{item.id}'"
    if item.kind in CHOICE_KINDS:
        size = len(item.options) if item.kind == "single" else len(item.scale)
        noun = "option" if item.kind == "single" else "scale point"
        if not _is_int(value):
            raise Invalid(f"{where} must be an {noun} index (a whole number), not {_show(value)}")
        if not 0 <= value < size:
            raise Invalid(f"{where} is {value}; {noun} indexes run from 0 to {size - 1}")
        return value
    if item.kind == "multiple":
        if not isinstance(value, list) or not all(_is_int(v) for v in value):
            raise Invalid(f"{where} must be a list of option indexes, not {_show(value)}")
        bad = [v for v in value if not 0 <= v < len(item.options)]
        if bad:
            raise Invalid(f"{where} includes {bad[0]}; option indexes run from 0 to {len(item.options) - 1}")
        if len(set(value)) != len(value):
            raise Invalid(f"{where} lists an option twice")
        return sorted(value)
    return _text(value, where, MAX_TEXT)


def validate(obj, specs: dict[str, ModuleSpec]) -> dict:
    """Check one response object; return the normalised response (known fields only) or raise Invalid."""
    if not isinstance(obj, dict):
        raise Invalid("the body must be one JSON object: {activity, module, phase, learner, submitted, answers}")
    for key in ("activity", "module", "phase", "learner", "answers"):
        if key not in obj:
            raise Invalid(f"'{key}' is missing")
    module = obj["module"]
    spec = specs.get(module) if isinstance(module, str) else None
    if spec is None:
        raise Invalid(f"unknown module {_show(module)}")
    if obj["activity"] != spec.activity:
        raise Invalid(f"activity {_show(obj['activity'])} is not the activity of module '{module}' ({spec.activity})")
    phase = obj["phase"]
    items = spec.phases.get(phase) if isinstance(phase, str) else None
    if items is None:
        raise Invalid(f"module '{module}' has no phase {_show(phase)}; its phases are {', '.join(spec.phases)}")
    learner = obj["learner"]
    if not isinstance(learner, str) or not LEARNER_RE.fullmatch(learner):
        raise Invalid(f"learner {_show(learner)} is not a learner code like K7QF-3M9X")
    submitted = obj.get("submitted")
    if submitted is not None:
        submitted = _timestamp(submitted)
    claimed = obj.get("attempt")  # the browser's own count: checked, then dropped (the collector numbers attempts)
    if claimed is not None and (phase != "post" or not _is_int(claimed) or not 1 <= claimed <= MAX_ATTEMPT):
        raise Invalid(f"'attempt' {_show(claimed)} must be a post-test's attempt number, a whole number from 1 "
                      f"to {MAX_ATTEMPT}" + ("" if phase == "post" else f", and phase '{phase}' has no attempts"))
    answers = obj["answers"]
    if not isinstance(answers, dict) or not answers:
        raise Invalid("'answers' must be an object mapping item ids to answers, with at least one answer")
    clean = {}
    for item_id, value in answers.items():
        item = items.get(item_id)
        if item is None:
            raise Invalid(f"module '{module}' asks no item {_show(item_id)} in phase '{phase}'")
        clean[item_id] = check_answer(item, value)
    return {"activity": spec.activity, "module": module, "phase": phase, "learner": learner,
            "submitted": submitted, "answers": clean}


def _timestamp(value) -> str:
    """The submission time in one canonical spelling, so ``Z``, ``+00:00`` and ``.000`` name the same moment once.

    Offsets are converted to UTC and fractional seconds are kept only when they are not zero (trailing zeros
    dropped); the digest that detects a resubmitted response is computed over this form.
    """
    if not isinstance(value, str) or len(value) > 40:
        raise Invalid(f"'submitted' must be an ISO 8601 date and time, not {_show(value)}")
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        raise Invalid(f"'submitted' {_show(value)} is not an ISO 8601 date and time like 2026-02-01T09:30:00Z") from None
    if when.tzinfo is None:
        raise Invalid(f"'submitted' {_show(value)} has no time zone; end it with Z or an offset like +01:00")
    try:
        when = when.astimezone(dt.timezone.utc)
    except OverflowError:  # 0001-01-01T00:00:00+01:00 has no UTC equivalent
        raise Invalid(f"'submitted' {_show(value)} is outside the years a response can come from") from None
    text = when.strftime("%Y-%m-%dT%H:%M:%S")
    if when.microsecond:
        text += f".{when.microsecond:06d}".rstrip("0")
    return text + "Z"
