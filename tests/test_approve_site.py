"""An approval also covers the PAG files its stories and data sets name, mkdocs.yml and the extra CSS/JS it adds."""

from __future__ import annotations

from click.testing import CliRunner

from coursekit import APPROVED_ON, MODULE, MODULE_MD, PAG, assert_clean, expect, refute
from patientvoice.cli import main

SITE = """\
site_name: Patient voices
site_url: https://cme.example.org/
docs_dir: modules
exclude_docs: questionnaire.yml
theme:
  name: material
plugins:
  - patientvoice
extra_css:
  - extra.css
"""

# The same settings rewritten: comments, other indentation, flow style, other key order.
REFORMATTED = """\
# The course's site settings (reviewed with the modules).
docs_dir: modules      # the modules are the pages
exclude_docs: "questionnaire.yml"
site_name: "Patient voices"
site_url: https://cme.example.org/
theme: {name: material}
plugins: [patientvoice]
extra_css: [extra.css]
"""


def _status(kit) -> str:
    result = CliRunner().invoke(main, ["review", "status", "--root", str(kit.root)])
    assert result.exit_code == 0, result.output
    return result.stdout


def _approved_with_site(course):
    kit = course(approved=False)
    kit.write("mkdocs.yml", SITE)
    kit.write("modules/extra.css", ".pv-note { color: #333; }\n")
    kit.approve()
    assert_clean(kit.check())
    return kit


def test_a_pag_named_by_an_embedded_story_or_data_set_is_covered(course):
    # The PAG's name and relationship are printed on the module page and in the PDF.
    kit = course(approved=False)
    kit.approve()
    assert_clean(kit.check())
    name = next(line for line in kit.read(PAG).splitlines() if line.startswith("name:"))
    kit.edit(PAG, name, "name: A renamed patient group")
    problem = expect(kit.check(), "review.stale", MODULE_MD, kit.line(MODULE_MD, f"- date: {APPROVED_ON}"))
    assert PAG in problem.message
    assert f"changed: {PAG}" in _status(kit)


def test_an_edit_of_mkdocs_yml_makes_the_approval_stale(course):
    kit = _approved_with_site(course)
    kit.edit("mkdocs.yml", "  - extra.css\n", "  - extra.css\n  - more.css\n")
    kit.write("modules/more.css", "body { color: red; }\n")
    problem = expect(kit.check(), "review.stale", MODULE_MD, kit.line(MODULE_MD, f"- date: {APPROVED_ON}"))
    assert "mkdocs.yml" in problem.message and "more.css" in problem.message
    assert "changed: mkdocs.yml" in _status(kit)


def test_a_file_extra_css_names_in_modules_is_covered(course):
    kit = _approved_with_site(course)
    kit.edit("modules/extra.css", "#333", "#f00")
    problem = expect(kit.check(), "review.stale", MODULE_MD, kit.line(MODULE_MD, f"- date: {APPROVED_ON}"))
    assert "modules/extra.css" in problem.message and "mkdocs.yml" not in problem.message


def test_reformatting_mkdocs_yml_keeps_the_approval(course):
    kit = _approved_with_site(course)
    kit.write("mkdocs.yml", REFORMATTED)
    problems = kit.check()
    refute(problems, "review.stale")
    assert_clean(problems)
    assert "STALE" not in _status(kit)


def test_deployment_settings_of_mkdocs_yml_keep_the_approval(course):
    # A test collector, another site address or credit policy is no change of what learners read ...
    kit = _approved_with_site(course)
    kit.edit("mkdocs.yml", "  - patientvoice\n", "  - patientvoice:\n      submit_url: https://staging.example.org/r\n"
                                                  "      attempts: 2\n")
    kit.edit("mkdocs.yml", "site_url: https://cme.example.org/", "site_url: https://staging.example.org/")
    refute(kit.check(), "review.stale")
    # ... but the evaluation questions every post-test asks are.
    kit.edit("mkdocs.yml", "      attempts: 2\n", "      attempts: 2\n      evaluation:\n"
                                                "        - {id: bias, kind: text, stem: Was it free of bias?}\n")
    problem = expect(kit.check(), "review.stale", MODULE_MD, kit.line(MODULE_MD, f"- date: {APPROVED_ON}"))
    assert "mkdocs.yml" in problem.message
