"""Run every check on a course: the one entry point the CLI, the plugin and the build share."""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path

from patientvoice.forked import Forked, can_fork
from patientvoice.security import complexity
from patientvoice.course.loader import load_course
from patientvoice.course.model import Course
from patientvoice.problems import Problems
from patientvoice.course.references import check_references
from patientvoice.site.mkdocs_yml import check_site


def check_course(root: Path | str, today: dt.date | None = None, *, parallel: bool = False) -> tuple[Course, Problems]:
    """Load the course and run the structural, reference and compliance rules; problems are sorted.

    ``parallel``: the caller is a command's own single-threaded process (`check`, `build`), so the heaviest
    rule family may run in a forked child on the second core (patientvoice/forked.py); the problems are the same.
    """
    from patientvoice.compliance import _CHECKS, BESIDE, run_compliance
    from patientvoice.site.addon import locate

    # `root` is the course, or a host docs site whose mkdocs.yml names the course (add-on mode, site/addon.py).
    where = locate(Path(root))
    today = today or dt.date.today()

    # Loading a course allocates hundreds of thousands of small objects and frees almost none; the cyclic
    # garbage collector would walk them all again and again (a fifth of the check's time) to find nothing.
    was_enabled = gc.isenabled()
    gc.disable()
    beside = None
    try:
        course, problems = load_course(where.course)
        beside = Forked(lambda: _families(course, today, BESIDE)) if parallel and can_fork() else None
        check_references(course, problems)
        run_compliance(course, problems, today, [f for f in _CHECKS if beside is None or f not in BESIDE])
        complexity.check(course, problems)
        check_site(where.site or course.root, course, problems, addon=where.addon)
        if beside is not None:
            found, beside = beside.result(), None
            problems.extend(found if found is not None else _families(course, today, BESIDE))
    finally:
        if beside is not None:  # a rule failed in the parent: the child is stopped and reaped, not left a zombie
            beside.cancel()
        if was_enabled:
            gc.enable()
    problems.sort()
    return course, problems


def _families(course: Course, today: dt.date, families) -> list:
    """The problems the given compliance families find (in a child process: sent back to the parent)."""
    from patientvoice.compliance import run_compliance

    found = Problems(course.root)
    run_compliance(course, found, today, families)
    return list(found)
