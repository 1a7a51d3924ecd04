"""Needs, gap, off-label use and evidence: what ACCME Standard 1 and the planning criteria ask a module to state.

``off_label`` is required (``[]`` declares none) so that silence is never read as "none discussed"; ``gap`` says
which professional practice gap the module addresses and where the provider learned of it (patient interviews,
PAG data sets, literature); a module whose body cites no evidence (a References section or footnotes) is an
error, because clinical recommendations must be based on evidence accepted by the profession.
"""

from __future__ import annotations

import re

from patientvoice.rules import E, Rule, register
from patientvoice.security.markup import blank_code

register(
    Rule("activity.off-label", E, "A module does not say whether it discusses off-label uses",
         "Faculty must tell learners when content discusses unlabeled or investigational uses of products, "
         "before they engage; an explicit empty list records that none is discussed.",
         "Add 'off_label:' to the module's front matter: a list of '{use, status: off-label | investigational}', "
         "or 'off_label: []' when the module discusses none."),
    Rule("activity.gap", E, "A module does not state its practice gap and sources",
         "Accredited education addresses a professional practice gap identified from evidence; the audit file "
         "carries the gap and where it came from.",
         "Add 'gap: {statement, sources: [{kind, ref}]}'; a patient-interviews source names a story id, a "
         "pag-data source a data set id, literature and other sources a citation."),
    Rule("evidence.references", E, "A module cites no evidence",
         "Standard 1 requires clinical recommendations to be based on current science and evidence accepted by "
         "the profession; learners and reviewers need to see the sources.",
         "Add a '## References' section (a numbered list of citations) to the module body, or footnotes ([^1])."),
)

_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(references|bibliography|sources|citations|works cited|"
                      r"further reading)\b", re.I)
_ANY_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]")
_FOOTNOTE = re.compile(r"^ {0,3}\[\^[^\]\n]+\]:[ \t]*\S")
_ID_SOURCES = {"patient-interviews": ("stories", "story", "content/stories"),
               "pag-data": ("datasets", "data set", "content/data")}


def has_references(body: str) -> bool:
    """True when ``body`` has a references heading with text under it, or a footnote definition (line by line)."""
    level = 0  # inside a references section of this heading level
    for line in blank_code(body).splitlines() if "`" in body or "~~~" in body else body.splitlines():
        if _FOOTNOTE.match(line):
            return True
        head = _ANY_HEADING.match(line)
        if head:
            ref = _HEADING.match(line)
            level = len(ref.group(1)) if ref else (0 if len(head.group(1)) <= level else level)
        elif level and line.strip():
            return True
    return False


def check(course, problems, today) -> None:
    """Record missing off-label declarations, gaps and references for every module."""
    for m in course.modules.values():
        if "off_label" not in m.src:
            problems.add(m.path, 1, "activity.off-label",
                         f"module '{m.id}' does not declare off-label or investigational uses; add 'off_label: []' "
                         "if it discusses none, or list them as '{use, status}'")
        _gap(course, m, problems)
        if not has_references(m.body):
            problems.add(m.path, m.body_line, "evidence.references",
                         f"module '{m.id}' cites no evidence; add a '## References' section listing the guidelines "
                         "and studies its recommendations rest on")


def _gap(course, m, problems) -> None:
    gap = m.gap
    if gap is None:
        if not isinstance(m.src.get("gap"), (dict, list, str)):  # a wrong type is schema.type's
            problems.add(m.path, m.line("gap") if "gap" in m.src else 1, "activity.gap",
                         f"module '{m.id}' states no practice gap; add 'gap: {{statement, sources}}'")
        return
    if not isinstance(gap.get("statement"), str) or not gap["statement"].strip():
        problems.add(m.path, m.line("gap"), "activity.gap", "gap.statement is missing; say which professional "
                     "practice gap the module addresses (what clinicians do now, and what they should do)")
    sources = gap.get("sources")
    if not isinstance(sources, list) or not sources:
        if not isinstance(sources, (str, dict)):
            problems.add(m.path, m.line("gap"), "activity.gap", "gap.sources is empty; name where the gap was "
                         "found: patient interviews (story ids), PAG data (data set ids) or literature")
        return
    for i, src in enumerate(sources):
        kind = src.get("kind") if isinstance(src, dict) else None  # junk (a list, a mapping) is schema's problem
        if not isinstance(kind, str) or kind not in _ID_SOURCES or not isinstance(src.get("ref"), str):
            continue
        attr, what, folder = _ID_SOURCES[src["kind"]]
        if src["ref"] not in getattr(course, attr):
            problems.add(m.path, m.line("gap", "sources", i, "ref"), "activity.gap",
                         f"gap.sources[{i}]: no {what} '{src['ref']}' in {folder}; a {src['kind']} source names "
                         f"a {what} id (use kind literature or other for a citation)")


SOURCE_LABELS = {"patient-interviews": "Patient interview", "pag-data": "Patient advocacy group data",
                 "literature": "Literature", "other": "Other source"}


def gap_sources(course, module, ids: bool = False) -> list[tuple[str, str]]:
    """(kind label, what it names) for each gap source: a story's or data set's title for an id (and the id when
    ``ids``: the audit file names files, learners read titles), else the citation text."""
    out = []
    for src in (module.gap or {}).get("sources") or []:
        if not isinstance(src, dict):
            continue
        kind, ref = src.get("kind"), src.get("ref") if isinstance(src.get("ref"), str) else ""
        kind = kind if isinstance(kind, str) else ""
        record = course.stories.get(ref) if kind == "patient-interviews" else (
            course.datasets.get(ref) if kind == "pag-data" else None)
        what = (f"{record.title} ({ref})" if ids else record.title) if record else " ".join(ref.split())
        out.append((SOURCE_LABELS.get(kind, kind), what))
    return out
