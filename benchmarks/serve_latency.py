"""Edit-to-reload latency of `patientvoice serve --incremental`, beside full builds; prints a table.

Usage: python benchmarks/serve_latency.py [--modules 300] [--stories 1500] [--edits 5] [--engines mkdocs,zensical]

For a generated course it starts the incremental preview (one engine at a time), then, alternately, edits a
story that a module embeds and a module body, and polls the served page until the edit shows: the time from
the save to the page holding the new text is one latency. p50 and max per engine and kind of edit are printed
beside a full `patientvoice build --no-pdf` with mkdocs and with Zensical on the same course in the same run.
Target (issue 16): p50 ≤ 1 s at 300 modules / 1,500 stories with the default engine. Not a timed test.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import string
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_engines import _env, timed  # noqa: E402
from generate_course import generate_course  # noqa: E402


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _wait_for(url: str, text: str, limit: float) -> float:
    """Seconds until the page at ``url`` holds ``text`` (polled every 20 ms)."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if text in _get(url):
            return time.perf_counter() - start
        time.sleep(0.02)
    raise SystemExit(f"{url} did not show {text!r} within {limit:.0f} s")


def _marker() -> str:
    return "Edit" + "".join(random.choices(string.ascii_lowercase, k=10))  # no digits: de-identification rules


def measure(root: Path, engine: str, edits: int) -> dict[str, list[float]]:
    """Latencies of story and module edits under a running incremental preview."""
    from patientvoice.course.loader import load_course
    from patientvoice.site.pages import web_stories, web_users

    course, _ = load_course(root)
    story = sorted(web_stories(course), key=lambda s: s.id)[0]  # a story the site publishes (consent, a web embed)
    module = web_users(course)[story.id][0]
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "patientvoice.cli", "serve", "--incremental", "--engine", engine,
                               "-a", f"127.0.0.1:{port}", "--root", str(root)], env=_env(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out: dict[str, list[float]] = {"story": [], "module": []}
    try:
        _wait_for(f"{base}/{module.id}/", "<html", 1800)
        _wait_for(f"{base}/stories/{story.id}/", "<html", 60)
        for i in range(edits * 2):
            kind = "story" if i % 2 == 0 else "module"
            path = Path(story.path) if kind == "story" else Path(module.path)
            url = f"{base}/stories/{story.id}/" if kind == "story" else f"{base}/{module.id}/"
            word = _marker()
            with path.open("a", encoding="utf-8") as f:
                f.write(f"\n{word} is the edited sentence.\n")
            out[kind].append(_wait_for(url, word, 600))
            time.sleep(1)  # let the watcher settle before the next save
    finally:
        server.terminate()
        server.wait(30)
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--modules", type=int, default=300)
    ap.add_argument("--stories", type=int, default=1500)
    ap.add_argument("--edits", type=int, default=5, help="edits of each kind per engine")
    ap.add_argument("--engines", default="mkdocs,zensical")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="pv-serve-") as tmp:
        root = generate_course(Path(tmp) / "course", args.modules, args.stories, seed=args.modules)
        pv = [sys.executable, "-m", "patientvoice.cli", "build", "--no-pdf", "--engine"]
        full = {e: timed(pv + [e], root) for e in ("mkdocs", "zensical")}
        rows = {e: measure(root, e, args.edits) for e in args.engines.split(",") if e}
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"course: {args.modules} modules, {args.stories} stories; {args.edits} edits of each kind per engine")
    print(f"{'engine':<10} {'edit':<7} {'p50 s':>7} {'max s':>7}")
    for engine, kinds in rows.items():
        for kind, seconds in kinds.items():
            print(f"{engine:<10} {kind:<7} {statistics.median(seconds):7.2f} {max(seconds):7.2f}")
    for engine, seconds in full.items():
        print(f"full `patientvoice build --no-pdf --engine {engine}`: {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
