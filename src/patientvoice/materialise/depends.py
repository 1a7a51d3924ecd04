"""What each materialised module page depends on, as one key over the digests of those course files.

A module page shows its module file and questionnaire, the stories and data sets it embeds with their PAGs,
and facts from the course-wide files (people, committees, provider, and whatever else content/ holds outside
stories/, data/ and pags/), rendered with mkdocs.yml's settings. Course-wide files are counted whole, so a page
is never kept stale by a file a renderer starts to read later; only the per-item folders are narrowed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from patientvoice.course.model import Course, Module

SCOPED = ("content/stories/", "content/data/", "content/pags/", "modules/")  # read per item, not whole


def shared_key(digests: dict[str, str]) -> str:
    """One key over every course-wide file (all but the per-item folders)."""
    h = hashlib.sha256()
    for rel in sorted(k for k in digests if not k.startswith(SCOPED)):
        h.update(f"{rel}\0{digests[rel]}\0".encode())
    return h.hexdigest()


def module_files(course: Course, module: Module) -> set[Path]:
    """The per-item course files a module page shows: module, questionnaire, embedded stories, data sets, PAGs."""
    files = {Path(module.path), Path(module.path).parent / "questionnaire.yml"}
    pags = set()
    for block in module.blocks:
        ident = block.target[0]
        item = course.stories.get(ident) if block.name == "story" else course.datasets.get(ident) \
            if block.name == "pag-data" else None
        if item is not None:
            files.add(Path(item.path))
            pags.add(getattr(item, "source_pag", None) or getattr(item, "pag", None))
    files.update(Path(course.pags[p].path) for p in pags if p in course.pags)
    return files


def module_key(course: Course, module: Module, digests: dict[str, str], shared: str) -> str:
    """The key of a module page: changes whenever a file it depends on changes."""
    root = Path(course.root)
    h = hashlib.sha256(shared.encode())
    for path in sorted(module_files(course, module)):
        try:
            rel = path.relative_to(root).as_posix()
        except ValueError:
            rel = str(path)
        h.update(f"{rel}\0{digests.get(rel, '-')}\0".encode())
    return h.hexdigest()


def generated_key(course: Course, digests: dict[str, str]) -> str:
    """The key of the generated pages as a whole: every course file, but of a module's index.md only its front
    matter and its blocks (the generated pages show a module's title, activity and embeds, never its prose)."""
    root = Path(course.root)
    bodies = set()
    h = hashlib.sha256()
    for module in sorted(course.modules.values(), key=lambda m: m.id):
        try:
            bodies.add(Path(module.path).relative_to(root).as_posix())
        except ValueError:
            continue
        blocks = [(b.name, b.arg, repr(b.options), b.inside) for b in module.blocks]
        h.update(repr((module.id, dict(module.src or {}), blocks)).encode())
    for rel in sorted(k for k in digests if k not in bodies):
        h.update(f"{rel}\0{digests[rel]}\0".encode())
    return h.hexdigest()
