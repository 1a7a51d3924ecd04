"""`patientvoice new …` writes files that pass the schema checks as written; `schemas` matches what check accepts."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from patientvoice.check import check_course
from patientvoice.cli import main
from patientvoice.course.jsonschema import FILES, schema_for
from sitekit import copy_course

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def course(tmp_path) -> Path:
    return copy_course(tmp_path)


def _run(*args):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result


def _structure_problems(root: Path, rel: str) -> list[str]:
    _, problems = check_course(root)
    return [p.format() for p in problems if str(p.path).endswith(rel)
            and (p.rule.startswith(("schema.", "yaml.", "file.", "deid.", "content.", "activity.", "evidence.",
                                    "marketing.", "support.", "questionnaire.")))]


def test_new_module_story_and_dataset_pass_the_schema_checks(course):
    for args, rel in [(["new", "module", "pain-at-home"], "modules/pain-at-home/index.md"),
                      (["new", "story", "amara-first-visit"], "content/stories/amara-first-visit.md"),
                      (["new", "dataset", "home-care-survey"], "content/data/home-care-survey.yml")]:
        result = _run(*args, "--root", str(course))
        assert result.exit_code == 0, result.output
        assert f"wrote {rel}" in result.output
        assert (course / rel).is_file()
        assert _structure_problems(course, rel) == []
    assert _structure_problems(course, "modules/pain-at-home/questionnaire.yml") == []
    # The new module names the course's first committee, which exists.
    assert "committee: pbc-steering" in (course / "modules/pain-at-home/index.md").read_text()


def test_new_never_overwrites(course):
    before = (course / "content/stories/elaine-night-itch.md").read_bytes()
    result = _run("new", "story", "elaine-night-itch", "--root", str(course))
    assert result.exit_code != 0 and "already exists" in result.output
    assert (course / "content/stories/elaine-night-itch.md").read_bytes() == before


def test_new_refuses_a_bad_id(course):
    result = _run("new", "module", "Pain In ED", "--root", str(course))
    assert result.exit_code == 2 and "is not an id" in result.output
    assert not (course / "modules" / "Pain In ED").exists()


def test_schemas_are_written_and_wired_for_editors(course):
    result = _run("schemas", "--root", str(course))
    assert result.exit_code == 0, result.output
    settings = json.loads((course / ".vscode/settings.json").read_text())
    assert settings["yaml.schemas"][".patientvoice/schemas/provider.json"] == "content/provider.yml"
    # A questionnaire written after the schemas carries the editor's schema comment.
    _run("new", "module", "pain-at-home", "--root", str(course))
    first = (course / "modules/pain-at-home/questionnaire.yml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../.patientvoice/schemas/questionnaire.json"
    assert (course / "modules/pain-at-home/questionnaire.yml").parent.joinpath(
        first.split("=", 1)[1]).resolve().is_file()


def _front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---", 2)[1]) if path.suffix == ".md" else yaml.safe_load(text)


def _jsonable(value):
    """YAML dates as the text an editor sees."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value.isoformat() if hasattr(value, "isoformat") else value


@pytest.mark.parametrize("name", list(FILES))
def test_every_example_file_is_valid_under_its_schema(name):
    """The schemas say what check says: every file of the (passing) example course validates."""
    glob = FILES[name][2]
    paths = sorted(ROOT.glob(glob))
    assert paths, glob
    validator = jsonschema.Draft202012Validator(schema_for(name))
    for path in paths:
        errors = [e.message for e in validator.iter_errors(_jsonable(_front_matter(path)))]
        assert errors == [], f"{path}: {errors}"


def test_a_schema_refuses_what_check_refuses():
    validator = jsonschema.Draft202012Validator(schema_for("story"))
    story = _jsonable(_front_matter(ROOT / "content/stories/elaine-night-itch.md"))
    assert not list(validator.iter_errors(story))
    for broken in ({**story, "pseudonymn": "x"}, {**story, "age_band": "54"}, {**story, "narrator": "doctor"},
                   {k: v for k, v in story.items() if k != "consent"}):
        assert list(validator.iter_errors(broken)), broken


def test_committed_schemas_are_current():
    """docs/schemas/ is what `patientvoice schemas --out docs/schemas` writes today."""
    for name in FILES:
        committed = json.loads((ROOT / "docs" / "schemas" / f"{name}.json").read_text())
        assert committed == schema_for(name), f"regenerate: patientvoice schemas --out docs/schemas ({name})"


def test_new_ci_writes_a_workflow_that_checks_then_publishes(course):
    result = _run("new", "ci", "--root", str(course))
    assert result.exit_code == 0, result.output
    flow = yaml.safe_load((course / ".github/workflows/patientvoice.yml").read_text())
    check_steps = [s.get("run", "") for s in flow["jobs"]["check"]["steps"]]
    publish_steps = [s.get("run", "") for s in flow["jobs"]["publish"]["steps"]]
    assert "patientvoice check --strict" in check_steps
    assert "patientvoice build --strict" in publish_steps
    assert flow["jobs"]["publish"]["needs"] == "check"


def test_the_example_course_is_wired_to_the_committed_schemas():
    from patientvoice.course.jsonschema import vscode_settings

    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text())
    assert settings == vscode_settings("docs/schemas")
    assert all((ROOT / path).is_file() for path in settings["yaml.schemas"])
