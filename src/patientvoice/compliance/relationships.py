"""Disclosure rules that need the company registry (content/companies/) and the date people took their roles.

ACCME Standard 3: owners, employees and executives of ineligible companies may not control accredited content
unless one of three narrow exceptions applies and is recorded; a disclosure covers the 24 months before the
person took the role, so it must be dated within them. The role date is the module's ``planning_started`` when
given, else its release date (docs/authoring.md, "Companies and disclosures").
"""

from __future__ import annotations

import datetime as dt
import re

from patientvoice.compliance.disclosure import _months_before, people_in_control
from patientvoice.rules import E, Rule, register

register(
    Rule("disclosure.unknown-company", E, "A disclosed relationship names a company that is not in content/companies",
         "Whether a relationship matters depends on whether the company is ineligible (ACCME's definition: its "
         "primary business is producing, marketing, selling or distributing healthcare products used by or on "
         "patients). The provider decides that once per company, not per disclosure.",
         "Add content/companies/<id>.yml with 'name', 'ineligible: true|false' and, when ineligible, 'basis' "
         "(why); or refer to an existing company by its id or exact name."),
    Rule("disclosure.ineligible-owner", E, "An owner, employee or executive of an ineligible company controls content",
         "Standard 3 excludes owners and employees of ineligible companies from controlling accredited content, "
         "except when the content is unrelated to the company's business, is limited to basic science, or the "
         "person is a technician teaching the safe use of a device.",
         "Replace the person in this role, or record the exception that applies: 'exception: {kind: "
         "unrelated-content | basic-science | device-technician, reason: ...}'. When the relationship is not "
         "ownership or employment (e.g. stock in a publicly traded company), set its 'type' (e.g. other)."),
    Rule("disclosure.window", E, "A disclosure is not dated within the 24 months before the role began",
         "A disclosure covers the 24 months before it is given and must be collected before the person takes "
         "up the role, so relevant relationships can be mitigated in time.",
         "Collect the disclosure before the role date (the module's 'planning_started', or its release) and "
         "no more than 24 months before it; update 'disclosure.signed'."),
)

CONTROLLING_TYPES = frozenset({"owner", "employee", "executive"})
# Natures that read like ownership or employment when no 'type' says otherwise.
_OBVIOUS = re.compile(r"\b(employ(?:ee|ed|ment)|owner(?:ship)?|stocks?|shares?|shareholder|stockholder|"
                      r"executive|officer)\b", re.I)


def role_date(module) -> dt.date | None:
    """When people took their roles in ``module``: ``planning_started`` if given, else ``activity.release``."""
    if isinstance(module.planning_started, dt.date):
        return module.planning_started
    release = module.activity.get("release")
    return release if isinstance(release, dt.date) else None


def check(course, problems, today) -> None:
    """Record unknown companies, owners/employees of ineligible companies in control, and out-of-window dates."""
    for person in course.people.values():
        for i, rel in enumerate(person.relationships or []):
            if rel.company and course.company(rel.company) is None:
                problems.add(person.path, person.line("disclosure", "relationships", i, "company"),
                             "disclosure.unknown-company",
                             f"relationship with '{rel.company}': no such company in content/companies; add "
                             "content/companies/<id>.yml saying whether it is ineligible (or use its id or exact name)")
    reported: set[tuple[str, int]] = set()
    for m in course.modules.values():
        start = role_date(m)
        for pid, role in people_in_control(course, m):
            person = course.people.get(pid)
            if person is None or person.relationships is None:
                continue  # ref.person or disclosure.missing reports it
            if start and isinstance(person.signed, dt.date) and not _months_before(start, 24) <= person.signed <= start:
                when = "after" if person.signed > start else "more than 24 months before"
                basis = "planning_started" if isinstance(m.planning_started, dt.date) else "release"
                problems.add(person.path, person.line("disclosure", "signed"), "disclosure.window",
                             f"disclosure signed {person.signed} is {when} {pid}'s role as {role} of '{m.id}' began "
                             f"({basis} {start}); collect it before the role and within the 24 months before it")
            for i, rel in enumerate(person.relationships):
                if (pid, i) not in reported and _ineligible_owner(course, person, i, rel, pid, role, m, problems):
                    reported.add((pid, i))


def _ineligible_owner(course, person, i, rel, pid, role, module, problems) -> bool:
    company = course.company(rel.company)
    if company is None or not company.ineligible or rel.exception:
        return False
    line = person.line("disclosure", "relationships", i)
    if rel.type in CONTROLLING_TYPES:
        problems.add(person.path, line, "disclosure.ineligible-owner",
                     f"'{pid}' is {rel.type} of {company.name}, an ineligible company, and {role} of "
                     f"'{module.id}'; replace them, or record the ACCME exception that applies ('exception: "
                     "{kind, reason}')")
        return True
    if rel.type is None and (m := _OBVIOUS.search(rel.nature)):
        problems.add(person.path, line, "disclosure.ineligible-owner",
                     f"'{pid}' ({role} of '{module.id}') discloses '{rel.nature}' with {company.name}, an "
                     f"ineligible company: '{m.group(0)}' reads like ownership or employment; set 'type' (owner, "
                     "employee or executive, with an 'exception' if one applies; or e.g. other for stock in a "
                     "publicly traded company)")
        return True
    return False
