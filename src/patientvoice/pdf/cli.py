"""``patientvoice pdf``: render only the PDF handouts into build/pdf, each file replaced atomically."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import click

from patientvoice.cli import ROOT_OPTION


def _paper(root: Path) -> str:
    """The plugin's ``paper`` option, read and validated by mkdocs exactly as ``build`` reads it."""
    from patientvoice.build import BuildError, load_mkdocs_config

    with tempfile.TemporaryDirectory() as site_dir:  # the site is not built; mkdocs only wants a path
        try:
            config = load_mkdocs_config(root, Path(site_dir))
        except BuildError as exc:
            raise click.ClickException(str(exc))
        except Exception as exc:  # mkdocs' own validation errors: report them as mkdocs words them
            raise click.ClickException(f"{root / 'mkdocs.yml'}: {exc}")
    plugin = config.plugins.get("patientvoice")
    if plugin is None:
        raise click.ClickException(f"{root / 'mkdocs.yml'}: the patientvoice plugin is not listed under plugins")
    return plugin.config.paper


@click.command()
@click.argument("modules", nargs=-1, metavar="[MODULE]...")
@ROOT_OPTION
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="PDFs to render at once [default: one per core].")
def pdf(modules, root, jobs):
    """Check the course, then render the PDFs of every module (or of MODULE…) into build/pdf.

    Each module gets a handout, a questionnaire pack to fill in by hand and an answer key. Unchanged PDFs
    are copied from the cache in build/.cache/pdf. A PDF that fails leaves the previous file in place.
    """
    from patientvoice.check import check_course
    from patientvoice.cli_build import _echo_problems, _progress
    from patientvoice.pdf.build import build_pdfs
    from patientvoice.pdf.html import pdf_names

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    start = time.perf_counter()
    root = root.resolve()
    progress = _progress(start)
    progress("checking the course…")
    course, problems = check_course(root)
    unknown = [m for m in modules if m not in course.modules]
    if unknown:
        known = ", ".join(sorted(course.modules))
        raise click.BadParameter(f"no module {', '.join(map(repr, unknown))}; modules: {known}", param_hint="MODULE")
    if problems.errors:
        _echo_problems(problems.errors)
        raise click.ClickException(f"{len(problems.errors)} problem(s) stop the PDFs; nothing in build/pdf was changed")
    paper = _paper(root)
    selected = list(dict.fromkeys(modules)) or sorted(course.modules)
    progress(f"rendering PDFs ({len(selected)} module{'s' * (len(selected) != 1)}, {paper})…")
    out = root / "build"
    failed = build_pdfs(course, out / "pdf", cache_dir=out / ".cache" / "pdf", paper=paper, progress=progress,
                        jobs=jobs, modules=selected)
    if failed:
        _echo_problems(failed)
        raise click.ClickException(f"{len(failed)} PDF(s) failed; the previous files were left in build/pdf")
    if not modules:  # a full run: PDFs of modules that no longer exist would mislead whoever prints them
        wanted = {name for m in course.modules.values() for name in pdf_names(m)}
        for stale in (out / "pdf").glob("*.pdf"):
            if stale.name not in wanted:
                stale.unlink()
                progress(f"  removed {stale.name} (no such module any more)")
    click.echo(f"✓ PDFs of {len(selected)} module{'s' * (len(selected) != 1)} in build/pdf "
               f"({time.perf_counter() - start:.1f} s)")
