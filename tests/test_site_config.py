"""`check` reads mkdocs.yml: each mistake is a problem at its line, and a course that passes check builds."""

from __future__ import annotations

import subprocess
import sys

import pytest

from coursekit import expect, refute
from site_mutations import ALLOWED, MUTATIONS
from sitekit import copy_course, free_port

from patientvoice.build import BuildError, build, build_site
from patientvoice.check import check_course
from patientvoice.problems import Problems
from patientvoice.course.loader import load_course
from patientvoice.review.approve import approve
from patientvoice.review.fingerprint import approved_files, fingerprint
from patientvoice.site.config import PatientVoiceConfig
from patientvoice.site.options import PLUGIN_OPTIONS, plugin_option_errors, submit_url_error


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """One copy of the example course for the module; each test rewrites only its mkdocs.yml."""
    root = copy_course(tmp_path_factory.mktemp("site") / "course")
    return root, (root / "mkdocs.yml").read_text()


def _with(example, edit):
    """The example with ``edit`` applied to mkdocs.yml and each module approved again by its own committee.

    mkdocs.yml is in every approval's fingerprint; re-approving keeps review.stale out of the problems, so
    each test sees only what the edit itself breaks (and check-clean => build-ok is not trivially true).
    """
    root, original = example
    text = edit(original)
    (root / "mkdocs.yml").write_text(text)
    course, _ = load_course(root)
    for module in course.modules.values():
        latest = module.approvals[-1]
        if latest.fingerprint != fingerprint(approved_files(course, module)):
            approve(course, module.id, list(latest.by), date=latest.date)
    return root, text


@pytest.mark.parametrize("name, edit, rule, marker", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_mkdocs_yml_mistake_is_a_check_problem_at_its_line(example, name, edit, rule, marker):
    root, text = _with(example, edit)
    _, problems = check_course(root)
    found = [p for p in problems if p.rule == rule and str(p.path) == "mkdocs.yml"]
    assert found, f"{name}: no {rule} problem in {[p.format() for p in problems]}"
    assert any(marker in text.splitlines()[p.line - 1] for p in found), \
        f"{name}: {[p.format() for p in found]} does not point at the line holding {marker!r}"


def test_the_rules_are_registered_with_expect_and_refute(example):
    root, text = _with(example, MUTATIONS[0][1])
    _, problems = check_course(root)
    expect(problems, "site.config", "mkdocs.yml", text.splitlines().index("use_directory_urls: false") + 1)
    root, _ = _with(example, lambda t: t)
    _, problems = check_course(root)
    for rule in ("site.config", "site.unknown-key", "site.theme", "site.nav", "site.plugin",
                 "site.plugin-option", "site.markdown-extension"):
        refute(problems, rule)


@pytest.mark.parametrize("name, edit, rule, marker", MUTATIONS + ALLOWED, ids=[m[0] for m in MUTATIONS + ALLOWED])
def test_check_clean_means_the_build_succeeds(example, name, edit, rule, marker):
    root, _ = _with(example, edit)
    _, problems = check_course(root)
    try:
        build(root, pdf=False, progress=lambda m: None)
    except BuildError as exc:
        assert problems.errors, f"{name}: check was clean but the build failed: {exc}"
        assert exc.problems, f"{name}: the build stopped without naming the problems"
    else:
        assert not problems.errors, f"{name}: the build published a course check rejects"
    if rule is None:
        assert not problems.errors, [p.format() for p in problems.errors]


def test_an_engine_fault_names_the_page_it_was_building(example, tmp_path):
    # A course hook is real code run by mkdocs: an exception from it stands for any fault of the engine. check
    # refuses hooks (site.unsafe), so the checked course is handed to the site build directly, as build() does.
    root, text = _with(example, lambda t: t + "hooks:\n  - hooks/fault.py\n")
    (root / "hooks").mkdir(exist_ok=True)
    (root / "hooks" / "fault.py").write_text(
        "def on_page_markdown(markdown, page, **kwargs):\n"
        "    if page.file.src_uri == 'hearing-the-itch/index.md':\n"
        "        raise ZeroDivisionError('the engine broke')\n"
        "    return markdown\n")
    course, problems = check_course(root)
    assert [p.rule for p in problems.errors] == ["site.unsafe"]
    expect(problems, "site.unsafe", "mkdocs.yml", text.splitlines().index("hooks:") + 1)
    with pytest.raises(BuildError) as failure:
        build_site(root.resolve(), tmp_path / "site", course, Problems(course.root))  # as if check had passed
    message = str(failure.value)
    assert "modules/hearing-the-itch/index.md: site build failed while building hearing-the-itch/index.md" in message
    assert "ZeroDivisionError: the engine broke" in message and "Traceback" not in message


def test_plugin_options_match_the_mkdocs_config_class():
    assert set(PLUGIN_OPTIONS) == {name for name, _ in PatientVoiceConfig._schema}


@pytest.mark.parametrize("url, ok", [
    ("", True), ("https://cme.example.org/responses", True), ("http://localhost:8001/r", True),
    ("http://127.0.0.1/r", True), ("http://cme.example.org/r", False), ("javascript:alert(1)", False),
    ("//cme.example.org/r", False), ("https:///nohost", False)])
def test_submit_url(url, ok):
    assert (submit_url_error(url) is None) == ok


def test_evaluation_item_mistakes_are_reported_per_item():
    errors = plugin_option_errors({"evaluation": [
        {"id": "a", "kind": "text", "stem": "Fine"}, {"id": "b", "kind": "single", "stem": "No options"}]})
    assert [key for key, _ in errors] == [1] and "evaluation[1]" in errors[0][1]


_BY_NAME = {m[0]: m for m in MUTATIONS}


@pytest.mark.parametrize("rule, mutation, line_text", [
    ("site.config", "strict-not-bool", "strict: sometimes"),
    ("site.unknown-key", "unknown-key", "site_titel: Patient voices"),
    ("site.theme", "theme-not-material", "  name: readthedocs"),
    ("site.nav", "nav-missing-file", "  - Itch: hearing-the-itch/nothing.md"),
    ("site.plugin", "plugin-unknown", "  - no-such-plugin"),
    ("site.plugin-option", "option-paper", "      paper: A5"),
    ("site.markdown-extension", "extension-missing", "  - no_such_extension"),
    ("site.markdown-extension", "snippets", "  - pymdownx.snippets"),
    ("site.unsafe", "extra-css-remote", "  - https://cdn.example/x.css"),
    ("site.unsafe", "analytics", "  analytics:"),
    ("site.unsafe", "hooks-outside", "hooks:"),
    ("site.repo-url", "repo-url-github", "repo_url: https://github.com/example/course"),
    ("site.config", "python-name-other", "      emoji_index: !!python/name:os.getcwd"),
])
def test_each_site_rule_at_its_line(example, rule, mutation, line_text):
    root, text = _with(example, _BY_NAME[mutation][1])
    _, problems = check_course(root)
    expect(problems, rule, "mkdocs.yml", text.splitlines().index(line_text) + 1)
    root, _ = _with(example, lambda t: t)
    refute(check_course(root)[1], rule)


@pytest.mark.parametrize("setting", ["hooks:\n  - hooks/evil.py\n", "extra_templates: []\nvalidation:\n"
                                     "  x: !!python/name:hooks.evil.x\n"])
def test_serve_refuses_a_mkdocs_yml_that_would_run_course_code(tmp_path, setting):
    # mkdocs runs hooks and imports !!python/name: modules while loading mkdocs.yml, before any plugin checks.
    root = copy_course(tmp_path / "course")
    (root / "hooks").mkdir()
    (root / "hooks" / "__init__.py").write_text("")
    (root / "hooks" / "evil.py").write_text(f"open({str(tmp_path / 'ran')!r}, 'w').close()\nx = 1\n")
    (root / "mkdocs.yml").write_text((root / "mkdocs.yml").read_text() + setting)
    out = subprocess.run([sys.executable, "-c", "from patientvoice.cli import main; main()", "serve", "--root",
                          str(root), "-a", f"127.0.0.1:{free_port()}"], cwd=root, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 1 and "mkdocs.yml:" in out.stderr, out.stderr[-2000:]
    assert ("[site.unsafe]" if "hooks:" in setting else "[site.config]") in out.stderr
    assert not (tmp_path / "ran").exists(), "the course's code ran"
