"""Questionnaire rules: every objective is measured, and every knowledge item can be scored."""

from __future__ import annotations

from coursekit import BASE, MODULE_MD, QUESTIONNAIRE, assert_clean, expect, refute

SECOND_OBJECTIVE = """\
  - id: plan-treatment
    text: Plan stepwise treatment of cholestatic itch
    level: knowledge
"""

MULTIPLE = """\
  - id: itch-features
    phases: [pre, post, follow-up]
    objective: recognise-burden
    kind: multiple
    stem: Which are typical features of cholestatic itch?
    options: [Worse at night, Palms and soles, Urticarial rash]
    answer: [0, 1]
    rationale: It is worse at night and often affects the palms and soles.
"""


def _q(old: str, new: str) -> dict:
    assert old in BASE[QUESTIONNAIRE]
    return {QUESTIONNAIRE: BASE[QUESTIONNAIRE].replace(old, new)}


def test_objective_not_measured(course):
    kit = course({MODULE_MD: BASE[MODULE_MD].replace("faculty:", SECOND_OBJECTIVE + "faculty:")})
    problems = kit.check()
    problem = expect(problems, "questionnaire.unmeasured", MODULE_MD, kit.line(MODULE_MD, "- id: plan-treatment"))
    assert problem.message == f"objective 'plan-treatment' is not measured in pre and post ({QUESTIONNAIRE})"


def test_objective_measured_only_after(course):
    kit = course({QUESTIONNAIRE: BASE[QUESTIONNAIRE].replace("phases: [pre, post, follow-up]", "phases: [post, follow-up]")})
    problems = kit.check()
    problem = expect(problems, "questionnaire.unmeasured", MODULE_MD, kit.line(MODULE_MD, "- id: recognise-burden"))
    assert "not measured in pre (" in problem.message


def test_objective_without_follow_up(course):
    kit = course({QUESTIONNAIRE: BASE[QUESTIONNAIRE].replace("phases: [pre, post, follow-up]", "phases: [pre, post]")})
    problems = kit.check()
    problem = expect(problems, "questionnaire.no-follow-up", MODULE_MD, kit.line(MODULE_MD, "- id: recognise-burden"))
    assert problem.severity == "warning"
    refute(problems, "questionnaire.unmeasured")


def test_measured_objectives_pass(course):
    problems = course().check()
    refute(problems, "questionnaire.unmeasured")
    refute(problems, "questionnaire.no-follow-up")


def test_answer_index_out_of_range(course):
    kit = course(_q("answer: 0", "answer: 2"))
    problems = kit.check()
    problem = expect(problems, "questionnaire.answer-range", QUESTIONNAIRE, kit.line(QUESTIONNAIRE, "answer: 2"))
    assert problem.message == "item 'itch-impact': answer 2 is out of range (options 0–1)"


def test_multiple_answer_index_out_of_range(course):
    kit = course({QUESTIONNAIRE: BASE[QUESTIONNAIRE] + MULTIPLE.replace("answer: [0, 1]", "answer: [0, 3]")})
    problems = kit.check()
    problem = expect(problems, "questionnaire.answer-range", QUESTIONNAIRE, kit.line(QUESTIONNAIRE, "answer: [0, 3]"))
    assert "answer 3 is out of range (options 0–2)" in problem.message


def test_single_item_with_a_list_of_answers(course):
    kit = course(_q("answer: 0", "answer: [0, 1]"))
    problems = kit.check()
    problem = expect(problems, "questionnaire.answer-range", QUESTIONNAIRE, kit.line(QUESTIONNAIRE, "answer: [0, 1]"))
    assert "use kind: multiple" in problem.message


def test_answers_in_range_pass(course):
    problems = course({QUESTIONNAIRE: BASE[QUESTIONNAIRE] + MULTIPLE}).check()
    refute(problems, "questionnaire.answer-range")
    assert_clean(problems)


def test_knowledge_item_without_answer_or_rationale(course):
    kit = course(_q("    answer: 0\n    rationale: Patients describe night-time itch as the most disabling symptom.\n",
                    ""))
    problems = kit.check()
    problem = expect(problems, "questionnaire.no-key", QUESTIONNAIRE, kit.line(QUESTIONNAIRE, "- id: itch-impact"))
    assert problem.message.startswith("single item 'itch-impact' has no answer and rationale; it measures objective "
                                      "'recognise-burden', so it is scored")


def test_knowledge_item_without_rationale(course):
    kit = course(_q("    rationale: Patients describe night-time itch as the most disabling symptom.\n", ""))
    problems = kit.check()
    problem = expect(problems, "questionnaire.no-key", QUESTIONNAIRE, kit.line(QUESTIONNAIRE, "- id: itch-impact"))
    assert "has no rationale; add them" in problem.message


def test_keyed_items_and_unscored_kinds_pass(course):
    extra = ("  - id: commit\n    phases: [post]\n    kind: commitment\n    stem: What will you change?\n"
             "  - id: implemented\n    phases: [follow-up]\n    kind: text\n    stem: What have you changed?\n")
    problems = course({QUESTIONNAIRE: BASE[QUESTIONNAIRE] + extra}).check()
    refute(problems, "questionnaire.no-key")
    assert_clean(problems)


def test_likert_scale_too_short(course):
    kit = course(_q("scale: [Not at all, Slightly, Moderately, Very, Extremely]", "scale: [No, Yes]"))
    problems = kit.check()
    problem = expect(problems, "questionnaire.likert-scale", QUESTIONNAIRE, kit.line(QUESTIONNAIRE, "scale:"))
    assert "has 2 scale point(s); use at least 3" in problem.message


def test_likert_scale_missing(course):
    kit = course(_q("    scale: [Not at all, Slightly, Moderately, Very, Extremely]\n", ""))
    problems = kit.check()
    expect(problems, "questionnaire.likert-scale", QUESTIONNAIRE, kit.line(QUESTIONNAIRE, "- id: confidence-itch"))


def test_three_point_likert_scale_passes(course):
    problems = course(_q("scale: [Not at all, Slightly, Moderately, Very, Extremely]", "scale: [Low, Medium, High]")).check()
    refute(problems, "questionnaire.likert-scale")
    assert_clean(problems)


def test_choice_item_with_one_option(course):
    kit = course(_q("      - Whether she has tried antihistamines\n", ""))
    problems = kit.check()
    problem = expect(problems, "questionnaire.options", QUESTIONNAIRE, kit.line(QUESTIONNAIRE, "options:"))
    assert problem.message == "item 'itch-impact' has 1 option(s); a choice needs at least two"


def test_choice_item_with_two_options_passes(course):
    refute(course().check(), "questionnaire.options")
