"""Typed course objects. Each keeps its file and raw YAML so problems can point at a line."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from patientvoice.course.sources import YMap, line_of
from patientvoice.course.waves import is_follow_up, wave_phase


@dataclass
class Record:
    """Anything loaded from a file: its id, path and the raw mapping it came from."""

    id: str
    path: Path
    src: YMap = field(repr=False, default_factory=YMap)

    def line(self, *keys) -> int:
        """Line of a nested key, e.g. ``line('consent', 'channels')``; falls back to the nearest parent."""
        node, line = self.src, getattr(self.src, "line", 1)
        for key in keys:
            if not isinstance(node, (dict, list)):
                break
            line = line_of(node, key, line)
            try:
                node = node[key]
            except (KeyError, IndexError, TypeError):
                break
        return line


@dataclass
class Provider(Record):
    name: str = ""
    accreditation_statement: str = ""
    credit_statement: str = ""
    contact: str = ""
    privacy_policy: str = ""
    accreditation_body: str = "ACCME"  # issue 13: ACCME | Joint Accreditation
    statements_approved: bool = False  # true: the two free-text statements are the provider's approved wording
    address: str = ""  # postal address for paper packs (optional extension)
    return_to: str = ""  # how to return a paper pack (optional extension)


@dataclass
class Relationship:
    company: str
    nature: str
    relevant: bool
    mitigation_action: str | None = None
    mitigation_date: dt.date | None = None
    type: str | None = None  # extension [13b]: employee | owner | executive | ... (formats.RELATIONSHIP_TYPES)
    exception: dict | None = None  # extension [13b]: {kind, reason}, ACCME's exceptions for owners and employees


@dataclass
class Company(Record):
    """An entry of content/companies/ (extension [13b]): whether ACCME counts it as an ineligible company."""

    name: str = ""
    ineligible: bool = False
    basis: str = ""
    domains: list[str] = field(default_factory=list)


@dataclass
class Person(Record):
    name: str = ""
    credentials: str | None = None
    role: str = ""
    affiliation: str | None = None
    signed: dt.date | None = None
    relationships: list[Relationship] | None = None  # None: no disclosure on file

    @property
    def display_name(self) -> str:
        """Name with credentials, as learners see it."""
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


@dataclass
class Member:
    person: str
    role: str


@dataclass
class Committee(Record):
    name: str = ""
    members: list[Member] = field(default_factory=list)


@dataclass
class Pag(Record):
    name: str = ""
    url: str | None = None
    conditions: list[str] = field(default_factory=list)
    relationship: str = ""


@dataclass
class Section:
    slug: str
    title: str
    line: int
    markdown: str


@dataclass
class Waiver:
    rule: str
    match: str
    reason: str
    line: int


@dataclass
class Story(Record):
    title: str = ""
    narrator: str = ""
    pseudonym: str = ""
    age_band: str | None = None
    condition: str = ""
    segments: list[str] = field(default_factory=list)
    source_kind: str = ""
    source_pag: str | None = None
    collected: str = ""
    consent_status: str = ""
    consent_reference: str = ""
    consent_date: dt.date | None = None
    channels: list[str] = field(default_factory=list)
    consent_expires: dt.date | None = None
    final_text_approved: bool = False
    composite: bool = False
    body: str = ""
    body_line: int = 1
    sections: dict[str, Section] = field(default_factory=dict)
    waivers: list[Waiver] = field(default_factory=list)
    # Issue 13 [13c]: who consented (self or a representative, and the representative's relationship and
    # consent record), whom the story is about when they could not consent, and consent for images.
    consent_given_by: str = "self"
    representative: dict = field(default_factory=dict)
    consent_subject: str | None = None
    images_consent: str | None = None


@dataclass
class Question:
    id: str
    text: str
    kind: str
    answered: int
    results: dict[str, int]
    line: int


@dataclass
class DataSet(Record):
    title: str = ""
    pag: str = ""
    conducted_by: str = ""
    funding: str = ""
    fielded_from: dt.date | None = None
    fielded_to: dt.date | None = None
    method: str = ""
    population: str = ""
    sampling: str = ""
    respondents: int = 0
    questions: dict[str, Question] = field(default_factory=dict)


@dataclass
class Objective:
    id: str
    text: str
    level: str
    line: int


@dataclass
class Approval:
    date: dt.date | None
    decision: str
    by: list[str]
    fingerprint: str
    line: int
    files: dict | None = None  # extension: per-file digests recorded at approval


@dataclass
class Block:
    """A ``///`` block in a module body, with its file line and nesting."""

    name: str
    arg: str
    options: dict
    line: int
    end_line: int
    inside: tuple[str, ...] = ()  # names of enclosing blocks, outermost first

    @property
    def target(self) -> tuple[str, str | None]:
        """Split ``id#fragment`` into (id, fragment)."""
        ident, _, frag = self.arg.partition("#")
        return ident.strip(), (frag.strip() or None)


@dataclass
class Item:
    id: str
    phases: list[str]
    objective: str | None
    kind: str
    stem: str
    options: list[str]
    answer: int | list[int] | None
    rationale: str | None
    scale: list[str]
    line: int

    @property
    def scored(self) -> bool:
        """True for a knowledge item scored against its key; a single/multiple item without an answer is an
        unscored survey item (issue 13), never counted in a score."""
        return self.kind in ("single", "multiple") and self.answer is not None


@dataclass
class Questionnaire(Record):
    follow_up_after_days: int = 0  # the first wave's days, for readers written before waves
    items: list[Item] = field(default_factory=list)
    follow_up_waves: list[int] = field(default_factory=list)  # days after the post-test, one per wave

    def phase(self, phase: str) -> list[Item]:
        """Items asked in ``phase``, in file order; every follow-up wave asks the ``follow-up`` items."""
        phase = "follow-up" if is_follow_up(phase) else phase
        return [i for i in self.items if phase in i.phases]

    def waves(self) -> list[tuple[str, int]]:
        """(phase, days after the post-test) per follow-up wave: ('follow-up', 90), ('follow-up-2', 180)."""
        return [(wave_phase(n), days) for n, days in enumerate(self.follow_up_waves, 1)]


@dataclass
class CreditOffer:
    """One credit type a module designates (issue 13): its registry id, amount and the type's other keys."""

    type: str
    amount: float | None
    extra: dict = field(default_factory=dict)  # uan, moc_types, ... as written
    line: int = 1
    index: int | None = None  # position in activity.credit_types; None for the default AMA offer


@dataclass
class Module(Record):
    title: str = ""
    activity: dict = field(default_factory=dict)
    objectives: list[Objective] = field(default_factory=list)
    faculty: list[str] = field(default_factory=list)
    planners: list[str] = field(default_factory=list)
    commercial_support: list[dict] = field(default_factory=list)
    committee: str | None = None
    approvals: list[Approval] = field(default_factory=list)
    body: str = ""
    body_line: int = 1
    blocks: list[Block] = field(default_factory=list)
    questionnaire: Questionnaire | None = None
    credit_types: list[CreditOffer] = field(default_factory=list)  # issue 13: activity.credit_types, default applied
    off_label: list[dict] | None = None  # extension [13b]; None: the key is missing (rule activity.off-label)
    gap: dict | None = None  # extension [13b]: {statement, sources: [{kind, ref}]}
    planning_started: dt.date | None = None  # extension [13b]: when people took their roles (disclosure.window)

    def story_refs(self) -> list[Block]:
        """The story blocks this module embeds."""
        return [b for b in self.blocks if b.name == "story"]

    def data_refs(self) -> list[Block]:
        """The pag-data blocks this module embeds."""
        return [b for b in self.blocks if b.name == "pag-data"]


@dataclass
class Course:
    """Everything in a course repository, keyed by id."""

    root: Path
    provider: Provider | None = None
    people: dict[str, Person] = field(default_factory=dict)
    committees: dict[str, Committee] = field(default_factory=dict)
    pags: dict[str, Pag] = field(default_factory=dict)
    stories: dict[str, Story] = field(default_factory=dict)
    datasets: dict[str, DataSet] = field(default_factory=dict)
    modules: dict[str, Module] = field(default_factory=dict)
    home: Path | None = None
    # Every other Markdown page under modules/ (the home page, extra pages) with its text: no module, so no
    # approval covers it, but check still reads it (encoding, size, unsafe HTML, complexity, embeds).
    pages: dict[Path, str] = field(default_factory=dict)
    companies: dict[str, Company] = field(default_factory=dict)  # extension [13b]: content/companies/

    def company(self, ref) -> Company | None:
        """The company with id ``ref``, or else the one whose name is exactly ``ref``."""
        if not isinstance(ref, str):
            return None
        return self.companies.get(ref) or next((c for c in self.companies.values() if c.name == ref), None)
