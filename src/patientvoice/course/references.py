"""Cross-reference checks: every id a file names must exist."""

from __future__ import annotations

import difflib

from patientvoice.course.model import Course
from patientvoice.problems import Problems
from patientvoice.course.schema import ID_RE


def _unloadable(course: Course, folder: str, ext: str, ref) -> bool:
    # The file exists but could not be loaded (its own problem says why); "no such id" would mislead.
    return isinstance(ref, str) and bool(ID_RE.match(ref)) and (course.root / "content" / folder / f"{ref}{ext}").is_file()


def _hint(value, choices) -> str:
    close = difflib.get_close_matches(str(value), list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


RESERVED_MODULE_IDS = frozenset({"stories", "pags", "faculty", "assets", "search", "fonts"})


def check_references(course: Course, problems: Problems) -> None:
    """Record a problem for every reference to a person, committee, PAG, story, data set or objective that is missing."""

    def person(ref, path, line, where):
        if isinstance(ref, str) and ref and ref not in course.people and not _unloadable(course, "people", ".yml", ref):
            problems.add(path, line, "ref.person",
                         f"{where}: no person '{ref}' in content/people{_hint(ref, course.people)}")

    for m in course.modules.values():
        if m.id in RESERVED_MODULE_IDS:
            problems.add(m.path, 1, "ref.reserved", f"module id '{m.id}' is a path the site uses for its own pages "
                         f"({', '.join(sorted(RESERVED_MODULE_IDS))}); rename the folder modules/{m.id}/")
    for c in course.committees.values():
        for i, m in enumerate(c.members):
            person(m.person, c.path, c.line("members", i), f"members[{i}].person")
    for s in course.stories.values():
        if s.source_pag and s.source_pag not in course.pags and not _unloadable(course, "pags", ".yml", s.source_pag):
            problems.add(s.path, s.line("source", "pag"), "ref.pag",
                         f"source.pag: no PAG '{s.source_pag}' in content/pags{_hint(s.source_pag, course.pags)}")
    for d in course.datasets.values():
        if d.pag and d.pag not in course.pags and not _unloadable(course, "pags", ".yml", d.pag):
            problems.add(d.path, d.line("pag"), "ref.pag", f"pag: no PAG '{d.pag}' in content/pags{_hint(d.pag, course.pags)}")
    for m in course.modules.values():
        for key in ("faculty", "planners"):
            for i, ref in enumerate(getattr(m, key)):
                person(ref, m.path, m.line(key, i), key)
        if (isinstance(m.committee, str) and m.committee not in course.committees
                and not _unloadable(course, "committees", ".yml", m.committee)):
            problems.add(m.path, m.line("review", "committee"), "ref.committee",
                         f"review.committee: no committee '{m.committee}' in content/committees"
                         f"{_hint(m.committee, course.committees)}")
        for i, a in enumerate(m.approvals):
            for ref in a.by:
                person(ref, m.path, a.line, f"review.approvals[{i}].by")
        _check_blocks(course, m, problems)
        if m.questionnaire is not None:
            objectives = {o.id for o in m.objectives}
            q = m.questionnaire
            for item in q.items:
                if isinstance(item.objective, str) and item.objective not in objectives:
                    problems.add(q.path, q.line("items", q.items.index(item), "objective"), "ref.objective",
                                 f"items[{item.id}].objective: '{item.objective}' is not an objective of module "
                                 f"'{m.id}' ({', '.join(sorted(objectives)) or 'none defined'}){_hint(item.objective, objectives)}")


def _check_blocks(course: Course, m, problems: Problems) -> None:
    for b in m.blocks:
        ident, frag = b.target
        if b.name == "story":
            if not ident:
                problems.add(m.path, b.line, "ref.argument", "story block needs a story id: '/// story | story-id'")
                continue
            story = course.stories.get(ident)
            if story is None:
                if _unloadable(course, "stories", ".md", ident):
                    continue
                problems.add(m.path, b.line, "ref.story",
                             f"story block: no story '{ident}' in content/stories{_hint(ident, course.stories)}")
            elif frag and frag not in story.sections:
                names = ", ".join(story.sections) or "the story has no '##' sections"
                problems.add(m.path, b.line, "ref.section",
                             f"story block: story '{ident}' has no section '{frag}' ({names}){_hint(frag, story.sections)}")
        elif b.name == "pag-data":
            if not ident or not frag:
                problems.add(m.path, b.line, "ref.argument",
                             "pag-data block needs a data set and question: '/// pag-data | dataset#question'")
                if not ident:
                    continue
            ds = course.datasets.get(ident)
            if ds is None:
                if _unloadable(course, "data", ".yml", ident):
                    continue
                problems.add(m.path, b.line, "ref.dataset",
                             f"pag-data block: no data set '{ident}' in content/data{_hint(ident, course.datasets)}")
            elif frag and frag not in ds.questions:
                problems.add(m.path, b.line, "ref.question",
                             f"pag-data block: data set '{ident}' has no question '{frag}' "
                             f"({', '.join(ds.questions)}){_hint(frag, ds.questions)}")
