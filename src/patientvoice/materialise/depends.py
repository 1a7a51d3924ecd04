"""What each materialised module page depends on, as one key over the digests of those course files.

A module page shows its module file and questionnaire, the stories and data sets it embeds with their PAGs,
and facts from the course-wide files (people, committees, provider, and whatever else content/ holds outside
stories/, data/ and pags/), rendered with mkdocs.yml's settings. Course-wide files are counted whole, so a page
is never kept stale by a file a renderer starts to read later; only the per-item folders are narrowed. A
generated page (story, PAG, faculty, questionnaire step, claim) names what it shows in its site.pages.Plan.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from patientvoice.course.model import Course, Module

SCOPED = ("content/stories/", "content/data/", "content/pags/", "modules/")  # read per item, not whole


def shared_key(digests: dict[str, str]) -> str:
    """One key over every course-wide file (all but the per-item folders)."""
    h = hashlib.sha256()
    for rel in sorted(k for k in digests if not k.startswith(SCOPED)):
        h.update(f"{rel}\0{digests[rel]}\0".encode())
    return h.hexdigest()


def module_files(course: Course, module: Module) -> list[str]:
    """The per-item course files a module page shows: module, questionnaire, embedded stories, data sets, PAGs."""
    files = [str(module.path), os.path.join(os.path.dirname(module.path), "questionnaire.yml")]
    pags = set()
    for block in module.blocks:
        ident = block.target[0]
        item = course.stories.get(ident) if block.name == "story" else course.datasets.get(ident) \
            if block.name == "pag-data" else None
        if item is not None:
            files.append(str(item.path))
            pags.add(getattr(item, "source_pag", None) or getattr(item, "pag", None))
    files.extend(str(course.pags[p].path) for p in pags if p in course.pags)
    return sorted(set(files))


def module_key(course: Course, module: Module, digests: dict[str, str], shared: str) -> str:
    """The key of a module page: changes whenever a file it depends on changes."""
    h = hashlib.sha256(shared.encode())
    _add_files(h, course, module_files(course, module), digests)
    return h.hexdigest()


def page_base(shared: str, options: dict) -> str:
    """What every generated page's key starts from: the course-wide files, the plugin options and today's date
    (a story leaves the site the day its consent expires)."""
    return f"{shared}\0{dt.date.today()}\0{options!r}\0"


def page_key(course: Course, plan, digests: dict[str, str], base: str) -> str:
    """The key of a generated page (a site.pages.Plan): the files and values it shows, from ``page_base``."""
    h = hashlib.sha256(f"{base}{plan.values!r}\0".encode())
    _add_files(h, course, plan.files, digests)
    return h.hexdigest()


def _add_files(h, course: Course, paths, digests: dict[str, str]) -> None:
    # String slicing, not Path.relative_to: this runs for every page on every save.
    prefix = f"{course.root}{os.sep}"
    for path in paths:
        if path is None:
            continue
        path = str(path)
        rel = path[len(prefix):].replace(os.sep, "/") if path.startswith(prefix) else path
        h.update(f"{rel}\0{digests.get(rel, '-')}\0".encode())
