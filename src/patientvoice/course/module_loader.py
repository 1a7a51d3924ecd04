"""Load one module folder: its index.md (activity, objectives, credit offers, review) and questionnaire.yml."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from patientvoice.course import formats
from patientvoice.course.blocks import scan_blocks
from patientvoice.course.coerce import _d, _date, _l, _s
from patientvoice.course.model import Approval, Course, CreditOffer, Item, Module, Objective, Questionnaire
from patientvoice.course.schema import check_object
from patientvoice.course.sources import line_of, load_front_matter_file, load_yaml_file
from patientvoice.course.waves import waves_of
from patientvoice.problems import Problems


def _credit_offers(activity: dict, raw) -> list[CreditOffer]:
    """Module.credit_types: the activity's credit types with the default (AMA PRA Category 1) applied."""
    from patientvoice.credit.registry import offers

    lines = raw.get("credit_types") if isinstance(raw, dict) else None
    # One entry at a time, so each offer keeps the line of its own entry when a malformed one is skipped.
    entries = [(i, {**activity, "credit_types": [e]}) for i, e in enumerate(lines)] if isinstance(lines, list) \
        else [(None, activity)]
    out = []
    for i, act in entries:
        for o in offers(act):
            amount = o.get("amount")
            amount = float(amount) if isinstance(amount, (int, float)) and not isinstance(amount, bool) else None
            line = line_of(lines, i) if i is not None else line_of(raw, "credits", 1)
            extra = {k: v for k, v in o.items() if k not in ("type", "amount")}
            out.append(CreditOffer(o["type"], amount, extra, line, i))
    return out


def load_module(folder: Path, problems: Problems, ok) -> Module | None:
    """The module in ``folder`` with its questionnaire, or None when its index.md cannot be read."""
    path = folder / "index.md"
    if not ok(path):
        return None
    if not os.path.lexists(path):
        problems.add(path, 1, "file.missing", f"module '{folder.name}' has no index.md; add one with front matter")
        return None
    doc = load_front_matter_file(path, problems)
    if doc is None:
        return None
    m = doc.meta
    check_object(m, formats.MODULE, problems, path, "", 1)
    review = _d(m.get("review"))
    activity = {k: _date(v) for k, v in _d(m.get("activity")).items()}  # a copy: src stays as written
    approvals_raw = _l(review.get("approvals"))
    approvals = [Approval(_date(_d(a).get("date")), _s(_d(a).get("decision")), [_s(b) for b in _l(_d(a).get("by"))],
                          _s(_d(a).get("fingerprint")), line_of(approvals_raw, i),
                          _d(a).get("files") if isinstance(_d(a).get("files"), dict) else None)
                 for i, a in enumerate(approvals_raw)]
    objectives_raw = _l(m.get("objectives"))
    objectives = [Objective(_s(_d(o).get("id")), _s(_d(o).get("text")), _s(_d(o).get("level")), line_of(objectives_raw, i))
                  for i, o in enumerate(objectives_raw)]
    duplicates([o.id for o in objectives], objectives_raw, "objectives", "id", path, problems)
    module = Module(
        folder.name, path, m, _s(m.get("title")), activity, objectives,
        [_s(x) for x in _l(m.get("faculty"))], [_s(x) for x in _l(m.get("planners"))],
        [_d(x) for x in _l(m.get("commercial_support"))], review.get("committee"), approvals,
        doc.body, doc.body_line, scan_blocks(doc.body, doc.body_line, path, problems))
    module.credit_types = _credit_offers(activity, m.get("activity"))
    module.off_label = [_d(x) for x in m["off_label"]] if isinstance(m.get("off_label"), list) else None
    module.gap = m.get("gap") if isinstance(m.get("gap"), dict) else None
    module.planning_started = _date(m.get("planning_started")) if isinstance(m.get("planning_started"), dt.date) else None
    qpath = folder / "questionnaire.yml"
    if not ok(qpath):
        pass  # reported by the scan
    elif not os.path.lexists(qpath):
        problems.add(qpath, 1, "file.missing",
                     f"module '{folder.name}' has no questionnaire.yml; every objective must be measured")
    else:
        module.questionnaire = _questionnaire(qpath, problems)
    return module


def _questionnaire(path: Path, problems: Problems) -> Questionnaire | None:
    data = load_yaml_file(path, problems)
    if data is None:
        return None
    check_object(data, formats.QUESTIONNAIRE, problems, path, "", 1)
    raw = _l(data.get("items"))
    items = []
    for i, it in enumerate(raw):
        it = _d(it)
        items.append(Item(_s(it.get("id")), [_s(p) for p in _l(it.get("phases"))], it.get("objective"),
                          _s(it.get("kind")), _s(it.get("stem")), [_s(o) for o in _l(it.get("options"))],
                          it.get("answer"), it.get("rationale"), [_s(s) for s in _l(it.get("scale"))],
                          line_of(raw, i)))
    duplicates([i.id for i in items], raw, "items", "id", path, problems)
    waves = waves_of(data.get("follow_up_after_days"))
    return Questionnaire(path.parent.name, path, data, waves[0] if waves else 0, items, waves)


def duplicates(ids: list[str], raw, where: str, key: str, path: Path, problems: Problems) -> None:
    """schema.duplicate-id for each id used twice in one list."""
    seen: dict[str, int] = {}
    for i, ident in enumerate(ids):
        if not ident:
            continue
        line = line_of(raw, i)
        if ident in seen:
            problems.add(path, line, "schema.duplicate-id",
                         f"{where}[{i}].{key}: '{ident}' is already used on line {seen[ident]}; ids must be unique")
        else:
            seen[ident] = line


def duplicate_activity_ids(course: Course, problems: Problems) -> None:
    """schema.duplicate-id for two modules sharing an activity id."""
    seen: dict[str, Module] = {}
    for module in course.modules.values():
        aid = module.activity.get("id")
        if not isinstance(aid, str):
            continue
        if aid in seen:
            first = seen[aid]
            problems.add(module.path, module.line("activity", "id"), "schema.duplicate-id",
                         f"activity.id: '{aid}' is already the activity id of {problems.rel(first.path)}; "
                         "every module needs its own activity id")
        else:
            seen[aid] = module
