"""The ``collect`` and ``report`` commands."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import click

from patientvoice.cli import ROOT_OPTION
from patientvoice.outcomes.store import StoreError, open_store, redact

TOKEN_ENV = "PATIENTVOICE_EXPORT_TOKEN"
PUBLIC_URL_ENV = "PATIENTVOICE_PUBLIC_URL"
MIN_TOKEN = 16  # a shorter token can be guessed; the export holds every learner's answers


def _course(root: Path):
    """The course at ``root`` and the evaluation items its post-test pages ask (from mkdocs.yml)."""
    from patientvoice.course.loader import load_course
    from patientvoice.outcomes.evaluation import EvaluationError, site_evaluation

    course, problems = load_course(root)
    if not any(m.questionnaire for m in course.modules.values()):
        raise click.ClickException(f"no module under {root.resolve()} has a questionnaire.yml; is --root the course?")
    if problems.errors:
        click.echo(f"warning: the course has {len(problems.errors)} error(s); run 'patientvoice check' "
                   "(responses are still checked against the questionnaires as loaded)", err=True)
    try:
        evaluation = site_evaluation(course.root)
    except EvaluationError as exc:  # the site would not build either; answering 400 to every post-test is worse
        raise click.ClickException(f"{exc} (see docs/questionnaires.md)")
    return course, evaluation


def _origin(ctx, param, value):
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/") or parts.query:
        raise click.BadParameter(f"'{value}' is not an origin; write it like https://cme.example.org")
    return f"{parts.scheme}://{parts.netloc}"


def _public_url(ctx, param, value):
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise click.BadParameter(f"'{value}' is not a URL; write it like https://cme.example.org/collector/")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}/"


@click.command()
@ROOT_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--database", default="responses.sqlite", show_default=True, metavar="URL|FILE",
              help="A SQLite file, or a postgresql://user:password@host/db URL.")
@click.option("--origin", callback=_origin, metavar="URL",
              help="The site's origin (https://cme.example.org): the only origin answered with CORS headers.")
@click.option("--max-body", default=65536, show_default=True, type=click.IntRange(1024, 1 << 20),
              help="Largest request body accepted, in bytes.")
@click.option("--header-timeout", default=10.0, show_default=True, type=click.FloatRange(0.5, 300),
              help="Seconds a client has to send a request's headers before the connection is closed.")
@click.option("--body-timeout", default=10.0, show_default=True, type=click.FloatRange(0.5, 300),
              help="Seconds a client has to send a whole request body before it is answered 408 and dropped.")
@click.option("--public-url", envvar=PUBLIC_URL_ENV, callback=_public_url, metavar="URL",
              help="Where learners reach this collector (https://cme.example.org/collector/), printed on "
                   f"certificates as the verification link; also ${PUBLIC_URL_ENV}. Default: http://HOST:PORT/. "
                   "Set it behind a reverse proxy.")
def collect(root, host, port, database, origin, max_body, header_timeout, body_timeout, public_url):
    """Receive learners' questionnaire responses at POST /responses and store them.

    Each response is checked against the course's questionnaires and scored by the collector. GET /export
    (?format=csv or json) is served only when PATIENTVOICE_EXPORT_TOKEN is set, to requests that send it
    as a bearer token.
    """
    from patientvoice.outcomes.collector import create_app, listen
    from patientvoice.outcomes.server import serve
    from patientvoice.site.questionnaire import EvaluationError

    token = os.environ.get(TOKEN_ENV) or None
    if token is not None and len(token) < MIN_TOKEN:
        raise click.ClickException(f"{TOKEN_ENV} is {len(token)} characters long; use at least {MIN_TOKEN} random "
                                   "characters (for example: python -c 'import secrets; print(secrets.token_urlsafe())')")
    course, evaluation = _course(root)
    try:
        sock = listen(host, port)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
    try:
        store = open_store(database)
    except StoreError as exc:
        sock.close()
        raise click.ClickException(str(exc))
    bound = sock.getsockname()[1]
    # Never the request's Host header: a client could have its own domain printed on a certificate.
    public_url = public_url or f"http://{f'[{host}]' if ':' in host else host}:{bound}/"
    try:
        app = create_app(course, store, origin, token, max_body, evaluation, body_timeout, public_url=public_url)
    except EvaluationError as exc:  # mkdocs.yml's attempts option; the site would not build either
        store.close()
        sock.close()
        raise click.ClickException(str(exc))
    click.echo(f"Collecting responses for {len(course.modules)} module(s) at http://{host}:{bound}/responses "
               f"into {redact(database)}")
    click.echo(f"CORS: {origin or 'none (same origin only)'}; export: "
               f"{'GET /export with the bearer token' if token else f'off (set {TOKEN_ENV} to enable)'}")
    click.echo(f"Certificates link to {public_url}verify/…" + (
        "" if urlsplit(public_url).hostname not in ("0.0.0.0", "::") else
        f" (not an address learners can reach: set --public-url or {PUBLIC_URL_ENV})"))
    sys.stdout.flush()
    try:
        serve(app, sock, header_timeout)
    except KeyboardInterrupt:  # uvicorn re-raises Ctrl-C after a graceful shutdown; that is a normal stop
        click.echo("Stopped.")
    finally:
        store.close()
        sock.close()


@click.command()
@ROOT_OPTION
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--database", metavar="URL|FILE", help="The collector's SQLite file or postgresql:// URL.")
@click.option("--out", default=Path("build/report"), show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder to write the report to.")
def report(root, files, database, out):
    """Report what changed: write index.html, report.pdf and outcomes.json.

    Reads the collector's database (--database) or exported JSON/CSV FILES (the collector's /export, or
    learners' own downloads), and checks every response against the course's questionnaires.
    """
    from patientvoice.outcomes.exchange import FileError
    from patientvoice.outcomes.programme import professions_from
    from patientvoice.outcomes.report import load_rows, write_report

    if bool(database) == bool(files):
        raise click.UsageError("give either --database or exported files, not both and not neither")
    course, evaluation = _course(root)
    try:
        rows, skipped, source = load_rows(course, database, files, evaluation)
    except (StoreError, FileError) as exc:
        raise click.ClickException(str(exc))
    # only the claims' module, learner code and profession are read, never a name
    professions = professions_from(database) if database else {}
    data = write_report(course, rows, skipped, source, out, evaluation=evaluation, professions=professions)
    learners = sum(m["learners_any"] for m in data["modules"])
    click.echo(f"Wrote {out}/index.html, report.pdf and outcomes.json: {len(rows)} response(s), "
               f"{learners} learner-module(s), {len(skipped)} skipped")
    if skipped:
        click.echo(f"Skipped {len(skipped)} response(s) that cannot be counted:", err=True)
    for message in skipped[:10]:
        click.echo(f"  {message}", err=True)
    if len(skipped) > 10:
        click.echo(f"  … and {len(skipped) - 10} more (listed in the report)", err=True)
