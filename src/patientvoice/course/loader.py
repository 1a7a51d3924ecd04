"""Load a course repository into typed objects, collecting every problem on the way.

Before anything is read, ``scan_published`` reports links out of the course and special files in
``content/``, ``modules/`` and ``theme/``; the loader then skips what it reported, so each is one problem.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from markdown.extensions.toc import slugify

from patientvoice.course import formats
from patientvoice.course.cache import LoadCache
from patientvoice.course.model import (Committee, Company, Course, DataSet, Member, Pag, Person, Provider, Question,
                                       Relationship, Section, Story, Waiver)
from patientvoice.problems import Problems
from patientvoice.security.files import scan_published
from patientvoice.course.schema import ID_RE, check_object
from patientvoice.course.sources import line_of, load_front_matter_file, load_yaml_file, read_text
from patientvoice.course.coerce import _d, _date, _l, _s
from patientvoice.course.module_loader import duplicate_activity_ids, duplicates, load_module

# Greedy to the end, trailing spaces and closing #s stripped in Python: a lazy title followed by "[ \t#]*$"
# rescans the tail at every character (a heading line of 8,000 " #" took seconds).
SECTION_RE = re.compile(r"^##[ \t]+(.*)$")


def load_course(root: Path | str, cache: LoadCache | None = None) -> tuple[Course, Problems]:
    """Load every file of the course at ``root``; return the course and the problems found.

    With a ``cache`` (course/cache.py, for the incremental preview), items whose files did not change since
    the cache's last scan are reused with the problems they had.
    """
    root = Path(root).resolve()
    load = cache.item if cache is not None else lambda kind, paths, build, problems: build(problems)
    problems = Problems(root)
    course = Course(root)
    content, modules_dir = root / "content", root / "modules"
    refused = scan_published(root, problems)  # links out of the course, pipes, devices: already reported
    ok = lambda p: os.fspath(p) not in refused  # noqa: E731
    for d in (content, modules_dir):
        if ok(d) and not d.is_dir():
            problems.add(d, 1, "file.missing", f"directory '{d.name}/' is missing; is '{root}' a course repository?")
    provider_path = content / "provider.yml"
    if ok(content) and content.is_dir():
        if not ok(provider_path):
            pass  # a link out of the course or a pipe: reported by the scan
        elif os.path.lexists(provider_path):
            data = load_yaml_file(provider_path, problems)
            if data is not None:
                check_object(data, formats.PROVIDER, problems, provider_path, "", 1)
                course.provider = Provider("provider", provider_path, data, **{
                    k: _s(data.get(k)) for k in formats.PROVIDER if k not in PROVIDER_FLAGS})
                _provider_flags(course.provider, data)
        else:
            problems.add(provider_path, 1, "file.missing", "content/provider.yml is missing; describe the accredited provider")
        for kind, schema, build, target in (
            ("people", formats.PERSON, _person, course.people),
            ("committees", formats.COMMITTEE, _committee, course.committees),
            ("pags", formats.PAG, _pag, course.pags),
            ("data", formats.DATASET, _dataset, course.datasets),
            ("companies", formats.COMPANY, _company, course.companies),
        ):
            for path in _entries(content / kind, ".yml", problems, ok):
                item = load(kind, [path], lambda found: _yaml_item(path, schema, build, found), problems)
                if item is not None:
                    target[path.stem] = item
        for path in _entries(content / "stories", ".md", problems, ok):
            story = load("stories", [path], lambda found: _story_file(path, found), problems)
            if story is not None:
                course.stories[path.stem] = story
    if ok(modules_dir) and modules_dir.is_dir():
        home = modules_dir / "index.md"
        course.home = home if ok(home) and home.is_file() else None
        for d in (p for p in _listing(modules_dir) if ok(p) and p.is_dir() and not p.name.startswith((".", "_"))):
            if not any(os.path.lexists(d / name) for name in ("index.md", "questionnaire.yml")):
                continue  # an asset folder (images, downloads), not a module
            if not ID_RE.match(d.name):
                problems.add(d, 1, "schema.id", f"module folder '{d.name}' is not a valid id; use lowercase letters, digits and '-'")
            module = load("modules", [d / "index.md", d / "questionnaire.yml"],
                          lambda found: load_module(d, found, ok), problems)
            if module is not None:
                course.modules[d.name] = module
        course.pages = _pages(modules_dir, {m.path for m in course.modules.values()}, problems, ok)
    duplicate_activity_ids(course, problems)
    return course, problems


def _yaml_item(path: Path, schema, build, problems: Problems):
    """One content/<kind>/<id>.yml file as its model object, or None when it cannot be read."""
    data = load_yaml_file(path, problems)
    if data is None:
        return None
    check_object(data, schema, problems, path, "", 1)
    return build(path.stem, path, data, problems)


def _story_file(path: Path, problems: Problems) -> Story | None:
    """One content/stories/<id>.md file as a Story, or None when it cannot be read."""
    doc = load_front_matter_file(path, problems)
    if doc is None:
        return None
    check_object(doc.meta, formats.STORY, problems, path, "", 1)
    return _story(path.stem, path, doc)


PROVIDER_FLAGS = ("accreditation_body", "statements_approved")


def _provider_flags(provider: Provider, data) -> None:
    """Issue 13: the accreditation body (default ACCME) and whether the free-text statements are approved."""
    body = data.get("accreditation_body")
    provider.accreditation_body = body if body in ("ACCME", "Joint Accreditation") else "ACCME"
    provider.statements_approved = data.get("statements_approved") is True


def _pages(modules_dir: Path, module_files: set[Path], problems: Problems, ok) -> dict[Path, str]:
    """The text of every Markdown page under modules/ that is no module's index.md, read by the safe reader."""
    pages = {}
    for dirpath, dirnames, filenames in os.walk(modules_dir):  # followlinks=False; links out were refused
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and ok(os.path.join(dirpath, d)))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if name.endswith(".md") and not name.startswith(".") and path not in module_files and ok(path):
                text = read_text(path, problems)
                if text is not None:
                    pages[path] = text
    return pages


def _listing(folder: Path) -> list[Path]:
    """The entries of a folder, sorted; scandir reads no file and stats nothing it is not asked to."""
    try:
        with os.scandir(folder) as it:
            return sorted(Path(e.path) for e in it)
    except OSError:
        return []


def _entries(folder: Path, ext: str, problems: Problems, ok) -> list[Path]:
    if not ok(folder) or not folder.is_dir():
        return []
    out = []
    for p in _listing(folder):
        if p.name.startswith(".") or not ok(p):
            continue
        if p.suffix != ext and not p.is_dir():
            problems.add(p, 1, "file.unexpected", f"is not a '{ext}' file and is ignored; rename or remove it")
            continue
        if not ID_RE.match(p.stem):
            problems.add(p, 1, "schema.id", f"file name '{p.stem}' is not a valid id; use lowercase letters, digits and '-'")
        if p.is_dir():
            problems.add(p, 1, "file.not-a-file", "is a directory where a file is expected; move its contents or rename it")
            continue
        out.append(p)
    return out


def _person(pid, path, data, problems) -> Person:
    disc = data.get("disclosure")
    rels = None
    if isinstance(disc, dict) and isinstance(disc.get("relationships"), list):
        rels = []
        for r in disc["relationships"]:
            r, mit = _d(r), _d(_d(r).get("mitigation"))
            rels.append(Relationship(_s(r.get("company")), _s(r.get("nature")), r.get("relevant") is True,
                                     mit.get("action"), _date(mit.get("date")),
                                     r.get("type") if isinstance(r.get("type"), str) else None,
                                     r.get("exception") if isinstance(r.get("exception"), dict) else None))
    return Person(pid, path, data, _s(data.get("name")), data.get("credentials"), _s(data.get("role")),
                  data.get("affiliation"), _date(_d(disc).get("signed")), rels)


def _company(cid, path, data, problems) -> Company:
    return Company(cid, path, data, _s(data.get("name")), data.get("ineligible") is True, _s(data.get("basis")),
                   [_s(d) for d in _l(data.get("domains"))])


def _committee(cid, path, data, problems) -> Committee:
    members = [Member(_s(_d(m).get("person")), _s(_d(m).get("role"))) for m in _l(data.get("members"))]
    c = Committee(cid, path, data, _s(data.get("name")), members)
    duplicates([m.person for m in members], data.get("members"), "members", "person", path, problems)
    return c


def _pag(pid, path, data, problems) -> Pag:
    return Pag(pid, path, data, _s(data.get("name")), data.get("url"),
               [_s(c) for c in _l(data.get("conditions"))], _s(data.get("relationship")))


def _dataset(did, path, data, problems) -> DataSet:
    fielded = _d(data.get("fielded"))
    qs = {}
    raw = _l(data.get("questions"))
    for i, q in enumerate(raw):
        q = _d(q)
        results = {str(k): v for k, v in _d(q.get("results")).items()}
        qs.setdefault(_s(q.get("id")), Question(_s(q.get("id")), _s(q.get("text")), _s(q.get("kind")),
                                                q.get("answered") if isinstance(q.get("answered"), int) else 0,
                                                results, line_of(raw, i)))
    duplicates([_s(_d(q).get("id")) for q in raw], raw, "questions", "id", path, problems)
    return DataSet(did, path, data, _s(data.get("title")), _s(data.get("pag")), _s(data.get("conducted_by")),
                   _s(data.get("funding")), _date(fielded.get("from")), _date(fielded.get("to")), _s(data.get("method")),
                   _s(data.get("population")), _s(data.get("sampling")),
                   data.get("respondents") if isinstance(data.get("respondents"), int) else 0, qs)


def _story(sid, path, doc) -> Story:
    m = doc.meta
    src, consent = _d(m.get("source")), _d(m.get("consent"))
    waivers = [Waiver(_s(_d(w).get("rule")), _s(_d(w).get("match")), _s(_d(w).get("reason")), line_of(m["waivers"], i))
               for i, w in enumerate(_l(m.get("waivers")))]
    story = Story(
        sid, path, m, _s(m.get("title")), _s(m.get("narrator")), _s(m.get("pseudonym")),
        _s(m.get("age_band")) or None, _s(m.get("condition")), [_s(s) for s in _l(m.get("segments"))],
        _s(src.get("kind")), src.get("pag") if isinstance(src.get("pag"), str) else None,  # a list is schema.id
        _s(src.get("collected")), _s(consent.get("status")),
        _s(consent.get("reference")), _date(consent.get("date")), [_s(c) for c in _l(consent.get("channels"))],
        _date(consent.get("expires")), consent.get("final_text_approved") is True, m.get("composite") is True,
        doc.body, doc.body_line, split_sections(doc.body, doc.body_line), waivers)
    story.consent_given_by = _s(consent.get("given_by")) or "self"
    story.representative = {k: _s(v) for k, v in _d(consent.get("representative")).items()}
    story.consent_subject = _s(consent.get("subject")) or None
    story.images_consent = _s(consent.get("images")) or None
    return story


def split_sections(body: str, first_line: int) -> dict[str, Section]:
    """Split a story body at its ``##`` headings; keys are the headings' slugs."""
    sections: dict[str, Section] = {}
    current, fence = None, None
    for n, text in enumerate(body.splitlines(keepends=True)):
        stripped = text.lstrip()
        if stripped.startswith(("```", "~~~")):
            fence = None if fence else stripped[:3]
        m = None if fence else SECTION_RE.match(text.rstrip("\r\n"))
        title = m.group(1).rstrip(" \t#") if m else ""
        if title:
            current = Section(slugify(title, "-"), title, first_line + n, "")
            sections.setdefault(current.slug, current)
        elif current is not None and text.startswith("# "):
            current = None
        elif current is not None:
            current.markdown += text
    return sections


