"""What the audit file says about one module, gathered from the loaded course as plain dicts for the template.

Each section answers a question an ACCME reviewer asks of an activity file: the gap and where it came from,
what was taught and how each objective was measured, who controlled content and what they disclosed (dates,
relevance decision, mitigation, exceptions), who supported it and under which agreement, who approved what
(the fingerprint), which consent covers each story, and, given the collector's responses, what happened.
Commercial-support entries are read with ``.get`` only: their fields grow with the content format.
"""

from __future__ import annotations

import datetime as dt

from patientvoice.compliance.disclosure import people_in_control
from patientvoice.compliance.needs import gap_sources
from patientvoice.compliance.relationships import role_date
from patientvoice.compliance.review import status
from patientvoice.outcomes.scoring import KNOWLEDGE_KINDS
from patientvoice.compliance.statements import (accreditation_statement, credit_lines, designation_statements,
                                                 is_joint, joint_provider_names)
from patientvoice.compliance.support import acknowledgement

PHASE_NAMES = {"pre": "pre-test", "post": "post-test", "follow-up": "follow-up"}


def audit_data(course, module, outcomes: dict | None = None, source: str = "") -> dict:
    """Every section of the audit file for ``module``; ``outcomes`` is its entry of outcomes.analysis.outcomes."""
    committee = course.committees.get(module.committee or "")
    return {
        "module": module, "provider": course.provider, "activity": module.activity,
        "committee": committee.name if committee else module.committee,
        "gap": module.gap or {}, "gap_sources": gap_sources(course, module, ids=True), "off_label": module.off_label or [],
        "objectives": objectives(module), "disclosures": disclosures(course, module),
        "support": support(course, module), "approvals": approvals(course, module),
        "stories": stories(course, module), "datasets": datasets(course, module),
        "outcomes": outcomes, "source": source,
        # The statements learners saw, from the one generator the site, handout and certificate use.
        "providership": "Joint" if is_joint(module) else "Direct",
        "joint_providers": joint_provider_names(course, module) if is_joint(module) else [],
        "accreditation": accreditation_statement(course, module),
        "designations": [text for _, text in designation_statements(course, module)],
        "credit_lines": credit_lines(module), "acknowledgement": acknowledgement(course, module),
    }


def objectives(module) -> list[dict]:
    """Each objective with the questionnaire items that measure it, by phase."""
    items = module.questionnaire.items if module.questionnaire else []
    out = []
    for o in module.objectives:
        mine = [i for i in items if i.objective == o.id]
        phases = {p: [i.id for i in mine if p in i.phases] for p in PHASE_NAMES}
        out.append({"id": o.id, "text": o.text, "level": o.level,
                    "items": [{"id": i.id, "kind": i.kind, "scored": i.kind in KNOWLEDGE_KINDS, "phases": i.phases,
                               "stem": i.stem} for i in mine],
                    "phases": {PHASE_NAMES[p]: ids for p, ids in phases.items() if ids}})
    return out


def disclosures(course, module) -> list[dict]:
    """Everyone in control of content, with their disclosure, its window and every relationship."""
    start = role_date(module)
    rows = []
    for pid, role in people_in_control(course, module):
        person = course.people.get(pid)
        if person is None:
            continue
        rels = []
        for r in person.relationships or []:
            company = course.company(r.company)
            rels.append({"company": company.name if company else r.company, "nature": r.nature, "type": r.type,
                         "ineligible": None if company is None else company.ineligible,
                         "basis": company.basis if company else "", "relevant": r.relevant,
                         "mitigation": r.mitigation_action, "mitigated_on": r.mitigation_date,
                         "exception": r.exception})
        rows.append({"name": person.display_name, "id": pid, "role": role, "signed": person.signed,
                     "role_date": start, "on_file": person.relationships is not None, "relationships": rels})
    return rows


def support(course, module) -> list[dict]:
    """The commercial-support entries as recorded, with the company resolved in the registry when it can be."""
    out = []
    for entry in module.commercial_support:
        company = course.company(entry.get("company"))
        agreement = entry.get("agreement") if isinstance(entry.get("agreement"), dict) else {}
        out.append({"company": company.name if company else entry.get("company"),
                    "ineligible": None if company is None else company.ineligible,
                    "kind": entry.get("kind"), "amount": entry.get("amount"), "currency": entry.get("currency"),
                    "description": entry.get("description"), "reference": agreement.get("reference"),
                    "signed": agreement.get("signed"),
                    "other": {k: v for k, v in entry.items()
                              if k not in ("company", "kind", "amount", "currency", "description", "agreement")}})
    return out


def approvals(course, module) -> dict:
    """The committee's decisions (newest last) and whether the latest still matches the content."""
    names = lambda ids: [course.people[i].display_name if i in course.people else i for i in ids]  # noqa: E731
    state = status(course, module)
    return {"state": state.state, "changed": state.changed,
            "decisions": [{"date": a.date, "decision": a.decision, "by": names(a.by), "fingerprint": a.fingerprint,
                           "files": a.files or {}} for a in module.approvals]}


def stories(course, module) -> list[dict]:
    """Each story the module embeds (once), with the consent that covers it."""
    out = []
    for sid in dict.fromkeys(b.target[0] for b in module.story_refs()):  # once each, in order of first embed
        story = course.stories.get(sid)
        if story is None:
            continue
        out.append({"id": sid, "title": story.title, "pseudonym": story.pseudonym, "narrator": story.narrator,
                    "status": story.consent_status, "reference": story.consent_reference,
                    "date": story.consent_date, "expires": story.consent_expires, "channels": story.channels,
                    "final_text_approved": story.final_text_approved, "composite": story.composite,
                    "given_by": story.consent_given_by, "representative": story.representative or None,
                    "source": story.source_kind, "collected": story.collected,
                    "pag": course.pags[story.source_pag].name if story.source_pag in course.pags else story.source_pag})
    return out


def datasets(course, module) -> list[dict]:
    """Each PAG data set the module embeds (once), with who ran it and who paid."""
    out = []
    for did in dict.fromkeys(b.target[0] for b in module.data_refs()):
        ds = course.datasets.get(did)
        if ds is None:
            continue
        out.append({"id": did, "title": ds.title, "conducted_by": ds.conducted_by, "funding": ds.funding,
                    "respondents": ds.respondents, "fielded": (ds.fielded_from, ds.fielded_to)})
    return out


def iso(value) -> str:
    """A date as YYYY-MM-DD, anything else as text ('' for None)."""
    return value.isoformat() if isinstance(value, dt.date) else ("" if value is None else str(value))
