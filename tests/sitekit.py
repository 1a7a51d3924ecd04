"""Shared test helpers for the built site: a copy of the example course, a local server, Chromium."""

from __future__ import annotations

import functools
import http.server
import shutil
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COURSE_PARTS = ("content", "modules", "theme", "mkdocs.yml")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def free_port() -> int:
    """A loopback port free right now (for a server started in another process)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, seconds: float = 20) -> None:
    """Poll ``url``/health until a collector answers; fail the test if it does not within ``seconds``."""
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            httpx.get(url + "/health", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.05)
    raise AssertionError(f"the collector at {url} did not start within {seconds} s")


def page_text(url: str) -> str:
    """The text a server returns for ``url``, or "" while it cannot answer (a preview still starting)."""
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8", "replace")
    except OSError:
        return ""


def copy_course(dest: Path) -> Path:
    """Copy the example course (not build/ or the code) into ``dest`` and return it."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in COURSE_PARTS:
        src = REPO / part
        if not src.exists():  # theme/: the example course may have no overrides of the package's default theme
            continue
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dest / part)
    return dest


class QuietFiles(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging every request."""

    def log_message(self, *args):
        pass


def serve(handler) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Run an HTTP handler on a free loopback port in a thread; return the server and its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@contextmanager
def serve_dir(root: Path):
    """Serve ``root`` over HTTP on a free loopback port; yields the base URL."""
    server, base = serve(functools.partial(QuietFiles, directory=str(root)))
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


def launch_chromium(playwright):
    """Debian's Chromium, headless, with the flags this sandboxed network needs."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def run_axe(page) -> list[str]:
    """Run axe-core on the loaded page; return its serious and critical violations as readable lines."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    # Settle Material's transitions first (the back-to-top button fades in as the page scrolls to a message);
    # axe would otherwise measure a half-faded colour.
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; }")
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]
