"""The generated accreditation and designation statements, word for word, and where learners read them."""

from __future__ import annotations

from coursekit import BASE, MODULE, MODULE_MD, PROVIDER
from patientvoice.compliance.statements import accreditation_statement, designation, designation_statements
from patientvoice.course.loader import load_course
from patientvoice.render import activity_info

ACCME_PROVIDER = ("name: Example Medical Education Ltd\ncontact: cme@example.org\n"
                  "privacy_policy: https://example.org/privacy\n")
JA_PROVIDER = ACCME_PROVIDER + "accreditation_body: Joint Accreditation\n"
JOINT = "  pass_mark: 0.7\n  providership: joint\n  joint_providers: [pbc-patients, Liver Nurses Society]\n"
ALL_TYPES = ("  pass_mark: 0.7\n  credit_types:\n    - type: ama-pra-1\n    - type: ancc\n    - type: acpe\n"
             "      uan: JA4008000-0000-26-012-H01-P\n      amount: 0.75\n    - type: aapa-1\n    - type: ipce\n"
             "    - type: abim-moc\n      points: 0.75\n      moc_types: [medical-knowledge, patient-safety]\n")


def _load(course, provider: str, activity: str = "  pass_mark: 0.7\n", support: str = "commercial_support: []\n"):
    text = BASE[MODULE_MD].replace("  pass_mark: 0.7\n", activity).replace("commercial_support: []\n", support)
    kit = course({PROVIDER: provider, MODULE_MD: text})
    loaded, problems = load_course(kit.root)
    assert not problems.errors, problems.errors
    return loaded, loaded.modules[MODULE]


def test_direct_accme_statement(course):
    c, m = _load(course, ACCME_PROVIDER)
    assert accreditation_statement(c, m) == (
        "Example Medical Education Ltd is accredited by the Accreditation Council for Continuing Medical Education "
        "(ACCME) to provide continuing medical education for physicians.")


def test_joint_accme_statement_names_every_joint_provider(course):
    c, m = _load(course, ACCME_PROVIDER, JOINT)
    assert accreditation_statement(c, m) == (
        "This activity has been planned and implemented in accordance with the accreditation requirements and "
        "policies of the Accreditation Council for Continuing Medical Education (ACCME) through the joint "
        "providership of Example Medical Education Ltd, Example PBC Patient Association and Liver Nurses "
        "Society. Example Medical "
        "Education Ltd is accredited by the Accreditation Council for Continuing Medical Education (ACCME) to "
        "provide continuing medical education for physicians.")


def test_joint_accreditation_statements(course):
    c, m = _load(course, JA_PROVIDER)
    ja = ("Example Medical Education Ltd is accredited by the American Nurses Credentialing Center (ANCC), the "
          "Accreditation Council for Pharmacy Education (ACPE), and the Accreditation Council for Continuing Medical "
          "Education (ACCME), to provide continuing education for the healthcare team.")
    assert accreditation_statement(c, m) == "In support of improving patient care, " + ja
    c, m = _load(course, JA_PROVIDER, JOINT)
    assert accreditation_statement(c, m) == (
        "This activity has been planned and implemented by Example Medical Education Ltd, Example PBC Patient "
        "Association and Liver Nurses Society for the advancement of patient care. " + ja)


def test_one_designation_statement_per_credit_type(course):
    c, m = _load(course, JA_PROVIDER, ALL_TYPES)
    statements = dict(designation_statements(c, m))
    assert list(statements) == ["ama-pra-1", "ancc", "acpe", "aapa-1", "ipce", "abim-moc"]
    p = "Example Medical Education Ltd"
    assert statements["ama-pra-1"] == (
        f"{p} designates this enduring material for a maximum of 0.75 AMA PRA Category 1 Credit(s)™. Physicians "
        "should claim only the credit commensurate with the extent of their participation in the activity.")
    assert statements["ancc"] == f"{p} designates this activity for a maximum of 0.75 ANCC contact hour(s)."
    assert statements["acpe"] == (
        f"{p} designates this activity for 0.75 contact hour(s) (0.075 CEUs) of the Accreditation Council for "
        "Pharmacy Education. (Universal Activity Number JA4008000-0000-26-012-H01-P)")
    assert "This activity is designated for 0.75 AAPA Category 1 CME credit(s)." in statements["aapa-1"]
    assert statements["ipce"] == ("This activity was planned by and for the healthcare team, and learners will "
                                  "receive 0.75 Interprofessional Continuing Education (IPCE) credit(s) for learning "
                                  "and change.")
    assert "earn up to 0.75 Medical Knowledge and Patient Safety MOC point(s)" in statements["abim-moc"]


def test_the_ama_statement_names_the_format():
    assert "designates this enduring material for" in designation("P", "ama-pra-1", 1)
    assert "live activity" not in designation("P", "ama-pra-1", 1)


def test_activity_information_shows_every_statement_and_the_supporters(course):
    support = ("commercial_support:\n  - company: Acme Pharma\n    kind: educational-grant\n    amount: 25000\n"
               "    currency: USD\n    agreement: {reference: LOA-7, signed: 2026-01-02}\n"
               "  - company: Model Makers Inc\n    kind: in-kind\n    description: Two ultrasound training models\n"
               "    agreement: {reference: LOA-8, signed: 2026-01-03}\n")
    c, m = _load(course, JA_PROVIDER, JOINT.replace("  pass_mark: 0.7\n", ALL_TYPES), support)
    html = activity_info(c, m)
    assert "<i>AMA PRA Category 1 Credit(s)™</i>" in html
    for _, statement in designation_statements(c, m):
        assert statement.split("(")[0].split("AMA")[0] in html
    assert accreditation_statement(c, m) + '</p>\n  <hr class="pv-activity__separator">' in html
    assert 'Jointly provided with<span class="pv-visually-hidden">: </span></dt><dd>Example PBC Patient Association, Liver Nurses Society' in html
    assert ("This activity is supported by an educational grant from Acme Pharma; in-kind support from Model "
            "Makers Inc.") in html
    assert "25000" not in html and "<img" not in html  # names only: no amounts, no logos
    plain = activity_info(*_load(course, ACCME_PROVIDER))
    assert "This activity received no commercial support." in plain


def test_the_profession_selects_the_credit_type():
    from patientvoice.credit.registry import credit_type_for_profession as pick

    offered = ["ama-pra-1", "ancc", "acpe", "aapa-1", "abim-moc"]
    assert pick(offered, "physician") == "ama-pra-1"
    assert pick(offered, "registered-nurse") == pick(offered, "nurse-practitioner") == "ancc"
    assert pick(offered, "pharmacist") == "acpe"
    assert pick(offered, "physician-assistant") == "aapa-1"
    assert pick(offered, "other", "ancc") == "ancc"  # no credit of their own: participation, on the type asked for
    assert pick(["ama-pra-1", "ipce"], "other") == "ipce"  # IPCE is credit for the whole team
    assert pick(["ama-pra-1", "ipce"], "physician") == "ama-pra-1"
    assert pick(["ama-pra-1"], "registered-nurse") == "ama-pra-1"  # as before: a certificate of participation
    assert pick(["abim-moc"], "physician") is None  # MOC points are never the credit itself
