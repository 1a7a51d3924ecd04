"""The synthetic-course generator (benchmarks/generate_course.py) writes valid, approved, deterministic courses."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from patientvoice.check import check_course
from patientvoice.course.loader import load_course

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "benchmarks" / "generate_course.py"
TODAY = dt.date(2026, 11, 29)


def _load_generator():
    spec = importlib.util.spec_from_file_location("generate_course", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


gen = _load_generator()
# The generator put benchmarks/ on sys.path, so its sibling modules import by name.
course_draft = importlib.import_module("course_draft")


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _assert_clean(root: Path, today: dt.date) -> None:
    _, problems = check_course(root, today)
    assert not problems, "\n".join(p.format() for p in problems)


@pytest.mark.parametrize("modules, stories, seed", [(3, 10, 0), (5, 12, 7), (1, 1, 3), (30, 60, 11)])
def test_generated_course_has_no_problems(tmp_path, modules, stories, seed):
    root = gen.generate_course(tmp_path / "course", modules, stories, seed, today=TODAY)
    _assert_clean(root, TODAY)


@pytest.mark.parametrize("today", [dt.date(2025, 3, 1), dt.date(2028, 2, 29), dt.date.today()])
def test_dates_follow_today(tmp_path, today):
    root = gen.generate_course(tmp_path / "course", 4, 9, 5, today=today)
    _assert_clean(root, today)


def test_same_seed_same_bytes_other_seed_differs(tmp_path):
    a = _tree(gen.generate_course(tmp_path / "a", 3, 10, seed=42, today=TODAY))
    b = _tree(gen.generate_course(tmp_path / "b", 3, 10, seed=42, today=TODAY))
    c = _tree(gen.generate_course(tmp_path / "c", 3, 10, seed=43, today=TODAY))
    assert a == b
    assert a != c


def test_file_counts_and_layout(tmp_path):
    root = gen.generate_course(tmp_path / "course", 6, 20, 1, today=TODAY)
    assert len(list((root / "content" / "stories").glob("*.md"))) == 20
    module_dirs = [d for d in (root / "modules").iterdir() if d.is_dir()]
    assert len(module_dirs) == 6
    for d in module_dirs:
        assert sorted(p.name for p in d.iterdir()) == ["index.md", "questionnaire.yml"]
    assert (root / "content" / "provider.yml").is_file()
    assert (root / "modules" / "index.md").is_file()
    for kind in ("people", "committees", "pags", "data"):
        assert list((root / "content" / kind).glob("*.yml")), kind
    assert not (root / "theme").exists()  # the default theme comes with patientvoice; the example overrides nothing
    cfg = (root / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(r"^docs_dir: modules$", cfg, re.M) and re.search(r"^site_dir: build/site$", cfg, re.M)
    assert re.search(r"^\s*- search\b", cfg, re.M) and re.search(r"^\s*- patientvoice\b", cfg, re.M)
    assert "nav:" not in cfg  # the example course's nav would name modules this course does not have


def test_course_has_every_feature_the_spec_names(tmp_path):
    root = gen.generate_course(tmp_path / "course", 4, 16, 2, today=TODAY)
    course, _ = load_course(root)
    people = course.people.values()
    roles = {"clinician", "staff", "patient-partner", "caregiver-partner", "pag-representative"}
    assert {p.role for p in people} >= roles
    assert any(r.relevant and r.mitigation_action and r.mitigation_date for p in people for r in p.relationships or [])
    for c in course.committees.values():
        assert any(m.role == "patient-partner" for m in c.members)
    stories = course.stories.values()
    assert all(s.composite and "fictional composite" in s.body for s in stories)
    assert all(len(s.sections) >= 3 for s in stories)
    assert {"patient", "caregiver"} <= {s.narrator for s in stories}
    assert {("web",), ("print",), ("web", "print")} <= {tuple(s.channels) for s in stories}
    embedded = set()
    for m in course.modules.values():
        lines = m.path.read_text(encoding="utf-8").count("\n")
        assert 150 <= lines <= 300, (m.id, lines)
        names = {b.name for b in m.blocks}
        assert {"story", "pag-data", "web-only", "print-only"} <= names
        assert any(b.inside for b in m.blocks), "a block nested in a web-only or print-only block"
        assert any(b.target[1] for b in m.story_refs()), "a story embedded by section"
        embedded |= {b.target[0] for b in m.story_refs()}
        kinds = {i.kind for i in m.questionnaire.items}
        assert kinds == {"single", "multiple", "likert", "commitment", "text"}
        for o in m.objectives:
            phases = {p for i in m.questionnaire.items if i.objective == o.id for p in i.phases}
            assert phases == {"pre", "post", "follow-up"}, o.id
        assert m.approvals and m.approvals[-1].decision == "approved"
    assert embedded == set(course.stories), "every story is used by some module"


def test_story_text_avoids_identifiers(tmp_path):
    root = gen.generate_course(tmp_path / "course", 3, 30, 9, today=TODAY)
    course, _ = load_course(root)
    surnames = {p.name.split()[-1] for p in course.people.values()}
    for s in course.stories.values():
        assert not re.search(r"\d|@|https?:|www\.", s.body), s.id
        assert not surnames & set(re.findall(r"[A-Z][a-z]+", s.body)), s.id


def test_yaml_scalars_round_trip():
    for text in ["No", "yes", "Yes, completely", "I can't remember", "Title: with colon", "Not sure", "a #hash"]:
        assert yaml.safe_load(f"k: {course_draft.yaml_str(text)}")["k"] == text


def test_refuses_a_non_empty_directory(tmp_path):
    (tmp_path / "course").mkdir()
    (tmp_path / "course" / "keep.txt").write_text("mine")
    with pytest.raises(FileExistsError):
        gen.generate_course(tmp_path / "course", 1, 1)


def test_command_line(tmp_path):
    out = tmp_path / "cli-course"
    run = subprocess.run([sys.executable, str(SCRIPT), str(out), "--modules", "2", "--stories", "5", "--seed", "4"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "wrote 2 modules and 5 stories" in run.stdout
    cli = Path(sys.executable).with_name("patientvoice")
    check = subprocess.run([str(cli), "check", "--strict", "--root", str(out)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "0 errors, 0 warnings" in check.stdout
