"""The theme a course is published with: the package's default theme, with the course's ``theme/`` on top.

The learner-facing runtime (questionnaire, claim and journey scripts, the stylesheet), the print stylesheet and
the fonts are the tool's code and ship in the package (``default_theme/``). A course needs no ``theme/`` folder;
when it has one, a file there replaces the package's file at the same relative path (``theme/print.css``
replaces the print stylesheet, ``theme/assets/patientvoice.css`` the site's), and files the package lacks
(template overrides, a logo) are added. Every reader of theme files (the mkdocs plugin, the materialiser, the
PDFs, the exports, the approval fingerprint) goes through this merged view, so they all publish the same theme.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from patientvoice.security.files import read_bounded, within

COURSE_THEME = "theme"  # the course's override folder (mkdocs.yml's custom_dir, when the course has one)
# A real folder in every install (wheel or source checkout); zipped installs are not supported by mkdocs anyway.
PACKAGE_THEME = Path(str(resources.files("patientvoice.site").joinpath("default_theme")))


def _walk(folder: Path) -> dict[str, Path]:
    """Files under ``folder`` by relative path: hidden entries skipped, linked folders not entered."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):  # followlinks=False
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        here = Path(dirpath)
        for name in sorted(filenames):
            if not name.startswith("."):
                out[(here / name).relative_to(folder).as_posix()] = here / name
    return out


def theme_files(course_root: Path | str) -> dict[str, Path]:
    """Every theme file as ``{relative path: file}``: the package's, each replaced by the course's at that path.

    A course ``theme/`` that is itself a symbolic link is not entered (``check`` refuses a link out of the
    course; the package's files still apply).
    """
    files = _walk(PACKAGE_THEME)
    course = Path(course_root) / COURSE_THEME
    if course.is_dir() and not course.is_symlink():
        files.update(_walk(course))
    return dict(sorted(files.items()))


def theme_file(course_root: Path | str, rel: str) -> Path | None:
    """The file a learner gets at theme path ``rel`` (the course's, else the package's), or None if neither has it."""
    course = Path(course_root) / COURSE_THEME / rel
    if os.path.lexists(course):
        return course
    package = PACKAGE_THEME / rel
    return package if package.is_file() else None


def effective_path(course_root: Path | str, path: str) -> str:
    """``path`` itself, unless it names a file in the course's theme folder that only the package has.

    Used where URLs resolve against ``<course>/theme/`` (print.css's fonts): the course's folder stands for
    the merged theme, so ``fonts/DejaVuSans.ttf`` is the package's font until the course adds its own.
    """
    folder = os.path.join(os.path.abspath(course_root), COURSE_THEME)
    absolute = os.path.abspath(path)
    if not within(absolute, folder) or os.path.lexists(absolute):
        return path
    found = theme_file(course_root, os.path.relpath(absolute, folder))
    return str(found) if found is not None else path


def in_package_theme(path: Path | str) -> bool:
    """Whether ``path`` resolves into the package's default theme (read-only, the tool's own files)."""
    return within(os.path.realpath(path), os.path.realpath(PACKAGE_THEME))


def read_theme(path: Path | str, course_root: Path | str, limit: int) -> bytes:
    """The bytes of a theme file (from ``theme_file``/``theme_files``): confined to the course or the package theme."""
    if in_package_theme(path):
        return read_bounded(path, None, limit)
    return read_bounded(path, course_root, limit)
