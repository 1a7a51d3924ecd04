"""The learner's journey in real headless Chromium (issue 15): the example course built once for this module.

At 390 px and 1280 px on every page type: nothing scrolls sideways, chart labels stay at least 12 px, axe finds
nothing serious. Then one learner walks the steps: the indicator ticks each step as it is done, every step
page ends with its next-step link, the post-test suggests the pre-test, and feedback marks "Your answer".
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from claimkit import claim_browser, cpage  # noqa: E402,F401  (fixtures)
from sitekit import copy_course, run_axe  # noqa: E402
from test_claim_browser import KEY, MODULE, WRONG, build_and_serve, post_test  # noqa: E402
from test_questionnaire_browser import answer  # noqa: E402

PAGES = ["", f"{MODULE}/", f"{MODULE}/pre/", f"{MODULE}/post/", f"{MODULE}/claim/", f"{MODULE}/follow-up/",
         "pags/pbc-network/", "faculty/", "stories/", "stories/elaine-night-itch/"]
NEXT = {f"{MODULE}/pre/": "Now read the module", f"{MODULE}/": "Take the post-test",
        f"{MODULE}/post/": "Claim your credit", f"{MODULE}/claim/": "The follow-up questionnaire",
        f"{MODULE}/follow-up/": "Back to the course"}


@pytest.fixture
def page(cpage):
    """A fresh page (empty localStorage) in claimkit's browser, closed with this module."""
    return cpage


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The example course as it ships (no collector), built once and served."""
    server, base = build_and_serve(copy_course(tmp_path_factory.mktemp("journey-course")))
    yield base
    server.shutdown()


def viewport(page, width: int):
    page.set_viewport_size({"width": width, "height": 844 if width < 500 else 900})


def states(page) -> dict:
    """Each step of the indicator and the state journey.js gave it (todo, partial, done)."""
    page.wait_for_selector("[data-pv-journey] [data-step][data-state]")
    return dict(page.eval_on_selector_all("[data-pv-journey] [data-step]",
                                          "els => els.map(e => [e.dataset.step, e.dataset.state])"))


@pytest.mark.parametrize("width", [390, 1280])
def test_every_page_type_fits_and_passes_axe(page, site, width):
    viewport(page, width)
    wide, serious = [], {}
    for path in PAGES:
        page.goto(f"{site}/{path}")
        overflow = page.evaluate("""() => [...document.querySelectorAll('.md-content *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .slice(0, 3).map(e => e.tagName + '.' + e.className)""")
        if page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth") or overflow:
            wide.append((path, overflow))
        if width == 390 or path in ("", f"{MODULE}/"):  # axe is slow on a loaded machine: every page once
            found = run_axe(page)
            if found:
                serious[path] = found
    assert wide == [] and serious == {}, (wide, serious)


@pytest.mark.parametrize("width", [360, 390, 1280])
def test_chart_labels_stay_readable_and_use_the_width(page, site, width):
    viewport(page, width)
    page.goto(f"{site}/pags/pbc-network/")
    sizes = page.eval_on_selector_all(
        ".pv-chart__label, .pv-chart__value",
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize) * (e.getBoundingClientRect().width / e.offsetWidth || 1))")
    assert sizes and min(sizes) >= 12, sizes
    chart = page.eval_on_selector(".pv-chart", "e => e.getBoundingClientRect().width")
    content = page.eval_on_selector(".md-content__inner", "e => e.clientWidth")
    assert chart >= 0.9 * content - 40, (chart, content)  # the chart spans its column, on a phone and a desktop
    # On a phone each label sits above its bar; on a desktop beside it.
    label, track = (page.eval_on_selector(f".pv-chart__row {s}", "e => e.getBoundingClientRect().toJSON()")
                    for s in (".pv-chart__label", ".pv-chart__track"))
    assert (label["bottom"] <= track["top"] + 1) == (width < 500), (label, track)


def test_module_page_leads_with_the_summary_and_keeps_the_details_before_the_content(page, site):
    viewport(page, 390)
    page.goto(f"{site}/{MODULE}/")
    order = page.evaluate("""() => ['h1', '.pv-summary', '.pv-activity-details', '[data-pv-journey]', '#content',
        '.pv-story', '[data-pv-next]'].map(s => document.querySelector('.md-content ' + s))
        .map((e, i, all) => i && e && all[i - 1] ? !!(all[i - 1].compareDocumentPosition(e) & 4) : !!e)""")
    assert all(order), order
    start = page.locator(".pv-summary a.md-button", has_text="Start with the pre-test")
    assert start.get_attribute("href") == "pre/" and start.bounding_box()["y"] + 40 < 844  # on the first screen
    assert "Disclosures." in page.text_content(".pv-summary")
    details = page.locator("details.pv-activity-details")
    assert details.get_attribute("open") is None and "Disclosure of financial relationships" in details.text_content()
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert details.get_attribute("open") is not None  # printed in full


def test_the_journey_ticks_each_step_and_every_step_leads_on(page, site):
    viewport(page, 390)
    page.goto(f"{site}/{MODULE}/")
    assert states(page) == dict.fromkeys(["pre", "module", "post", "claim", "follow-up"], "todo")
    for path, label in NEXT.items():  # every step page ends with its next-step link
        page.goto(f"{site}/{path}")
        assert page.locator("[data-pv-next] a", has_text=label).count() == 1, path
    # The post-test first suggests the pre-test, and says what skipping it means for the outcomes.
    page.goto(f"{site}/{MODULE}/post/")
    hint = page.locator("[data-pv-pre-hint]")
    assert hint.is_visible() and "before-and-after comparison" in hint.text_content()
    assert page.title().startswith("Post-test · Hearing the itch")
    page.goto(f"{site}/{MODULE}/pre/")
    page.wait_for_selector("[data-pv-learner]:not([hidden])")
    answer(page)
    page.click("[data-pv-submit]")
    page.wait_for_function("document.querySelector('[data-step=pre]').dataset.state === 'done'")
    assert states(page)["module"] == "todo"
    page.goto(f"{site}/{MODULE}/")
    page.locator("[data-pv-next='module']").scroll_into_view_if_needed()
    page.wait_for_function("document.querySelector('[data-step=module]').dataset.state === 'done'")
    post_test(page, site, WRONG)  # a failed attempt: the step is started, not done
    assert states(page)["post"] == "partial"
    assert not page.locator("[data-pv-pre-hint]").is_visible()  # the pre-test is done
    # Feedback: the learner's own choice is labelled, beside the correct answer and the rationale.
    first = next(iter(KEY))
    item = page.locator(f"#item-{first}")
    assert item.locator(".pv-option--yours .pv-option__yours").inner_text().strip() == "Your answer, not correct"
    assert item.locator(".pv-option--correct .pv-option__key").count() >= 1
    assert "Your answer:" in item.text_content() and "Correct answer:" in item.text_content()
    outline = item.locator(".pv-option--yours").evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline == "solid"
    # The marked-up feedback passes axe in both schemes (the learner's own toggle switches to dark).
    assert run_axe(page) == []
    page.click("label[title='Switch to dark mode']")
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    assert page.locator(".pv-option__yours").count() >= 1 and run_axe(page) == []


def test_a_pass_ticks_the_post_test_and_the_claim_step_waits_for_a_certificate(page, site):
    post_test(page, site, KEY)
    now = states(page)
    assert now["post"] == "done" and now["claim"] == "todo" and now["pre"] == "todo"
    page.goto(f"{site}/{MODULE}/claim/")
    page.evaluate("""() => { const s = window.patientvoiceStore; s.addCertificate({certificate: 'Zq3kT0',
        module: 'hearing-the-itch', activity: 'PV-2026-PBC-01', title: 'Hearing the itch', credits: 0.75,
        pdf: 'https://c.example/x.pdf', verify: 'https://c.example/v', claimed: '2026-11-02T10:00:00Z'});
        document.dispatchEvent(new CustomEvent('patientvoice:certificate')); }""")
    assert states(page)["claim"] == "done"
    # A follow-up submitted in this browser (its page opens only weeks later) ticks the last step.
    page.evaluate("""() => { const s = window.patientvoiceStore; s.add({status: 'local', response: {
        activity: 'PV-2026-PBC-01', module: 'hearing-the-itch', phase: 'follow-up', learner: s.learner(),
        submitted: '2027-01-05T10:00:00Z', answers: {}}}); }""")
    page.reload()
    assert states(page)["follow-up"] == "done"


def test_a_learner_may_skip_the_suggested_pre_test(page, site):
    page.goto(f"{site}/{MODULE}/post/")
    hint = page.locator("[data-pv-pre-hint]")
    assert hint.is_visible() and hint.locator("a[href='../pre/']").count() == 1
    hint.locator("[data-pv-skip-pre]").click()
    assert not hint.is_visible()
    page.reload()
    page.wait_for_selector("[data-pv-journey] [data-step][data-state]")
    assert not hint.is_visible()  # the choice is remembered in this browser


def test_story_filter_offers_a_way_back_and_story_pages_mark_the_library(page, site):
    viewport(page, 390)
    page.goto(f"{site}/stories/")
    reset = page.locator("[data-pv-filter-reset]")
    assert not reset.is_visible()
    page.select_option("#pv-filter-condition", "Sickle cell disease")
    page.select_option("#pv-filter-segment", "caregiver")
    assert page.locator(".pv-library__item:visible").count() == 1 and reset.is_visible()
    page.select_option("#pv-filter-condition", "Primary biliary cholangitis")  # no PBC caregiver story
    assert page.locator(".pv-library__item:visible").count() == 0
    assert page.inner_text("[data-pv-count]").startswith("No stories match")
    reset.click()
    page.wait_for_function("document.querySelector('[data-pv-count]').textContent === '6 stories'")
    assert page.locator(".pv-library__item:visible").count() == 6 and not reset.is_visible()
    viewport(page, 1280)
    page.goto(f"{site}/stories/elaine-night-itch/")
    active = page.eval_on_selector_all(".md-nav__link--active", "els => els.map(e => e.textContent.trim())")
    assert active == ["Patient stories"]
