"""The company registry and the disclosure rules that need it: unknown companies, owners and employees of
ineligible companies in control of content (with ACCME's exceptions), and the 24-month disclosure window."""

from __future__ import annotations

import textwrap

import pytest

from coursekit import BASE, CLINICIAN, COMPANY, MODULE_MD, assert_clean, expect, refute

from patientvoice.course.loader import load_course


def _tie(company: str, nature: str, extra: str = "", relevant: bool = False) -> str:
    """Anna Lee's disclosure with one relationship (``extra`` is more YAML for the relationship, indented)."""
    return textwrap.dedent(f"""\
        name: Dr Anna Lee
        credentials: MD, FRCP
        role: clinician
        disclosure:
          signed: 2025-11-01
          relationships:
            - company: {company}
              nature: {nature}
              relevant: {'true' if relevant else 'false'}
        """) + textwrap.indent(textwrap.dedent(extra), " " * 6)


ELIGIBLE = "content/companies/eastmoor-press.yml"


def test_companies_load_and_are_found_by_id_or_exact_name(course):
    kit = course({ELIGIBLE: "name: Eastmoor Press\nineligible: false\n"})
    c, problems = load_course(kit.root)
    assert c.company("acme-pharma").name == "Acme Pharma" and c.company("acme-pharma").ineligible
    assert c.company("Acme Pharma") is c.companies["acme-pharma"]
    assert c.company("acme pharma") is None and c.company(None) is None
    assert c.companies["acme-pharma"].domains == ["acme-pharma.example"]
    assert c.companies["acme-pharma"].path == kit.path(COMPANY).resolve()
    assert not c.company("Eastmoor Press").ineligible
    assert_clean(kit.check())


def test_a_relationship_with_a_company_not_in_the_registry(course):
    kit = course({CLINICIAN: _tie("Globex Devices", "Speaker bureau")})
    problems = kit.check()
    problem = expect(problems, "disclosure.unknown-company", CLINICIAN, kit.line(CLINICIAN, "company: Globex"))
    assert "'Globex Devices'" in problem.message and "content/companies/<id>.yml" in problem.message


@pytest.mark.parametrize("ref", ["acme-pharma", "Acme Pharma"])
def test_a_relationship_naming_a_registered_company_by_id_or_name(course, ref):
    kit = course({CLINICIAN: _tie(ref, "Speaker bureau", "type: speaker\n")})
    problems = kit.check()
    refute(problems, "disclosure.unknown-company")
    assert_clean(problems)


def test_a_company_file_is_validated(course):
    kit = course({ELIGIBLE: "name: Eastmoor Press\nineligible: maybe\nlogo: x.png\n"})
    problems = kit.check()
    expect(problems, "schema.type", ELIGIBLE, 2)
    expect(problems, "schema.unknown-key", ELIGIBLE, 3)


@pytest.mark.parametrize("kind", ["employee", "owner", "executive"])
def test_an_employee_or_owner_of_an_ineligible_company_in_control(course, kind):
    kit = course({CLINICIAN: _tie("acme-pharma", "Medical director", f"type: {kind}\n")})
    problems = kit.check()
    problem = expect(problems, "disclosure.ineligible-owner", CLINICIAN, kit.line(CLINICIAN, "- company: acme"))
    assert f"is {kind} of Acme Pharma" in problem.message and "faculty of 'hearing-the-itch'" in problem.message


def test_relevant_and_mitigated_does_not_excuse_an_employee(course):
    # The case: "relevant; mitigated" passed check although employees may not control content at all.
    kit = course({CLINICIAN: _tie("acme-pharma", "Medical science liaison", "type: employee\nmitigation:\n"
                                  "  action: Peer reviewed\n  date: 2025-12-01\n", relevant=True)})
    problems = kit.check()
    expect(problems, "disclosure.ineligible-owner", CLINICIAN, kit.line(CLINICIAN, "- company: acme"))
    refute(problems, "disclosure.unmitigated")


def test_an_owner_with_a_recorded_exception_passes(course):
    kit = course({CLINICIAN: _tie("acme-pharma", "Founder", """\
        type: owner
        exception:
          kind: basic-science
          reason: The module covers only the physiology of itch and makes no care recommendations
        """)})
    problems = kit.check()
    refute(problems, "disclosure.ineligible-owner")
    assert_clean(problems)


def test_an_employee_of_an_eligible_company_passes(course):
    kit = course({ELIGIBLE: "name: Eastmoor Press\nineligible: false\n",
                  CLINICIAN: _tie("eastmoor-press", "Editor", "type: employee\n")})
    problems = kit.check()
    refute(problems, "disclosure.ineligible-owner")
    assert_clean(problems)


@pytest.mark.parametrize("nature", ["Full-time employee", "Ownership interest (individual stock)", "Shareholder",
                                    "Chief executive"])
def test_an_obvious_nature_without_a_type_asks_for_the_type(course, nature):
    kit = course({CLINICIAN: _tie("Acme Pharma", nature)})
    problems = kit.check()
    problem = expect(problems, "disclosure.ineligible-owner", CLINICIAN, kit.line(CLINICIAN, "- company: Acme"))
    assert "set 'type'" in problem.message


def test_stock_typed_as_other_or_an_advisory_role_passes(course):
    kit = course({CLINICIAN: _tie("Acme Pharma", "Individual stock in a publicly traded company", "type: other\n")})
    refute(kit.check(), "disclosure.ineligible-owner")
    kit = course({CLINICIAN: _tie("Acme Pharma", "Advisory board")})
    problems = kit.check()
    refute(problems, "disclosure.ineligible-owner")
    assert_clean(problems)


def test_an_unknown_relationship_type_or_exception_kind_is_a_schema_problem(course):
    kit = course({CLINICIAN: _tie("Acme Pharma", "Advisor", "type: adviser\nexception: {kind: other, reason: x}\n")})
    problems = kit.check()
    expect(problems, "schema.enum", CLINICIAN, kit.line(CLINICIAN, "type: adviser"))
    expect(problems, "schema.enum", CLINICIAN, kit.line(CLINICIAN, "exception:"))


@pytest.mark.parametrize("signed, ok", [("2024-01-14", False), ("2024-01-15", True), ("2026-01-15", True),
                                        ("2026-01-16", False)])
def test_disclosure_window_at_release(course, signed, ok):
    # Release 2026-01-15 is the role date: the disclosure must be signed in [2024-01-15, 2026-01-15].
    kit = course()
    kit.edit(CLINICIAN, "signed: 2025-11-01", f"signed: {signed}")
    problems = kit.check()
    if ok:
        refute(problems, "disclosure.window")
    else:
        problem = expect(problems, "disclosure.window", CLINICIAN, kit.line(CLINICIAN, "signed:"))
        assert "(release 2026-01-15)" in problem.message


def test_disclosure_window_uses_planning_started(course):
    kit = course({MODULE_MD: BASE[MODULE_MD].replace("off_label: []", "off_label: []\nplanning_started: 2025-10-01")})
    problems = kit.check()
    problem = expect(problems, "disclosure.window", CLINICIAN, kit.line(CLINICIAN, "signed:"))
    assert "after anna-lee's role as faculty" in problem.message and "planning_started 2025-10-01" in problem.message
    kit.edit(MODULE_MD, "planning_started: 2025-10-01", "planning_started: 2025-11-15")
    kit.approve()
    problems = kit.check()
    refute(problems, "disclosure.window")
    assert_clean(problems)


def test_learners_see_the_company_name_when_a_relationship_names_its_id(course):
    from patientvoice.render import activity_info

    kit = course({CLINICIAN: _tie("acme-pharma", "Speaker bureau", "type: speaker\n")})
    c, _ = load_course(kit.root)
    html = activity_info(c, c.modules["hearing-the-itch"])
    assert "Speaker bureau: Acme Pharma (not relevant to this content)" in html and "acme-pharma" not in html


@pytest.mark.parametrize("domain", ["com", "https://verality.example/", "verality.example/path", "verality example"])
def test_a_domain_must_be_a_bare_host_name(course, domain):
    """'com' alone would make every .com link an ineligible company's (a trusted author's slip)."""
    kit = course({COMPANY: BASE[COMPANY].replace("domains: [acme-pharma.example]", f'domains: ["{domain}"]')})
    problem = expect(kit.check(), "schema.type", COMPANY, kit.line(COMPANY, "domains:"))
    assert "is not a domain" in problem.message


def test_a_subdomain_list_is_a_domain_list(course):
    kit = course({COMPANY: BASE[COMPANY].replace("domains: [acme-pharma.example]",
                                                 "domains: [acme-pharma.example, eu.acme-pharma.example]")})
    assert_clean(kit.check())
