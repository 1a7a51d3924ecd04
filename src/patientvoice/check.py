"""Run every check on a course: the one entry point the CLI, the plugin and the build share."""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path

from patientvoice.security import complexity
from patientvoice.course.loader import load_course
from patientvoice.course.model import Course
from patientvoice.problems import Problems
from patientvoice.course.references import check_references
from patientvoice.site.mkdocs_yml import check_site


def check_course(root: Path | str, today: dt.date | None = None) -> tuple[Course, Problems]:
    """Load the course and run the structural, reference and compliance rules; problems are sorted."""
    from patientvoice.compliance import run_compliance
    from patientvoice.site.addon import locate

    # `root` is the course, or a host docs site whose mkdocs.yml names the course (add-on mode, site/addon.py).
    where = locate(Path(root))

    # Loading a course allocates hundreds of thousands of small objects and frees almost none; the cyclic
    # garbage collector would walk them all again and again (a fifth of the check's time) to find nothing.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        course, problems = load_course(where.course)
        check_references(course, problems)
        run_compliance(course, problems, today or dt.date.today())
        complexity.check(course, problems)
        check_site(where.site or course.root, course, problems, addon=where.addon)
    finally:
        if was_enabled:
            gc.enable()
    problems.sort()
    return course, problems
