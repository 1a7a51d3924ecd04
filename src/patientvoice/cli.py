"""The ``patientvoice`` command line."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from patientvoice import __version__
from patientvoice.problems import to_json

ROOT_OPTION = click.option("--root", "-C", type=click.Path(exists=True, file_okay=False, path_type=Path),
                           default=Path("."), show_default=True, help="The course repository (where mkdocs.yml is).")


def _summary(problems) -> str:
    e, w = len(problems.errors), len(problems.warnings)
    notes = len(problems) - e - w
    parts = [f"{e} error{'s' * (e != 1)}", f"{w} warning{'s' * (w != 1)}"] + ([f"{notes} note{'s' * (notes != 1)}"] if notes else [])
    return ", ".join(parts)


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date; write YYYY-MM-DD")


class LazyGroup(click.Group):
    """A group whose heavier commands are imported only when used: `check` should not pay for WeasyPrint."""

    LAZY = {"build": "patientvoice.cli_build:build", "serve": "patientvoice.cli_build:serve",
            "pdf": "patientvoice.pdf.cli:pdf", "collect": "patientvoice.outcomes.cli:collect",
            "report": "patientvoice.outcomes.cli:report", "records": "patientvoice.credit.cli:records",
            "export": "patientvoice.export.cli:export",
            "new": "patientvoice.scaffold.cli:new", "schemas": "patientvoice.scaffold.cli:schemas",
            "audit": "patientvoice.audit.cli:audit"}

    def list_commands(self, ctx):
        return sorted([*super().list_commands(ctx), *self.LAZY])

    def invoke(self, ctx):
        # An optional part (PDF, collector) imported by a command and not installed: say what to install.
        from patientvoice.extras import MissingExtra, extra_for, message

        try:
            return super().invoke(ctx)
        except MissingExtra as exc:
            raise click.ClickException(str(exc)) from None
        except ModuleNotFoundError as exc:
            extra = extra_for(exc)
            if extra is None:
                raise
            raise click.ClickException(message(extra)) from None

    def get_command(self, ctx, name):
        if name in self.LAZY:
            import importlib

            module, attr = self.LAZY[name].split(":")
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="patientvoice")
def main():
    """Publish accredited CME built on the patient voice.

    Authors write modules, patient stories and PAG data in content/ and modules/; `check` runs the
    steering-committee review checks, `build` publishes the static site and PDF handouts to build/.
    """


@main.command()
@ROOT_OPTION
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text reads like a compiler; json is a list of {path, line, rule, severity, message}.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--today", callback=_date, metavar="YYYY-MM-DD", help="Check as if today were this date.")
def check(root, fmt, strict, today):
    """Check the course: structure, references and every compliance rule.

    Exits 0 when clean, 1 on errors (or on warnings with --strict), 2 on usage errors.
    The rules are listed, with why and how to fix, in docs/rules.md.
    """
    from patientvoice.check import check_course

    course, problems = check_course(root, today, parallel=True)
    if fmt == "json":
        click.echo(to_json(problems))
    else:
        for p in problems:
            click.echo(p.format())
        n = len(course.modules)
        click.echo(f"{'✗' if problems.errors else '✓'} {n} module{'s' * (n != 1)}, {len(course.stories)} stories: "
                   f"{_summary(problems)}")
    sys.exit(1 if problems.errors or (strict and problems.warnings) else 0)


@main.group()
def review():
    """Steering-committee review: record approvals and see where each module stands."""


@review.command("approve")
@click.argument("module")
@ROOT_OPTION
@click.option("--by", required=True, metavar="ID[,ID…]", help="Committee members who made the decision (people ids).")
@click.option("--decision", type=click.Choice(["approved", "changes-requested", "rejected"]), default="approved",
              show_default=True)
@click.option("--date", "date", callback=_date, metavar="YYYY-MM-DD", help="Date of the decision [default: today].")
def review_approve(module, root, by, decision, date):
    """Record the committee's decision on MODULE, pinned to a fingerprint of what it saw.

    The fingerprint covers everything the module publishes: the module (less its review block), its
    questionnaire, every story and data set it embeds and their PAGs, the other files in its folder and
    those it links to, the theme, and mkdocs.yml as parsed (less deployment settings). The entry is
    appended to review.approvals; comments and formatting are kept.
    """
    from patientvoice.review.approve import ApproveError, approve
    from patientvoice.course.loader import load_course

    course, problems = load_course(root)
    ids = [b.strip() for b in by.split(",") if b.strip()]
    try:
        fp = approve(course, module, ids, decision, date)
    except ApproveError as exc:
        raise click.ClickException(str(exc))
    click.echo(f"{module}: recorded '{decision}' by {', '.join(ids)} ({fp[:19]}…)")


@review.command("status")
@ROOT_OPTION
def review_status(root):
    """List each module as approved, stale (with the files changed), awaiting approval, or not approved."""
    from patientvoice.compliance.review import status
    from patientvoice.course.loader import load_course

    course, _ = load_course(root)
    labels = {"approved": "approved", "stale": "STALE", "awaiting": "awaiting approval", "not-approved": "NOT APPROVED"}
    width = max((len(m) for m in course.modules), default=6)
    for m in course.modules.values():
        st = status(course, m)
        detail = ""
        if st.approval is not None:
            detail = f"  {st.approval.decision} {st.approval.date} by {', '.join(st.approval.by)}"
        click.echo(f"{m.id:<{width}}  {labels[st.state]}{detail}")
        for f in st.changed:
            click.echo(f"{'':<{width}}    changed: {f}")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["markdown", "text"]), default="text", show_default=True)
@click.option("--requirements", is_flag=True,
              help="List the ACCME, AMA and Safe Harbor requirements instead, with the rules that enforce each "
                   "and where it is rendered (docs/requirements.md).")
def rules(fmt, requirements):
    """List every check rule with its id, severity, why it exists and how to fix it."""
    from patientvoice.rules_page import render_rules

    if requirements:
        from patientvoice.compliance.requirements import render_requirements

        click.echo(render_requirements())  # one Markdown table per group reads as text too
        return
    click.echo(render_rules(fmt))


if __name__ == "__main__":  # pragma: no cover
    main()
