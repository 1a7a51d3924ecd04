"""``patientvoice new course|module|story|dataset|ci`` and ``patientvoice schemas``: an author's first files and
editor help (a whole course: scaffold/course.py).

New files are never written over existing ones; each command prints what it wrote and what to do next.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
from pathlib import Path

import click

from patientvoice.cli import ROOT_OPTION
from patientvoice.course.schema import ID_RE
from patientvoice.scaffold import files

SCHEMA_DIR = ".patientvoice/schemas"  # inside the course; editors find it through .vscode/settings.json


def _id(ctx, param, value: str) -> str:
    if not ID_RE.match(value):
        raise click.BadParameter(f"'{value}' is not an id; use lowercase letters, digits and '-' (e.g. pain-in-the-ed)")
    return value


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    try:
        if path.exists():
            raise click.ClickException(f"{rel} already exists; choose another id or edit that file")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:  # a folder on the way is a file, the id is too long for the file system, no permission
        blocker = next((p for p in path.parents if p.is_file()), None) if exc.errno in (errno.EEXIST, errno.ENOTDIR) else None
        why = f"{blocker.relative_to(root)} is a file, not a folder" if blocker else exc.strerror or exc
        raise click.ClickException(f"cannot write {rel}: {why}") from None
    click.echo(f"wrote {rel}")


def _first_id(root: Path, kind: str, default: str) -> str:
    """The first id in content/<kind>/ (a committee, a PAG) for a new file to name, else ``default``."""
    ids = sorted(p.stem for p in (root / "content" / kind).glob("*.yml"))
    return ids[0] if ids else default


def _schema_dir(root: Path, rel: str) -> str:
    """The schema folder relative to the file at ``rel``, when the course has one (`patientvoice schemas`)."""
    if not (root / SCHEMA_DIR).is_dir():
        return ""
    return "/".join([".."] * rel.count("/") + [SCHEMA_DIR])


@click.group()
def new():
    """Start a new course, or a module, story or data set that passes the schema checks as written."""


@new.command("module")
@click.argument("module_id", callback=_id)
@ROOT_OPTION
@click.option("--committee", default=None, help="The steering committee that reviews it (default: the course's first).")
def new_module(module_id, root, committee):
    """Write modules/MODULE_ID/index.md and questionnaire.yml."""
    root = Path(root)
    committee = committee or _first_id(root, "committees", "steering-committee")
    _write(root, f"modules/{module_id}/index.md", files.module_index(module_id, committee, dt.date.today()))
    rel = f"modules/{module_id}/questionnaire.yml"
    _write(root, rel, files.questionnaire(_schema_dir(root, rel)))
    click.echo("next: fill in the activity information, add it to the nav if mkdocs.yml lists one, then run "
               "`patientvoice check`")


@new.command("story")
@click.argument("story_id", callback=_id)
@ROOT_OPTION
def new_story(story_id, root):
    """Write content/stories/STORY_ID.md with its consent fields."""
    _write(Path(root), f"content/stories/{story_id}.md", files.story(story_id, dt.date.today()))
    click.echo("next: paste the storyteller's approved words, record the consent reference, then run "
               "`patientvoice check`")


@new.command("dataset")
@click.argument("dataset_id", callback=_id)
@ROOT_OPTION
@click.option("--pag", default=None, help="The PAG that ran the survey (default: the course's first).")
def new_dataset(dataset_id, root, pag):
    """Write content/data/DATASET_ID.yml with every methods field."""
    root = Path(root)
    rel = f"content/data/{dataset_id}.yml"
    _write(root, rel, files.dataset(dataset_id, pag or _first_id(root, "pags", "change-me"), dt.date.today(),
                                    _schema_dir(root, rel)))
    click.echo("next: enter the questions and counts exactly as the PAG reported them, then run `patientvoice check`")


@new.command("course")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option("--name", default="Change me: the course's name", help="The site's name (mkdocs.yml site_name).")
def new_course(folder, name):
    """Write a whole working course into FOLDER (new or empty): config, provider, people, one module, CI."""
    from patientvoice.scaffold.course import course_files, next_steps

    if not name.strip() or any(ch < " " or ch == "\x7f" for ch in name):  # the site's title and home heading
        raise click.ClickException("--name must be one line of text (the site's name, e.g. 'Living with pain')")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise click.ClickException(f"{folder} is not an empty folder; `new course` writes a whole course and never "
                                   "writes over files: give a new or empty folder (or add to this course with "
                                   "`patientvoice new module ID`)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise click.ClickException(f"cannot make {folder}: {exc.strerror or exc}") from None
    _schemas(folder, None)  # first: the questionnaire and data set then carry their editor schema line
    for rel, text in course_files(name, dt.date.today(), SCHEMA_DIR).items():
        _write(folder, rel, text)
    click.echo(next_steps(str(folder)))


@click.command()
@ROOT_OPTION
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help=f"Where to write the schemas (default: {SCHEMA_DIR} in the course).")
def schemas(root, out):
    """Write JSON Schemas for every author file and point VS Code's YAML extension at them."""
    _schemas(Path(root), out)


def _schemas(root: Path, out: Path | None) -> None:
    """`patientvoice schemas`: the schema files, and VS Code's settings when they go to the course's own folder."""
    from patientvoice.course.jsonschema import vscode_settings, write_schemas

    target = out or root / SCHEMA_DIR
    try:
        written = write_schemas(target)
    except OSError as exc:
        where = "--out" if out is not None else "the course folder"
        raise click.ClickException(f"cannot write the schemas to {target}: {exc.strerror or exc}; {where} must be "
                                   "a folder you can write to") from None
    for path in written:
        click.echo(f"wrote {path}")
    if out is None:
        settings_path = root / ".vscode" / "settings.json"
        settings = {}
        if settings_path.is_file():
            try:
                settings = json.loads(settings_path.read_text(encoding="utf-8"))
            except ValueError:
                raise click.ClickException(f"{settings_path} is not valid JSON; fix it and run this again") from None
        if not isinstance(settings, dict):
            raise click.ClickException(f"{settings_path} is not a JSON object ({{...}}); fix it and run this again")
        settings.update(vscode_settings(SCHEMA_DIR))
        try:
            settings_path.parent.mkdir(exist_ok=True)
            settings_path.write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"cannot write {settings_path}: {exc.strerror or exc}") from None
        click.echo(f"wrote {settings_path} (yaml.schemas for the YAML files; front matter is checked by "
                   "`patientvoice check`)")


@new.command("ci")
@ROOT_OPTION
def new_ci(root):
    """Write .github/workflows/patientvoice.yml: check every push, build and publish the site from main."""
    _write(Path(root), ".github/workflows/patientvoice.yml", files.ci_workflow())
    click.echo("next: commit it and enable GitHub Pages with source 'GitHub Actions'")
