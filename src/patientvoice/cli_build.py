"""``patientvoice build | serve | pdf``: publishing commands, kept apart from the checking ones."""

from __future__ import annotations

import os
import sys
import time

import click

from patientvoice.cli import ROOT_OPTION


def _echo_problems(problems, limit: int = 50) -> None:
    for p in problems[:limit]:
        click.echo(p.format(), err=True)
    if len(problems) > limit:
        click.echo(f"… and {len(problems) - limit} more; run `patientvoice check` for all of them", err=True)


def _progress(start: float):
    return lambda msg: click.echo(f"[{time.perf_counter() - start:5.1f}s] {msg}", err=True)


@click.command()
@ROOT_OPTION
@click.option("--strict", is_flag=True, help="Refuse to publish on warnings too.")
@click.option("--no-pdf", is_flag=True, help="Build the site only; skip the PDF handouts.")
@click.option("--engine", type=click.Choice(["mkdocs", "properdocs", "zensical"]), default=None,
              help="Site engine (default: the plugin option 'engine' in mkdocs.yml, else mkdocs); see docs/engines.md.")
@click.option("--engine-bin", default=None, metavar="PATH",
              help="The properdocs or zensical executable (default: $PATIENTVOICE_PROPERDOCS / $PATIENTVOICE_ZENSICAL, "
                   "else PATH).")
def build(root, strict, no_pdf, engine, engine_bin):
    """Check the course, then publish the site to build/site and PDFs to build/pdf.

    Nothing is published while a check fails. The new site and PDFs are built beside the old ones and
    swapped in only when every stage has succeeded, so a failed build leaves build/ as it was.
    """
    from patientvoice.build import BuildError, build as run_build

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    start = time.perf_counter()
    try:
        result = run_build(root, strict=strict, pdf=not no_pdf, progress=_progress(start), engine=engine,
                           engine_bin=engine_bin)
    except BuildError as exc:
        _echo_problems(exc.problems)
        raise click.ClickException(str(exc))
    warnings = result.problems.warnings
    _echo_problems(warnings)
    pdfs = f", {len(result.pdfs)} PDFs in build/pdf" if result.pdfs else ""
    click.echo(f"✓ built {result.pages} pages in build/site{pdfs} ({time.perf_counter() - start:.1f} s"
               f"{f', {len(warnings)} warnings' if warnings else ''})")


@click.command()
@ROOT_OPTION
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True, metavar="HOST:PORT",
              help="Where to serve the preview.")
@click.option("--incremental/--no-incremental", default=None,
              help="Rebuild only the pages an edit touched, from the materialised tree (the default for a course "
                   "that is its own site; docs/engines.md). --no-incremental: the plugin's `mkdocs serve`, "
                   "which rebuilds every page on every save.")
@click.option("--engine", type=click.Choice(["mkdocs", "properdocs", "zensical"]), default="mkdocs",
              show_default=True, help="Site engine for the incremental preview.")
@click.option("--engine-bin", default=None, metavar="PATH", help="The properdocs or zensical executable.")
def serve(root, dev_addr, incremental, engine, engine_bin):
    """Preview the site with live reload; edits in content/ and modules/ rebuild it. PDFs are skipped."""
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import MkDocsException

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    config_file = root / "mkdocs.yml"
    if not config_file.is_file():
        raise click.ClickException(f"{config_file}: no mkdocs.yml; run this in a course repository or pass --root")
    from patientvoice.site.exposure import code_problems

    refused = code_problems(root)  # mkdocs would run these while loading mkdocs.yml, before any check
    if refused:
        raise click.ClickException("\n".join(p.format() for p in refused))
    from patientvoice.site.addon import locate

    addon = locate(root).addon  # the incremental preview materialises the course alone, without its host site
    if incremental and addon:
        raise click.ClickException("--incremental previews a course that is its own site; a course added to "
                                   "another docs site (prefix) previews with `patientvoice serve` (docs/addon.md)")
    if incremental is None:
        incremental = not addon
    if incremental:
        from patientvoice.engines.serve import serve as incremental_serve

        return incremental_serve(root, dev_addr, engine, engine_bin)
    try:
        mkdocs_serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True)
    except MkDocsException as exc:
        raise click.ClickException(str(exc))
    except KeyboardInterrupt:
        sys.exit(0)
