"""A PDF that cannot be rendered: a `pdf.failed` problem on its module, the previous PDF kept, no traceback."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from coursekit import expect, refute
from patientvoice.review.approve import approve
from patientvoice.course.loader import load_course
from patientvoice.pdf import build_pdfs
from pdfread import text
from sitekit import copy_course

PV = [sys.executable, "-m", "patientvoice.cli"]
PAIN = "believed-in-pain"
PAIN_MD = f"modules/{PAIN}/index.md"


def run(args, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(PV + args, cwd=cwd, capture_output=True, text=True, timeout=300, env=env)


def pdfs(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (root / "build" / "pdf").iterdir()}


def add_image(root: Path, src: str) -> None:
    """Put an image in the module body and record the committee's approval of the edit, so the checks pass."""
    md = root / PAIN_MD
    md.write_text(md.read_text(encoding="utf-8").replace(
        "## The acute pain crisis\n", f"## The acute pain crisis\n\n![Triage flowchart for a pain crisis]({src})\n", 1),
        encoding="utf-8")
    course, _ = load_course(root)
    approve(course, PAIN, ["adaeze-whitfield", "yvonne-abara"], "approved", dt.date(2026, 9, 24))


@pytest.fixture
def course(tmp_path) -> Path:
    return copy_course(tmp_path / "course")


def test_a_missing_image_fails_its_pdf_names_the_module_and_keeps_the_previous_files(course):
    (course / "build" / "pdf").mkdir(parents=True)
    (course / "build" / "pdf" / "retired-module.pdf").write_bytes(b"%PDF-1.7 left over from a deleted module")
    out = run(["pdf"], course)
    assert out.returncode == 0, out.stderr
    assert f"pdf {PAIN}.pdf (" in out.stderr and "✓ PDFs of 2 modules in build/pdf" in out.stdout
    assert "removed retired-module.pdf" in out.stderr  # a full run leaves only the PDFs of today's modules
    before = pdfs(course)
    assert len(before) == 6 and "retired-module.pdf" not in before

    add_image(course, "missing.png")
    out = run(["pdf", PAIN], course)
    assert out.returncode == 1
    assert f"{PAIN_MD}:1: {PAIN}: {PAIN}.pdf could not be rendered" in out.stderr
    assert "image 'missing.png' not found in the module's folder [pdf.failed]" in out.stderr
    assert "the previous files were left in build/pdf" in out.stderr
    assert "Traceback" not in out.stderr + out.stdout
    assert pdfs(course) == before  # nothing half-written, no temporary files left behind

    # The same through the API; the other PDFs of the module are untouched by the failure and come from the cache.
    lines: list[str] = []
    problems = build_pdfs(load_course(course)[0], course / "build" / "pdf",
                          cache_dir=course / "build" / ".cache" / "pdf", progress=lines.append, modules=[PAIN])
    problem = expect(problems, "pdf.failed", PAIN_MD, 1)
    assert problem.message.endswith("could not be rendered: image 'missing.png' not found in the module's folder")
    assert f"  pdf {PAIN}-questionnaires.pdf (cached)" in lines


def test_a_remote_image_is_refused_so_build_publishes_nothing_and_a_local_one_is_rendered(course):
    # check refuses a remote image (url.external-resource: it tracks readers); the PDF renderer refuses it
    # too (below), since the PDFs must not depend on the network.
    add_image(course, "https://example.org/flowchart.png")
    out = run(["build"], course)
    assert out.returncode == 1, out.stderr
    assert f"{PAIN_MD}:" in out.stderr and "[url.external-resource]" in out.stderr
    assert "nothing in build/ was changed" in out.stderr and "Traceback" not in out.stderr
    assert not (course / "build" / "site").exists() and not (course / "build" / "pdf").exists()  # nothing published
    problems = build_pdfs(load_course(course)[0], course / "out", cache_dir=course / "build" / ".cache" / "pdf",
                          progress=lambda m: None, modules=[PAIN])
    problem = expect(problems, "pdf.failed", PAIN_MD, 1)
    assert "https://example.org/flowchart.png is not a local file" in problem.message

    # With the image in the module's folder, `patientvoice build` publishes the site and all six PDFs.
    md = course / PAIN_MD
    md.write_text(md.read_text(encoding="utf-8").replace("https://example.org/flowchart.png", "flowchart.png"),
                  encoding="utf-8")
    Image.new("RGB", (120, 60), "#1f4e79").save(course / "modules" / PAIN / "flowchart.png")
    course_obj = load_course(course)[0]
    approve(course_obj, PAIN, ["adaeze-whitfield", "yvonne-abara"], "approved", dt.date(2026, 9, 25))
    problems = build_pdfs(load_course(course)[0], course / "out", cache_dir=course / "build" / ".cache" / "pdf",
                          progress=lambda m: None, modules=[PAIN])
    refute(problems, "pdf.failed")
    out = run(["build"], course)
    assert out.returncode == 0, out.stderr
    assert "rendering PDF handouts…" in out.stderr and "6 PDFs in build/pdf" in out.stdout
    # The API call above rendered this module's three; the failed build rendered nothing (check stopped it).
    assert out.stderr.count("(cached)") == 3
    assert len(pdfs(course)) == 6
    assert "Standards for the first hour" in text(course / "build" / "pdf" / f"{PAIN}.pdf")


def test_a_pdf_that_fails_after_the_site_is_built_leaves_the_published_site_and_handouts_as_they_were(course):
    from patientvoice.build import BuildError, build

    build(course, progress=lambda m: None)
    site = course / "build" / "site"
    before = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert f"handouts/{PAIN}.pdf" in before and f"handouts/{PAIN}-questionnaires.pdf" in before
    # An image that exists (so check passes and the site builds) but is not an image: only the PDF fails.
    (course / "modules" / PAIN / "broken.png").write_bytes(b"not a PNG at all")
    add_image(course, "broken.png")
    with pytest.raises(BuildError) as failed:
        build(course, progress=lambda m: None)
    assert any(p.rule == "pdf.failed" for p in failed.value.problems)
    after = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before  # the new site (with its new page) was not swapped in, nor its handouts
