"""Turn stored responses into the numbers of the outcomes report: which responses count, then each module."""

from __future__ import annotations

import datetime as dt

from patientvoice.course.model import Course, Item, Module
from patientvoice.outcomes import stats
from patientvoice.outcomes.evaluation import evaluation_results, satisfaction, site_evaluation
from patientvoice.outcomes.flow import attempts_allowed, participant_flow, retakes
from patientvoice.outcomes.intervals import wilson
from patientvoice.outcomes.items import item_analysis
from patientvoice.outcomes.levels import commitments, moore_level, texts
from patientvoice.outcomes.scoring import KNOWLEDGE_KINDS, is_correct, pass_mark, score
from patientvoice.outcomes.totals import COMPARISONS, _paired, _pairs, knowledge_total, primary_measure
from patientvoice.outcomes.survey import survey_results
from patientvoice.outcomes.waves import later_waves

PHASES = ("pre", "post", "follow-up")
NEVER = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
# The baseline is what the learner knew before the module; a repeat is not a baseline. The post-test analysed
# is the first attempt: a retake after the key and rationales were shown measures the key, not the module.
FIRST_COUNTS = ("pre", "post")


def moment(value) -> dt.datetime | None:
    """An ISO 8601 time as an aware datetime (UTC when it names no zone); None when missing or unreadable."""
    if not isinstance(value, str) or not value:
        return None
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)


def submitted(row: dict) -> dt.datetime | None:
    """When the learner submitted the response; the receipt time stands in for a response sent without one."""
    return moment(row.get("submitted")) or moment(row.get("received"))


def _order(row: dict) -> tuple:
    # Compared as times, not text: "10:00+01:00" is earlier than "09:30Z". A response delivered late (an
    # offline queue, a file read last) must not pass a newer one, so receipt time only breaks ties.
    return submitted(row) or NEVER, moment(row.get("received")) or NEVER, row.get("id") or 0


def grouped(rows: list[dict]) -> dict[tuple, list[dict]]:
    """Every response by (module, phase, learner), oldest submitted first.

    Post-tests read from the collector's database carry the attempt number the collector gave them in
    stored order (``stored_attempt``; the number credit is decided on); when every one of a learner's
    post-tests has one, that order wins over the browser's ``submitted`` time.
    """
    groups: dict[tuple, list[dict]] = {}
    for row in sorted(rows, key=_order):
        groups.setdefault((row["module"], row["phase"], row["learner"]), []).append(row)
    for (_, phase, _), group in groups.items():
        if phase == "post" and all(isinstance(r.get("stored_attempt"), int) for r in group):
            group.sort(key=lambda r: (r["stored_attempt"], r.get("id") or 0))
    return groups


def counting(rows: list[dict]) -> tuple[dict, dict]:
    """The response that counts per module, phase and learner, and per module how many others were not counted.

    The first pre-test submitted is the baseline and the first post-test is the one analysed (retakes are
    reported apart, see :func:`patientvoice.outcomes.flow.retakes`); for the follow-up the latest submitted
    counts. Returns ``({module: {phase: {learner: row}}}, {module: count})``.
    """
    groups = grouped(rows)
    chosen: dict[str, dict[str, dict[str, dict]]] = {}
    others: dict[str, int] = {}
    for (module, phase, learner), group in groups.items():
        chosen.setdefault(module, {}).setdefault(phase, {})[learner] = group[0] if phase in FIRST_COUNTS else group[-1]
        others[module] = others.get(module, 0) + len(group) - 1
    return chosen, others


def due_follow_ups(phases: dict[str, dict[str, dict]], days: int) -> tuple[dict, dict]:
    """Keep a learner's follow-up only when it was submitted at least ``days`` after their counted post-test.

    The browser can only delay the follow-up in the browser that holds the post-test; a learner who took the
    post-test on another device can answer at once. Returns the phases without the follow-ups that do not
    count, and how many were left out: ``early`` (too soon), ``without_post`` (the learner has no post-test)
    and ``undated`` (a response with neither a submitted nor a receipt time).
    """
    kept = {phase: dict(learners) for phase, learners in phases.items()}
    # A wait longer than timedelta allows (follow_up_after_days: 1000000000) is longer than any real interval.
    wait = dt.timedelta(days=min(days, dt.timedelta.max.days))
    dropped = {"early": 0, "without_post": 0, "undated": 0}
    posts = phases.get("post", {})
    for learner, row in phases.get("follow-up", {}).items():
        post = posts.get(learner)
        start, end = (submitted(post) if post else None), submitted(row)
        if post is None:
            dropped["without_post"] += 1
        elif start is None or end is None:
            dropped["undated"] += 1
        elif end - start < wait:
            dropped["early"] += 1
        else:
            continue
        del kept["follow-up"][learner]
    return kept, dropped


def answers_only(phases: dict[str, dict[str, dict]]) -> dict[str, dict[str, dict]]:
    """``{phase: {learner: answers}}`` from ``{phase: {learner: row}}``."""
    return {phase: {learner: row["answers"] for learner, row in learners.items()} for phase, learners in phases.items()}


def _pct(values: list[bool]) -> dict:
    n, k = len(values), sum(values)
    ci = wilson(k, n)
    return {"n": n, "correct": k, "percent": round(100 * k / n, 1) if n else None,
            "ci": [round(100 * x, 1) for x in ci] if ci else None}


def knowledge_item(item: Item, phases: dict) -> dict:
    """Percent correct per phase and the matched change from pre, for one single or multiple choice item."""
    def right(answers):
        value = answers.get(item.id)
        return None if value is None else bool(is_correct(item, value))

    out = {"id": item.id, "objective": item.objective, "kind": item.kind, "stem": item.stem, "phases": {}}
    for phase in item.phases:
        out["phases"][phase] = _pct([r for a in phases.get(phase, {}).values() if (r := right(a)) is not None])
    for later in COMPARISONS:
        if "pre" in item.phases and later in item.phases:
            out[later] = _paired(stats.paired_binary(_pairs(phases, later, right)))
    return out


def likert_item(item: Item, phases: dict) -> dict:
    """Median and distribution per phase, and the matched Wilcoxon signed-rank test from pre."""
    def point(answers):
        return answers.get(item.id)

    out = {"id": item.id, "objective": item.objective, "stem": item.stem, "scale": item.scale, "phases": {}}
    for phase in item.phases:
        values = [v for a in phases.get(phase, {}).values() if (v := point(a)) is not None]
        out["phases"][phase] = stats.describe_scale(values, len(item.scale))
    for later in COMPARISONS:
        if "pre" in item.phases and later in item.phases:
            pairs = _pairs(phases, later, point)
            test = stats.wilcoxon([a for a, _ in pairs], [b for _, b in pairs]) if pairs else None
            out[later] = {"pairs": len(pairs), **(_paired(test) or {"n": 0, "pvalue": None, "significant": False,
                                                                     "improved_significantly": False})}
    return out


def objective_result(module: Module, objective, phases: dict) -> dict:
    """Share of learners meeting the objective (every knowledge item on it correct) per phase, and its change."""
    items = [i for i in module.questionnaire.items if i.objective == objective.id and i.kind in KNOWLEDGE_KINDS]

    def met(asked):
        def check(answers):
            # a learner who skipped the objective's items altogether is left out; one who skipped some has not met it
            if not any(i.id in answers for i in asked):
                return None
            return all(is_correct(i, answers.get(i.id)) for i in asked)
        return check

    out = {"id": objective.id, "text": objective.text, "level": objective.level,
           "items": [i.id for i in items], "phases": {}}
    for phase in PHASES:
        asked = [i for i in items if phase in i.phases]
        if asked:
            out["phases"][phase] = _pct([r for a in phases.get(phase, {}).values() if (r := met(asked)(a)) is not None])
    for later in COMPARISONS:
        # only items asked in both phases, so the two shares measure the same thing
        shared = [i for i in items if "pre" in i.phases and later in i.phases]
        if shared:
            out[later] = _paired(stats.paired_binary(_pairs(phases, later, met(shared))))
    out["primary"] = primary_measure(items, phases)
    return out


def module_outcomes(module: Module, phases: dict, superseded: int, evaluation: list[Item] = (),
                    follow_up: dict | None = None, groups: dict | None = None, allowed: int = 1) -> dict:
    """Everything the report says about one module; ``phases`` holds only the responses that count.

    ``groups`` is every stored response of the module by phase and learner (oldest first), for the flow and
    the retakes; ``allowed`` the course's ``attempts`` option.
    """
    q = module.questionnaire
    groups = groups or {}
    learners = {p: len(phases.get(p, {})) for p in PHASES}
    pre = set(phases.get("pre", {}))
    matched = {f"pre/{p}": len(pre & set(phases.get(p, {}))) for p in COMPARISONS}
    attrition = {p: round(1 - matched[f"pre/{p}"] / len(pre), 3) if pre else None for p in COMPARISONS}
    post_items = {i.id: i for i in q.items if "post" in i.phases}
    pre_items = {i.id: i for i in q.items if "pre" in i.phases}
    mark = pass_mark(module)
    passed = sum(1 for a in phases.get("post", {}).values() if score(post_items, a, mark).get("passed"))
    items = [knowledge_item(i, phases) for i in q.items if i.scored]  # survey items have no right answer
    likert = [likert_item(i, phases) for i in q.items if i.kind == "likert"]
    evaluated = evaluation_results(list(evaluation), phases.get("post", {}))
    # Satisfaction: the post-test's evaluation scales, and any post-test likert item tied to no objective
    scales = [x for x in evaluated if x["kind"] == "likert"] + [
        {"id": x["id"], "labels": x["scale"], **x["phases"]["post"]}
        for x in likert if not x["objective"] and "post" in x["phases"]]
    pleased = satisfaction(scales)
    promised = commitments(q, phases)
    objectives = [objective_result(module, o, phases) for o in module.objectives]
    for o in objectives:
        o["moore"] = moore_level(o, items, likert, learners, pleased, promised["entries"])
    return {
        "id": module.id, "title": module.title, "activity": module.activity.get("id"),
        "learners": learners, "learners_any": len({lr for p in phases.values() for lr in p}),
        "matched": matched, "attrition": attrition, "superseded": superseded,
        "follow_up": {"after_days": q.follow_up_after_days, "not_counted": follow_up or {}},
        "flow": participant_flow(groups, phases, follow_up or {}, pre_items),
        "attempts": retakes(groups.get("post", {}), post_items, mark, allowed),
        "pass": {"mark": mark, "passed": passed, "of": learners["post"]},
        "knowledge_total": knowledge_total(module, phases),
        "items": items, "item_analysis": item_analysis(q.items, phases.get("post", {})),
        "likert": likert, "objectives": objectives, "evaluation": evaluated,
        "commitments": promised, "texts": texts(q, phases),
    }


def outcomes(course: Course, rows: list[dict], evaluation: list[Item] | None = None,
             professions: dict[tuple[str, str], str] | None = None) -> list[dict]:
    """The outcomes of every module with a questionnaire, in course order.

    ``evaluation`` is the post-test's evaluation items; ``None`` reads them from the course's mkdocs.yml.
    ``professions`` maps (module, learner code) to the profession of the learner's credit claim.
    """
    from patientvoice.outcomes.programme import by_profession  # it builds on this module

    split = by_profession(course, rows, professions or {})
    evaluation = site_evaluation(course.root) if evaluation is None else evaluation
    chosen, superseded = counting(rows)
    allowed = attempts_allowed(course)
    stored: dict[str, dict[str, dict[str, list]]] = {}
    for (module, phase, learner), group in grouped(rows).items():
        stored.setdefault(module, {}).setdefault(phase, {})[learner] = group
    out = []
    for m in course.modules.values():
        if m.questionnaire is None:
            continue
        phases, early = due_follow_ups(chosen.get(m.id, {}), m.questionnaire.follow_up_after_days)
        out.append(module_outcomes(m, answers_only(phases), superseded.get(m.id, 0), evaluation, early,
                                   stored.get(m.id, {}), allowed) | {"by_profession": split.get(m.id, {}),
                                                                     "waves": later_waves(m, chosen.get(m.id, {})),
                                                                     "survey": survey_results(m, answers_only(phases))})
    return out
