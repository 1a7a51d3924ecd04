"""`patientvoice serve --incremental` as an author runs it: a save shows on the served page, and the full check
runs beside the preview and prints its findings (engines/serve.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from enginekit import engine_bin
from sitekit import copy_course, free_port, page_text

STORY = "content/stories/jalen-waiting-room.md"


def _wait(what, seconds: float, message: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = what()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(message)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_save_reloads_the_page_and_the_check_reports_beside_it(tmp_path):
    root = copy_course(tmp_path / "course")
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen([sys.executable, "-m", "patientvoice.cli", "serve", "--incremental", "-a",
                                   f"127.0.0.1:{port}", "--root", str(root)], stdout=out, stderr=subprocess.STDOUT,
                                  env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    page = f"http://127.0.0.1:{port}/stories/jalen-waiting-room/"
    try:
        _wait(lambda: "<html" in page_text(page), 180, f"the preview never served {page}:\n{log.read_text()}")
        # The first check finds nothing: the example course is clean.
        _wait(lambda: "0 errors" in log.read_text(), 120, f"no check ran after the first build:\n{log.read_text()}")

        # An edit with a problem (a full date of birth is Safe Harbor identifying information): the page shows
        # the edit anyway (a preview is not a publication) and the check, run beside it, names the rule.
        _edit(root / STORY, "I only go to the emergency department",
              "I was born on 14 March 2001 and I only go to the emergency department")
        _wait(lambda: "born on 14 March 2001" in page_text(page), 60, f"the edit never reached the page:\n{log.read_text()}")
        _wait(lambda: "[deid." in log.read_text(), 120, f"the check did not report the date:\n{log.read_text()}")
        assert "checking the course" in log.read_text()
    finally:
        server.terminate()
        server.wait(30)


def test_zensical_serves_the_tree_and_rebuilds_what_a_save_changed(tmp_path):
    """With --engine zensical, Zensical's own server watches the materialised tree; patientvoice rewrites only
    the pages a save touched."""
    exe = engine_bin("zensical")
    assert exe, "scripts/test makes .engines/zensical; set PATIENTVOICE_ZENSICAL to another"
    root = copy_course(tmp_path / "course")
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen([sys.executable, "-m", "patientvoice.cli", "serve", "--engine", "zensical",
                                   "--engine-bin", exe, "-a", f"127.0.0.1:{port}", "--root", str(root)],
                                  stdout=out, stderr=subprocess.STDOUT)
    page = f"http://127.0.0.1:{port}/stories/jalen-waiting-room/"
    try:
        _wait(lambda: "emergency department" in page_text(page), 180, f"Zensical never served {page}:\n{log.read_text()}")
        _edit(root / STORY, "I only go to the emergency department", "I only ever go to the emergency department")
        _wait(lambda: "I only ever go to the emergency department" in page_text(page), 60,
              f"the edit never reached the page:\n{log.read_text()}")
        assert "updated 2 file(s) of the tree" in log.read_text()  # the story page and the module embedding it
        assert not list((root / "build" / ".serve").rglob("questionnaire.yml"))
    finally:
        server.terminate()
        server.wait(30)
    # Stopping the preview stops the Zensical server it started (SIGTERM ends it as Ctrl-C does).
    _wait(lambda: not _running(str(root)), 15, "the Zensical server outlived the preview")


def _running(marker: str) -> list[str]:
    """Command lines of running processes that mention ``marker``."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if marker in text:
            found.append(text)
    return found
def test_stopping_a_check_stops_its_forked_child_too(tmp_path):
    """serve's Checker stops a check of an older state; the check's forked child (patientvoice/forked.py)
    must stop with it, not go on using the second core the next rebuild needs."""
    import importlib.util

    import pytest

    from patientvoice.engines.serve import Checker

    if not Path("/proc/self/task").is_dir() or (os.cpu_count() or 1) < 2:
        pytest.skip("needs Linux's /proc and two cores (a check forks only then)")
    spec = importlib.util.spec_from_file_location("generate_course", Path(__file__).parents[1] / "benchmarks"
                                                  / "generate_course.py")
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    root = generator.generate_course(tmp_path / "course", 150, 750)
    checker = Checker(root)
    checker.start()
    pid, child, deadline = checker.process.pid, None, time.monotonic() + 30
    while child is None and checker.process.poll() is None and time.monotonic() < deadline:
        try:
            kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            kids = []
        child = int(kids[0]) if kids else None
        time.sleep(0.005)
    if child is None:
        pytest.skip("the check finished before its forked child was seen")
    checker.stop()
    deadline = time.monotonic() + 0.3  # a signal ends it at once; left alone it works on for a second or more
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return  # gone
        if state == "Z":
            return  # dead, waiting for its new parent to reap it
        time.sleep(0.05)
    raise AssertionError(f"the check's forked child {child} still runs after the check was stopped")
