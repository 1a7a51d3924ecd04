"""A minimal valid course for tests, and assertions on the problems a check reports.

Tests build broken input inline: start from ``make_course`` (which is clean: zero problems), overwrite or
edit one file with a small YAML/Markdown string, run ``kit.check()`` and assert with ``expect``/``refute``.
``expect`` and ``refute`` calls are also what tests/test_rule_coverage.py reads to prove every rule is tested.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

from patientvoice.review.approve import approve
from patientvoice.check import check_course
from patientvoice.course.loader import load_course
from patientvoice.problems import Problem

TODAY = dt.date(2026, 6, 1)  # the date every check in the tests runs at, unless a test says otherwise
APPROVED_ON = dt.date(2026, 1, 10)
MODULE = "hearing-the-itch"
MODULE_MD = f"modules/{MODULE}/index.md"
QUESTIONNAIRE = f"modules/{MODULE}/questionnaire.yml"
STORY = "content/stories/maria-itch.md"
DATASET = "content/data/pbc-symptoms-2024.yml"
COMMITTEE = "content/committees/pbc-steering.yml"
CLINICIAN = "content/people/anna-lee.yml"
PARTNER = "content/people/tom-okafor.yml"
PAG = "content/pags/pbc-patients.yml"
PROVIDER = "content/provider.yml"
COMPANY = "content/companies/acme-pharma.yml"

_BASE = {
    PROVIDER: """\
        name: Example Medical Education Ltd
        statements_approved: true  # the short accreditation wording below is used as written (issue 13)
        accreditation_statement: >-
          Example Medical Education Ltd is accredited by the ACCME to provide continuing medical education
          for physicians.
        contact: cme@example.org
        privacy_policy: https://example.org/privacy
        address: 1 Example Street, Exampleton
        """,
    COMPANY: """\
        name: Acme Pharma
        ineligible: true
        basis: Develops and markets prescription medicines
        domains: [acme-pharma.example]
        """,
    CLINICIAN: """\
        name: Dr Anna Lee
        credentials: MD, FRCP
        role: clinician
        affiliation: Royal Example Hospital
        disclosure:
          signed: 2025-11-01
          relationships: []
        """,
    PARTNER: """\
        name: Tom Okafor
        role: patient-partner
        disclosure:
          signed: 2025-11-02
          relationships: []
        """,
    COMMITTEE: """\
        name: PBC education steering committee
        members:
          - person: anna-lee
            role: chair
          - person: tom-okafor
            role: patient-partner
        """,
    PAG: """\
        name: Example PBC Patient Association
        url: https://pbc.example.org
        conditions: [Primary biliary cholangitis]
        relationship: Co-planner; received no funding for this activity
        """,
    STORY: """\
        ---
        title: Nights awake with the itch
        narrator: patient
        pseudonym: Maria
        age_band: 50-59
        condition: Primary biliary cholangitis
        segments: [treatment-experienced, symptom-burden]
        source:
          kind: interview
          pag: pbc-patients
          collected: 2025-03
        consent:
          status: granted
          reference: PBC-CF-2025-014
          date: 2025-03-12
          channels: [web, print]
          expires: 2030-03-12
          final_text_approved: true
        composite: false
        ---

        The itch starts at bedtime, as if it has been waiting for the house to go quiet.

        ## Sleep

        Most nights I end up downstairs on the sofa so that I do not wake my husband.

        > It is like your bones are itching, and there is nothing to do but wait for morning.

        ## Work

        After a bad night I read the same message four times and still cannot take it in.
        """,
    DATASET: """\
        title: Living with PBC — symptom survey 2024
        pag: pbc-patients
        conducted_by: Example PBC Patient Association
        funding: No industry funding
        fielded: {from: 2024-02-01, to: 2024-04-30}
        method: Online self-report survey of members
        population: Adults living with PBC
        sampling: Open invitation to the members' mailing list
        respondents: 1243
        questions:
          - id: fatigue-limits
            text: How often does fatigue limit your daily activities?
            kind: single
            answered: 1243
            results:
              Never: 62
              Sometimes: 410
              Often: 498
              Always: 273
        """,
    "modules/index.md": """\
        # PBC course

        Start with a module below.
        """,
    MODULE_MD: """\
        ---
        title: Hearing the itch
        activity:
          id: PV-2026-PBC-01
          format: enduring
          release: 2026-01-15
          expires: 2028-01-14
          minutes: 45
          credits: 0.75
          audience: [Hepatologists, Primary care physicians]
          pass_mark: 0.7
        objectives:
          - id: recognise-burden
            text: Recognise how cholestatic itch disrupts sleep, work and family life
            level: competence
        faculty: [anna-lee]
        planners: [tom-okafor]
        commercial_support: []
        off_label: []
        gap:
          statement: Clinicians seldom ask people with PBC about itch, so it goes untreated for years.
          sources:
            - kind: patient-interviews
              ref: maria-itch
        review:
          committee: pbc-steering
          approvals: []
        ---

        Cholestatic itch is often worst at night.

        /// story | maria-itch
        ///

        /// story | maria-itch#sleep
        ///

        /// pag-data | pbc-symptoms-2024#fatigue-limits
            show: chart
        ///

        ## References

        1. European Association for the Study of the Liver. EASL Clinical Practice Guidelines: primary biliary
           cholangitis. J Hepatol. 2017;67:145-172.
        """,
    QUESTIONNAIRE: """\
        follow_up_after_days: 60
        items:
          - id: itch-impact
            phases: [pre, post, follow-up]
            objective: recognise-burden
            kind: single
            stem: A woman with PBC says she has not slept a full night in months. What do you ask next?
            options:
              - Whether the itch is worse at night and how it affects her work and family
              - Whether she has tried antihistamines
            answer: 0
            rationale: Patients describe night-time itch as the most disabling symptom.
          - id: confidence-itch
            phases: [pre, post, follow-up]
            objective: recognise-burden
            kind: likert
            stem: How confident are you in assessing the impact of itch on daily life?
            scale: [Not at all, Slightly, Moderately, Very, Extremely]
        """,
}


def _text(text: str) -> str:
    # Tests write indented triple-quoted strings; the file gets them flush left.
    return textwrap.dedent(text.removeprefix("\n"))


BASE: dict[str, str] = {rel: _text(text) for rel, text in _BASE.items()}  # path -> file text, flush left


class CourseKit:
    """A course directory under a test's tmp_path, with helpers to change and check it."""

    def __init__(self, root: Path):
        self.root = root

    def path(self, rel: str) -> Path:
        """Absolute path of a course-relative path."""
        return self.root / rel

    def read(self, rel: str) -> str:
        """The current text of a course file."""
        return self.path(rel).read_text(encoding="utf-8")

    def write(self, rel: str, text: str | bytes) -> Path:
        """Write a file (text is dedented; bytes are written as they are), creating folders."""
        p = self.path(rel)
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            p.write_bytes(text)
        else:
            p.write_text(_text(text), encoding="utf-8")
        return p

    def edit(self, rel: str, old: str, new: str) -> None:
        """Replace the one occurrence of ``old`` in a file with ``new``."""
        text = self.read(rel)
        assert text.count(old) == 1, f"{rel}: expected exactly one {old!r} to edit, found {text.count(old)}"
        self.path(rel).write_text(text.replace(old, new), encoding="utf-8")

    def remove(self, rel: str) -> None:
        """Delete a file."""
        self.path(rel).unlink()

    def line(self, rel: str, needle: str) -> int:
        """1-based number of the one line containing ``needle`` (end it with a newline to match a line end)."""
        hits = [n for n, text in enumerate(self.read(rel).splitlines(keepends=True), 1) if needle in text]
        assert len(hits) == 1, f"{rel}: expected one line containing {needle!r}, found lines {hits}"
        return hits[0]

    def check(self, today: dt.date = TODAY):
        """Run every check on the course; return its problems."""
        return check_course(self.root, today)[1]

    def approve(self, module: str = MODULE, by=("anna-lee", "tom-okafor"), decision: str = "approved",
                date: dt.date = APPROVED_ON) -> str:
        """Record a committee decision with the real `review approve` code; return the fingerprint."""
        course, _ = load_course(self.root)
        return approve(course, module, list(by), decision, date)


def make_course(root: Path, files: dict[str, str | bytes | None] | None = None, approved: bool = True) -> CourseKit:
    """Write the minimal valid course to ``root``; ``files`` overrides (None deletes); approve it if asked."""
    kit = CourseKit(root)
    for rel, text in {**BASE, **(files or {})}.items():
        if text is not None:
            kit.write(rel, text)
    if approved:
        kit.approve()
    return kit


def dump(problems) -> str:
    """All problems, one per line, for assertion messages."""
    return "\n".join(p.format() for p in problems) or "(no problems)"


def expect(problems, rule: str, path: str, line: int) -> Problem:
    """Assert a problem of ``rule`` is reported at ``path:line``; return it."""
    hits = [p for p in problems if p.rule == rule and p.path == path and p.line == line]
    assert hits, f"expected [{rule}] at {path}:{line}; got:\n{dump(problems)}"
    return hits[0]


def refute(problems, rule: str, path: str | None = None) -> None:
    """Assert no problem of ``rule`` is reported (at ``path``, when given)."""
    hits = [p for p in problems if p.rule == rule and (path is None or p.path == path)]
    assert not hits, f"did not expect [{rule}]" + (f" at {path}" if path else "") + f":\n{dump(hits)}"


def assert_clean(problems) -> None:
    """Assert the check found nothing at all."""
    assert not list(problems), f"expected no problems; got:\n{dump(problems)}"
