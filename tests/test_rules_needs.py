"""Off-label declarations, the practice gap with its sources, and evidence (references) in module bodies; the
gap and off-label uses rendered in the activity information before the content."""

from __future__ import annotations

import pytest

from coursekit import BASE, MODULE_MD, assert_clean, expect, refute

from patientvoice.compliance.needs import has_references
from patientvoice.course.loader import load_course
from patientvoice.render import activity_info

GAP = """gap:
  statement: Clinicians seldom ask people with PBC about itch, so it goes untreated for years.
  sources:
    - kind: patient-interviews
      ref: maria-itch
"""
REFERENCES = """
## References

1. European Association for the Study of the Liver. EASL Clinical Practice Guidelines: primary biliary
   cholangitis. J Hepatol. 2017;67:145-172.
"""


def _module(old: str, new: str) -> dict:
    assert BASE[MODULE_MD].count(old) == 1
    return {MODULE_MD: BASE[MODULE_MD].replace(old, new)}


def test_a_module_without_off_label_declaration(course):
    kit = course(_module("off_label: []\n", ""))
    problems = kit.check()
    problem = expect(problems, "activity.off-label", MODULE_MD, 1)
    assert "off_label: []" in problem.message


def test_declared_off_label_uses_pass_and_are_shown_before_the_content(course):
    kit = course(_module("off_label: []", "off_label:\n  - use: Sertraline for cholestatic pruritus\n"
                                          "    status: off-label\n  - use: Linerixibat for PBC itch\n"
                                          "    status: investigational"))
    problems = kit.check()
    refute(problems, "activity.off-label")
    assert_clean(problems)
    c, _ = load_course(kit.root)
    module = c.modules["hearing-the-itch"]
    assert module.off_label[1] == {"use": "Linerixibat for PBC itch", "status": "investigational"}
    html = activity_info(c, module)
    assert "Sertraline for cholestatic pruritus (off-label use)" in html
    assert "Linerixibat for PBC itch (investigational)" in html
    assert html.index("Disclosure of financial relationships") < html.index("Off-label and investigational uses")


def test_an_empty_declaration_says_none_and_the_gap_is_shown(course):
    kit = course()
    c, _ = load_course(kit.root)
    html = activity_info(c, c.modules["hearing-the-itch"])
    assert "does not discuss off-label or investigational uses" in html
    assert "Practice gap and needs" in html and "so it goes untreated for years." in html
    assert "Patient interview: Nights awake with the itch</li>" in html  # learners read titles, not file ids


def test_an_unknown_off_label_status_is_a_schema_problem(course):
    kit = course(_module("off_label: []", "off_label: [{use: Rifampicin for itch, status: unapproved}]"))
    expect(kit.check(), "schema.enum", MODULE_MD, kit.line(MODULE_MD, "off_label:"))


def test_a_module_without_a_gap(course):
    kit = course(_module(GAP, ""))
    problems = kit.check()
    problem = expect(problems, "activity.gap", MODULE_MD, 1)
    assert "states no practice gap" in problem.message


@pytest.mark.parametrize("gap, says", [
    ("gap:\n  sources: [{kind: literature, ref: EASL 2017}]\n", "gap.statement is missing"),
    ("gap:\n  statement: Itch is not asked about.\n", "gap.sources is empty"),
    ("gap:\n  statement: Itch is not asked about.\n  sources: []\n", "gap.sources is empty"),
])
def test_a_gap_without_statement_or_sources(course, gap, says):
    kit = course(_module(GAP, gap))
    problem = expect(kit.check(), "activity.gap", MODULE_MD, kit.line(MODULE_MD, "gap:"))
    assert problem.message.startswith(says)


@pytest.mark.parametrize("kind, ref, what", [("patient-interviews", "maria-itchh", "story"),
                                             ("pag-data", "pbc-symptoms-2023", "data set")])
def test_a_gap_source_naming_a_missing_story_or_data_set(course, kind, ref, what):
    kit = course(_module("    - kind: patient-interviews\n      ref: maria-itch\n",
                         f"    - kind: {kind}\n      ref: {ref}\n"))
    problem = expect(kit.check(), "activity.gap", MODULE_MD, kit.line(MODULE_MD, f"ref: {ref}"))
    assert f"no {what} '{ref}'" in problem.message


def test_gap_sources_of_every_kind_pass(course):
    kit = course(_module("    - kind: patient-interviews\n      ref: maria-itch\n",
                         "    - kind: patient-interviews\n      ref: maria-itch\n"
                         "    - kind: pag-data\n      ref: pbc-symptoms-2024\n"
                         "    - kind: literature\n      ref: Beuers U, et al. J Hepatol. 2015;62:S25-S37\n"
                         "    - kind: other\n      ref: Advisory board of five patients, March 2025\n"))
    problems = kit.check()
    refute(problems, "activity.gap")
    assert_clean(problems)


def test_a_module_without_references(course):
    kit = course(_module(REFERENCES, ""))
    problems = kit.check()
    problem = expect(problems, "evidence.references", MODULE_MD, kit.line(MODULE_MD, "Cholestatic itch is often") - 1)
    assert "## References" in problem.message


def test_a_references_heading_without_citations_is_no_evidence(course):
    kit = course(_module(REFERENCES, "\n## References\n\n## Key points\n\nAsk about itch.\n"))
    expect(kit.check(), "evidence.references", MODULE_MD, kit.line(MODULE_MD, "Cholestatic itch is often") - 1)


@pytest.mark.parametrize("body", [
    "## References\n\n1. EASL 2017.\n",
    "### Bibliography\n\n- EASL 2017.\n",
    "Itch is common.[^1]\n\n[^1]: EASL 2017.\n",
    "## Further reading\n\nEASL Clinical Practice Guidelines (2017).\n",
])
def test_references_sections_and_footnotes_count_as_evidence(body):
    assert has_references("Intro.\n\n" + body)


@pytest.mark.parametrize("body", ["## Key points\n\n1. EASL 2017.\n", "```\n## References\n\n1. x\n```\n",
                                  "## References\n"])
def test_other_sections_code_and_empty_sections_are_not_evidence(body):
    assert not has_references("Intro.\n\n" + body)


def test_a_module_with_references_passes(course):
    kit = course()
    problems = kit.check()
    refute(problems, "evidence.references")
    assert_clean(problems)
