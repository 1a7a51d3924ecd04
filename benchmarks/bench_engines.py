"""Full-build time of each engine against plain mkdocs-material on the same pages; prints a table.

Usage: python benchmarks/bench_engines.py [--modules 100] [--stories 500] [--runs 1]

For one generated course it times, each in a fresh process: `patientvoice build --no-pdf` with the mkdocs
(plugin), properdocs and zensical engines (check included), and plain `mkdocs build` of the materialised tree
(baseline_site.py, the same pages with every block expanded). The engines are found as docs/engines.md says
(PATIENTVOICE_PROPERDOCS / PATIENTVOICE_ZENSICAL, else .engines/, else PATH). Target (issue 16): a full build
≤ 1.0 × plain mkdocs-material on the same pages.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from baseline_site import write_baseline  # noqa: E402
from generate_course import generate_course  # noqa: E402

LOCAL = {"properdocs": HERE.parent / ".engines/properdocs/bin/properdocs",
         "zensical": HERE.parent / ".engines/zensical/bin/zensical"}


def _env() -> dict:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    for name, path in LOCAL.items():
        var = f"PATIENTVOICE_{name.upper()}"
        if var not in env and path.is_file():
            env[var] = str(path)
    return env


CPU: dict[str, float] = {}  # command → CPU seconds of it and its children (steadier than wall time on a busy machine)


def timed(command: list[str], cwd: Path) -> float:
    """Seconds one command takes (its CPU seconds go to CPU); it must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=_env())
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU[" ".join(command)] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--modules", type=int, default=100)
    ap.add_argument("--stories", type=int, default=500)
    ap.add_argument("--runs", type=int, default=1, help="best of N runs per row")
    args = ap.parse_args(argv)
    pv = [sys.executable, "-m", "patientvoice.cli", "build", "--no-pdf", "--engine"]
    rows: dict[str, float] = {}
    cpu: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="pv-engines-") as tmp:
        root = generate_course(Path(tmp) / "course", args.modules, args.stories, seed=args.modules)
        base = write_baseline(root, Path(tmp) / "baseline")
        for _ in range(args.runs):
            for name, command, cwd in (
                    ("plain mkdocs-material (same pages)", [sys.executable, "-m", "mkdocs", "build", "-q"], base),
                    ("patientvoice build --engine mkdocs", pv + ["mkdocs"], root),
                    ("patientvoice build --engine properdocs", pv + ["properdocs"], root),
                    ("patientvoice build --engine zensical", pv + ["zensical"], root)):
                shutil.rmtree(base / "site", ignore_errors=True)
                shutil.rmtree(root / "build" / ".materialised", ignore_errors=True)  # a full build, no cache
                seconds = timed(command, cwd)
                rows[name] = min(rows.get(name, seconds), seconds)
                cpu[name] = min(cpu.get(name, float("inf")), CPU[" ".join(command)])
    baseline = rows["plain mkdocs-material (same pages)"]
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"course: {args.modules} modules, {args.stories} stories; best of {args.runs}")
    base_cpu = cpu["plain mkdocs-material (same pages)"]
    print(f"{'build':<42} {'wall s':>8} {'× plain':>8} {'CPU s':>8} {'× plain':>8}")
    for name, seconds in rows.items():
        print(f"{name:<42} {seconds:8.2f} {seconds / baseline:7.2f}× {cpu[name]:8.2f} {cpu[name] / base_cpu:7.2f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
