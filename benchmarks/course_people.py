"""Who is behind a synthetic course: the provider, people with their disclosures, committees and PAGs.

Part of the synthetic-course generator (benchmarks/generate_course.py).
"""

from __future__ import annotations

import datetime as dt
import math

from course_draft import Draft, to_id
from course_vocabulary import COMPANIES, FIRST, INSTITUTIONS, LAST, NATURES

# The relationship type of each nature (issue 13): individual stock in a publicly traded company is disclosed,
# but is not ownership in ACCME's sense.
NATURE_TYPES = {"Advisory board": "advisor", "Speakers bureau": "speaker", "Consulting fee": "consultant",
                "Research grant to institution": "researcher", "Ownership interest (individual stock)": "other"}


def write_person(draft: Draft, role: str, affiliation: str, credentials: str | None = None, title: bool = False,
                 relationships: list | None = None) -> str:
    """Queue content/people/<id>.yml and return the id."""
    rng = draft.rng
    while True:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        if f"{first} {last}" not in draft.used_names:
            break
    draft.used_names.add(f"{first} {last}")
    pid = to_id(f"{first}-{last}")
    # Signed 150-300 days ago: within 12 months before every release (releases are 14-120 days ago).
    signed = draft.date_between(-300, -150)
    lines = [f"name: {'Dr ' if title else ''}{first} {last}"]
    if credentials:
        lines.append(f"credentials: {credentials}")
    lines += [f"role: {role}", f"affiliation: {affiliation}", "disclosure:", f"  signed: {signed.isoformat()}"]
    if not relationships:
        lines.append("  relationships: []")
    else:
        lines.append("  relationships:")
        for company, nature, relevant in relationships:
            lines += [f"    - company: {company}", f"      nature: {nature}", f"      type: {NATURE_TYPES[nature]}",
                      f"      relevant: {str(relevant).lower()}"]
            if relevant:  # mitigated soon after signing, so before any module's release
                mit = signed + dt.timedelta(days=rng.randint(5, 25))
                lines += ["      mitigation:", "        action: >-",
                          "          Recused from decisions on treatment content; sections peer reviewed by an",
                          "          independent clinician and a patient partner with no relevant relationships",
                          f"        date: {mit.isoformat()}"]
    draft.write(f"content/people/{pid}.yml", "\n".join(lines) + "\n")
    return pid


def write_people_and_committees(draft: Draft, modules_per_cond: list[int]) -> None:
    """Everyone in control of content, and one steering committee and one PAG per condition."""
    rng = draft.rng
    draft.staff = [write_person(draft, "staff", "Synthetic Medical Education", "MEd, CHCP")
                   for _ in range(max(1, min(3, len(draft.conds))))]
    for i, c in enumerate(draft.conds):
        clinicians = []
        for k in range(min(8, 2 + math.ceil(modules_per_cond[i] / 6))):
            rels = []
            if k == 0 or rng.random() < 0.3:  # each committee chair has a relevant, mitigated relationship
                rels.append((rng.choice(COMPANIES[:-1]), rng.choice(NATURES[:4]), True))
            if rng.random() < 0.3:
                rels.append((COMPANIES[-1], NATURES[-1], False))
            aff = f"{c['place'].capitalize()}, {rng.choice(INSTITUTIONS)}"
            credentials = rng.choice(["MD", "MD, PhD", "MD, MSc", "MBBS, FRCP"])
            clinicians.append(write_person(draft, "clinician", aff, credentials, True, rels))
        c["clinicians"] = clinicians
        c["partner"] = write_person(draft, "patient-partner", "Independent patient partner")
        c["carer"] = write_person(draft, "caregiver-partner", "Independent caregiver partner")
        c["pag_rep"] = write_person(draft, "pag-representative", c["pag"], rng.choice([None, "MPH", "BSc"]))
        c["planner"] = draft.staff[i % len(draft.staff)]
        members = [(clinicians[0], "chair")] + [(p, "clinician") for p in clinicians[1:3]] + [
            (c["planner"], "planner"), (c["partner"], "patient-partner"), (c["carer"], "caregiver-partner"),
            (c["pag_rep"], "pag-representative")]
        draft.write(f"content/committees/{c['committee']}.yml",
                    f"name: {c['name']} education steering committee\nmembers:\n"
                    + "".join(f"  - person: {p}\n    role: {r}\n" for p, r in members))
        draft.write(f"content/pags/{c['pag_id']}.yml",
                    f"name: {c['pag']}\nurl: https://{c['pag_id']}.example.org\nconditions: [{c['name']}]\n"
                    "relationship: Co-planner; received no funding for this activity\n")


def write_provider(draft: Draft) -> None:
    """Queue content/provider.yml, the accredited provider's statements, and the company registry."""
    for company in COMPANIES:
        draft.write(f"content/companies/{to_id(company)}.yml",
                    f"name: {company}\nineligible: true\nbasis: Makes and sells healthcare products used on patients\n")
    draft.write("content/provider.yml", """\
name: Synthetic Medical Education
accreditation_statement: >-
  Synthetic Medical Education is accredited by the Accreditation Council for Continuing Medical
  Education (ACCME) to provide continuing medical education for physicians.
credit_statement: >-
  Synthetic Medical Education designates this enduring material for a maximum of {credits}
  AMA PRA Category 1 Credit(s)™. Physicians should claim only the credit commensurate with the extent of
  their participation in the activity.
contact: cme@example.org
privacy_policy: https://example.org/privacy
address: |-
  1 Synthetic Street
  Exampleton EX1 1AA
""")
