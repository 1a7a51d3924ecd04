"""``patientvoice audit MODULE --out FILE.pdf [--database URL]``: the activity file an ACCME reviewer asks for.

Like ``build``, it checks the course first and refuses when the checks fail: an audit file for content the
committee has not approved, or with a disclosure missing, would document a non-compliant activity as if it were
one. The PDF is rendered with the handouts' theme, fonts and confined fetcher, tagged (PDF/UA-1).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from patientvoice.cli import ROOT_OPTION, _date


def audit_html(course, module_id: str, *, database: str | None = None, today: dt.date | None = None) -> str:
    """The print HTML of the audit file for one module (outcomes from ``database`` when given)."""
    from patientvoice import __version__
    from patientvoice.audit.data import audit_data, iso
    from patientvoice.compliance.relationships import role_date
    from patientvoice.render import env

    module = course.modules[module_id]
    summary, source = None, ""
    if database:
        from patientvoice.outcomes.analysis import outcomes
        from patientvoice.outcomes.evaluation import site_evaluation
        from patientvoice.outcomes.report import load_rows

        evaluation = site_evaluation(course.root)
        rows, skipped, source = load_rows(course, database, (), evaluation)
        summary = next((o for o in outcomes(course, rows, evaluation) if o["id"] == module_id), None)
        if skipped:
            source += f" ({len(skipped)} response(s) skipped as invalid)"
    data = audit_data(course, module, summary, source)
    return env().get_template("audit.html").render(
        **data, title=f"Activity file: {module.title}", version=__version__, today=today or dt.date.today(),
        iso=iso, role_date=role_date(module))


@click.command()
@click.argument("module")
@ROOT_OPTION
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.pdf",
              help="Where to write the PDF.")
@click.option("--database", metavar="URL|FILE", help="The collector's SQLite file or postgresql:// URL, for the "
              "evaluation and outcomes summary.")
@click.option("--today", callback=_date, metavar="YYYY-MM-DD", help="Check and date the file as if today were this date.")
def audit(module, root, out, database, today):
    """Write the activity file for MODULE as one tagged PDF: gap and sources, objectives and their measures,
    disclosures, commercial support, approvals, story consent and (with --database) outcomes.

    Refuses, like build, when `patientvoice check` finds errors.
    """
    from patientvoice.check import check_course
    from patientvoice.credit.certificate import render_pdf
    from patientvoice.outcomes.evaluation import plugin_options
    from patientvoice.export.output import OutputError, write_whole
    from patientvoice.outcomes.store import StoreError

    course, problems = check_course(root, today)
    if module not in course.modules:
        raise click.ClickException(f"no module '{module}' in {root.resolve() / 'modules'} "
                                   f"(modules: {', '.join(sorted(course.modules)) or 'none'})")
    if problems.errors:
        for p in problems.errors:
            click.echo(p.format(), err=True)
        raise click.ClickException(f"{len(problems.errors)} problem(s) stop the audit file; fix them "
                                   "(patientvoice check) and run it again")
    try:
        html = audit_html(course, module, database=database, today=today)
    except StoreError as exc:
        raise click.ClickException(str(exc))
    paper = plugin_options(course.root).get("paper", "A4")
    pdf = render_pdf(html, course.root / "theme", paper if paper in ("A4", "Letter") else "A4")
    try:
        write_whole(out, pdf)
    except OutputError as exc:
        raise click.ClickException(str(exc))
    click.echo(f"{module}: audit file written to {out}")
