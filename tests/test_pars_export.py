"""``patientvoice export pars-activity``: the XML validates against the MedBiquitous XSDs and says the right things.

The XSDs are the MedBiquitous originals in tests/data/xsd/medbiq (NOTICE.md); their absolute schemaLocations
(http://ns.medbiq.org/...) are resolved to those copies, so validation needs no network.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from lxml import etree

from coursekit import BASE, MODULE_MD, PROVIDER, CourseKit
from creditkit import claim, collector, credit_course, post_test
from patientvoice.cli import main
import pdfread
from patientvoice.credit.certificate import certificate_html, certificate_pdf

ROOT = Path(__file__).resolve().parents[1]
XSD = ROOT / "tests" / "data" / "xsd" / "medbiq"
NS = {"m": "http://ns.medbiq.org/metrics/v1/", "lom": "http://ltsc.ieee.org/xsd/LOM",
      "hx": "http://ns.medbiq.org/lom/extend/v1/", "pv": "urn:x-patientvoice:pars:1"}


class _Local(etree.Resolver):
    """http://ns.medbiq.org/<path> -> tests/data/xsd/medbiq/<path>."""

    def resolve(self, url, pubid, context):
        prefix = "http://ns.medbiq.org/"
        if url.startswith(prefix):
            return self.resolve_filename(str(XSD / url[len(prefix):]), context)
        return None


@lru_cache(maxsize=1)
def schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_Local())
    return etree.XMLSchema(etree.parse(str(XSD / "metrics/v1/medicaleducationmetrics.xsd"), parser))


def validate(doc: etree._ElementTree) -> list[etree._Element]:
    """Validate every MedicalEducationMetrics in the file; return them."""
    root = doc.getroot()
    assert root.tag == "ACCMEActivities"
    activities = list(root)
    assert activities
    for el in activities:
        ok = schema().validate(etree.ElementTree(el))
        assert ok, [str(e) for e in schema().error_log]
    return activities


def export(root: Path, out: Path, *extra) -> etree._ElementTree:
    result = CliRunner().invoke(main, ["export", "pars-activity", "-C", str(root), "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    return etree.parse(str(out))


def write_pdf(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _by_id(activities) -> dict:
    return {a.findtext(".//lom:general/lom:identifier/lom:entry", namespaces=NS): a for a in activities}


def test_example_course_exports_valid_pars_xml(tmp_path):
    activities = _by_id(validate(export(ROOT, tmp_path / "pars.xml")))
    assert set(activities) == {"PV-2026-SCD-01", "PV-2026-PBC-01"}
    scd = activities["PV-2026-SCD-01"]
    edu = scd.find(".//hx:healthcareEducation", NS)
    assert edu.findtext("hx:activitySponsorship", namespaces=NS) == "joint"
    credits = {c.findtext("hx:activityCertification", namespaces=NS): c for c in edu.findall("hx:credits", NS)}
    assert set(credits) == {"AMA PRA Category 1", "Nursing"}
    assert credits["Nursing"].findtext("hx:numberOfCredits", namespaces=NS) == "1"
    assert credits["Nursing"].findtext("hx:creditUnit", namespaces=NS) == "Contact Hour"
    assert [p.text for p in credits["AMA PRA Category 1"].findall("hx:nonAccreditedProvider", NS)] == \
        ["Sickle Cell Family Forum"]
    assert credits["AMA PRA Category 1"].findtext("hx:accreditedProvider", namespaces=NS) == \
        "Northbridge Medical Education"
    assert edu.findtext("hx:startDateTime", namespaces=NS) == "2026-10-01T00:00:00"
    assert edu.findtext("hx:endDateTime", namespaces=NS) == "2028-09-30T00:00:00"
    assert edu.findtext("hx:activityFormat/lom:string", namespaces=NS) == "Enduring Material"
    assert edu.findtext("hx:commercialSupport", namespaces=NS) == "no"
    assert edu.findtext("hx:commercialSupportAcknowledgement/lom:string", namespaces=NS) == \
        "This activity received no commercial support."
    assert scd.findtext("m:ReportDescription/m:ReportingStartDate", namespaces=NS) == "2026-10-01"
    # objectives: knowledge, competence and performance, each measured by a post-test or follow-up item
    assert scd.findtext(".//m:DesignedToChangePerformance", namespaces=NS) == "true"
    assert scd.findtext(".//m:ChangesInPerformanceMeasured", namespaces=NS) == "true"
    assert scd.findtext(".//m:DesignedToChangePatientOutcomes", namespaces=NS) == "false"
    outcomes = [o.text for o in scd.findall(".//pv:MeasuredOutcome", NS)]
    assert "Learner Knowledge" in outcomes and "Learner Performance" in outcomes
    assert scd.find("m:ParticipationMetrics", NS) is not None and len(scd.find("m:ParticipationMetrics", NS)) == 0
    pbc = activities["PV-2026-PBC-01"]
    assert pbc.findtext(".//hx:activitySponsorship", namespaces=NS) == "direct"
    assert pbc.find(".//hx:nonAccreditedProvider", NS) is None


def test_the_schema_rejects_a_wrong_value(tmp_path):
    """The validation bites: a providership PARS does not know fails the MedBiquitous XSD."""
    doc = export(ROOT, tmp_path / "pars.xml")
    sponsorship = doc.getroot().find(".//hx:activitySponsorship", NS)
    sponsorship.text = "co-provided"
    assert not schema().validate(etree.ElementTree(doc.getroot()[0]))
    assert "activitySponsorship" in str(schema().error_log)


GRANT = ("commercial_support:\n  - company: Acme Pharma\n    kind: educational-grant\n    amount: 25000\n"
         "    currency: USD\n    agreement:\n      reference: LOA-2026-007\n      signed: {signed}\n")


def _multi_credit_course(root: Path) -> Path:
    """The test course offering AMA and ANCC credit from a jointly accredited provider, with a grant."""
    credit_course(root)
    kit = CourseKit(root)
    release = kit.read(MODULE_MD).split("release: ")[1].split("\n")[0]
    kit.edit(MODULE_MD, "  pass_mark: 0.7\n",
             "  pass_mark: 0.7\n  credit_types:\n    - type: ama-pra-1\n    - type: ancc\n      amount: 0.75\n")
    kit.edit(MODULE_MD, "commercial_support: []\n", GRANT.format(signed=release))
    kit.write(PROVIDER, BASE[PROVIDER].replace("statements_approved: true", "accreditation_body: Joint Accreditation"
                                               "\nstatements_approved: false")
              .split("accreditation_statement:")[0] + "contact: cme@example.org\n"
              "privacy_policy: https://example.org/privacy\n")
    kit.approve()
    return root


def test_learner_counts_and_certificates_per_profession(tmp_path):
    root = _multi_credit_course(tmp_path / "course")
    database = tmp_path / "responses.sqlite"
    learners = {"PHYS-0001": "physician", "NURS-0001": "registered-nurse", "PHAR-0001": "pharmacist"}
    with collector(root, database) as (url, store):
        claims = {}
        for learner, profession in learners.items():
            post_test(url, learner)
            r = httpx.post(url + "/claims", json=claim(learner, profession=profession, email=f"{learner}@x.org"))
            assert r.status_code == 201, r.text
            claims[profession] = r.json()
        from patientvoice.credit.store import ClaimStore
        rows = {c["profession"]: c for c in ClaimStore(store).all()}
    # the profession selects the credit: AMA for the physician, ANCC for the nurse, participation for the pharmacist
    assert {p: c["credit_type"] for p, c in rows.items()} == \
        {"physician": "ama-pra-1", "registered-nurse": "ancc", "pharmacist": "ama-pra-1"}
    nurse = certificate_html([rows["registered-nurse"]])
    assert "Credit awarded: 0.75 <i>ANCC contact hours</i>" in nurse
    assert "Example Medical Education Ltd designates this activity for a maximum of 0.75 ANCC contact hour(s)." in nurse
    assert "In support of improving patient care, Example Medical Education Ltd is accredited by" in nurse
    physician = certificate_html([rows["physician"]])
    assert "designates this enduring material for a maximum of 0.75 AMA PRA Category 1 Credit(s)™" in physician
    pharmacist = certificate_html([rows["pharmacist"]])
    assert "Certificate of participation" in pharmacist and "for physicians;" in pharmacist
    # the provider's summary counts each credit type apart
    from patientvoice.credit.records import summary, summary_text

    (s,) = summary(list(rows.values()))
    assert (s["credits_awarded"], s["awarded_by_type"], s["participation_hours"]) == (0.75, {"ancc": 0.75}, 0.75)
    assert "ANCC contact hours awarded: 0.75" in summary_text([s])
    # the printed certificate, read back: the nurse's ANCC credit with its statement
    words = pdfread.text(write_pdf(tmp_path / "nurse.pdf", certificate_pdf([rows["registered-nurse"]],
                                                                            root / "theme")))
    assert "Credit awarded: 0.75 ANCC contact hours" in words
    assert "designates this activity for a maximum of 0.75 ANCC contact hour(s)." in words

    activities = validate(export(root, tmp_path / "pars.xml", "--database", str(database)))
    metrics = activities[0].find("m:ParticipationMetrics", NS)
    by_category = {p.get("category"): int(p.text) for p in metrics.findall("m:ParticipantsByCategory", NS)}
    assert by_category == {"nurse": 1, "pharmacist": 1, "physician": 1}
    assert metrics.findtext("m:NumberOfParticipantsReceivingCredit", namespaces=NS) == "2"
    assert metrics.findtext("m:NumberOfParticipantsCompletingActivity", namespaces=NS) == "3"
    support = activities[0].find(".//m:CommercialSupportAmount", NS)
    assert (support.text, support.get("currency"), support.get("supportSource")) == ("25000", "USD", "Acme Pharma")
    assert activities[0].findtext(".//hx:commercialSupport", namespaces=NS) == "yes"


def test_export_refuses_a_course_with_errors(tmp_path):
    root = credit_course(tmp_path / "course")
    CourseKit(root).edit(MODULE_MD, "minutes: 45", "minutes: 10")  # credits now exceed the time
    result = CliRunner().invoke(main, ["export", "pars-activity", "-C", str(root), "--out", str(tmp_path / "x.xml")])
    assert result.exit_code != 0 and "error(s)" in result.output
    assert "index.md:" in result.output and "[activity.credits-exceed-time]" in result.output  # path:line [rule]
    assert not (tmp_path / "x.xml").exists()


@pytest.mark.parametrize("name", ["pars_activity"])
def test_command_name(name):
    from patientvoice.export import pars

    assert getattr(pars, name).name == "pars-activity"
