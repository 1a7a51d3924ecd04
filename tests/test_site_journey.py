"""The site's journey, built from the example course without a browser: page order, step pages, home cards,
charts, PAG methods and the defaults every course gets (tests/test_journey_browser.py runs them in Chromium)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from mkdocs.theme import Theme

from patientvoice.build import build
from patientvoice.charts import Bar, bar_chart
from patientvoice.course.loader import load_course
from patientvoice.course.model import Item
from patientvoice.site.defaults import apply_defaults
from patientvoice.site.home import MARKER, home_page
from patientvoice.site.journey import journey, minutes
from patientvoice.site.module_page import module_page, split_title
from patientvoice.site.pages import generated_pages, pag_page
from sitekit import copy_course

REPO = Path(__file__).resolve().parents[1]
ITCH, PAIN = "hearing-the-itch", "believed-in-pain"


@pytest.fixture(scope="module")
def course():
    return load_course(REPO)[0]


def item(kind: str) -> Item:
    return Item(id="x", phases=["pre"], objective=None, kind=kind, stem="?", options=[], answer=None,
                rationale=None, scale=[], line=0)


def test_minutes_follow_the_items():
    assert minutes([item("single")] * 3) == 2  # never less than 2
    assert minutes([item("single")] * 6 + [item("text")]) == 6  # 240 s + 120 s
    assert minutes([item("likert")] * 30) == 10


def test_module_page_order_title_summary_details_journey_body_next(course):
    module = course.modules[PAIN]
    page = module_page(course, module, "# My own title\n\nIntro.\n\n## First\n\nText.\n")
    marks = ["# My own title", 'class="pv-summary"', "<details class=\"pv-activity-details\"",
             "Disclosure of financial relationships", "data-pv-journey", 'id="content"', "## First",
             'data-pv-next="module"']
    where = [page.index(m) for m in marks]
    assert where == sorted(where), list(zip(marks, where))
    summary = page[page.index('class="pv-summary"'):page.index("<details")]
    # The disclosure line names the relevant relationship and its mitigation before the Start button.
    assert "Dr Samuel Roarke" in summary and "Verality Pharma" in summary and "mitigated" in summary
    assert summary.index("Verality") < summary.index("Start with the pre-test")
    assert "AMA PRA Category 1 Credit" in summary and "30 September 2028" in page
    assert split_title("Intro only.\n") == ("", "Intro only.\n")


def test_step_pages_carry_title_journey_and_next_step(course):
    pages = generated_pages(course)
    pre = pages[f"{ITCH}/pre.md"]
    assert pre.startswith('---\n"title": "Pre-test · Hearing the itch"')
    assert "<h1>Pre-test · Hearing the itch</h1>" in pre
    assert pre.index("data-pv-journey") < pre.index("data-pv-questionnaire") < pre.index('data-pv-next="pre"')
    assert 'aria-current="step"' in pre and 'href="../#content"' in pre and "Now read the module" in pre
    post = pages[f"{ITCH}/post.md"]
    assert "data-pv-pre-hint hidden" in post and post.index("data-pv-pre-hint") < post.index("<form")
    assert "data-pv-pre-hint" not in pre
    claim = pages[f"{ITCH}/claim.md"]
    assert "data-pv-journey" in claim and 'href="../follow-up/"' in claim
    assert "It opens 60 days after your post-test" in claim  # the module's follow_up_after_days
    assert "Back to the course" in pages[f"{ITCH}/follow-up.md"]
    module = course.modules[ITCH]
    assert journey(module, "module").count("<li") == 5
    module_q, module.questionnaire = module.questionnaire, None
    try:
        assert journey(module, "module") == ""  # no questionnaire, no steps to take
    finally:
        module.questionnaire = module_q


def test_home_cards_go_at_the_marker_or_before_the_first_heading(course):
    text = "# Welcome\n\nHello.\n\n## How it works\n\nSteps.\n"
    page = home_page(course, text, today=dt.date(2027, 1, 1))
    assert page.index("Hello.") < page.index('class="pv-cards"') < page.index("## How it works")
    assert page.count('class="pv-card"') == 2
    assert 'href="hearing-the-itch/"' in page and "Primary biliary cholangitis" in page and "0.75" in page
    marked = home_page(course, f"Hello.\n\n## A\n\n{MARKER}\n\n## B\n", today=dt.date(2027, 1, 1))
    assert marked.index("## A") < marked.index("pv-cards") < marked.index("## B") and MARKER not in marked
    expired = home_page(course, "Hello.\n", today=dt.date(2029, 1, 1))
    assert expired.count("pv-card--expired") == 2 and ">Start<" not in expired


def test_chart_is_text_with_shares_as_widths():
    html = bar_chart("c", "How often?", "Of 10 who answered: ...", [Bar("Never <ever>", 6, .6), Bar("Often", 0, 0)])
    assert '<span class="pv-chart__label">Never &lt;ever&gt;</span>' in html
    assert 'style="width: 60.0%"' in html and 'style="width: 0.0%"' in html and "60% (6)" in html
    assert 'aria-label="How often?"' in html and "<svg" not in html


def test_pag_page_gives_each_surveys_methods_once(course):
    html = pag_page(course, course.pags["pbc-network"])
    assert html.count("<strong>Methods.</strong>") == 1
    assert html.count("Methods as given for the first question of this survey.") == 2


def test_defaults_fill_what_the_course_left_unset():
    theme = Theme(name="material")
    extra: dict = {}
    assert apply_defaults(theme, extra, custom_colours=True) == ["extra.generator", "theme.palette", "theme.features"]
    assert extra["generator"] is False and theme["font"] is False and "navigation.footer" in theme["features"]
    assert [p["scheme"] for p in theme["palette"]] == ["default", "slate"]
    own = Theme(name="material", features=["navigation.tabs"], palette={"primary": "red"}, font={"text": "Roboto"})
    extra = {"generator": True}
    assert apply_defaults(own, extra, custom_colours=True) == []
    assert own["features"] == ["navigation.tabs"] and own["palette"] == {"primary": "red"} and extra["generator"]
    assert own["font"] is False  # never Google Fonts


def test_a_course_without_those_settings_gets_them_in_its_build(tmp_path):
    root = copy_course(tmp_path / "course")
    config = (root / "mkdocs.yml").read_text()
    config = re.sub(r"(?ms)^  features:.*?(?=^markdown_extensions:)", "", config)  # features and palette
    config = config.replace("extra:\n  generator: false", "")
    assert "palette" not in config and "generator" not in config
    (root / "mkdocs.yml").write_text(config)
    shutil.rmtree(root / "build", ignore_errors=True)
    # mkdocs.yml is in every approval's files: record the edit as the committee would, via review approve.
    from patientvoice.cli import main
    for module, by, date in ((ITCH, "miriam-achterberg,ruth-calloway", "2026-09-20"),
                             (PAIN, "adaeze-whitfield,yvonne-abara", "2026-09-22")):
        with pytest.raises(SystemExit) as done:
            main(["review", "approve", module, "--by", by, "--date", date, "--root", str(root)])
        assert done.value.code in (0, None)
    build(root, pdf=False, progress=lambda msg: None)
    html = (root / "build" / "site" / ITCH / "index.html").read_text(encoding="utf-8")
    assert "Made with" not in html and 'data-md-color-scheme="slate"' in html
    assert 'class="md-footer__link md-footer__link--next"' in html  # navigation.footer
    assert "fonts.googleapis.com" not in html


def test_the_summary_acknowledges_support_in_the_activity_informations_words():
    """Standard 4: supporter and kind of support, the same sentence as the full activity information."""
    from patientvoice.compliance.support import acknowledgement
    from patientvoice.course.loader import load_course
    from patientvoice.site.module_page import module_page

    course = load_course(REPO)[0]
    module = course.modules["believed-in-pain"]
    module.commercial_support = [{"company": "verality-pharma", "kind": "educational-grant"}]
    page = module_page(course, module, "# Title\n\nBody")
    sentence = acknowledgement(course, module)
    assert sentence == "This activity is supported by an educational grant from Verality Pharma."
    summary = page.split('class="pv-summary__disclosure"', 1)[1].split("</p>", 1)[0]
    assert sentence in summary
