"""`patientvoice build` and `serve`: refusing bad content, atomic publishing, live reload of content/."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from patientvoice.build import BuildError, build
from sitekit import copy_course, free_port

PV = [sys.executable, "-m", "patientvoice.cli"]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def course(tmp_path) -> Path:
    return copy_course(tmp_path / "course")


def run(args, cwd) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(PV + args, cwd=cwd, capture_output=True, text=True, timeout=300, env=env)


def test_build_publishes_site_and_reports_each_stage(course):
    out = run(["build", "--no-pdf"], course)
    assert out.returncode == 0, out.stderr
    assert re.search(r"^✓ built \d+ pages in build/site", out.stdout, re.M)
    for stage in ("checking the course…", "building the site (2 modules, 6 stories)…"):
        assert stage in out.stderr
    assert (course / "build" / "site" / "hearing-the-itch" / "index.html").is_file()
    assert not [p for p in (course / "build").iterdir() if p.name.startswith(".building-")]


def test_build_refuses_content_the_checks_reject_and_leaves_build_untouched(course):
    build(course, pdf=False, progress=lambda m: None)
    before = snapshot(course / "build")
    story = course / "content" / "stories" / "elaine-night-itch.md"
    story.write_text(story.read_text().replace("status: granted", "status: withdrawn"))
    out = run(["build", "--no-pdf"], course)
    assert out.returncode == 1
    assert re.search(r"content/stories/elaine-night-itch\.md:\d+: .*withdrawn.*\[consent\.withdrawn\]", out.stderr)
    assert "nothing in build/ was changed" in out.stderr
    assert snapshot(course / "build") == before


def test_a_failing_mkdocs_stage_leaves_the_previous_site(course):
    build(course, pdf=False, progress=lambda m: None)
    before = snapshot(course / "build" / "site")
    # A link to a page that does not exist fails mkdocs under `strict: true` in the example mkdocs.yml,
    # after the checks have passed: the failure happens half-way through writing the new site.
    home = course / "modules" / "index.md"
    home.write_text(home.read_text() + "\n\nSee [the missing page](missing.md).\n")
    with pytest.raises(BuildError, match="site") as failure:
        build(course, pdf=False, progress=lambda m: None)
    # mkdocs' own reason is carried into the error, not just "Aborted".
    assert "missing.md" in str(failure.value)
    assert snapshot(course / "build" / "site") == before
    assert [p.name for p in (course / "build").iterdir()] == ["site"]


def test_build_without_mkdocs_yml_is_a_clear_error(course):
    (course / "mkdocs.yml").unlink()
    out = run(["build", "--no-pdf"], course)
    assert out.returncode == 1 and "no mkdocs.yml" in out.stderr and "Traceback" not in out.stderr


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.read().decode()


@pytest.mark.parametrize("mode", [[], ["--no-incremental"]], ids=["incremental", "plugin"])
def test_serve_rebuilds_when_a_story_in_content_changes(course, mode):
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen(PV + ["serve", *mode, "-a", f"127.0.0.1:{port}"], cwd=course, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/stories/elaine-night-itch/"
    try:
        deadline = time.time() + 150
        while True:
            try:
                assert "mosquito bite" in _get(url)
                break
            except OSError:
                assert proc.poll() is None and time.time() < deadline, "serve did not start"
                time.sleep(0.3)
        story = course / "content" / "stories" / "elaine-night-itch.md"
        story.write_text(story.read_text().replace("mosquito bite", "nettle sting"))
        deadline = time.time() + 150
        while "nettle sting" not in _get(url):
            assert time.time() < deadline, "the story page was not rebuilt after content/ changed"
            time.sleep(0.5)
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_build_folder_that_is_a_file_is_a_clear_error(course):
    (course / "build").write_text("not a folder")
    out = run(["build", "--no-pdf"], course)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "it must be a folder you can write to" in out.stderr
    assert (course / "build").read_text() == "not a folder"
