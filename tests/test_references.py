"""Blocks in module bodies (block.*) and cross-references between files (ref.*)."""

from __future__ import annotations

from coursekit import (BASE, COMMITTEE, DATASET, MODULE, MODULE_MD, QUESTIONNAIRE, STORY, assert_clean, expect,
                       refute)


def _with_body(extra: str) -> dict:
    """Files for a course whose module body ends with ``extra`` (approved as written)."""
    return {MODULE_MD: BASE[MODULE_MD] + "\n" + extra}


# --- blocks ------------------------------------------------------------------------------------------------

def test_malformed_block_header(course):
    kit = course(_with_body("/// story maria-itch\n///\n"))
    problems = kit.check()
    problem = expect(problems, "block.syntax", MODULE_MD, kit.line(MODULE_MD, "/// story maria-itch"))
    assert "'/// name | argument'" in problem.message


def test_unclosed_block(course):
    kit = course(_with_body("/// web-only\nShown on the site.\n"))
    problems = kit.check()
    problem = expect(problems, "block.unbalanced", MODULE_MD, kit.line(MODULE_MD, "/// web-only"))
    assert "never closed" in problem.message


def test_stray_closing_fence(course):
    kit = course(_with_body("Text.\n\n////\n"))
    problems = kit.check()
    expect(problems, "block.unbalanced", MODULE_MD, kit.line(MODULE_MD, "////"))


def test_nested_block_needs_a_longer_outer_fence(course):
    kit = course(_with_body("/// web-only\n/// story | maria-itch\n///\n///\n"))
    problems = kit.check()
    problem = expect(problems, "block.unbalanced", MODULE_MD, kit.line(MODULE_MD, "/// web-only") + 1)
    assert "shorter fence" in problem.message


def test_well_formed_blocks_pass(course):
    kit = course(_with_body(
        "//// web-only\nOn the site.\n/// story | maria-itch#work\n///\n////\n\n"
        "/// print-only\nIn the handout.\n///\n\n"
        "/// pag-data | pbc-symptoms-2024#fatigue-limits\n///\n\n"
        "```markdown\n/// not-a-block | inside a code fence\n```\n"))
    problems = kit.check()
    for rule in ("block.syntax", "block.unbalanced", "block.unknown", "block.options", "block.content"):
        refute(problems, rule)
    assert_clean(problems)


def test_unknown_block_name(course):
    kit = course(_with_body("/// video | itch-interview\n///\n"))
    problems = kit.check()
    problem = expect(problems, "block.unknown", MODULE_MD, kit.line(MODULE_MD, "/// video"))
    assert "known blocks: story, pag-data, web-only, print-only" in problem.message


def test_unknown_block_option(course):
    kit = course(_with_body("/// story | maria-itch#work\n    show: chart\n///\n"))
    problems = kit.check()
    problem = expect(problems, "block.options", MODULE_MD, kit.line(MODULE_MD, "/// story | maria-itch#work") + 1)
    assert "'story' has no option 'show'" in problem.message


def test_block_options_that_are_not_a_mapping(course):
    kit = course(_with_body("/// pag-data | pbc-symptoms-2024#fatigue-limits\n    - chart\n///\n"))
    problems = kit.check()
    expect(problems, "block.options", MODULE_MD, kit.line(MODULE_MD, "    - chart"))


def test_block_option_value_and_yaml_errors_point_at_their_line(course):
    kit = course(_with_body("/// pag-data | pbc-symptoms-2024#fatigue-limits\n    show: pie\n///\n\n"
                            "/// pag-data | pbc-symptoms-2024#fatigue-limits\n    show: [chart\n///\n"))
    problems = kit.check()
    enum = expect(problems, "schema.enum", MODULE_MD, kit.line(MODULE_MD, "show: pie"))
    assert enum.message.startswith("pag-data.show: 'pie' is not one of: chart, table, both")
    # PyYAML notices the unclosed '[' at the end of the options; the message names the line that opened it.
    syntax = expect(problems, "yaml.syntax", MODULE_MD, kit.line(MODULE_MD, "show: [chart") + 1)
    assert f"flow sequence on line {kit.line(MODULE_MD, 'show: [chart')}" in syntax.message


def test_text_inside_a_story_block_is_reported_once(course):
    kit = course(_with_body("/// story | maria-itch#work\nA stray paragraph.\n\nAnd another.\n///\n\n"
                            "//// web-only\nText here is fine.\n/// story | maria-itch\n///\n////\n"))
    problems = kit.check()
    problem = expect(problems, "block.content", MODULE_MD, kit.line(MODULE_MD, "A stray paragraph."))
    assert "move this text above or below the block" in problem.message
    assert [p.rule for p in problems].count("block.content") == 1


def test_known_block_options_pass(course):
    kit = course(_with_body("/// pag-data | pbc-symptoms-2024#fatigue-limits\n    show: table\n///\n\n"
                            "/// pag-data | pbc-symptoms-2024#fatigue-limits\n    show: both\n///\n"))
    assert_clean(kit.check())


# --- references ------------------------------------------------------------------------------------------

def test_unknown_person(course):
    kit = course()
    kit.edit(MODULE_MD, "faculty: [anna-lee]", "faculty: [anna-le]")
    kit.edit(COMMITTEE, "  - person: tom-okafor", "  - person: tom-okafr")
    problems = kit.check()
    faculty = expect(problems, "ref.person", MODULE_MD, kit.line(MODULE_MD, "faculty:"))
    assert faculty.message == "faculty: no person 'anna-le' in content/people (did you mean 'anna-lee'?)"
    expect(problems, "ref.person", COMMITTEE, kit.line(COMMITTEE, "tom-okafr"))


def test_unknown_approver(course):
    kit = course()
    kit.edit(MODULE_MD, "by: [anna-lee, tom-okafor]", "by: [anna-lee, nobody]")
    problems = kit.check()
    problem = expect(problems, "ref.person", MODULE_MD, kit.line(MODULE_MD, "- date: 2026-01-10"))
    assert problem.message.startswith("review.approvals[0].by: no person 'nobody'")


def test_known_people_pass(course):
    problems = course().check()
    refute(problems, "ref.person")
    refute(problems, "ref.committee")


def test_unknown_committee(course):
    kit = course()
    kit.edit(MODULE_MD, "committee: pbc-steering", "committee: pbc-steerin")
    problems = kit.check()
    problem = expect(problems, "ref.committee", MODULE_MD, kit.line(MODULE_MD, "committee:"))
    assert "(did you mean 'pbc-steering'?)" in problem.message


def test_unknown_pag(course):
    kit = course()
    kit.edit(STORY, "  pag: pbc-patients", "  pag: pbc-patient")
    kit.edit(DATASET, "pag: pbc-patients", "pag: elsewhere")
    problems = kit.check()
    expect(problems, "ref.pag", STORY, kit.line(STORY, "pag: pbc-patient"))
    expect(problems, "ref.pag", DATASET, 2)


def test_known_pags_pass(course):
    refute(course().check(), "ref.pag")


def test_unknown_story(course):
    kit = course(_with_body("/// story | maria-itc\n///\n"))
    problems = kit.check()
    problem = expect(problems, "ref.story", MODULE_MD, kit.line(MODULE_MD, "maria-itc\n"))
    assert "(did you mean 'maria-itch'?)" in problem.message


def test_unknown_story_section(course):
    kit = course(_with_body("/// story | maria-itch#sleeping\n///\n"))
    problems = kit.check()
    problem = expect(problems, "ref.section", MODULE_MD, kit.line(MODULE_MD, "#sleeping"))
    assert "(sleep, work)" in problem.message and "did you mean 'sleep'" in problem.message


def test_known_story_and_sections_pass(course):
    problems = course(_with_body("/// story | maria-itch#work\n///\n")).check()
    refute(problems, "ref.story")
    refute(problems, "ref.section")


def test_unknown_dataset_and_question(course):
    kit = course(_with_body("/// pag-data | pbc-symptoms-2025#fatigue-limits\n///\n\n"
                            "/// pag-data | pbc-symptoms-2024#fatigue\n///\n"))
    problems = kit.check()
    dataset = expect(problems, "ref.dataset", MODULE_MD, kit.line(MODULE_MD, "pbc-symptoms-2025"))
    assert "(did you mean 'pbc-symptoms-2024'?)" in dataset.message
    question = expect(problems, "ref.question", MODULE_MD, kit.line(MODULE_MD, "#fatigue\n"))
    assert "has no question 'fatigue' (fatigue-limits)" in question.message


def test_known_dataset_and_question_pass(course):
    problems = course().check()
    refute(problems, "ref.dataset")
    refute(problems, "ref.question")


def test_unknown_objective(course):
    kit = course()
    kit.edit(QUESTIONNAIRE, "objective: recognise-burden\n    kind: likert", "objective: recognize-burden\n    kind: likert")
    problems = kit.check()
    problem = expect(problems, "ref.objective", QUESTIONNAIRE, kit.line(QUESTIONNAIRE, "recognize-burden"))
    assert "(did you mean 'recognise-burden'?)" in problem.message


def test_items_without_objective_pass(course):
    kit = course({QUESTIONNAIRE: BASE[QUESTIONNAIRE] + "  - id: commit\n    phases: [post]\n    kind: commitment\n"
                                                      "    stem: What will you change?\n"})
    problems = kit.check()
    refute(problems, "ref.objective")
    assert_clean(problems)


def test_block_without_its_argument(course):
    kit = course(_with_body("/// story\n///\n\n/// pag-data | pbc-symptoms-2024\n///\n"))
    problems = kit.check()
    story = expect(problems, "ref.argument", MODULE_MD, kit.line(MODULE_MD, "/// story\n"))
    assert "'/// story | story-id'" in story.message
    expect(problems, "ref.argument", MODULE_MD, kit.line(MODULE_MD, "/// pag-data | pbc-symptoms-2024\n"))


def test_blocks_with_arguments_pass(course):
    refute(course().check(), "ref.argument")


def test_module_id_that_is_a_site_path_is_reserved(course):
    kit = course()
    refute(kit.check(), "ref.reserved")
    (kit.root / "modules" / MODULE).rename(kit.root / "modules" / "faculty")
    problems = kit.check()
    problem = expect(problems, "ref.reserved", "modules/faculty/index.md", 1)
    assert "rename the folder modules/faculty/" in problem.message
