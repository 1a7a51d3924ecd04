"""The engines: the same course built with mkdocs-material, ProperDocs (without the mkdocs package) and Zensical.

Real engines in their own environments (scripts/test makes them under .engines/; PATIENTVOICE_PROPERDOCS and
PATIENTVOICE_ZENSICAL point elsewhere). The published pages must hold the same article text, and no engine may
ever publish a questionnaire.yml, from `patientvoice build` or run straight on the raw course.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from enginekit import engine_bin, site_articles
from patientvoice.build import BuildError, build
from patientvoice.check import check_course
from patientvoice.materialise import materialise
from patientvoice.materialise.options import site_config
from sitekit import copy_course

EXTERNAL = ("properdocs", "zensical")


def _need(name: str) -> str:
    found = engine_bin(name)
    if not found:
        pytest.skip(f"no {name} environment: run scripts/test (it makes .engines/{name}) or set its variable")
    return found


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    """The example course built once per engine: {engine: its published site}."""
    out = {}
    for engine in ("mkdocs", *EXTERNAL):
        exe = _need(engine) if engine != "mkdocs" else None
        course = copy_course(tmp_path_factory.mktemp(engine) / "course")
        build(course, pdf=False, engine=engine, engine_bin=exe, progress=lambda _: None)
        out[engine] = course / "build" / "site"
    return out


def test_every_engine_publishes_the_same_pages(sites):
    reference = site_articles(sites["mkdocs"])
    assert len(reference) >= 20 and all(reference.values())
    assert "Counting ceiling tiles" in reference["believed-in-pain/index.html"]  # an expanded story block
    assert "Activity information" in reference["believed-in-pain/index.html"] or \
        "Accreditation" in reference["believed-in-pain/index.html"]
    for engine in EXTERNAL:
        articles = site_articles(sites[engine])
        assert articles.keys() == reference.keys(), engine
        for page, text in reference.items():
            assert articles[page] == text, f"{engine}: {page} differs from mkdocs-material's"


def test_no_engine_publishes_answer_keys(sites):
    for engine, site in sites.items():
        assert not list(site.rglob("questionnaire.yml")), engine
        assert not list(site.rglob("*.yml")), engine
        # The raw file under any name: its YAML lines (the answer keys' "answer: 0") in any published text file.
        leaked = [p for p in site.rglob("*") if p.is_file() and p.suffix in (".html", ".json", ".md", ".txt", "")
                  and b"follow_up_after_days:" in p.read_bytes()]
        assert not leaked, f"{engine}: {leaked[:3]}"
    for engine in EXTERNAL:  # nor does the materialised tree the engine read
        tree = sites[engine].parent / ".materialised" / engine
        assert (tree / "docs" / "believed-in-pain" / "index.md").is_file()
        assert not list(tree.rglob("questionnaire.yml"))
        assert "///" not in (tree / "docs" / "believed-in-pain" / "index.md").read_text()


def test_properdocs_environment_has_no_mkdocs_package():
    exe = Path(_need("properdocs"))
    python = exe.parent / "python"
    probe = "import importlib.metadata as m\ntry:\n m.distribution('mkdocs'); print('mkdocs')\nexcept m.PackageNotFoundError:\n print('none')"
    assert subprocess.run([str(python), "-c", probe], capture_output=True, text=True).stdout.strip() == "none"


def test_zensical_on_the_raw_course_publishes_no_answer_keys(tmp_path):
    # What the issue found: Zensical ignores the plugin. The course's exclude_docs (site.answer-keys) holds.
    exe = _need("zensical")
    course = copy_course(tmp_path / "course")
    done = subprocess.run([exe, "build"], cwd=course, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    site = course / "build" / "site"
    assert (site / "believed-in-pain" / "index.html").is_file()
    assert not list(site.rglob("questionnaire.yml"))


def test_a_missing_engine_is_named_with_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.delenv("PATIENTVOICE_ZENSICAL", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    course = copy_course(tmp_path / "course")
    with pytest.raises(BuildError, match=r"engine 'zensical': no 'zensical' found; install it .*PATIENTVOICE_ZENSICAL"):
        build(course, pdf=False, engine="zensical", progress=lambda _: None)
    assert not (course / "build" / "site").exists()


def test_the_tree_holds_module_pages_generated_pages_and_assets(tmp_path):
    root = copy_course(tmp_path / "course")
    course, problems = check_course(root)
    tree = materialise(course, tmp_path / "docs", site_config(root))
    page = (tmp_path / "docs" / "hearing-the-itch" / "index.md").read_text()
    assert page.startswith('---\n"title": "Hearing the itch')
    assert 'class="pv-block pv-block--story"' in page and "/// story" not in page
    assert 'href="../stories/' in page  # cards link to the story pages
    assert tree.pages["stories/index.md"] == "generated" and tree.pages["faculty.md"] == "generated"
    assert tree.pages["hearing-the-itch/post.md"] == "generated"
    assert tree.pages["assets/patientvoice.css"] == "asset"
    assert "questionnaire.yml" not in " ".join(tree.pages)
    assert {"Patient stories": "stories/index.md"} in tree.nav
