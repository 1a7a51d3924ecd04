"""site.answer-keys: mkdocs.yml must exclude questionnaire.yml, so an engine run on the raw course cannot publish it."""

from __future__ import annotations

from coursekit import expect, refute

SITE = "site_name: Test\ndocs_dir: modules\ntheme:\n  name: material\nplugins:\n  - search\n  - patientvoice\n"


def test_a_config_without_exclude_docs_is_refused(course):
    problems = course(files={"mkdocs.yml": SITE}).check()
    problem = expect(problems, "site.answer-keys", "mkdocs.yml", 2)  # reported at docs_dir
    assert "questionnaire.yml" in problem.message and "exclude_docs" in problem.message


def test_an_exclusion_that_misses_the_answer_keys_is_refused(course):
    problems = course(files={"mkdocs.yml": SITE + "exclude_docs: |\n  *.txt\n  drafts/\n"}).check()
    expect(problems, "site.answer-keys", "mkdocs.yml", 8)


def test_an_exclusion_undone_by_a_negation_is_refused(course):
    problems = course(files={"mkdocs.yml": SITE + "exclude_docs: |\n  questionnaire.yml\n  !questionnaire.yml\n"}).check()
    expect(problems, "site.answer-keys", "mkdocs.yml", 8)


def test_excluding_questionnaire_yml_passes(course):
    for pattern in ("questionnaire.yml", "*.yml", "/*/questionnaire.yml", "**/questionnaire.yml"):
        problems = course(files={"mkdocs.yml": SITE + f"exclude_docs: |\n  {pattern}\n"}).check()
        refute(problems, "site.answer-keys")


def test_a_course_without_mkdocs_yml_is_not_asked(course):
    refute(course().check(), "site.answer-keys")
