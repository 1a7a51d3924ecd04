"""``build_pdfs``: every module's handout, questionnaire pack and answer key, rendered in parallel.

Unchanged PDFs are copied from the cache; the rest are rendered on all cores. A PDF that fails is a
``pdf.failed`` problem on its module; the file it would have replaced is left as it was.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Callable, Iterable

from patientvoice.course.model import Course
from patientvoice.pdf.html import documents, site_settings
from patientvoice.pdf.render import Job, Outcome, copy_cached, fingerprint, render, theme_digest
from patientvoice.problems import Problem, Problems

PAPERS = ("A4", "Letter")


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def make_jobs(course: Course, modules: Iterable[str], paper: str, theme_fp: str,
              problems: Problems) -> list[Job]:
    """The print HTML and fingerprint of every PDF of ``modules``; a module whose HTML fails is a problem."""
    settings = site_settings(course.root)
    theme = str(course.root / "theme")
    jobs = []
    for mid in modules:
        module = course.modules[mid]
        base_url = module.path.resolve().as_uri()  # relative image paths resolve from the module's folder
        try:
            docs = documents(course, module, settings)
        except Exception as exc:  # a template or extension error: report it on the module, keep the others
            problems.add(module.path, 1, "pdf.failed", f"{mid}: the print HTML could not be made: "
                                                       f"{type(exc).__name__}: {exc}")
            continue
        for name, html in docs.items():
            fp = fingerprint(html, base_url, paper, theme_fp, course.root)
            jobs.append(Job(mid, name, html, base_url, theme, paper, fp))
    return jobs


def _context():
    """Where workers come from: forks of this process on Linux, the platform's default elsewhere."""
    if not sys.platform.startswith("linux"):
        return mp.get_context()  # spawn: callers need the usual `if __name__ == "__main__":` guard
    # Fork, not a fork server or spawn: workers start at once with WeasyPrint loaded, and a caller's script
    # without a main guard is not run again in every worker. The callers (the CLI, `build`) hold no threads.
    import weasyprint  # noqa: F401

    return mp.get_context("fork")


def _run(todo: list[Job], out_dir: Path, cache_dir: Path, theme_fp: str, workers: int):
    """Yield an Outcome per job as each finishes: in this process for one worker, else in a process pool."""
    if workers <= 1:
        for job in todo:
            yield render(job, str(out_dir), str(cache_dir), theme_fp)
        return
    # Largest first, so a long handout does not start last and leave the other cores idle.
    todo = sorted(todo, key=lambda j: len(j.html), reverse=True)
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context()) as pool:
        futures = {pool.submit(render, job, str(out_dir), str(cache_dir), theme_fp): job for job in todo}
        for future in as_completed(futures):
            try:
                yield future.result()
            except BrokenProcessPool:
                yield Outcome(futures[future], error="the PDF renderer process stopped unexpectedly")


def build_pdfs(course: Course, out_dir: Path, *, cache_dir: Path, paper: str = "A4",
               progress: Callable[[str], None] = print, jobs: int | None = None,
               modules: Iterable[str] | None = None) -> list[Problem]:
    """Write the PDFs of every module (or of ``modules``) into ``out_dir``; return problems, empty on success."""
    problems = Problems(course.root)
    out_dir, cache_dir = Path(out_dir), Path(cache_dir)
    selected = list(modules) if modules is not None else sorted(course.modules)
    theme = course.root / "theme"  # the course's overrides over the package's print theme (site/theme.py)
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}, not {paper!r}")
    out_dir.mkdir(parents=True, exist_ok=True)
    theme_fp = theme_digest(theme)
    todo = []
    for job in make_jobs(course, selected, paper, theme_fp, problems):
        if copy_cached(job, out_dir, cache_dir):
            progress(f"  pdf {job.name} (cached)")
        else:
            todo.append(job)
    workers = min(jobs or default_jobs(), len(todo))
    for outcome in _run(todo, out_dir, cache_dir, theme_fp, workers):
        job = outcome.job
        if outcome.error:
            progress(f"  pdf {job.name} FAILED")
            problems.add(course.modules[job.module].path, 1, "pdf.failed",
                         f"{job.module}: {job.name} could not be rendered: {outcome.error}")
        else:
            progress(f"  pdf {job.name} ({outcome.pages} pages, {outcome.seconds:.1f} s)")
    return sorted(problems)
