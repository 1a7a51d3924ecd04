"""`check_course(parallel=True)`: the de-identification rules in a forked child give exactly the serial problems.

Run in a fresh process: a pytest-xdist worker has threads, where check_course rightly never forks.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from coursekit import STORY, TODAY, make_course

COMPARE = textwrap.dedent("""
    import datetime as dt, json, sys
    from patientvoice.check import check_course
    from patientvoice.forked import can_fork
    forked = can_fork()
    serial = [p.as_dict() for p in check_course(sys.argv[1], dt.date.fromisoformat(sys.argv[2]))[1]]
    parallel = [p.as_dict() for p in check_course(sys.argv[1], dt.date.fromisoformat(sys.argv[2]), parallel=True)[1]]
    print(json.dumps({"forked": forked, "serial": serial, "parallel": parallel}))
""")


def _both(root) -> dict:
    done = subprocess.run([sys.executable, "-c", COMPARE, str(root), TODAY.isoformat()], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_forked_check_finds_what_the_serial_one_does(tmp_path):
    kit = make_course(tmp_path / "course")
    # De-identification finds (the family the child runs) beside others the parent finds.
    kit.edit(STORY, "composite: false", "composite: false\nsegment_typo: x")
    story = kit.root / STORY
    story.write_text(story.read_text() + "\nCall me on 0161 496 0123 or mail maria.r@example.com.\n")
    found = _both(kit.root)
    if not found["forked"]:
        pytest.skip("one core: check_course runs every rule in its own process")
    rules = {p["rule"] for p in found["parallel"]}
    assert {"deid.phone", "deid.email"} <= rules and rules - {r for r in rules if r.startswith("deid.")}
    assert found["parallel"] == found["serial"]


CRASH = textwrap.dedent("""
    import os, sys
    from patientvoice import check
    from patientvoice.forked import can_fork
    def broken(*args, **kwargs):  # a rule of the parent's share failing after the child was forked
        raise RuntimeError("a rule failed")
    check.check_site = broken
    try:
        check.check_course(sys.argv[1], parallel=True)
    except RuntimeError:
        pass
    try:
        os.waitpid(-1, os.WNOHANG)
        print("child left" if can_fork() else "no fork")
    except ChildProcessError:
        print("reaped")
""")


def test_a_failure_in_the_parent_stops_and_reaps_the_forked_child(tmp_path):
    kit = make_course(tmp_path / "course")
    done = subprocess.run([sys.executable, "-c", CRASH, str(kit.root)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    if done.stdout.strip() == "no fork":
        pytest.skip("one core: check_course runs every rule in its own process")
    assert done.stdout.strip() == "reaped"
