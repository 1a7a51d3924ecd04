"""Benchmark the PDF handouts on a synthetic course: sequential, parallel, and a rebuild with nothing changed.

Usage: python benchmarks/bench_pdf.py [--modules 8] [--stories 40] [--seed 0] [--jobs N] [--keep DIR]

Figures: pages per second rendering every PDF cold with one process (jobs=1) and with one per core, the
speed-up between them, and a rebuild with nothing changed (a new course load, then every PDF copied from the
cache). Each run starts from a fresh course load, as a new `patientvoice pdf` would. The speed-up is shown
beside that of a bare CPU loop on the same processes, since other load on the machine caps both. The rebuild
must render no PDF and take at most a quarter of the parallel cold build; the script exits 1 otherwise.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from patientvoice.course.loader import load_course
from patientvoice.pdf import build_pdfs
from patientvoice.pdf.build import default_jobs

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate_course import generate_course  # noqa: E402
PAGES = re.compile(r"\((\d+) pages, ")


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i
    return total


def machine_scaling(jobs: int, n: int = 6_000_000) -> float:
    """Speed-up of a pure CPU loop on ``jobs`` processes: what the machine offers right now, for comparison."""
    from concurrent.futures import ProcessPoolExecutor

    start = time.perf_counter()
    for _ in range(jobs * 2):
        _spin(n)
    alone = time.perf_counter() - start
    start = time.perf_counter()
    with ProcessPoolExecutor(jobs) as pool:
        list(pool.map(_spin, [n] * (jobs * 2)))
    return alone / (time.perf_counter() - start)


def run(root: Path, out: Path, cache: Path, jobs: int) -> tuple[float, int, int, int]:
    """One `build_pdfs` from a fresh course load: (seconds, PDFs rendered, PDFs cached, pages rendered)."""
    lines: list[str] = []
    start = time.perf_counter()
    course, _ = load_course(root)
    problems = build_pdfs(course, out, cache_dir=cache, paper="A4", progress=lines.append, jobs=jobs)
    seconds = time.perf_counter() - start
    if problems:
        sys.exit("PDF problems:\n" + "\n".join(p.format() for p in problems))
    cached = sum(line.endswith("(cached)") for line in lines)
    pages = sum(int(m.group(1)) for line in lines if (m := PAGES.search(line)))
    return seconds, len(lines) - cached, cached, pages


def main(argv: list[str] | None = None) -> int:
    """Generate the course, run the three builds and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--modules", type=int, default=8)
    ap.add_argument("--stories", type=int, default=40)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=default_jobs(), help="processes for the parallel run [all cores]")
    ap.add_argument("--keep", type=Path, help="generate into this (new) directory and keep it")
    args = ap.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="bench-pdf-"))
    root = args.keep or work / "course"
    try:
        t0 = time.perf_counter()
        generate_course(root, args.modules, args.stories, args.seed)
        made = time.perf_counter() - t0
        print(f"course: {args.modules} modules, {args.stories} stories (generated in {made:.1f} s); "
              f"{default_jobs()} cores available")

        seq_s, seq_n, _, seq_pages = run(root, work / "seq", work / "seq-cache", jobs=1)
        print(f"sequential (jobs=1):    {seq_n} PDFs, {seq_pages} pages in {seq_s:6.2f} s = "
              f"{seq_pages / seq_s:5.1f} pages/s")
        par_s, par_n, _, par_pages = run(root, work / "par", work / "par-cache", jobs=args.jobs)
        print(f"parallel (jobs={args.jobs}):     {par_n} PDFs, {par_pages} pages in {par_s:6.2f} s = "
              f"{par_pages / par_s:5.1f} pages/s")
        print(f"speed-up:               {seq_s / par_s:.2f}x on {args.jobs} processes "
              f"(a bare CPU loop gets {machine_scaling(args.jobs):.2f}x on this machine right now)")
        re_s, re_n, re_cached, _ = run(root, work / "par", work / "par-cache", jobs=args.jobs)
        ratio = re_s / par_s
        print(f"rebuild, no change:     {re_n} rendered, {re_cached} cached in {re_s:6.2f} s = "
              f"{ratio:.1%} of the parallel cold build (limit 25%)")
        ok = re_n == 0 and ratio <= 0.25
        print("OK" if ok else "FAIL: a rebuild with nothing changed must render nothing and take at most 1/4")
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
