"""Browser-test fixtures: the example course built with a local collector as ``submit_url``, served, and Chromium.

Import the fixtures into a test module (``from browser import site, collector, page``); ``browser`` is in conftest.py. Everything
lives under tmp_path_factory and binds port 0, so pytest-xdist workers never share a port or a folder.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
from functools import partial
from http.server import BaseHTTPRequestHandler

import pytest

from sitekit import AXE, REPO, QuietFiles, copy_course, run_axe, serve  # noqa: F401 (AXE: re-exported)


class Collector:
    """What the test collector received; ``fail`` makes the next POSTs answer 503, as a server having a bad day."""

    def __init__(self):
        self.received: list[dict] = []
        self.content_types: list[str] = []
        self.fail = 0
        self.lock = threading.Lock()

    def reset(self):
        """Forget earlier tests' responses."""
        with self.lock:
            self.received.clear()
            self.content_types.clear()
            self.fail = 0


def _collector_handler(state: Collector):
    class Handler(BaseHTTPRequestHandler):
        def _cors(self):
            # The site and the collector are on different ports, so the browser asks first (CORS preflight).
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Allow-Methods", "POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type")

        def do_OPTIONS(self):  # noqa: N802
            self.send_response(204)
            self._cors()
            self.end_headers()

        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with state.lock:
                failing = state.fail > 0
                if failing:
                    state.fail -= 1
                else:
                    state.received.append(json.loads(body))
                    state.content_types.append(self.headers.get("Content-Type", ""))
            self.send_response(503 if failing else 201)
            self._cors()
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):  # keep test output quiet
            pass

    return Handler


@pytest.fixture(scope="session")
def collector():
    """A local collector: records each POSTed response object (JSON) and answers 201."""
    state = Collector()
    server, base = serve(_collector_handler(state))
    state.url = base + "/responses"
    yield state
    server.shutdown()


@pytest.fixture(scope="session")
def site(tmp_path_factory, collector):
    """The example course built once with ``submit_url`` set to the collector, served; returns (base URL, dir)."""
    root = copy_course(tmp_path_factory.mktemp("course"))
    config = (REPO / "mkdocs.yml").read_text()
    config, n = re.subn(r"(?m)^(\s*)submit_url:.*$", rf'\1submit_url: "{collector.url}"', config)
    assert n == 1, "mkdocs.yml has no submit_url line to point at the test collector"
    (root / "mkdocs.yml").write_text(config)
    run = subprocess.run([sys.executable, "-c", "from patientvoice.cli import main; main()", "build", "--no-pdf",
                          "--root", str(root)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    site_dir = root / "build" / "site"
    server, base = serve(partial(QuietFiles, directory=str(site_dir)))
    yield base, site_dir
    server.shutdown()


@pytest.fixture
def page(browser, collector):
    """A fresh page in its own context (empty localStorage), with downloads allowed."""
    collector.reset()
    context = browser.new_context(accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(5000)  # a missing element should fail fast, not after 30 s
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.js_errors = errors
    yield pg
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


axe_serious = run_axe  # the questionnaire tests' name for the shared axe run
