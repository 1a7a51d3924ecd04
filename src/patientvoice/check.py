"""Run every check on a course: the one entry point the CLI, the plugin and the build share."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from patientvoice.loader import load_course
from patientvoice.model import Course
from patientvoice.problems import Problems
from patientvoice.references import check_references


def check_course(root: Path | str, today: dt.date | None = None) -> tuple[Course, Problems]:
    """Load the course and run the structural, reference and compliance rules; problems are sorted."""
    from patientvoice.compliance import run_compliance

    course, problems = load_course(root)
    check_references(course, problems)
    run_compliance(course, problems, today or dt.date.today())
    problems.sort()
    return course, problems
