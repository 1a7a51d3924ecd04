"""The built site in real headless Chromium: accessibility, no third-party requests, the story filter."""

from __future__ import annotations

import pytest

from patientvoice.build import build
from sitekit import copy_course, run_axe, serve_dir

playwright_api = pytest.importorskip("playwright.sync_api")
PAGES = ["", "hearing-the-itch/", "believed-in-pain/", "stories/", "stories/gloria-watching-my-son/", "faculty/",
         "pags/sickle-cell-forum/"]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    root = copy_course(tmp_path_factory.mktemp("course"))
    build(root, pdf=False, progress=lambda msg: None)
    with serve_dir(root / "build" / "site") as url:
        yield url


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_serious_violations(browser, base_url, path, scheme):
    page = browser.new_page(color_scheme=scheme)
    page.goto(f"{base_url}/{path}")
    # Material applies the dark palette from prefers-color-scheme; wait until it is on the body.
    expected = "slate" if scheme == "dark" else "default"
    page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') === '{expected}'")
    assert run_axe(page) == []
    page.close()


def test_pages_request_nothing_from_other_hosts(browser, base_url):
    page = browser.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    for path in PAGES:
        page.goto(f"{base_url}/{path}", wait_until="networkidle")
    assert requests and [u for u in requests if not u.startswith(base_url)] == []
    page.close()


def test_self_hosted_font_is_used(browser, base_url):
    page = browser.new_page()
    page.goto(f"{base_url}/hearing-the-itch/", wait_until="networkidle")
    assert page.evaluate("document.fonts.check('16px \"Atkinson Hyperlegible\"')")
    family = page.evaluate("getComputedStyle(document.querySelector('.md-typeset')).fontFamily")
    assert family.startswith('"Atkinson Hyperlegible"')
    page.close()


def test_story_library_filters_by_condition_and_segment(browser, base_url):
    page = browser.new_page()
    page.goto(f"{base_url}/stories/")
    items = page.locator(".pv-library__item")
    assert items.count() == 6 and page.locator("[data-pv-count]").inner_text() == "6 stories"
    page.select_option("#pv-filter-condition", "Sickle cell disease")
    visible = page.locator(".pv-library__item:visible")
    assert visible.count() == 3
    assert all(t == "Sickle cell disease" for t in visible.evaluate_all("els => els.map(e => e.dataset.condition)"))
    assert page.locator("[data-pv-count]").inner_text() == "3 stories"
    page.select_option("#pv-filter-segment", "caregiver")
    assert page.locator(".pv-library__item:visible").count() == 1
    page.close()
