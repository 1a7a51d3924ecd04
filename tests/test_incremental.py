"""Incremental rebuilds (engines/incremental.py): after each kind of edit, the pages equal a clean build's."""

from __future__ import annotations

from pathlib import Path

import pytest

from patientvoice.engines.incremental import Rebuilder
from sitekit import copy_course

STORY = "content/stories/jalen-waiting-room.md"
MODULE = "modules/believed-in-pain/index.md"


def pages(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("index.html"))}


def edit(root: Path, rel: str, old: str, new: str) -> None:
    text = (root / rel).read_text(encoding="utf-8")
    assert text.count(old) == 1
    (root / rel).write_text(text.replace(old, new), encoding="utf-8")


def assert_equals_clean(root: Path, site: Path, tmp_path: Path, name: str) -> None:
    clean = Rebuilder(root, tmp_path / f"clean-{name}")
    clean.rebuild()
    expected, got = pages(clean.site), pages(site)
    assert got.keys() == expected.keys()
    stale = [page for page in expected if got[page] != expected[page]]
    assert not stale, f"after the {name} edit these pages differ from a clean build: {stale}"


@pytest.mark.parametrize("engine", ["mkdocs"])
def test_incremental_pages_equal_a_clean_build_after_story_and_module_edits(tmp_path, engine):
    root = copy_course(tmp_path / "course")
    live = Rebuilder(root, tmp_path / "live", engine=engine)
    first = live.rebuild()
    assert first.full and first.checked
    again = live.rebuild()  # nothing changed: no check, no page written
    assert not again.checked and not again.written and not again.full

    edit(root, STORY, "I only go to the emergency department", "I only ever go to the emergency department")
    story = live.rebuild()
    assert story.checked and not story.full
    assert "stories/jalen-waiting-room.md" in story.written and "believed-in-pain/index.md" in story.written
    assert "hearing-the-itch/index.md" not in story.written  # a module that does not embed the story
    assert b"I only ever go to the emergency department" in (live.site / "stories/jalen-waiting-room/index.html").read_bytes()
    assert_equals_clean(root, live.site, tmp_path, "story")

    edit(root, MODULE, "Key points for the ED:", "Key points for the emergency department:")
    module = live.rebuild()
    assert module.written == ["believed-in-pain/index.md"] and not module.full
    assert module.how == "session"  # the kept mkdocs build redid this page alone (engines/session.py)
    assert b"Key points for the emergency department" in (live.site / "believed-in-pain/index.html").read_bytes()
    assert_equals_clean(root, live.site, tmp_path, "module")

    # A course-wide file (a person shown in the activity information and on the faculty page).
    edit(root, "content/people/adaeze-whitfield.yml", "name: Dr Adaeze Whitfield", "name: Dr Adaeze N. Whitfield")
    person = live.rebuild()
    assert "believed-in-pain/index.md" in person.written and "faculty.md" in person.written
    assert b"Adaeze N. Whitfield" in (live.site / "believed-in-pain/index.html").read_bytes()
    assert_equals_clean(root, live.site, tmp_path, "person")

    # A PAG survey's figures (the module pages that chart it and its PAG's page), the PAG's name (its page, the
    # story cards that credit it), a questionnaire (its step pages), the home page's own text.
    edit(root, "content/data/scd-ed-experience-2025.yml", "respondents: 286", "respondents: 287")
    data = live.rebuild()
    assert "pags/sickle-cell-forum.md" in data.written and "believed-in-pain/index.md" in data.written
    assert_equals_clean(root, live.site, tmp_path, "data set")
    edit(root, "content/pags/sickle-cell-forum.yml", "name: Sickle Cell Family Forum", "name: Sickle Cell Family Forum UK")
    live.rebuild()
    assert_equals_clean(root, live.site, tmp_path, "PAG")
    edit(root, "modules/believed-in-pain/questionnaire.yml", "how often should pain be reassessed",
         "how often should the pain be reassessed")
    questions = live.rebuild()
    assert "believed-in-pain/post.md" in questions.written and "hearing-the-itch/post.md" not in questions.written
    assert_equals_clean(root, live.site, tmp_path, "questionnaire")
    edit(root, "modules/index.md", "Welcome. This course", "Welcome. This accredited course")
    home = live.rebuild()
    assert home.written == ["index.md"] and home.how == "session"
    assert_equals_clean(root, live.site, tmp_path, "home page")
    # A story's condition: the home page's card shows the condition most of a module's stories share.
    edit(root, STORY, "condition: Sickle cell disease", "condition: Sickle cell anaemia")
    condition = live.rebuild()
    assert "index.md" in condition.written
    assert b"Sickle cell anaemia" in (live.site / "index.html").read_bytes()
    assert_equals_clean(root, live.site, tmp_path, "story condition")

    # An embed removed: the story is no longer published, so its page must leave the site.
    edit(root, MODULE, "/// story | nadia-a-plan-of-my-own\n///\n", "")
    removed = live.rebuild()
    assert "stories/nadia-a-plan-of-my-own.md" in removed.written and removed.full
    assert not (live.site / "stories/nadia-a-plan-of-my-own/index.html").exists()
    assert_equals_clean(root, live.site, tmp_path, "embed")

    edit(root, MODULE, 'title: "Believed in pain', 'title: "Believed in pain, always')
    retitled = live.rebuild()
    assert retitled.full  # every page's nav and previous/next links show the title
    assert_equals_clean(root, live.site, tmp_path, "title")


def test_a_hand_made_pages_new_title_reaches_every_pages_navigation(tmp_path):
    """A page of the author's own in modules/ listed in mkdocs.yml's nav by path: its title is the nav label
    (and the previous/next link) on other pages, so a new title must rebuild them too."""
    root = copy_course(tmp_path / "course")
    (root / "modules/about.md").write_text("# About the course\n\nWho made it.\n", encoding="utf-8")
    cfg = root / "mkdocs.yml"
    cfg.write_text(cfg.read_text() + "nav:\n  - index.md\n  - about.md\n  - believed-in-pain/index.md\n")
    live = Rebuilder(root, tmp_path / "live")
    live.rebuild()
    edit(root, "modules/about.md", "# About the course", "# Who made this course")
    retitled = live.rebuild()
    assert b"Who made this course" in (live.site / "believed-in-pain/index.html").read_bytes()
    assert retitled.full
    assert_equals_clean(root, live.site, tmp_path, "hand-made page title")


def test_a_story_or_page_made_too_complex_after_the_first_build_becomes_the_placeholder_in_the_preview(tmp_path):
    """content.too-complex stops a build; a preview builds despite problems, so the renderer never gets the page."""
    root = copy_course(tmp_path / "course")
    (root / "modules/about.md").write_text("# About\n\nWho made it.\n", encoding="utf-8")
    live = Rebuilder(root, tmp_path / "live")
    live.rebuild()
    run = "_" * 70  # longer than a delimiter run the renderer is given (security/complexity.py)
    edit(root, "modules/about.md", "Who made it.", f"Who made it. {run}")
    edit(root, "modules/index.md", "Welcome. This course", f"Welcome. {run} This course")
    edit(root, STORY, "I only go to the emergency department", f"I only go to the emergency department {run}")
    live.rebuild()
    for page in ("about/index.html", "index.html", "stories/jalen-waiting-room/index.html",
                 "believed-in-pain/index.html"):
        html = (live.site / page).read_text(encoding="utf-8")
        assert "Not rendered" in html and run not in html, page
    assert_equals_clean(root, live.site, tmp_path, "too complex page")
