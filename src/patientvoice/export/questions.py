"""``patientvoice export questions``: a module's questionnaire as a question bank for an LMS.

The bank is built once, here, from the checked course model; each format module (qti, gift, moodle) only
writes it out. One category per phase (Pre-test, Post-test, Follow-up); single and multiple choice carry the
key and per-option feedback when the item is scored, likert items become survey items, text and commitment
items become essays. Stems and options are written as plain text (the site shows them as plain text too), each
format escaping it its own way, so nothing an author types can become markup in the LMS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import click

from patientvoice.cli import ROOT_OPTION
from patientvoice.course.model import Item, Module

FORMATS = ("qti21", "qti30", "gift", "moodle-xml")
PHASE_TITLES = {"pre": "Pre-test", "post": "Post-test", "follow-up": "Follow-up"}
NOT_BEST = "Not the best answer."
NOT_ONE = "Not one of the answers."
ONE_OF = "One of the answers."
SURVEY_NOTE = "Survey item: every answer is accepted and none is scored."


@dataclass
class BankItem:
    """One question as every format sees it: plain-text stem and options, the key (empty when unscored)."""

    id: str
    kind: str  # single | multiple | essay  (likert and unscored choice items: single/multiple without a key)
    stem: str
    options: list[str] = field(default_factory=list)
    key: list[int] = field(default_factory=list)
    rationale: str = ""
    survey: bool = False  # a likert or unscored item: no key, no score
    likert: bool = False

    @property
    def scored(self) -> bool:
        """True when the item has a key; unscored items never count in a score."""
        return bool(self.key)

    def option_feedback(self, index: int) -> str:
        """Feedback on choosing option ``index``: the rationale on the key, a short verdict plus it elsewhere."""
        if not self.scored:
            return ""
        if self.kind == "multiple":  # the rationale goes once into the general feedback, not onto every option
            return ONE_OF if index in self.key else NOT_ONE
        if index in self.key:
            return self.rationale or "Correct."
        return f"{NOT_BEST} {self.rationale}".strip()

    @property
    def general_feedback(self) -> str:
        """Feedback shown whatever was chosen: the rationale of a multiple-answer item, or the survey note."""
        if self.survey:
            return SURVEY_NOTE
        return self.rationale if self.kind == "multiple" else ""


@dataclass
class Category:
    """The items of one phase, in questionnaire order."""

    phase: str
    title: str
    items: list[BankItem]


@dataclass
class Bank:
    """A module's question bank: what every format writes."""

    module: str
    title: str
    activity_id: str
    categories: list[Category]

    def items(self) -> dict[str, BankItem]:
        """Every distinct item by id (an item asked in several phases is one item in several categories)."""
        return {i.id: i for c in self.categories for i in c.items}


def phase_title(phase: str) -> str:
    """'Pre-test', 'Post-test', 'Follow-up', and 'Follow-up 2' for later follow-up waves."""
    if phase in PHASE_TITLES:
        return PHASE_TITLES[phase]
    wave = re.fullmatch(r"follow-up-(\d+)", phase)
    return f"Follow-up {wave.group(1)}" if wave else phase


def _phase_order(phase: str) -> tuple:
    wave = re.fullmatch(r"follow-up-(\d+)", phase)
    return (2, int(wave.group(1)), phase) if wave else ({"pre": 0, "post": 1, "follow-up": 2}.get(phase, 3), 1, phase)


def _text(value) -> str:
    # Whitespace runs (newlines included) read as one space, as they do on the site's pages.
    return re.sub(r"\s+", " ", str(value or "")).strip()


def bank_item(item: Item) -> BankItem:
    """The bank's view of one questionnaire item."""
    stem = _text(item.stem)
    if item.kind in ("text", "commitment"):
        return BankItem(item.id, "essay", stem)
    if item.kind == "likert":
        return BankItem(item.id, "single", stem, [_text(s) for s in item.scale], survey=True, likert=True)
    scored = getattr(item, "scored", item.answer is not None) and item.answer is not None
    key = ([] if not scored else sorted(set(item.answer)) if isinstance(item.answer, list) else [item.answer])
    return BankItem(item.id, "multiple" if item.kind == "multiple" else "single", stem,
                    [_text(o) for o in item.options], key, _text(item.rationale) if scored else "",
                    survey=not scored)


def build_bank(module: Module) -> Bank:
    """The question bank of ``module``: one category per phase, in the order learners meet them."""
    items = module.questionnaire.items if module.questionnaire else []
    phases = sorted({p for i in items for p in i.phases}, key=_phase_order)
    categories = [Category(p, phase_title(p), [bank_item(i) for i in items if p in i.phases]) for p in phases]
    return Bank(module.id, _text(module.title) or module.id, str(module.activity.get("id") or module.id),
                categories)


def checked_module(root: Path, module_id: str, today=None) -> Module:
    """The module from a course whose checks pass; a ClickException naming the problems otherwise.

    An export leaves the provider's hands, so it needs the same clean check as a build: an unapproved or
    changed-since-approval module cannot be exported.
    """
    from patientvoice.check import check_course
    from patientvoice.cli_build import _echo_problems

    course, problems = check_course(root, today)
    if module_id not in course.modules:
        known = ", ".join(sorted(course.modules)) or "(none)"
        raise click.BadParameter(f"no module {module_id!r}; modules: {known}", param_hint="MODULE")
    if problems.errors:
        _echo_problems(problems.errors)
        raise click.ClickException(f"{len(problems.errors)} problem(s) stop the export; nothing was written")
    return course.modules[module_id]


def render(bank: Bank, fmt: str) -> bytes:
    """The bank in format ``fmt`` as the bytes of the file to write (a zip for QTI)."""
    if fmt in ("qti21", "qti30"):
        from patientvoice.export.qti import qti_package
        return qti_package(bank, "2.1" if fmt == "qti21" else "3.0")
    if fmt == "gift":
        from patientvoice.export.gift import gift_text
        return gift_text(bank).encode("utf-8")
    if fmt == "moodle-xml":
        from patientvoice.export.moodle import moodle_xml
        return moodle_xml(bank)
    raise ValueError(f"unknown format {fmt!r}")


@click.command()
@click.argument("module")
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True,
              help="qti21/qti30: an IMS content package (zip); gift: Moodle's text format; moodle-xml: Moodle XML.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The file to write.")
@ROOT_OPTION
def questions(module, fmt, out, root):
    """Write MODULE's questionnaire as a question bank for an LMS (QTI 2.1/3.0, GIFT, Moodle XML).

    The course is checked first, as for a build: nothing is written if any check fails. One category per
    phase (Pre-test, Post-test, Follow-up). See docs/lms.md for what each LMS imports.
    """
    from patientvoice.export.gift import WeightError

    bank = build_bank(checked_module(root.resolve(), module))
    try:
        data = render(bank, fmt)
    except WeightError as exc:
        raise click.ClickException(f"{exc}; nothing was written")
    from patientvoice.export.output import OutputError, write_whole

    try:
        write_whole(out, data)  # a reader never sees half a file
    except OutputError as exc:
        raise click.ClickException(str(exc))
    count = len(bank.items())
    click.echo(f"✓ {count} question{'s' * (count != 1)} in {len(bank.categories)} "
               f"categor{'ies' if len(bank.categories) != 1 else 'y'} → {out}")
