"""Disclosure rules (ACCME Standard 3 and 4): everyone in control of content discloses; relevant ties are mitigated."""

from __future__ import annotations

import datetime as dt

from patientvoice.rules import E, Rule, register

register(
    Rule("disclosure.missing", E, "Someone in control of content has no disclosure",
         "ACCME Standard 3 requires a disclosure of financial relationships from all faculty, planners and others in "
         "control of content, steering-committee members and patient partners included, before they take up the role.",
         "Add a 'disclosure' with 'signed' and 'relationships' (an empty list when there are none) to the person's file."),
    Rule("disclosure.stale", E, "A disclosure is more than 12 months old at release",
         "Disclosures cover the prior 24 months and are refreshed at least yearly, so learners see current relationships.",
         "Collect a new disclosure and update 'disclosure.signed' and the relationships."),
    Rule("disclosure.unmitigated", E, "A relevant relationship has no mitigation",
         "Standard 3 requires every relevant financial relationship to be mitigated before the person controls content.",
         "Record 'mitigation: {action, date}' describing the step taken (e.g. independent peer review of content)."),
    Rule("disclosure.late-mitigation", E, "A mitigation is dated after the module's release",
         "Mitigation must happen before learners engage with the content.",
         "Mitigate before release, or move the release date."),
    Rule("disclosure.commercial-support", E, "Commercial support cannot be acknowledged",
         "Standard 4 requires learners to be told, before they start, the name of every ineligible company that "
         "supported the activity and whether the support was financial or in kind.",
         "Give each commercial_support entry a 'company' and a 'kind' (educational-grant or in-kind)."),
)


def people_in_control(course, module) -> list[tuple[str, str]]:
    """(person id, role) for the module's faculty, planners and committee members, without repeats."""
    out: dict[str, str] = {}
    for p in module.faculty:
        out.setdefault(p, "faculty")
    for p in module.planners:
        out.setdefault(p, "planner")
    committee = course.committees.get(module.committee) if isinstance(module.committee, str) else None
    for m in committee.members if committee else []:
        out.setdefault(m.person, "committee member")
    return list(out.items())


def _months_before(later: dt.date, months: int) -> dt.date:
    y, m = divmod(later.year * 12 + later.month - 1 - months, 12)
    day = min(later.day, 28 if m + 1 == 2 else 30 if m + 1 in (4, 6, 9, 11) else 31)
    return dt.date(y, m + 1, day)


def check(course, problems, today) -> None:
    """Record disclosure problems per module and per person."""
    for m in course.modules.values():
        release = m.activity.get("release")
        release = release if isinstance(release, dt.date) else None
        for pid, role in people_in_control(course, m):
            person = course.people.get(pid)
            if person is None:
                continue  # ref.person reports it
            where = m.line("review", "committee") if role == "committee member" else m.line(
                "faculty" if role == "faculty" else "planners")
            if not isinstance(person.signed, dt.date) and person.relationships is not None \
                    and isinstance(person.src.get("disclosure"), dict) and "signed" in person.src["disclosure"]:
                continue  # a disclosure with an unreadable date: schema.date names it, once
            if person.relationships is None or not isinstance(person.signed, dt.date):
                problems.add(m.path, where, "disclosure.missing",
                             f"{role} '{pid}' has no disclosure on file ({problems.rel(person.path)}); "
                             "collect one before the module is released")
                continue
            if release and person.signed < _months_before(release, 12):
                problems.add(person.path, person.line("disclosure", "signed"), "disclosure.stale",
                             f"disclosure signed {person.signed} is more than 12 months before the release of "
                             f"'{m.id}' ({release}); collect a new disclosure")
            for i, rel in enumerate(person.relationships):
                if not rel.relevant:
                    continue
                line = person.line("disclosure", "relationships", i)
                if not rel.mitigation_action or not isinstance(rel.mitigation_date, dt.date):
                    problems.add(person.path, line, "disclosure.unmitigated",
                                 f"relevant relationship with {rel.company} ({rel.nature}) has no mitigation; "
                                 f"'{pid}' is {role} of '{m.id}'")
                elif release and rel.mitigation_date > release:
                    problems.add(person.path, person.line("disclosure", "relationships", i, "mitigation", "date"),
                                 "disclosure.late-mitigation",
                                 f"mitigation of the relationship with {rel.company} is dated {rel.mitigation_date}, "
                                 f"after the release of '{m.id}' ({release})")
        for i, support in enumerate(m.commercial_support):
            missing = [k for k in ("company", "kind") if not support.get(k)]
            if missing:
                problems.add(m.path, m.line("commercial_support", i), "disclosure.commercial-support",
                             f"commercial_support[{i}]: {' and '.join(missing)} missing; learners must be told who "
                             "supported the activity and how")
