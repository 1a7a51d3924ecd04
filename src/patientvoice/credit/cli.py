"""The ``records`` commands: the provider's claims, certificates and PARS file, read from the collector's database.

They open the database directly (the file or the postgresql:// URL the collector was given); whoever can run
them can already read the database, so no token is involved. Nothing here is served over HTTP.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from contextlib import contextmanager
from pathlib import Path

import click

from patientvoice.cli import ROOT_OPTION

DATABASE = click.option("--database", default="responses.sqlite", show_default=True, metavar="URL|FILE",
                        help="The collector's SQLite file or postgresql:// URL.")
OUT = click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="File to write.")


@contextmanager
def _claims(database: str):
    """The claims table of the collector's database, closed after use; a missing SQLite file is an error."""
    from patientvoice.credit.store import ClaimStore
    from patientvoice.outcomes.store import StoreError, open_store

    text = str(database)
    if "://" not in text or text.startswith("sqlite:///"):
        path = Path(text.removeprefix("sqlite:///"))
        if not path.is_file():
            raise click.ClickException(f"there is no database at {path}; give the collector's --database")
    try:
        store = open_store(database)
    except StoreError as exc:
        raise click.ClickException(str(exc))
    try:
        yield ClaimStore(store)
    except StoreError as exc:
        raise click.ClickException(str(exc))
    finally:
        store.close()


def _write(out: Path, data: str | bytes) -> None:
    # Learners' names and identifiers: readable by the provider's user only.
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc.strerror or exc}")


def _theme(root: Path) -> Path:
    """The course's theme folder (it need not exist: the package's print theme stands in, site/theme.py)."""
    if not (root / "mkdocs.yml").is_file() and not (root / "content").is_dir():
        raise click.ClickException(f"{root.resolve()} is not a course (no mkdocs.yml or content/); "
                                   "give the course with --root")
    return root / "theme"


def _age(ctx, param, value):
    from patientvoice.credit.records import cutoff

    try:
        return cutoff(value, dt.datetime.now(dt.timezone.utc).date())
    except ValueError as exc:
        raise click.BadParameter(str(exc))


@click.group()
def records():
    """The provider's credit records: PARS export, summary, certificates, retention.

    Claims are kept in the collector's database (--database), in a table of their own; see docs/credit.md.
    """


@records.command("export")
@DATABASE
@click.option("--format", "fmt", type=click.Choice(["pars-learners", "csv"]), required=True,
              help="pars-learners: the PARS learner completion rows of learners who consented; csv: every claim.")
@OUT
def export(database, fmt, out):
    """Write the PARS learner file or every claim as CSV."""
    from patientvoice.credit.records import claims_csv, pars_learners, reportable

    with _claims(database) as claims:
        rows = claims.all()
    if fmt == "pars-learners":
        _write(out, pars_learners(rows))
        n = sum(map(reportable, rows))
        click.echo(f"Wrote {out}: {n} learner completion(s) to report, of {len(rows)} claim(s) "
                   f"({len(rows) - n} not reported: no consent, or not awarded the credit)")
    else:
        _write(out, claims_csv(rows))
        click.echo(f"Wrote {out}: {len(rows)} claim(s)")


@records.command("summary")
@DATABASE
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def summary_cmd(database, fmt):
    """Per activity: claims by profession, physicians vs other learners, credits awarded (PARS's counts)."""
    from patientvoice.credit.records import summary, summary_text

    with _claims(database) as claims:
        rows = summary(claims.all())
    click.echo(json.dumps(rows, indent=2) if fmt == "json" else summary_text(rows))


@records.command("certificate")
@click.argument("certificate_id")
@DATABASE
@ROOT_OPTION
@OUT
def certificate_cmd(certificate_id, database, root, out):
    """Reissue one certificate (as first issued) as a PDF."""
    from patientvoice.credit.certificate import certificate_pdf

    with _claims(database) as claims:
        claim = claims.get(certificate_id)
    if claim is None:
        raise click.ClickException(f"no certificate has the id {certificate_id!r}")
    _write(out, certificate_pdf([claim], _theme(root)))
    click.echo(f"Wrote {out}: the certificate of {claim['name']} for {claim['activity']}")


@records.command("transcript")
@click.argument("email")
@DATABASE
@ROOT_OPTION
@OUT
def transcript(email, database, root, out):
    """All of one learner's certificates (by e-mail address) in one PDF, a page each."""
    from patientvoice.credit.certificate import certificate_pdf

    with _claims(database) as store:
        claims = store.by_email(email)
    if not claims:
        raise click.ClickException(f"no claim was made with the e-mail address {email!r}")
    _write(out, certificate_pdf(claims, _theme(root)))
    click.echo(f"Wrote {out}: {len(claims)} certificate(s)")


@records.command("purge")
@DATABASE
@click.option("--older-than", "before", default="6y", show_default=True, callback=_age, metavar="AGE",
              help="Delete claims completed longer ago than this (6y, 18m, 30d). ACCME asks for six years.")
@click.option("--yes", is_flag=True, help="Delete them; without it, only list what would be deleted.")
def purge(database, before, yes):
    """Delete claims past the retention period; a dry run unless --yes is given.

    Only claims (names, identifiers, certificates) are deleted; the pseudonymous responses stay.
    """
    with _claims(database) as claims:
        old = claims.completed_before(before.isoformat())
        verb = "Deleting" if yes else "Would delete"
        click.echo(f"{verb} {len(old)} claim(s) completed before {before.isoformat()}" + (":" if old else "."))
        for c in old:
            click.echo(f"  {c['id'][:8]}…  {c['activity']}  completed {c['completed']}  {c['profession']}")
        if yes:
            gone = claims.delete([c["id"] for c in old])
            click.echo(f"Deleted {gone} claim(s).")
        elif old:
            click.echo("Nothing was deleted; run again with --yes to delete them.")
