"""Shared fixtures: the course factory (its builder lives in tests/coursekit.py), one Chromium and one
PostgreSQL cluster per test process."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # so tests can `import coursekit`

from coursekit import make_course  # noqa: E402
# PostgreSQL fixtures live in pg.py; registered here so that every test module shares one cluster per worker
# (a session fixture imported into several modules would start one cluster per module).
from pg import postgres_server, postgres_url  # noqa: E402,F401


@pytest.fixture
def course(tmp_path):
    """Factory: ``course(files={path: text or None}, approved=True)`` writes the minimal valid course to tmp_path."""

    def build(files=None, approved=True):
        return make_course(tmp_path / "course", files, approved)

    return build


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium through Playwright, one per test process.

    Here and not in a helper module: a fixture imported into two test modules is two fixtures, and
    Playwright's sync API cannot run two at once in one process.
    """
    from playwright.sync_api import sync_playwright

    from sitekit import launch_chromium

    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()
