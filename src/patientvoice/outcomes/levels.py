"""Moore's outcome levels each objective reached, and the commitments to change with their follow-up."""

from __future__ import annotations

import re

from patientvoice.course.model import Questionnaire
from patientvoice.outcomes.intervals import holm, wilson

LEVELS = ("participation", "satisfaction", "knowledge", "competence", "performance")
APPLIED = ("competence", "performance", "patient-health")   # objectives written as "shows how" or beyond
IN_PRACTICE = ("performance", "patient-health")             # objectives about what learners do
# A likert scale that counts how often ("Never … At every review") asks about practice; one that rates
# confidence or agreement asks what learners think of themselves, which is not what they do.
FREQUENCY_RE = re.compile(r"\b(never|rarely|seldom|sometimes|occasionally|often|usually|frequently|always|"
                          r"every|most of the time)\b", re.I)


def _fmt_p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def about_practice(likert: dict) -> bool:
    """Whether a likert item asks how often learners do something: at least two of its labels are frequencies."""
    return sum(bool(FREQUENCY_RE.search(label)) for label in likert["scale"]) >= 2


def _describe(what: str, comparison: str, result: dict, adjusted: float | None = None) -> str:
    # n is always the matched pairs (learners who answered both phases), whatever the test uses internally
    p = _fmt_p(result["pvalue"]) + (f", Holm-adjusted {_fmt_p(adjusted)[2:]}" if adjusted is not None else "")
    if "change" in result:
        lo, hi = result["change_ci"]
        size, n = f"{result['change']:+.1f} points (95% CI {lo:+.1f} to {hi:+.1f}), h = {result['h']:.2f}", result["n"]
        p += f" (McNemar exact; mid-p {result['midp']:.3f})".replace("0.000", "< 0.001")
    elif result.get("before_mean") is not None and "items" in result:
        eff = result.get("effect")
        dz = f", d_z = {eff['d_z']:.2f} (95% CI {eff['d_z_ci'][0]:.2f} to {eff['d_z_ci'][1]:.2f})" if eff else ""
        size = f"mean {result['before_mean']:.2f} → {result['after_mean']:.2f} of {len(result['items'])}{dz}"
        n = result["pairs"]
        p += f" (Wilcoxon, {result['method']})"
    else:
        size, n = f"r = {result['rank_biserial']:+.2f}, {result['n']} changed", result["pairs"]
        p += f" (Wilcoxon, {result['method']})"
    return f"{what}, pre → {comparison}: {size}, {p} (n = {n})"


def _levels(objective_level: str, kind: str, comparison: str) -> list[tuple[str, str]]:
    """The levels a significant improvement of one kind of measure shows, each with its qualifier."""
    later = " (retained at follow-up)" if comparison == "follow-up" else ""
    if kind == "knowledge":
        out = [("knowledge", later)]
        return out + ([("competence", later)] if objective_level in APPLIED else [])
    if kind == "practice" and comparison == "follow-up" and objective_level in IN_PRACTICE:
        return [("performance", " (self-reported practice, at follow-up)")]
    if objective_level not in APPLIED:
        return []
    # a self-rating, or practice planned right after the module: what learners believe they can do
    return [("competence", " (self-assessed, at follow-up)" if later else " (self-assessed)")]


def _implementation(objective: dict, entries: list[dict]) -> tuple[list[str], list[str]]:
    """Performance evidence from commitments tied to the objective (or to none) and their follow-up.

    Everyone who committed is in the denominator: a learner who did not answer the follow-up has not shown a
    change. Performance needs a majority of them, with the Wilson interval shown.
    """
    if objective["level"] not in IN_PRACTICE:
        return [], []
    tied = [e for e in entries if e.get("objective") == objective["id"]]
    mine = tied or [e for e in entries if not e.get("objective")]
    counts = implementation(mine)
    if not counts["followed_up"]:
        return [], []
    whose = "tied to this objective" if tied else "(not tied to an objective)"
    lo, hi = counts["rate_all_ci"]
    text = (f"{counts['reported_change']} of {counts['committed']} learners who made a commitment {whose} "
            f"reported a change at follow-up ({100 * counts['rate_all']:.0f}%, 95% CI {100 * lo:.0f}–{100 * hi:.0f}%; "
            f"{counts['committed'] - counts['followed_up']} did not answer the follow-up and count as no change; "
            f"{counts['reported_change']} of {counts['followed_up']} respondents; self-reported)")
    if 2 * counts["reported_change"] > counts["committed"]:
        return [text], []
    return [], [text + " — not a majority of those who committed"]


def _holm_within(measures: list[tuple], comparison: str) -> dict[int, float]:
    """Holm-adjusted p of each measure (by index) among those of the same kind with a test at ``comparison``."""
    out: dict[int, float] = {}
    kinds = {kind for _, _, kind in measures}
    for kind in kinds:
        idx = [i for i, (_, m, k) in enumerate(measures)
               if k == kind and (m.get(comparison) or {}).get("pvalue") is not None]
        for i, adj in zip(idx, holm([measures[i][1][comparison]["pvalue"] for i in idx])):
            out[i] = adj
    return out


def moore_level(objective: dict, items: list[dict], likert: list[dict], learners: dict,
                satisfaction: tuple[list, list] = ([], []), commitments: list[dict] = ()) -> dict:
    """The highest Moore level the objective reached, with the evidence for each level and what fell short.

    Knowledge (and competence, for objectives written at competence level or above) is decided by one
    pre-specified primary measure: the objective's total score (its knowledge items right), compared in
    matched learners by Wilcoxon, improved with p < 0.05. Single items and the share meeting the objective are
    shown as support with Holm-adjusted p and decide nothing. Self-ratings (competence, self-assessed) and
    frequency scales (performance, self-reported, at follow-up) decide with Holm's correction across the
    objective's items of that kind. A majority of everyone who committed reporting a change also shows
    performance. Satisfaction is module-wide and given.
    """
    reached: dict[str, list[str]] = {}
    short: list[str] = []
    support: list[str] = []
    if learners.get("post"):
        reached["participation"] = [f"{learners['post']} learner(s) completed the post-test"]
    if satisfaction[0]:
        reached["satisfaction"] = list(satisfaction[0])
    short += satisfaction[1]
    oid, level = objective["id"], objective["level"]
    primary = objective.get("primary", {})
    supporting = [("learners meeting the objective", objective, "met")]
    supporting += [(f"item '{i['id']}'", i, "item") for i in items if i["objective"] == oid]
    deciding = [(f"{'practice' if about_practice(x) else 'self-rating'} '{x['id']}'", x,
                 "practice" if about_practice(x) else "self-rating") for x in likert if x["objective"] == oid]
    for comparison in ("post", "follow-up"):
        adjusted = _holm_within(supporting, comparison)
        for i, (label, measure, _) in enumerate(supporting):
            result = measure.get(comparison)
            if result and result.get("n") and i in adjusted:
                support.append(_describe(label, comparison, result, adjusted[i]))
        total = primary.get(comparison)
        candidates = [(f"total score of the objective's {len(total['items'])} knowledge item(s) (primary measure)",
                       total, "knowledge", None)] if total and total.get("pairs") else []
        adjusted = _holm_within(deciding, comparison)
        candidates += [(label, m[comparison], kind, adjusted.get(i)) for i, (label, m, kind) in enumerate(deciding)
                       if m.get(comparison) and m[comparison].get("pairs")]
        for label, result, kind, adj in candidates:
            if not result.get("n"):  # matched pairs, nobody's score or rating moved
                short.append(f"{label}, pre → {comparison}: no learner's answer changed (n = {result['pairs']})")
                continue
            text = _describe(label, comparison, result, adj)
            p = result["pvalue"] if adj is None else adj
            improved = p < 0.05 and result["rank_biserial"] > 0
            if not improved:
                short.append(text)
                continue
            shown = _levels(level, kind, comparison)
            for lv, qualifier in shown:
                reached.setdefault(lv, []).append(text + qualifier)
            if not shown:
                short.append(text + " — improved, but this measure does not show a level of this objective")
    done, not_yet = _implementation(objective, list(commitments))
    if done:
        reached.setdefault("performance", []).extend(done)
    short += not_yet
    highest = max(reached, key=LEVELS.index) if reached else None
    return {"designed_for": level, "highest": highest, "decided_by": "primary measure (objective total score)",
            "evidence": {lv: reached[lv] for lv in LEVELS if lv in reached}, "not_counted": short,
            "supporting": support}


# A heuristic, not an understanding of the text (the report and docs/outcomes.md say so). An answer reports
# no change when it opens with a refusal ("No, clinic time…", "None so far", "Not really") or negates or puts
# off doing something ("I have not changed anything", "haven't had the chance", "waiting for the protocol"),
# unless what is left once the negated phrases are removed still says something was done ("No barriers; I
# now ask every patient").
NEGATIVE_OPENING = re.compile(
    r"^(?:no|nope|nah|none|nothing|nil|n/?a|zero|not|never)\b(?!\s+(?:longer|more|only)\b)", re.I)
# A negation or a postponement, and the few words it governs ("not changed anything", "n't had the chance").
NEGATED = re.compile(
    r"(?:\b(?:not|never|nothing|none|no changes?|unable|yet to|no (?:time|chance|opportunity|capacity))\b|n't\b|"
    r"\b(?:ca|do|did|does|have|has|had|could|would|was|were|is|are|wo)nt\b|\b(?:will|going to|plan(?:ning)? to|"
    r"intend(?:ing)? to|hope to|hoping to|want to|waiting|still)\b)(?:\W+[\w']+){0,3}", re.I)
# Words that report something done, looked for in what is left once the negated phrases are removed.
DONE = re.compile(
    r"\b(?:now|started|starting|began|begun|introduced|added|adding|implemented|implementing|switched|changed|"
    r"adopted|use[ds]?|using|record(?:s|ed|ing)?|ask(?:s|ed|ing)?|give|gives|gave|giving|check(?:s|ed|ing)?|"
    r"document(?:s|ed|ing)?|screen(?:s|ed|ing)?|refer(?:s|red|ring)?|routinely|set up|created|updated|trained|"
    r"taught|shared)\b", re.I)


def reports_change(text: str) -> bool:
    """Whether a follow-up answer reports a change made; a heuristic (see NEGATIVE_OPENING, NEGATED and DONE)."""
    text = text.strip().replace("\u2019", "'")
    if not text:
        return False
    if not NEGATIVE_OPENING.match(text) and not NEGATED.search(text):
        return True
    return bool(DONE.search(NEGATED.sub(" ", NEGATIVE_OPENING.sub(" ", text))))


def _answers(phases: dict, phase: str, item_id: str) -> dict[str, str]:
    out = {}
    for learner, answers in phases.get(phase, {}).items():
        text = answers.get(item_id)
        if isinstance(text, str) and text.strip():
            out[learner] = text.strip()
    return out


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
                entries.append({"item": item.id, "objective": item.objective, "commitment": text,
                                "follow_up": later,
                                "reported_change": None if later is None else any(reports_change(t) for t in later)})
    return {"entries": entries, **implementation(entries)}


def implementation(entries: list[dict]) -> dict:
    """How many commitments there are, how many have a follow-up, how many of those report a change, and the rate."""
    followed = [e for e in entries if e["follow_up"] is not None]
    changed = sum(1 for e in followed if e["reported_change"])
    everyone, answered = wilson(changed, len(entries)), wilson(changed, len(followed))
    return {"committed": len(entries), "followed_up": len(followed), "no_response": len(entries) - len(followed),
            "reported_change": changed,
            "rate": round(changed / len(followed), 3) if followed else None,
            "rate_ci": [round(x, 3) for x in answered] if answered else None,
            "rate_all": round(changed / len(entries), 3) if entries else None,
            "rate_all_ci": [round(x, 3) for x in everyone] if everyone else None}


def texts(q: Questionnaire, phases: dict) -> list[dict]:
    """Every free-text answer, verbatim, grouped by item and phase."""
    out = []
    for item in (i for i in q.items if i.kind == "text"):
        for phase in item.phases:
            answers = list(_answers(phases, phase, item.id).values())
            out.append({"id": item.id, "phase": phase, "stem": item.stem, "answers": answers})
    return out
