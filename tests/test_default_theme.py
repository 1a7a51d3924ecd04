"""The default theme ships in the package; a course's theme/ overrides it file by file (site/theme.py).

The example course has no theme/ folder, so the browser, PDF and export suites all run on the package's theme;
these tests pin the rule itself: the course without theme/ gets working questionnaire pages, a course file wins
on the site, in the materialised tree and in the SCORM package, approvals digest the effective theme, and the
wheel carries the theme.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from click.testing import CliRunner

from browser import collector, page, site  # noqa: F401  (fixtures)
from coursekit import MODULE, refute
from patientvoice.check import check_course
from patientvoice.cli import main
from patientvoice.materialise.options import site_config
from patientvoice.materialise.tree import materialise
from patientvoice.site.theme import PACKAGE_THEME, theme_file, theme_files
from sitekit import REPO, copy_course
from test_questionnaire_browser import answer, items, open_phase

RUNTIME = ["assets/questionnaire.js", "assets/questionnaire-store.js", "assets/claim.js", "assets/journey.js",
           "assets/patientvoice.js", "assets/patientvoice.css", "print.css", "fonts/DejaVuSans.ttf"]
APPROVERS = {"hearing-the-itch": "miriam-achterberg,ruth-calloway", "believed-in-pain": "adaeze-whitfield,yvonne-abara"}
MARK = "/* the course's own stylesheet */\n.pv-story { border: 3px solid #123456; }\n"


def test_the_package_holds_the_whole_default_theme(tmp_path):
    files = theme_files(tmp_path)  # a folder with no theme/: the package's files only
    assert set(RUNTIME) <= files.keys()
    assert all(path.is_relative_to(PACKAGE_THEME) for path in files.values())
    assert not (REPO / "theme").exists()  # the example course keeps no second copy of the tool's files


def test_a_course_file_replaces_the_package_file_at_the_same_path(tmp_path):
    (tmp_path / "theme" / "assets").mkdir(parents=True)
    (tmp_path / "theme" / "assets" / "patientvoice.css").write_text(MARK)
    (tmp_path / "theme" / "assets" / "logo.svg").write_text("<svg/>")
    (tmp_path / "theme" / ".hidden.css").write_text("")
    files = theme_files(tmp_path)
    assert files["assets/patientvoice.css"] == tmp_path / "theme" / "assets" / "patientvoice.css"
    assert files["assets/logo.svg"] == tmp_path / "theme" / "assets" / "logo.svg"  # added to the package's
    assert files["assets/questionnaire.js"] == PACKAGE_THEME / "assets" / "questionnaire.js"
    assert ".hidden.css" not in files
    assert theme_file(tmp_path, "print.css") == PACKAGE_THEME / "print.css"
    assert theme_file(tmp_path, "no-such.css") is None


def test_a_course_without_theme_gets_questionnaire_pages_that_score(page, site):  # noqa: F811
    assert not (site[1].parents[1] / "theme").exists()
    open_phase(page, site, "post")  # waits until questionnaire.js has set the page up
    key = {i["id"]: i["answer"] for i in items("post") if i["kind"] in ("single", "multiple")}
    answer(page, key)
    page.click("[data-pv-submit]")
    result = page.wait_for_selector("[data-pv-result]:not([hidden])")
    assert f"{len(key)} of {len(key)} knowledge questions" in result.text_content()


def _override(root: Path) -> None:
    """Give the course its own stylesheet in theme/, named in mkdocs.yml as check asks."""
    (root / "theme" / "assets").mkdir(parents=True)
    (root / "theme" / "assets" / "patientvoice.css").write_text(MARK)
    cfg = (root / "mkdocs.yml").read_text()
    (root / "mkdocs.yml").write_text(cfg.replace("  name: material\n", "  name: material\n  custom_dir: theme\n", 1))


def test_a_course_stylesheet_wins_on_the_site_in_the_tree_and_in_scorm(tmp_path):
    root = copy_course(tmp_path / "course")
    _override(root)
    for module, by in APPROVERS.items():  # the stylesheet is under every approval: the committees approve it
        result = CliRunner().invoke(main, ["review", "approve", module, "--by", by, "--root", str(root)])
        assert result.exit_code == 0, result.output
    course, problems = check_course(root)
    assert not problems.errors, [p.format() for p in problems.errors]
    build = subprocess.run([sys.executable, "-m", "patientvoice.cli", "build", "--no-pdf", "--root", str(root)],
                           capture_output=True, text=True)
    assert build.returncode == 0, build.stdout + build.stderr
    site_dir = root / "build" / "site"
    assert (site_dir / "assets" / "patientvoice.css").read_text() == MARK
    assert (site_dir / "assets" / "questionnaire.js").read_bytes() == \
        (PACKAGE_THEME / "assets" / "questionnaire.js").read_bytes()
    post = (site_dir / MODULE / "post" / "index.html").read_text()
    assert "assets/patientvoice.css" in post and "assets/questionnaire.js" in post
    tree = materialise(course, tmp_path / "tree", site_config(root))
    assert (tmp_path / "tree" / "assets" / "patientvoice.css").read_text() == MARK
    assert "assets/questionnaire.js" in tree.extra_javascript and tree.templates is None
    out = tmp_path / "scorm.zip"
    result = CliRunner().invoke(main, ["export", "scorm", MODULE, "--root", str(root), "--out", str(out)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as z:
        assert z.read("assets/patientvoice.css").decode() == MARK


def test_approvals_cover_the_effective_theme_wherever_it_lives(tmp_path):
    root = copy_course(tmp_path / "course")
    refute(check_course(root)[1], "review.stale")
    # The package's print.css copied into the course (and custom_dir named): the same theme, still approved.
    (root / "theme").mkdir()
    (root / "theme" / "print.css").write_bytes((PACKAGE_THEME / "print.css").read_bytes())
    cfg = (root / "mkdocs.yml").read_text()
    (root / "mkdocs.yml").write_text(cfg.replace("  name: material\n", "  name: material\n  custom_dir: theme\n", 1))
    refute(check_course(root)[1], "review.stale")
    # What learners get changes: stale, naming the file as the course knows it.
    (root / "theme" / "print.css").write_text("body { font-size: 30pt; }\n")
    stale = [p for p in check_course(root)[1] if p.rule == "review.stale"]
    assert len(stale) == 2 and all("theme/print.css" in p.message for p in stale)  # both modules' approvals


def test_custom_dir_without_the_folder_is_a_clear_problem(tmp_path):
    root = copy_course(tmp_path / "course")
    cfg = (root / "mkdocs.yml").read_text()
    (root / "mkdocs.yml").write_text(cfg.replace("  name: material\n", "  name: material\n  custom_dir: theme\n", 1))
    (problem,) = [p for p in check_course(root)[1] if p.rule == "site.theme"]
    assert problem.path == "mkdocs.yml" and "remove custom_dir" in problem.message


def test_the_installed_package_carries_the_default_theme(tmp_path):
    # setuptools' build_py lays out exactly what a wheel installs (package data included); this environment has
    # no `wheel` package to make the archive itself.
    src = tmp_path / "src"
    src.mkdir()
    for part in ("pyproject.toml", "README.md"):
        (src / part).write_bytes((REPO / part).read_bytes())
    shutil.copytree(REPO / "src", src / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    out = subprocess.run([sys.executable, "-c", "from setuptools import setup; setup(script_args=['-q', 'build_py', "
                          "'-d', 'installed'])"], cwd=src, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    installed = src / "installed" / "patientvoice" / "site" / "default_theme"
    for rel in RUNTIME + ["fonts/OFL.txt", "fonts/atkinson-hyperlegible-latin-700-normal.woff2"]:
        assert (installed / rel).is_file(), rel
    # importlib.resources finds them in that layout, as the plugin and the PDFs do.
    probe = subprocess.run([sys.executable, "-c", "from patientvoice.site.theme import PACKAGE_THEME as t; "
                            "print(t.joinpath('assets', 'questionnaire.js').is_file(), t)"],
                           cwd=tmp_path, capture_output=True, text=True, env={"PYTHONPATH": str(src / "installed")})
    assert probe.stdout.split()[0] == "True" and probe.stdout.split()[1] == str(installed), probe.stdout + probe.stderr
