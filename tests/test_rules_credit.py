"""Issue 13a rules: credit per profession, credits against time, providership, statement wording, Standard 4."""

from __future__ import annotations

import pytest

from coursekit import BASE, MODULE_MD, PROVIDER, assert_clean, expect, refute

PROVIDER_JA = BASE[PROVIDER].replace("statements_approved: true",
                                    "accreditation_body: Joint Accreditation\nstatements_approved: true")
GRANT = ("commercial_support:\n  - company: Acme Pharma\n    kind: educational-grant\n    amount: 25000\n"
         "    currency: USD\n    agreement:\n      reference: LOA-2026-007\n      signed: 2026-01-02\n")


def _module(*pairs) -> dict:
    text = BASE[MODULE_MD]
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    return {MODULE_MD: text}


def _credit_types(yaml: str, *more) -> dict:
    """The module with ``activity.credit_types`` (YAML lines indented under activity)."""
    return _module(("  pass_mark: 0.7\n", "  pass_mark: 0.7\n  credit_types:\n" + yaml), *more)


# activity.credits-exceed-time

def test_credits_above_the_estimated_time(course):
    kit = course(_module(("credits: 0.75", "credits: 3.0"), ("minutes: 45", "minutes: 10")))
    problem = expect(kit.check(), "activity.credits-exceed-time", MODULE_MD, kit.line(MODULE_MD, "credits:"))
    assert "(10 minutes: at most 0)" in problem.message


def test_credit_type_amount_above_the_time_is_reported_at_its_line(course):
    kit = course({**_credit_types("    - type: ama-pra-1\n    - type: ancc\n      amount: 1.0\n"),
                  PROVIDER: PROVIDER_JA})
    problem = expect(kit.check(), "activity.credits-exceed-time", MODULE_MD, kit.line(MODULE_MD, "amount: 1.0"))
    assert "credit_types[1].amount 1 is more than the estimated time allows (45 minutes: at most 0.75)" \
        in problem.message


def test_credits_equal_to_the_time_pass(course):
    problems = course(_module(("credits: 0.75", "credits: 1.0"), ("minutes: 45", "minutes: 74"))).check()
    refute(problems, "activity.credits-exceed-time")  # 74 minutes round down to 1.0
    assert_clean(problems)


# activity.credit-type

@pytest.mark.parametrize("yaml, needle, words", [
    ("    - type: ama-pra-2\n", "type: ama-pra-2", "unknown credit type 'ama-pra-2'"),
    ("    - type: acpe\n      amount: 0.75\n", "type: acpe", "Universal Activity Number"),
    ("    - type: acpe\n      uan: JA4008000-0000-26-012-H01-P\n", "type: acpe", "ACPE needs its 'amount'"),
    ("    - type: abim-moc\n      points: 0.75\n", "type: abim-moc", "needs 'moc_types'"),
    ("    - type: ancc\n      amount: 0.6\n", "amount: 0.6", "not a positive multiple of 0.25"),
    ("    - type: ama-pra-1\n    - type: ama-pra-1\n", None, "designated twice"),
    ("    - type: abim-moc\n      points: 0.75\n      moc_types: [patient-safety]\n", "type: abim-moc",
     "designate ama-pra-1 as well"),
])
def test_credit_type_problems(course, yaml, needle, words):
    kit = course({**_credit_types(yaml), PROVIDER: PROVIDER_JA})
    problems = kit.check()
    line = kit.line(MODULE_MD, needle) if needle else kit.line(MODULE_MD, "credit_types:") + 2
    problem = expect(problems, "activity.credit-type", MODULE_MD, line)
    assert words in problem.message


def test_ipce_needs_joint_accreditation(course):
    kit = course(_credit_types("    - type: ama-pra-1\n    - type: ipce\n"))
    problem = expect(kit.check(), "activity.credit-type", MODULE_MD, kit.line(MODULE_MD, "type: ipce"))
    assert "jointly accredited provider" in problem.message


def test_every_credit_type_written_correctly_passes(course):
    kit = course({**_credit_types(
        "    - type: ama-pra-1\n    - type: ancc\n      amount: 0.75\n    - type: acpe\n"
        "      uan: JA4008000-0000-26-012-H01-P\n      amount: 0.75\n    - type: aapa-1\n    - type: ipce\n"
        "    - type: abim-moc\n      points: 0.75\n      moc_types: [medical-knowledge]\n"), PROVIDER: PROVIDER_JA})
    problems = kit.check()
    refute(problems, "activity.credit-type")
    refute(problems, "activity.credits-exceed-time")
    assert_clean(problems)


# activity.providership

def test_joint_providership_without_joint_providers(course):
    kit = course(_module(("  pass_mark: 0.7\n", "  pass_mark: 0.7\n  providership: joint\n")))
    expect(kit.check(), "activity.providership", MODULE_MD, kit.line(MODULE_MD, "providership: joint"))


def test_joint_providers_on_a_direct_activity(course):
    kit = course(_module(("  pass_mark: 0.7\n", "  pass_mark: 0.7\n  joint_providers: [PBC Patients]\n")))
    expect(kit.check(), "activity.providership", MODULE_MD, kit.line(MODULE_MD, "joint_providers:"))


def test_joint_providership_with_a_pag_passes(course):
    kit = course(_module(("  pass_mark: 0.7\n",
                          "  pass_mark: 0.7\n  providership: joint\n  joint_providers: [pbc-patients]\n")))
    problems = kit.check()
    refute(problems, "activity.providership")
    assert_clean(problems)


# activity.statement-wording

UNAPPROVED = BASE[PROVIDER].replace("statements_approved: true  # the short accreditation wording below is "
                                    "used as written (issue 13)\n", "")


def test_custom_accreditation_statement_differs(course):
    assert UNAPPROVED != BASE[PROVIDER]
    kit = course({PROVIDER: UNAPPROVED})
    problem = expect(kit.check(), "activity.statement-wording", PROVIDER,
                     kit.line(PROVIDER, "accreditation_statement:"))
    assert ("Example Medical Education Ltd is accredited by the Accreditation Council for Continuing Medical "
            "Education (ACCME) to provide continuing medical education for physicians.") in problem.message


def test_live_activity_designation_for_enduring_material_is_an_error_even_when_approved(course):
    live = BASE[PROVIDER] + ("credit_statement: Example Medical Education Ltd designates this live activity for a "
                             "maximum of {credits} AMA PRA Category 1 Credit(s)™.\n")
    kit = course({PROVIDER: live})
    problem = expect(kit.check(), "activity.statement-wording", PROVIDER, kit.line(PROVIDER, "credit_statement:"))
    assert "live activity" in problem.message


def test_official_wording_or_no_statement_passes(course):
    official = UNAPPROVED.replace("is accredited by the ACCME to provide",
                                  "is accredited by the Accreditation Council for Continuing Medical Education "
                                  "(ACCME) to provide") + (
        "credit_statement: >-\n  Example Medical Education Ltd designates this enduring material for a maximum of "
        "{credits}\n  AMA PRA Category 1 Credit(s)™. Physicians should claim only the credit commensurate with the\n"
        "  extent of their participation in the activity.\n")
    problems = course({PROVIDER: official}).check()
    refute(problems, "activity.statement-wording")
    assert_clean(problems)


# support.*

def test_grant_without_amount_currency_or_agreement(course):
    kit = course(_module(("commercial_support: []\n",
                          "commercial_support:\n  - company: Acme Pharma\n    kind: educational-grant\n")))
    problems = kit.check()
    line = kit.line(MODULE_MD, "company: Acme Pharma")
    expect(problems, "support.amount", MODULE_MD, line)
    problem = expect(problems, "support.agreement", MODULE_MD, line)
    assert "reference and signed missing" in problem.message


def test_in_kind_needs_a_description(course):
    kit = course(_module(("commercial_support: []\n", GRANT.replace("educational-grant", "in-kind")
                          .replace("    amount: 25000\n    currency: USD\n", ""))))
    problem = expect(kit.check(), "support.amount", MODULE_MD, kit.line(MODULE_MD, "company: Acme Pharma"))
    assert "description" in problem.message


def test_agreement_signed_after_release(course):
    kit = course(_module(("commercial_support: []\n", GRANT.replace("signed: 2026-01-02", "signed: 2026-02-01"))))
    problem = expect(kit.check(), "support.agreement", MODULE_MD, kit.line(MODULE_MD, "signed: 2026-02-01"))
    assert "after the release on 2026-01-15" in problem.message


def test_company_id_that_names_no_company(course):
    # The base course registers acme-pharma (content/companies/); a supporter outside the registry is refused,
    # whether written as an id or as a name.
    for ref in ("zenith-devices", "Zenith Devices"):
        kit = course(_module(("commercial_support: []\n", GRANT.replace("Acme Pharma", ref))))
        expect(kit.check(), "support.company", MODULE_MD, kit.line(MODULE_MD, f"company: {ref}"))


def test_company_by_registry_id_or_name_passes(course):
    for ref in ("acme-pharma", "Acme Pharma"):
        refute(course(_module(("commercial_support: []\n", GRANT.replace("Acme Pharma", ref)))).check(),
               "support.company")


def test_complete_commercial_support_passes(course):
    problems = course(_module(("commercial_support: []\n", GRANT))).check()
    for rule in ("support.amount", "support.agreement", "support.company"):
        refute(problems, rule)
    assert_clean(problems)
