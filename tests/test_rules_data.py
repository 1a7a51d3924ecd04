"""PAG data rules: survey results shown to learners must add up and carry their methods."""

from __future__ import annotations

import pytest

from coursekit import BASE, DATASET, assert_clean, expect, refute

MULTIPLE = """\
  - id: itch-affects
    text: Which parts of your life has itch affected? (Select all that apply.)
    kind: multiple
    answered: 900
    results:
      Sleep: 700
      Mood: 500
      Work: 300
"""


def _data(old: str, new: str) -> dict:
    assert old in BASE[DATASET]
    return {DATASET: BASE[DATASET].replace(old, new)}


def test_count_larger_than_answered(course):
    kit = course(_data("Often: 498", "Often: 1300"))
    problems = kit.check()
    problem = expect(problems, "data.count-exceeds", DATASET, kit.line(DATASET, "Often:"))
    assert problem.message == "question 'fatigue-limits': 'Often' count 1300 is more than answered 1243"


def test_counts_within_answered_pass(course):
    problems = course({DATASET: BASE[DATASET] + MULTIPLE}).check()
    refute(problems, "data.count-exceeds")
    refute(problems, "data.sum")  # multiple-answer counts may add up to more than answered
    assert_clean(problems)


def test_answered_larger_than_respondents(course):
    kit = course(_data("respondents: 1243", "respondents: 1200"))
    problems = kit.check()
    problem = expect(problems, "data.answered-exceeds", DATASET, kit.line(DATASET, "answered:"))
    assert problem.message == "question 'fatigue-limits': answered 1243 is more than respondents 1200"


def test_answered_up_to_respondents_passes(course):
    problems = course(_data("respondents: 1243", "respondents: 1500")).check()
    refute(problems, "data.answered-exceeds")
    assert_clean(problems)


def test_single_answer_counts_do_not_add_up(course):
    kit = course(_data("Always: 273", "Always: 270"))
    problems = kit.check()
    problem = expect(problems, "data.sum", DATASET, kit.line(DATASET, "results:"))
    assert problem.message == "question 'fatigue-limits': single-answer counts add up to 1240, not answered 1243"


def test_single_answer_counts_that_add_up_pass(course):
    refute(course().check(), "data.sum")


@pytest.mark.parametrize("missing", ["conducted_by", "funding", "method", "population", "sampling", "fielded"])
def test_methods_field_missing(course, missing):
    text = "".join(line for line in BASE[DATASET].splitlines(keepends=True) if not line.startswith(f"{missing}:"))
    kit = course({DATASET: text})
    problems = kit.check()
    problem = expect(problems, "data.methods", DATASET, 1)
    assert missing in problem.message


def test_complete_methods_pass(course):
    refute(course().check(), "data.methods")


def test_small_cell(course):
    kit = course(_data("      Never: 62\n      Sometimes: 410\n", "      Never: 3\n      Sometimes: 469\n"))
    problems = kit.check()
    problem = expect(problems, "data.small-cell", DATASET, kit.line(DATASET, "Never:"))
    assert problem.severity == "warning"
    assert problem.message == "question 'fatigue-limits': 'Never' count 3 is under 5 and may identify respondents"
    assert not problems.errors


def test_counts_of_five_or_more_pass(course):
    problems = course(_data("      Never: 62\n      Sometimes: 410\n", "      Never: 5\n      Sometimes: 467\n")).check()
    refute(problems, "data.small-cell")
    assert_clean(problems)
