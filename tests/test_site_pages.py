"""The generated pages and navigation, without mkdocs."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from patientvoice.course.loader import load_course
from patientvoice.site.pages import FLAT_NAV_MODULES, module_condition, navigation

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
from generate_course import generate_course  # noqa: E402


def test_small_course_lists_modules_at_the_top_of_the_nav():
    course, _ = load_course(REPO)
    nav = navigation(course)
    titles = [next(iter(entry)) for entry in nav]
    # Modules in release order, then by id (both example modules were released the same day).
    assert titles == ["Home", "Believed in pain", "Hearing the itch", "Patient stories", "Patient advocacy groups",
                      "Faculty and disclosures"]
    itch = nav[2]["Hearing the itch"]
    # The journey's order, which the footer's previous/next links follow; the module page is untitled, so it
    # keeps its full title.
    assert itch == [{"Pre-test": "hearing-the-itch/pre.md"}, "hearing-the-itch/index.md",
                    {"Post-test": "hearing-the-itch/post.md"}, {"Claim credit": "hearing-the-itch/claim.md"},
                    {"Follow-up": "hearing-the-itch/follow-up.md"}]


def test_large_programme_groups_modules_by_condition(tmp_path):
    root = generate_course(tmp_path / "course", FLAT_NAV_MODULES + 6, 60, seed=3)
    course, _ = load_course(root)
    nav = navigation(course)
    sections = nav[[next(iter(e)) for e in nav].index("Modules")]["Modules"]
    conditions = [next(iter(s)) for s in sections]
    assert conditions == sorted(conditions) and len(conditions) > 1
    listed = sorted(next(p for p in pages if isinstance(p, str))
                    for s in sections for ms in s.values() for m in ms for pages in m.values())
    assert listed == sorted(f"{m}/index.md" for m in course.modules)
    for m in course.modules.values():
        assert module_condition(course, m) in conditions
