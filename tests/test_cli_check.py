"""`patientvoice check`: the text and JSON formats, and the exit codes (0 clean, 1 errors, 2 usage)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from coursekit import BASE, DATASET, STORY, TODAY
from patientvoice.cli import main

# The story of the content format spec, trimmed so that consent.channels is on line 14.
MARIA = """\
---
title: Nights awake with the itch
narrator: patient
pseudonym: Maria
condition: Primary biliary cholangitis
source:
  kind: interview
  collected: 2025-03
consent:
  status: granted
  reference: PBC-CF-2025-014
  date: 2025-03-12
  expires: 2030-03-12
  channels: [web, print, email]
  final_text_approved: true
composite: false
---

The itch starts at bedtime.

## Sleep

Most nights I end up downstairs on the sofa.
"""

SMALL_CELL = {DATASET: BASE[DATASET].replace("      Never: 62\n      Sometimes: 410\n",
                                             "      Never: 3\n      Sometimes: 469\n")}


def run(root: Path, *args: str):
    """Invoke the CLI in-process, as a user would type it."""
    return CliRunner().invoke(main, ["check", "--root", str(root), "--today", TODAY.isoformat(), *args])


def test_text_format_is_path_line_message_rule(course):
    kit = course({STORY: MARIA})
    result = run(kit.root)
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert "content/stories/maria-itch.md:14: consent.channels: 'email' is not one of: web, print [schema.enum]" in lines
    assert lines[-1] == "✗ 1 module, 1 stories: 1 error, 0 warnings"


def test_text_format_marks_warnings(course):
    kit = course(SMALL_CELL)
    result = run(kit.root)
    assert result.exit_code == 0, result.output
    line = kit.line(DATASET, "Never: 3")
    assert result.stdout.splitlines() == [
        f"{DATASET}:{line}: warning: question 'fatigue-limits': 'Never' count 3 is under 5 and may identify "
        "respondents [data.small-cell]",
        "✓ 1 module, 1 stories: 0 errors, 1 warning",
    ]


def test_json_format_is_a_list_of_problems(course):
    kit = course({STORY: MARIA, **SMALL_CELL})
    result = run(kit.root, "--format", "json")
    assert result.exit_code == 1, result.output
    problems = json.loads(result.stdout)
    assert isinstance(problems, list) and len(problems) == 2
    for p in problems:
        assert list(p) == ["path", "line", "rule", "severity", "message"]
        assert isinstance(p["line"], int)
    assert {"path": "content/stories/maria-itch.md", "line": 14, "rule": "schema.enum", "severity": "error",
            "message": "consent.channels: 'email' is not one of: web, print"} in problems
    assert {p["rule"]: p["severity"] for p in problems}["data.small-cell"] == "warning"


def test_json_of_a_clean_course_is_an_empty_list(course):
    result = run(course().root, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []


def test_clean_course_exits_0(course):
    result = run(course().root)
    assert result.exit_code == 0, result.output
    assert result.stdout == "✓ 1 module, 1 stories: 0 errors, 0 warnings\n"


def test_clean_course_passes_strict(course):
    assert run(course().root, "--strict").exit_code == 0


def test_errors_exit_1(course):
    kit = course({STORY: MARIA})
    assert run(kit.root).exit_code == 1
    assert run(kit.root, "--strict").exit_code == 1


def test_warnings_exit_0_but_1_with_strict(course):
    kit = course(SMALL_CELL)
    assert run(kit.root).exit_code == 0
    assert run(kit.root, "--strict").exit_code == 1
    assert run(kit.root, "--strict", "--format", "json").exit_code == 1


def test_info_notes_do_not_fail_strict(course):
    sentence = "By 25 December the itch had eased a little."
    story = BASE[STORY].replace("composite: false\n", "composite: false\nwaivers: [{rule: deid.date, match: 25 December, "
                                                      "reason: a public holiday}]\n") + "\n" + sentence + "\n"
    result = run(course({STORY: story}).root, "--strict")
    assert result.exit_code == 0, result.output
    assert "note: '25 December'" in result.stdout and "1 note" in result.stdout


@pytest.mark.parametrize("args", [
    ["--format", "xml"],
    ["--today", "2026-13-01"],
    ["--today", "tomorrow"],
    ["--no-such-option"],
    ["extra-argument"],
])
def test_usage_errors_exit_2(course, args):
    result = run(course().root, *args)
    assert result.exit_code == 2, result.output
    assert "Error" in result.output and "Traceback" not in result.output


def test_missing_root_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["check", "--root", str(tmp_path / "nowhere")])
    assert result.exit_code == 2, result.output


def test_today_changes_what_is_checked(course):
    kit = course()
    result = CliRunner().invoke(main, ["check", "-C", str(kit.root), "--today", "2028-01-15"])
    assert result.exit_code == 1
    assert "[activity.expired]" in result.stdout


def _executable() -> list[str]:
    script = Path(sys.executable).with_name("patientvoice")
    return [str(script)] if script.exists() else [sys.executable, "-m", "patientvoice.cli"]


def test_real_command_line(course):
    # The installed entry point, in a real process: exit codes and output as CI and editors see them.
    kit = course({STORY: MARIA})
    cmd = _executable() + ["check", "--format", "json", "--today", TODAY.isoformat()]
    done = subprocess.run(cmd, cwd=kit.root, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    assert [p["rule"] for p in json.loads(done.stdout)] == ["schema.enum"]
    usage = subprocess.run(_executable() + ["check", "--format", "yaml"], cwd=kit.root, capture_output=True,
                           text=True, timeout=60)
    assert usage.returncode == 2 and "Traceback" not in usage.stderr
