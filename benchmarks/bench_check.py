"""Benchmark `patientvoice check` on a large synthetic course, against a read-and-parse baseline.

Usage: python benchmarks/bench_check.py [--modules 200] [--stories 1000] [--seed 0] [--profile N] [--keep DIR]

Figures: course generation time; baseline (read every file and parse its YAML with PyYAML's CSafeLoader,
the least any check must do); in-process `check_course` best of 3; peak Python memory of one check
(tracemalloc); one `patientvoice check` CLI subprocess (including interpreter start-up) with its peak RSS.
Each time is given as wall and CPU (user + system) seconds: on a shared machine the wall time also counts
waiting for a core, so the load average is printed too. The target is a CLI check under 2 s for 200
modules and 1,000 stories.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import io
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import yaml

from patientvoice.check import check_course

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate_course import generate_course  # noqa: E402
TARGET_S = 2.0


def baseline(root: Path) -> int:
    """Read every course file and parse its YAML (front matter for Markdown) with CSafeLoader; return the file count."""
    n = 0
    for path in sorted(root.joinpath("content").rglob("*")) + sorted(root.joinpath("modules").rglob("*")):
        if path.suffix == ".yml":
            yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        elif path.suffix == ".md":
            text = path.read_text(encoding="utf-8")
            if text.startswith("---"):
                yaml.load(text.split("\n---", 2)[0][3:], Loader=yaml.CSafeLoader)
        else:
            continue
        n += 1
    return n


def best_of(fn, runs: int = 3) -> tuple[float, float]:
    """The fastest wall and CPU seconds of ``runs`` calls (collecting garbage first, so runs are comparable)."""
    walls, cpus = [], []
    for _ in range(runs):
        gc.collect()
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return min(walls), min(cpus)


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main(argv: list[str] | None = None) -> int:
    """Generate the course, time the baseline and the check, print the figures; exit 1 if over target."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--modules", type=int, default=200)
    ap.add_argument("--stories", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--profile", type=int, default=0, metavar="N", help="also print the top N functions (cProfile)")
    ap.add_argument("--keep", type=Path, help="generate into this (new) directory and keep it")
    args = ap.parse_args(argv)

    tmp = None if args.keep else tempfile.TemporaryDirectory(prefix="pv-bench-")
    root = args.keep or Path(tmp.name) / "course"
    try:
        t0 = time.perf_counter()
        generate_course(root, args.modules, args.stories, args.seed)
        gen_s = time.perf_counter() - t0
        n_files = baseline(root)  # also warms the page cache, so every timing below reads from memory
        base_s, base_cpu = best_of(lambda: baseline(root))
        course, problems = check_course(root)
        if len(problems):
            print(f"unexpected problems in the generated course: {len(problems)}; first: {problems[0].format()}")
            return 2
        check_s, check_cpu = best_of(lambda: check_course(root))
        tracemalloc.start()
        check_course(root)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        cli = [str(Path(sys.executable).with_name("patientvoice")), "check", "--root", str(root)]
        t0, c0 = time.perf_counter(), _children_cpu()
        proc = subprocess.run(cli, capture_output=True, text=True)
        cli_s, cli_cpu = time.perf_counter() - t0, _children_cpu() - c0
        rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
        if proc.returncode != 0:
            print(proc.stdout[-2000:], proc.stderr[-2000:])
            return 2
        print(f"patientvoice check benchmark ({dt.date.today()}, Python {sys.version.split()[0]}, "
              f"PyYAML {yaml.__version__} {'with' if yaml.__with_libyaml__ else 'without'} libyaml)")
        print(f"course: {len(course.modules)} modules, {len(course.stories)} stories, "
              f"{len(course.datasets)} data sets, "
              f"{len(course.people)} people; {n_files} files")
        print(f"  generate course                 {gen_s:7.3f} s")
        load1, _, _ = os.getloadavg()
        print(f"machine: {os.cpu_count()} CPUs, load average {load1:.1f} (wall times include waiting for a core)")
        print("                                     wall      CPU")
        print(f"  baseline: read + CSafeLoader    {base_s:7.3f} s {base_cpu:7.3f} s   (best of 3)")
        print(f"  check_course, in process        {check_s:7.3f} s {check_cpu:7.3f} s   (best of 3)   "
              f"= {check_s / base_s:.1f}x baseline wall, {check_cpu / base_cpu:.1f}x CPU")
        print(f"  patientvoice check (CLI)        {cli_s:7.3f} s {cli_cpu:7.3f} s   (one run, incl. start-up)")
        print(f"  peak traced memory of a check   {peak / 1048576:7.1f} MB  (tracemalloc); CLI peak RSS {rss_mb:.0f} MB")
        print(f"  CLI output: {proc.stdout.strip().splitlines()[-1]}")
        print(f"target: CLI under {TARGET_S:.0f} s -> wall {'OK' if cli_s < TARGET_S else 'OVER'}, "
              f"CPU {'OK' if cli_cpu < TARGET_S else 'OVER'}")
        if args.profile:
            prof = cProfile.Profile()
            prof.runcall(check_course, root)
            out = io.StringIO()
            pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(args.profile)
            print(out.getvalue())
        return 0 if cli_s < TARGET_S else 1
    finally:
        if tmp is not None:
            tmp.cleanup()


if __name__ == "__main__":
    sys.exit(main())
