"""The programme view across a course's modules, and results by profession from the claims table.

The claims table holds learners' names; this module reads only three of its columns (module, learner code,
profession) and never a name or an email, so the report stays as pseudonymous as the responses it reads.
"""

from __future__ import annotations

from patientvoice.course.model import Course
from patientvoice.outcomes import analysis, totals
from patientvoice.outcomes.store import StoreError, open_store

CLAIM_COLUMNS = "module, learner, profession"  # never a name, an email or the free-text "other" profession


def professions_from(database: str) -> dict[tuple[str, str], str]:
    """``{(module, learner code): profession}`` from the claims table; empty when there is no claims table."""
    try:
        store = open_store(database)
    except StoreError:
        return {}
    try:
        found = store._execute(f"SELECT {CLAIM_COLUMNS} FROM claims", ())
    except Exception:  # noqa: BLE001 — no claims table (credit not used): no split by profession
        return {}
    finally:
        store.close()
    out = {}
    for module, learner, profession in found:
        out[(module, learner)] = str(profession or "not recorded")
    return out


def split(phases: dict[str, dict], who: dict[str, str]) -> dict[str, dict[str, dict]]:
    """The phases of one module split by profession (``who`` maps learner code → profession)."""
    out: dict[str, dict[str, dict]] = {}
    for phase, learners in phases.items():
        for learner, answers in learners.items():
            group = who.get(learner, "no claim")
            out.setdefault(group, {}).setdefault(phase, {})[learner] = answers
    return out


def summary(result: dict | None) -> dict | None:
    """The figures of a knowledge-total comparison the programme table shows."""
    if not result:
        return None
    eff = result.get("effect") or {}
    return {"pairs": result["pairs"], "before_mean": result["before_mean"], "after_mean": result["after_mean"],
            "mean_change_ci": eff.get("mean_change_ci"), "d_z": eff.get("d_z"), "d_z_ci": eff.get("d_z_ci"),
            "pvalue": result.get("pvalue"), "method": result.get("method")}


def module_phases(course: Course, rows: list[dict]) -> dict[str, dict]:
    """``{module: {phase: {learner: answers}}}``: the responses that count, as the module analysis uses them."""
    chosen, _ = analysis.counting(rows)
    out = {}
    for m in course.modules.values():
        if m.questionnaire is not None:
            phases, _ = analysis.due_follow_ups(chosen.get(m.id, {}), m.questionnaire.follow_up_after_days)
            out[m.id] = analysis.answers_only(phases)
    return out


def by_profession(course: Course, rows: list[dict], professions: dict[tuple[str, str], str]) -> dict:
    """Per module, the knowledge total of each profession's learners (learners without a claim apart)."""
    if not professions:
        return {}
    out = {}
    for mid, phases in module_phases(course, rows).items():
        who = {learner: prof for (module, learner), prof in professions.items() if module == mid}
        groups = split(phases, who)
        out[mid] = {g: {later: summary(r) for later, r in totals.knowledge_total(course.modules[mid], ph).items()}
                    for g, ph in sorted(groups.items())}
    return out


def pooled_total(course: Course, rows: list[dict]) -> dict:
    """The knowledge total over every learner-module pair of the course, as one set of matched pairs."""
    out = {}
    for later in totals.COMPARISONS:
        pairs = []
        for mid, phases in module_phases(course, rows).items():
            items = [i for i in course.modules[mid].questionnaire.items if i.kind in totals.KNOWLEDGE_KINDS
                     and i.answer is not None and "pre" in i.phases and later in i.phases]
            if items:
                pairs += totals._pairs(phases, later, totals._total(items, True))
        if pairs:
            out[later] = {"items": [], **totals._tested(pairs)}
    return out


def programme(modules: list[dict], pooled: dict) -> dict:
    """Per module and pooled: the knowledge total's change and d_z, pre → post and pre → follow-up.

    ``pooled`` is the knowledge total computed on every learner-module pair of the course together; a
    learner who took two modules counts twice there, so the pooled p-value is descriptive (pairs are not
    independent), and the modules' own figures are the ones to test.
    """
    return {
        "modules": [{"id": m["id"], "title": m["title"], "learners": m["learners_any"],
                     **{later: summary(m["knowledge_total"].get(later)) for later in ("post", "follow-up")}}
                    for m in modules],
        "pooled": {later: summary(pooled.get(later)) for later in ("post", "follow-up")},
    }
