"""Browser fixtures for the claim tests: a Chromium that is closed when the test module ends.

Playwright's sync API keeps an event loop running in the test process while it is open, and the collector's
load tests (test_outcomes_collector.py) call ``asyncio.run``, which refuses to run inside one. The session
``browser`` of conftest.py is started by modules that sort after those tests; the claim modules sort before
them, so they use their own Chromium and close it (or reuse the session one when it is already running).
Import the fixtures into a test module: ``from claimkit import claim_browser, cpage``.
"""

from __future__ import annotations

import asyncio

import pytest

from sitekit import launch_chromium


@pytest.fixture(scope="module")
def claim_browser(request):
    """Headless Chromium for one test module."""
    if asyncio._get_running_loop() is not None:  # the session browser is open: two cannot run at once
        yield request.getfixturevalue("browser")
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


@pytest.fixture
def cpage(claim_browser):
    """A fresh page in its own context (empty localStorage), downloads allowed; fails on JavaScript errors."""
    context = claim_browser.new_context(accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(5000)
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
