"""Turn stored responses into the numbers of the outcomes report, module by module."""

from __future__ import annotations

from dataclasses import asdict

from patientvoice.model import Course, Item, Module
from patientvoice.outcomes import stats
from patientvoice.outcomes.levels import commitments, moore_level, texts
from patientvoice.outcomes.scoring import KNOWLEDGE_KINDS, is_correct, pass_mark, score

PHASES = ("pre", "post", "follow-up")
COMPARISONS = ("post", "follow-up")  # each compared with pre, in matched pairs
ALPHA = 0.05


def latest(rows: list[dict]) -> tuple[dict, dict]:
    """The latest answers per module, phase and learner, and per module how many earlier responses they superseded.

    Later receipt wins; rows without a receipt time (learners' own files) fall back to when they were
    submitted, then to the order they were read.
    """
    best: dict[tuple, dict] = {}
    for row in sorted(rows, key=lambda r: (r.get("received") or r.get("submitted") or "", r.get("id") or 0)):
        best[(row["module"], row["learner"], row["phase"])] = row
    by_module: dict[str, dict[str, dict[str, dict]]] = {}
    for (module, learner, phase), row in best.items():
        by_module.setdefault(module, {}).setdefault(phase, {})[learner] = row["answers"]
    superseded: dict[str, int] = {}
    for row in rows:
        superseded[row["module"]] = superseded.get(row["module"], 0) + 1
    for module, _, _ in best:
        superseded[module] -= 1
    return by_module, superseded


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


def _pct(values: list[bool]) -> dict:
    n = len(values)
    return {"n": n, "correct": sum(values), "percent": round(100 * sum(values) / n, 1) if n else None}


def _paired(result) -> dict | None:
    if result is None:
        return None
    out = asdict(result)
    direction = result.change if isinstance(result, stats.Paired) else result.rank_biserial
    out["significant"] = result.pvalue < ALPHA
    out["improved_significantly"] = out["significant"] and direction > 0
    return out


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
    return out


def module_outcomes(module: Module, phases: dict, superseded: int) -> dict:
    """Everything the report says about one module."""
    q = module.questionnaire
    learners = {p: len(phases.get(p, {})) for p in PHASES}
    pre = set(phases.get("pre", {}))
    matched = {f"pre/{p}": len(pre & set(phases.get(p, {}))) for p in COMPARISONS}
    attrition = {p: round(1 - matched[f"pre/{p}"] / len(pre), 3) if pre else None for p in COMPARISONS}
    post_items = {i.id: i for i in q.items if "post" in i.phases}
    mark = pass_mark(module)
    passed = sum(1 for a in phases.get("post", {}).values() if score(post_items, a, mark).get("passed"))
    items = [knowledge_item(i, phases) for i in q.items if i.kind in KNOWLEDGE_KINDS]
    likert = [likert_item(i, phases) for i in q.items if i.kind == "likert"]
    objectives = [objective_result(module, o, phases) for o in module.objectives]
    for o in objectives:
        o["moore"] = moore_level(o, items, likert, learners)
    return {
        "id": module.id, "title": module.title, "activity": module.activity.get("id"),
        "learners": learners, "learners_any": len({lr for p in phases.values() for lr in p}),
        "matched": matched, "attrition": attrition, "superseded": superseded,
        "pass": {"mark": mark, "passed": passed, "of": learners["post"]},
        "items": items, "likert": likert, "objectives": objectives,
        "commitments": commitments(q, phases), "texts": texts(q, phases),
    }


def outcomes(course: Course, rows: list[dict]) -> list[dict]:
    """The outcomes of every module with a questionnaire, in course order."""
    by_module, superseded = latest(rows)
    return [module_outcomes(m, by_module.get(m.id, {}), superseded.get(m.id, 0))
            for m in course.modules.values() if m.questionnaire is not None]
