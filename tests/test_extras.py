"""A site-only install: the site builds without the optional extras, and a missing extra is named, never a traceback.

In the main suite the extras' packages are made unimportable in a child process (an import hook, as if they had
never been installed). scripts/test-floors runs the same tests against a real `pip install patientvoice` with no
extras (PATIENTVOICE_SITE_ONLY_PYTHON), where no hook is needed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from patientvoice import extras
from sitekit import copy_course

SITE_ONLY = os.environ.get("PATIENTVOICE_SITE_ONLY_PYTHON")
OPTIONAL = sorted({p for packages, _ in extras.EXTRAS.values() for p in packages})
# Runs the CLI with every optional package unimportable, the way a site-only install is.
HIDE = f"""
import sys
class Gone:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {OPTIONAL!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
sys.meta_path.insert(0, Gone())
from patientvoice.cli import main
sys.argv[0] = "patientvoice"
main()
"""


def _cli(*args, cwd: Path) -> subprocess.CompletedProcess:
    cmd = [SITE_ONLY, "-m", "patientvoice.cli", *args] if SITE_ONLY else [sys.executable, "-c", HIDE, *args]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=300, env=env)


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    return copy_course(tmp_path_factory.mktemp("site-only"))


def test_the_site_builds_without_extras_and_says_what_pdfs_need(course):
    run = _cli("build", cwd=course)
    assert run.returncode == 0, run.stderr
    out = run.stdout + run.stderr
    assert "Traceback" not in out
    assert "PDF handouts skipped" in out and "pip install 'patientvoice[pdf]'" in out
    assert (course / "build" / "site" / "index.html").is_file()
    assert not list((course / "build").glob("pdf/*.pdf"))


def test_check_needs_no_extra(course):
    run = _cli("check", "--strict", cwd=course)
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("args, extra", [
    (["pdf"], "pdf"),
    (["collect", "--port", "0"], "collector"),
    (["report", "--database", "responses.sqlite"], "collector"),
])
def test_a_command_that_needs_an_extra_names_it(course, args, extra):
    run = _cli(*args, cwd=course)
    out = run.stdout + run.stderr
    assert run.returncode != 0
    assert "Traceback" not in out, out
    assert f"pip install 'patientvoice[{extra}]'" in out, out


def test_every_extra_is_installed_here_and_maps_back():
    if SITE_ONLY:
        pytest.skip("this process is the full install; the site-only interpreter is tested above")
    assert all(extras.available(e) for e in extras.EXTRAS)
    for extra, (packages, _) in extras.EXTRAS.items():
        for package in packages:
            assert extras.extra_for(ModuleNotFoundError(name=f"{package}.sub")) == extra
    assert extras.extra_for(ModuleNotFoundError(name="numpyish")) is None
