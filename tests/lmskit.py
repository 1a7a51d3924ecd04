"""Helpers for the LMS package tests: export a module with the real CLI, unzip it, and take it as a learner.

The package is served over HTTP from a folder that also holds the LMS side (a host page for SCORM, a stub LRS
for cmi5); the learner is driven in Chromium through the package's own pages, inside its inner frame.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from click.testing import CliRunner

from patientvoice.check import check_course
from patientvoice.cli import main
from patientvoice.outcomes.scoring import score
from sitekit import copy_course

MODULE = "hearing-the-itch"


def export(tmp_path: Path, *args: str) -> tuple[Path, Path]:
    """Copy the example course, run ``patientvoice export ARGS --out``; return (course root, zip)."""
    root = copy_course(tmp_path / "course")
    out = tmp_path / f"{args[0]}.zip"
    result = CliRunner().invoke(main, ["export", *args, "--root", str(root), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return root, out


def unzip(package: Path, dest: Path) -> list[str]:
    """Extract the package into ``dest``; return its file names."""
    with zipfile.ZipFile(package) as z:
        z.extractall(dest)
        return z.namelist()


def post_items(root: Path, module: str = MODULE):
    """The module's post-test items from the course model, in page order."""
    course, _ = check_course(root)
    return course.modules[module].questionnaire.phase("post")


def answers_for(items, wrong: int = 0) -> dict:
    """Answers to the knowledge items: all from the key, except the first ``wrong`` keyed ones answered wrongly."""
    out, missed = {}, 0
    for item in items:
        if item.kind not in ("single", "multiple") or item.answer is None:
            continue
        key = item.answer
        if missed < wrong:
            missed += 1
            key = [i for i in range(len(item.options)) if i not in (key if isinstance(key, list) else [key])][:1]
            key = key if item.kind == "multiple" else key[0]
        out[item.id] = key
    return out


def expected_score(root: Path, answers: dict, module: str = MODULE) -> dict:
    """What patientvoice/outcomes/scoring.py makes of these answers (the rule the package must follow)."""
    course, _ = check_course(root)
    m = course.modules[module]
    return score({i.id: i for i in m.questionnaire.phase("post")}, answers, m.activity["pass_mark"])


def page_frame(sco_frame):
    """The module page frame inside the launch page's frame (a Playwright Frame)."""
    return sco_frame.child_frames[0]


def wait_page(frame, page_id: str, timeout: float = 20000):
    """Wait until the launch page shows ``page_id`` in its inner frame; return that frame."""
    # The launch page marks the page current in its frame's load handler, where it also records the location:
    # waiting for the body alone would let a test leave before the runtime had seen the page.
    frame.wait_for_function(
        "id => { const f = document.querySelector('[data-pv-frame]');"
        " const nav = document.querySelector(`[data-pv-nav='${id}']`);"
        " return f && f.contentDocument && f.contentDocument.body && f.contentDocument.body.dataset.pvPage === id"
        " && nav && nav.getAttribute('aria-current') === 'page'; }",
        arg=page_id, timeout=timeout)
    return page_frame(frame)


def answer_form(inner, answers: dict, text: str = "I will ask about itch at every visit.") -> None:
    """Tick the given answers on a questionnaire page, answer required survey items with their first option,
    write ``text`` into each text box, and submit, as a learner would (clicks and typing)."""
    for item in inner.query_selector_all("[data-item]"):
        ident, kind = item.get_attribute("data-item"), item.get_attribute("data-kind")
        if kind in ("text", "commitment"):
            item.query_selector("textarea").fill(text)
            continue
        chosen = answers.get(ident, 0)
        for choice in chosen if isinstance(chosen, list) else [chosen]:
            item.query_selector(f"label[for='q-{ident}-{choice}']").click()
    inner.click("[data-pv-submit]")
