"""Moore's outcome levels each objective reached, and the commitments to change with their follow-up."""

from __future__ import annotations

import re

from patientvoice.model import Questionnaire

LEVELS = ("participation", "satisfaction", "knowledge", "competence", "performance")
APPLIED = ("competence", "performance", "patient-health")   # objectives written as "shows how" or beyond
IN_PRACTICE = ("performance", "patient-health")             # objectives about what learners do
# Follow-up answers that say no change was made; anything else non-empty counts as a reported change.
NO_CHANGE_RE = re.compile(r"^(no|none|nothing|nil|n/?a|not yet|no changes?|nothing yet|not really)\b[\s.!,;:-]*$|"
                          r"^(nothing|no change|not yet)\b", re.I)


def _fmt_p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _describe(what: str, comparison: str, result: dict) -> str:
    if "change" in result:
        size = f"{result['change']:+.1f} points, h = {result['h']:.2f}"
    else:
        size = f"r = {result['rank_biserial']:+.2f}"
    return f"{what}, pre → {comparison}: {size}, {_fmt_p(result['pvalue'])} (n = {result['n']})"


def moore_level(objective: dict, items: list[dict], likert: list[dict], learners: dict) -> dict:
    """The highest Moore level the objective reached, with the evidence for each level and what fell short.

    A measure counts when it improved from pre with p < 0.05 in matched pairs. Knowledge items show
    knowledge; for objectives written at competence level or above, the same case-based items (and
    self-assessed confidence) show competence; for performance objectives, an improvement that lasts
    to follow-up is self-reported performance. Patient health cannot be shown by a questionnaire.
    """
    reached: dict[str, list[str]] = {}
    short: list[str] = []
    if learners.get("post"):
        reached["participation"] = [f"{learners['post']} learner(s) completed the post-test"]
    evaluation = [x for x in likert if not x["objective"] and x["phases"].get("post", {}).get("n")]
    for x in evaluation:
        post = x["phases"]["post"]
        if post["median"] is not None and post["median"] >= (len(x["scale"]) - 1) / 2:
            reached.setdefault("satisfaction", []).append(
                f"'{x['id']}': post median {x['scale'][int(post['median'])]} (n = {post['n']})")
    oid = objective["id"]
    knowledge = [("learners meeting the objective", objective)] + [
        (f"item '{i['id']}'", i) for i in items if i["objective"] == oid]
    own_likert = [(f"self-rating '{x['id']}'", x) for x in likert if x["objective"] == oid]
    for comparison in ("post", "follow-up"):
        for label, measure, kind in ([(lb, m, "knowledge") for lb, m in knowledge] +
                                     [(lb, m, "likert") for lb, m in own_likert]):
            result = measure.get(comparison)
            if not result or not result.get("n"):
                continue
            text = _describe(label, comparison, result)
            if not result["improved_significantly"]:
                short.append(text)
                continue
            levels = []
            if kind == "knowledge" and comparison == "post":
                levels.append("knowledge")
            if objective["level"] in APPLIED and comparison == "post":
                levels.append("competence")
            if objective["level"] in IN_PRACTICE and comparison == "follow-up":
                levels.append("performance")
            for level in levels:
                suffix = " (self-assessed)" if kind == "likert" else ""
                suffix = " (self-reported, at follow-up)" if level == "performance" else suffix
                reached.setdefault(level, []).append(text + suffix)
            if not levels:
                short.append(text + " — improved, but this measure does not show a higher level")
    highest = max(reached, key=LEVELS.index) if reached else None
    return {"designed_for": objective["level"], "highest": highest,
            "evidence": {lv: reached[lv] for lv in LEVELS if lv in reached}, "not_counted": short}


def _answers(phases: dict, phase: str, item_id: str) -> dict[str, str]:
    out = {}
    for learner, answers in phases.get(phase, {}).items():
        text = answers.get(item_id)
        if isinstance(text, str) and text.strip():
            out[learner] = text.strip()
    return out


def reports_change(text: str) -> bool:
    """Whether a follow-up answer reports a change made (anything but a plain 'no', 'none', 'not yet'…)."""
    return bool(text.strip()) and not NO_CHANGE_RE.match(text.strip())


def commitments(q: Questionnaire, phases: dict) -> dict:
    """Each commitment to change, verbatim, with the same learner's follow-up answers and the implementation rate."""
    follow_items = [i for i in q.items if i.kind in ("text", "commitment") and "follow-up" in i.phases]
    entries = []
    for item in (i for i in q.items if i.kind == "commitment"):
        for phase in (p for p in item.phases if p != "follow-up"):
            for learner, text in _answers(phases, phase, item.id).items():
                follow = phases.get("follow-up", {}).get(learner)
                later = None if follow is None else [t for f in follow_items
                                                     if isinstance(t := follow.get(f.id), str) and t.strip()]
                entries.append({"item": item.id, "commitment": text, "follow_up": later,
                                "reported_change": None if later is None else any(reports_change(t) for t in later)})
    followed = [e for e in entries if e["follow_up"] is not None]
    changed = sum(1 for e in followed if e["reported_change"])
    return {"entries": entries, "committed": len(entries), "followed_up": len(followed), "reported_change": changed,
            "rate": round(changed / len(followed), 3) if followed else None}


def texts(q: Questionnaire, phases: dict) -> list[dict]:
    """Every free-text answer, verbatim, grouped by item and phase."""
    out = []
    for item in (i for i in q.items if i.kind == "text"):
        for phase in item.phases:
            answers = list(_answers(phases, phase, item.id).values())
            out.append({"id": item.id, "phase": phase, "stem": item.stem, "answers": answers})
    return out
