"""The example course at the repository root is the reference course: it must check clean, today."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner

from coursekit import dump
from patientvoice.check import check_course
from patientvoice.cli import main

REPO = Path(__file__).resolve().parents[1]


def test_example_course_passes():
    # Zero errors and zero warnings with today's date: approvals must be current, nothing expired.
    course, problems = check_course(REPO, dt.date.today())
    assert not problems.errors and not problems.warnings, dump(problems)
    assert len(course.modules) >= 2 and len(course.stories) >= 2 and course.datasets


def test_example_course_content_is_clean_apart_from_review():
    # Narrower than the test above, so a content regression is told apart from a missing approval.
    _, problems = check_course(REPO, dt.date.today())
    content = [p for p in problems if p.rule not in ("review.no-approval", "review.stale") and p.severity != "info"]
    assert not content, dump(content)


def test_example_course_passes_strict_on_the_command_line():
    result = CliRunner().invoke(main, ["check", "--strict", "--root", str(REPO), "--today", dt.date.today().isoformat()])
    assert result.exit_code == 0, result.output


def test_example_course_uses_every_block_kind():
    # The example is what authors copy from: it should show stories, sections, PAG data and channel blocks.
    course, _ = check_course(REPO, dt.date.today())
    blocks = [b for m in course.modules.values() for b in m.blocks]
    assert {b.name for b in blocks} >= {"story", "pag-data", "print-only"}
    assert any(b.name == "story" and b.target[1] for b in blocks), "no story section is embedded"
