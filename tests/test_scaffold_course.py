"""`patientvoice new course DIR`: a whole course that checks clean but for what only people decide, and builds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

import pdfread
from patientvoice.check import check_course
from patientvoice.cli import main
from patientvoice.scaffold.course import MODULE, PATIENT, PLANNER, STORY

APPROVE = ["review", "approve", MODULE, "--by", f"{PLANNER},{PATIENT}"]


def _run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "patientvoice.cli", *args], cwd=root, capture_output=True, text=True)


def test_new_course_refuses_a_folder_with_anything_in_it(tmp_path):
    (tmp_path / "notes.txt").write_text("mine\n")
    result = _run("new", "course", str(tmp_path))
    assert result.exit_code == 1 and "not an empty folder" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
    (tmp_path / "file").write_text("")
    result = _run("new", "course", str(tmp_path / "file"))
    assert result.exit_code == 2 and "is a file" in result.output


def test_a_new_course_needs_only_peoples_decisions_then_checks_clean_and_builds(tmp_path):
    root = tmp_path / "course"
    result = _run("new", "course", str(root), "--name", "Living with a rare disease")
    assert result.exit_code == 0, result.output
    assert f"patientvoice review approve {MODULE} --by {PLANNER},{PATIENT}" in result.output  # the next steps
    for rel in ("mkdocs.yml", ".gitignore", "content/provider.yml", f"content/people/{PLANNER}.yml",
                f"content/stories/{STORY}.md", f"modules/{MODULE}/questionnaire.yml", "modules/index.md",
                ".github/workflows/patientvoice.yml", ".vscode/settings.json", ".patientvoice/schemas/story.json"):
        assert (root / rel).is_file(), rel
    assert not (root / "theme").exists()  # the default theme comes with patientvoice
    assert "site_name: \"Living with a rare disease\"" in (root / "mkdocs.yml").read_text()
    # The editor schema line points at the schemas written beside it.
    first = (root / f"modules/{MODULE}/questionnaire.yml").read_text().splitlines()[0]
    assert (root / f"modules/{MODULE}" / first.split("=", 1)[1]).resolve().is_file()

    # What only people can decide, and nothing else: the committee's approval, the storyteller's, the address.
    _, problems = check_course(root)
    assert sorted(p.rule for p in problems) == ["consent.final-text", "pdf.no-site-url", "review.no-approval"], \
        [p.format() for p in problems]
    # The storyteller approves the words first: the committee's approval pins the story's exact text.
    story = root / "content" / "stories" / f"{STORY}.md"
    story.write_text(story.read_text().replace("final_text_approved: false", "final_text_approved: true"))
    assert _cli(root, *APPROVE).returncode == 0
    cfg = root / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("# site_url: https://learn", "site_url: https://learn"))
    check = _cli(root, "check", "--strict")
    assert check.returncode == 0 and "0 errors, 0 warnings" in check.stdout, check.stdout + check.stderr

    build = _cli(root, "build")
    assert build.returncode == 0, build.stdout + build.stderr
    site = root / "build" / "site"
    post = (site / MODULE / "post" / "index.html").read_text()
    assert "assets/questionnaire.js" in post and (site / "assets" / "questionnaire.js").is_file()
    assert (site / "stories" / STORY / "index.html").is_file()  # the module embeds the story: it is published
    handout = root / "build" / "pdf" / f"{MODULE}.pdf"
    assert "Describe what learners will be able to do" in pdfread.text(handout)

    # The plugin on its own, as `mkdocs build` / `mkdocs serve` run it.
    plain = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--site-dir", str(tmp_path / "plain")],
                           cwd=root, capture_output=True, text=True)
    assert plain.returncode == 0, plain.stderr[-3000:]
    assert (tmp_path / "plain" / "assets" / "questionnaire.js").is_file()
    assert not list((tmp_path / "plain").rglob("questionnaire.yml"))  # never the answer keys


def test_a_course_name_with_colons_or_quotes_gives_a_valid_mkdocs_yml(tmp_path):
    """The default name has ': ' in it; a plain YAML scalar would make mkdocs.yml a syntax error."""
    import yaml

    for name in (None, 'Pain: a course #1', '"Quoted\' & \\ back', "Douleur chronique — été"):
        root = tmp_path / f"c{len(list(tmp_path.iterdir()))}"
        result = _run("new", "course", str(root), *(["--name", name] if name else []))
        assert result.exit_code == 0, result.output
        cfg = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        assert cfg["site_name"] == (name or "Change me: the course's name")
        _, problems = check_course(root)
        assert "yaml.syntax" not in {p.rule for p in problems}, [p.format() for p in problems]
    result = _run("new", "course", str(tmp_path / "nl"), "--name", "two\nlines")
    assert result.exit_code == 1 and "one line" in result.output and not (tmp_path / "nl").exists()


def test_the_next_steps_cd_works_for_a_folder_with_spaces(tmp_path):
    root = tmp_path / "my course"
    result = _run("new", "course", str(root))
    assert result.exit_code == 0 and f"cd '{root}';" in result.output, result.output
