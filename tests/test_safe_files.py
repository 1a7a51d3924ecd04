"""Every file read stays in the course: links out, pipes, devices and sockets are `check` errors, never followed.

Each hostile case runs the real CLI in a subprocess with a timeout: a hang fails the test instead of stalling
the suite, and the output is what an author sees (path:line, exit code 1, no traceback, no host file's text).
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from coursekit import CLINICIAN, MODULE, STORY, TODAY, assert_clean, dump, expect, refute
from patientvoice.security.files import Refused, read_bounded

FILES = f"modules/{MODULE}/files"


def check_cli(root: Path, timeout: float = 30) -> tuple[subprocess.CompletedProcess, float]:
    """`patientvoice check` as a user runs it; a hang is a failure after ``timeout`` seconds."""
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "patientvoice.cli", "check", "--root", str(root),
                          "--today", TODAY.isoformat()], capture_output=True, text=True, timeout=timeout,
                         stdin=subprocess.DEVNULL)
    return out, time.perf_counter() - started


def check_within(kit, seconds: float):
    """``kit.check()`` in a daemon thread: a check that blocks (on a pipe, say) fails the test, not the suite."""
    result = []
    worker = threading.Thread(target=lambda: result.append(kit.check()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert result, f"check did not finish within {seconds} s"
    return result[0]


def assert_refused_by_cli(root: Path, where: str, rule: str, limit: float = 10) -> str:
    """The CLI exits 1 within ``limit`` seconds, naming ``where:1`` and ``rule``, with no traceback."""
    out, seconds = check_cli(root)
    text = out.stdout + out.stderr
    assert out.returncode == 1, text
    assert "Traceback" not in text, text
    assert f"{where}:1: " in out.stdout and f"[{rule}]" in out.stdout, text
    assert seconds < limit, f"check took {seconds:.1f} s"
    return text


def test_a_published_file_linked_to_etc_passwd_is_refused_and_never_built(course):
    from patientvoice.build import BuildError, build

    kit = course()
    os.makedirs(kit.path(FILES))
    os.symlink("/etc/passwd", kit.path(f"{FILES}/x.txt"))
    problem = expect(kit.check(), "file.outside-course", f"{FILES}/x.txt", 1)
    assert "/etc/passwd" in problem.message and "symbolic link" in problem.message
    text = assert_refused_by_cli(kit.root, f"{FILES}/x.txt", "file.outside-course")
    assert "root:x:0:0" not in text
    with pytest.raises(BuildError) as failed:
        build(kit.root, pdf=False, today=TODAY, progress=lambda m: None)
    assert any(p.rule == "file.outside-course" for p in failed.value.problems)
    assert not (kit.root / "build" / "site").exists()


def test_a_theme_folder_linked_to_etc_is_refused_without_walking_it(course):
    kit = course()
    os.symlink("/etc", kit.path("theme"))
    problems = kit.check()
    problem = expect(problems, "file.outside-course", "theme", 1)
    assert "/etc" in problem.message
    assert len([p for p in problems if p.rule == "file.outside-course"]) == 1, dump(problems)  # not every file in /etc
    assert_refused_by_cli(kit.root, "theme", "file.outside-course")


def test_a_content_file_linked_to_etc_shadow_is_refused_without_printing_its_lines(course):
    kit = course()
    os.symlink("/etc/shadow", kit.path("content/people/x.yml"))
    problems = kit.check()
    expect(problems, "file.outside-course", "content/people/x.yml", 1)
    assert [p.rule for p in problems if p.path == "content/people/x.yml"] == ["file.outside-course"], dump(problems)
    text = assert_refused_by_cli(kit.root, "content/people/x.yml", "file.outside-course")
    assert "root:" not in text and "unknown" not in text  # no line of /etc/shadow shows up as an unknown key


def test_a_content_folder_linked_out_of_the_course_is_refused(course, tmp_path):
    kit = course()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "someone.yml").write_text("name: Someone\nrole: staff\nsecret: do not publish\n")
    os.rename(kit.path("content/pags"), tmp_path / "pags-moved")
    os.symlink(outside, kit.path("content/pags"))
    problems = kit.check()
    expect(problems, "file.outside-course", "content/pags", 1)
    assert not any("someone" in p.path or "secret" in p.message for p in problems), dump(problems)


def test_a_story_linked_to_dev_zero_is_refused_at_once(course):
    kit = course()
    os.symlink("/dev/zero", kit.path("content/stories/endless.md"))
    expect(check_within(kit, 5), "file.outside-course", "content/stories/endless.md", 1)
    assert_refused_by_cli(kit.root, "content/stories/endless.md", "file.outside-course", limit=5)


def test_named_pipes_in_content_are_refused_without_opening_them(course):
    kit = course()
    os.mkfifo(kit.path("content/notes"))                # not a file the loader reads: found by the scan
    os.mkfifo(kit.path("content/stories/piped.md"))     # named like a story
    os.mkfifo(kit.path(f"modules/{MODULE}/extra.md"))   # would be published by mkdocs
    problems = check_within(kit, 10)
    for where in ("content/notes", "content/stories/piped.md", f"modules/{MODULE}/extra.md"):
        problem = expect(problems, "file.special", where, 1)
        assert "named pipe" in problem.message
    text = assert_refused_by_cli(kit.root, "content/stories/piped.md", "file.special")
    assert text.count("[file.special]") == 3, text  # each once, not again as unreadable or unexpected


def test_sockets_and_devices_are_refused(course):
    kit = course()
    os.mknod(kit.path("content/people/sock.yml"), 0o600 | stat.S_IFSOCK)
    expect(kit.check(), "file.special", "content/people/sock.yml", 1)
    os.makedirs(kit.path("theme"))
    try:
        os.mknod(kit.path("theme/zero.css"), 0o600 | stat.S_IFCHR, os.makedev(1, 5))
    except PermissionError:
        pytest.skip("creating a device node needs CAP_MKNOD")
    problem = expect(kit.check(), "file.special", "theme/zero.css", 1)
    assert "character device" in problem.message


def test_links_inside_the_course_are_followed_and_loops_end(course):
    kit = course()
    os.makedirs(kit.path(FILES))
    kit.write("modules/shared/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    os.symlink("../../shared/logo.svg", kit.path(f"{FILES}/logo.svg"))
    os.symlink("../../shared", kit.path(f"{FILES}/shared"))
    os.symlink("..", kit.path(f"{FILES}/loop"))                          # a folder linking to its parent
    os.symlink("../pags/pbc-patients.yml", kit.path("content/people/alias-of-a-pag.yml"))
    problems = kit.check()
    refute(problems, "file.outside-course")
    refute(problems, "file.special")
    # The linked file is read like any other (and is not a person): the link is followed, not refused.
    expect(problems, "schema.required", "content/people/alias-of-a-pag.yml", 1)


def test_a_link_out_of_the_course_behind_a_linked_folder_is_found(course):
    kit = course()
    kit.write("modules/_shared/readme.txt", "shared assets")
    os.symlink("/etc/passwd", kit.path("modules/_shared/passwd.txt"))
    os.makedirs(kit.path(FILES))
    os.symlink("../../_shared", kit.path(f"{FILES}/shared"))
    problems = kit.check()
    expect(problems, "file.outside-course", "modules/_shared/passwd.txt", 1)
    refute(problems, "file.outside-course", f"{FILES}/shared")


def test_links_into_the_repository_outside_the_published_folders_are_refused(course):
    # Inside the course folder, but not content/, modules/ or theme/: .git/config can hold a token.
    kit = course()
    kit.write(".git/config", '[remote "origin"]\n\turl = https://token@example.org/course.git\n')
    kit.write("notes/people.yml", "name: Someone\nrole: staff\n")
    os.makedirs(kit.path(FILES))
    os.symlink("../../../.git/config", kit.path(f"{FILES}/config.txt"))
    os.symlink("../../notes", kit.path("content/people/notes"))
    os.symlink("../../notes/people.yml", kit.path("content/people/someone.yml"))
    problems = kit.check()
    for where in (f"{FILES}/config.txt", "content/people/notes", "content/people/someone.yml"):
        problem = expect(problems, "file.outside-course", where, 1)
        assert "content/, modules/ and theme/" in problem.message


def test_mkdocs_yml_linked_out_of_the_course_is_refused(course, tmp_path):
    kit = course()
    (tmp_path / "other.yml").write_text("site_name: x\n")
    os.symlink(tmp_path / "other.yml", kit.path("mkdocs.yml"))
    expect(kit.check(), "file.outside-course", "mkdocs.yml", 1)


def test_read_is_bounded_by_what_was_read_not_by_the_size_the_file_claims(tmp_path):
    # /proc files claim a size of 0 and hold more: only the bytes read can tell.
    status = Path("/proc/self/status")
    assert status.stat().st_size == 0
    with pytest.raises(Refused) as refused:
        read_bounded(status, None, 64)
    assert refused.value.rule == "file.too-large" and "grew past" in refused.value.message
    assert read_bounded(status, None, 1 << 20).startswith(b"Name:")
    small = tmp_path / "content" / "small.txt"
    small.parent.mkdir()
    small.write_bytes(b"x" * 64)
    assert read_bounded(small, tmp_path, 64) == b"x" * 64
    with pytest.raises(Refused) as refused:
        read_bounded(small, tmp_path / "elsewhere", 64)
    assert refused.value.rule == "file.outside-course"
    (tmp_path / "top.txt").write_bytes(b"in the course folder, not in a published one")
    with pytest.raises(Refused) as refused:
        read_bounded(tmp_path / "top.txt", tmp_path, 64)
    assert refused.value.rule == "file.outside-course"
    (tmp_path / "mkdocs.yml").write_bytes(b"site_name: x\n")  # the course's one file outside those folders
    assert read_bounded(tmp_path / "mkdocs.yml", tmp_path, 64) == b"site_name: x\n"


def test_a_clean_course_with_no_links_has_no_file_problems(course):
    problems = course().check()
    for rule in ("file.outside-course", "file.special"):
        refute(problems, rule)
    assert_clean(problems)
