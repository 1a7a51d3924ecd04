"""Disclosure rules (ACCME Standards 3 and 4): everyone in control of content discloses; relevant ties are mitigated."""

from __future__ import annotations

import textwrap

import pytest

from coursekit import BASE, CLINICIAN, COMMITTEE, MODULE_MD, assert_clean, expect, refute

JO = "content/people/jo-smith.yml"

RELEVANT_TIE = textwrap.dedent("""\
    name: Dr Anna Lee
    credentials: MD, FRCP
    role: clinician
    disclosure:
      signed: 2025-11-01
      relationships:
        - company: Acme Pharma
          nature: Advisory board
          relevant: true
    """)


def _module(old: str, new: str) -> dict:
    """Files for a course whose module front matter has ``old`` replaced by ``new`` (approved as written)."""
    assert old in BASE[MODULE_MD]
    return {MODULE_MD: BASE[MODULE_MD].replace(old, new)}


def test_planner_without_disclosure(course):
    kit = course({**_module("planners: [tom-okafor]", "planners: [tom-okafor, jo-smith]"),
                  JO: "name: Jo Smith\nrole: staff\n"})
    problems = kit.check()
    problem = expect(problems, "disclosure.missing", MODULE_MD, kit.line(MODULE_MD, "planners:"))
    assert problem.message.startswith(f"planner 'jo-smith' has no disclosure on file ({JO})")


def test_committee_member_without_disclosure(course):
    kit = course({JO: "name: Jo Smith\nrole: staff\n"})
    kit.edit(COMMITTEE, "    role: patient-partner\n", "    role: patient-partner\n  - person: jo-smith\n    role: member\n")
    problems = kit.check()
    problem = expect(problems, "disclosure.missing", MODULE_MD, kit.line(MODULE_MD, "committee:"))
    assert "committee member 'jo-smith'" in problem.message


def test_disclosure_without_signed_date_is_missing(course):
    kit = course()
    kit.edit(CLINICIAN, "  signed: 2025-11-01\n", "")
    problems = kit.check()
    expect(problems, "disclosure.missing", MODULE_MD, kit.line(MODULE_MD, "faculty:"))


def test_unreadable_signed_date_is_one_problem_not_two(course):
    kit = course()
    kit.edit(CLINICIAN, "signed: 2025-11-01", "signed: 2025-11-31")
    problems = kit.check()
    expect(problems, "schema.date", CLINICIAN, kit.line(CLINICIAN, "signed:"))
    refute(problems, "disclosure.missing")


def test_empty_relationships_is_a_disclosure(course):
    kit = course()
    problems = kit.check()
    refute(problems, "disclosure.missing")
    assert "relationships: []" in kit.read(CLINICIAN)


@pytest.mark.parametrize("signed, stale", [("2025-01-14", True), ("2025-01-15", False), ("2025-06-01", False)])
def test_disclosure_older_than_twelve_months_at_release(course, signed, stale):
    # The module is released on 2026-01-15, so the disclosure must be signed on 2025-01-15 or later.
    kit = course()
    kit.edit(CLINICIAN, "signed: 2025-11-01", f"signed: {signed}")
    problems = kit.check()
    if stale:
        problem = expect(problems, "disclosure.stale", CLINICIAN, kit.line(CLINICIAN, "signed:"))
        assert "'hearing-the-itch' (2026-01-15)" in problem.message
    else:
        refute(problems, "disclosure.stale")
        assert_clean(problems)


def test_relevant_relationship_without_mitigation(course):
    kit = course({CLINICIAN: RELEVANT_TIE})
    problems = kit.check()
    problem = expect(problems, "disclosure.unmitigated", CLINICIAN, kit.line(CLINICIAN, "- company: Acme Pharma"))
    assert "Acme Pharma (Advisory board)" in problem.message and "faculty of 'hearing-the-itch'" in problem.message


def test_irrelevant_or_mitigated_relationships_pass(course):
    kit = course({CLINICIAN: RELEVANT_TIE.replace("relevant: true", "relevant: false")})
    refute(kit.check(), "disclosure.unmitigated")
    kit = course({CLINICIAN: RELEVANT_TIE + "      mitigation:\n        action: Independent peer review\n"
                                            "        date: 2026-01-15\n"})
    problems = kit.check()
    refute(problems, "disclosure.unmitigated")
    refute(problems, "disclosure.late-mitigation")  # mitigated on the release date: in time
    assert_clean(problems)


def test_mitigation_after_release(course):
    kit = course({CLINICIAN: RELEVANT_TIE + "      mitigation:\n        action: Independent peer review\n"
                                            "        date: 2026-01-16\n"})
    problems = kit.check()
    problem = expect(problems, "disclosure.late-mitigation", CLINICIAN, kit.line(CLINICIAN, "date: 2026-01-16"))
    assert "after the release of 'hearing-the-itch' (2026-01-15)" in problem.message
    refute(problems, "disclosure.unmitigated")


def test_commercial_support_without_kind(course):
    kit = course(_module("commercial_support: []", "commercial_support:\n  - company: Acme Pharma"))
    problems = kit.check()
    problem = expect(problems, "disclosure.commercial-support", MODULE_MD, kit.line(MODULE_MD, "- company: Acme"))
    assert problem.message.startswith("commercial_support[0]: kind missing")


def test_commercial_support_with_company_and_kind_passes(course):
    kit = course(_module("commercial_support: []",
                         "commercial_support: [{company: Acme Pharma, kind: educational-grant, amount: 5000, "
                         "currency: USD, agreement: {reference: LOA-1, signed: 2026-01-02}}]"))
    problems = kit.check()
    refute(problems, "disclosure.commercial-support")
    assert_clean(problems)
