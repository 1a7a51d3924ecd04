"""``patientvoice audit``: one tagged PDF per module with everything an ACCME reviewer asks for, read back from
the PDF; outcomes from a real SQLite collector database; refused when the checks fail."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from coursekit import BASE, MODULE_MD
from pdfread import text
from sitekit import REPO, copy_course

from patientvoice.audit.data import support
from patientvoice.cli import main
from patientvoice.course.loader import load_course
from patientvoice.outcomes.evaluation import site_evaluation
from patientvoice.outcomes.store import open_store
from patientvoice.outcomes.synthetic import cohort
from patientvoice.review.approve import approve

TODAY = "2026-10-15"
PAIN, ITCH = "believed-in-pain", "hearing-the-itch"


def _audit(*args) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["audit", *args, "--today", TODAY])
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def pain_pdf(tmp_path_factory):
    out = tmp_path_factory.mktemp("audit") / "pain.pdf"
    code, output = _audit(PAIN, "--root", str(REPO), "--out", str(out))
    assert code == 0, output
    return out


def test_the_audit_file_is_a_tagged_pdf_with_a_title(pain_pdf):
    reader = PdfReader(pain_pdf)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"].value is True
    assert root["/Lang"] == "en"
    assert reader.metadata.title.startswith("Activity file: Believed in pain")


def test_gap_off_label_and_objectives_with_their_measures(pain_pdf):
    course = load_course(REPO)[0]
    module = course.modules[PAIN]
    got = text(pain_pdf)
    assert " ".join(module.gap["statement"].split()) in got
    for src in module.gap["sources"]:
        assert " ".join(src["ref"].split())[:40] in got
    assert "Low-dose (sub-dissociative) ketamine for acute sickle cell pain refractory to opioids (off-label)" in got
    for o in module.objectives:
        assert o.id[:12] in got
    # every item that measures an objective is named in the objectives table
    for item in module.questionnaire.items:
        if item.objective:
            assert item.id in got, item.id


def test_every_disclosure_with_dates_relevance_and_mitigation(pain_pdf):
    course = load_course(REPO)[0]
    got = text(pain_pdf)
    roarke = course.people["samuel-roarke"]
    assert f"{roarke.display_name} (faculty)" in got
    assert f"Disclosure dated {roarke.signed.isoformat()}" in got
    assert "Verality Pharma (ineligible: Develops and markets prescription medicines" in got
    assert "Advisory board (advisor)" in got and "Relevant" in got
    assert "Recused from decisions on treatment content" in got and "(2026-07-20)" in got
    for pid in ("adaeze-whitfield", "jordan-pell", "marcus-delane"):
        assert course.people[pid].display_name in got


def test_approvals_with_fingerprints_and_every_story_consent(pain_pdf):
    course = load_course(REPO)[0]
    module = course.modules[PAIN]
    got = text(pain_pdf)
    squeezed = re.sub(r"\s+", "", got)
    latest = module.approvals[-1]
    assert latest.fingerprint in squeezed
    assert f"{latest.date.isoformat()} approved" in got and "Current state of review: approved." in got
    for block in module.story_refs():
        story = course.stories[block.target[0]]
        assert f"record {story.consent_reference}" in got
        assert f"given {story.consent_date.isoformat()}, expires {story.consent_expires.isoformat()}" in got
    assert "This activity received no commercial support." in got
    assert "No response database was given" in got


def test_outcomes_summary_from_a_sqlite_database(tmp_path):
    course = load_course(REPO)[0]
    responses = cohort(course, 20, seed=7, evaluation=site_evaluation(REPO))
    store = open_store(tmp_path / "responses.sqlite")
    for r in responses:
        store.add(r, {"correct": 0})
    store.close()
    out = tmp_path / "itch.pdf"
    code, output = _audit(ITCH, "--root", str(REPO), "--out", str(out), "--database", str(tmp_path / "responses.sqlite"))
    assert code == 0, output
    got = text(out)
    pre = sum(1 for r in responses if r["module"] == ITCH and r["phase"] == "pre")
    post = sum(1 for r in responses if r["module"] == ITCH and r["phase"] == "post")
    assert f"pre: {pre}; post: {post};" in got
    assert "Passed the post-test" in got and f"of {post} (pass mark 0.7)" in got
    assert "Outcome level reached" in got and "Evaluation (post-test)" in got
    assert "No response database was given" not in got


def test_commercial_support_entries_are_shown_as_recorded(tmp_path):
    root = copy_course(tmp_path / "course")
    path = root / "modules" / PAIN / "index.md"
    path.write_text(path.read_text().replace(
        "commercial_support: []",
        "commercial_support:\n  - company: verality-pharma\n    kind: educational-grant\n    amount: 25000\n"
        "    currency: USD\n    agreement: {reference: NME-LOA-2026-007, signed: 2026-08-01}"))
    course = load_course(root)[0]
    approve(course, PAIN, ["adaeze-whitfield", "yvonne-abara"], "approved", dt.date(2026, 9, 30))
    out = tmp_path / "pain.pdf"
    code, output = _audit(PAIN, "--root", str(root), "--out", str(out))
    assert code == 0, output
    got = " ".join(text(out).split())
    assert "Verality Pharma (ineligible company) educational-grant" in got
    assert "NME-LOA-2026-007" in got and "25000" in got.replace(",", "")
    assert "Current state of review: approved." in got
    # The acknowledgement learners see names the supporter, without the amount.
    assert "Verality Pharma" in got.split("Statements shown to learners", 1)[1].split("Practice gap", 1)[0]
    row = support(load_course(root)[0], load_course(root)[0].modules[PAIN])[0]
    assert (row["company"], row["amount"], row["currency"], row["reference"], row["signed"]) == (
        "Verality Pharma", 25000, "USD", "NME-LOA-2026-007", dt.date(2026, 8, 1))


def test_a_course_whose_checks_fail_gets_no_audit_file(course, tmp_path):
    kit = course({MODULE_MD: BASE[MODULE_MD].replace("off_label: []\n", "")})
    out = tmp_path / "audit.pdf"
    code, output = _audit("hearing-the-itch", "--root", str(kit.root), "--out", str(out))
    assert code == 1 and "[activity.off-label]" in output and "stop the audit file" in output
    assert not out.exists()


def test_an_unknown_module_is_named(tmp_path):
    code, output = _audit("no-such-module", "--root", str(REPO), "--out", str(tmp_path / "x.pdf"))
    assert code == 1 and "no module 'no-such-module'" in output and ITCH in output


def test_the_statements_learners_saw_are_in_the_file(pain_pdf):
    """Providership, every credit type's designation and the support acknowledgement, from the site's generator."""
    from patientvoice.compliance.statements import accreditation_statement, designation_statements
    from patientvoice.compliance.support import acknowledgement

    course = load_course(REPO)[0]
    module = course.modules["believed-in-pain"]
    words = " ".join(text(pain_pdf).split())
    assert "Joint, with Sickle Cell Family Forum" in words
    for statement in [accreditation_statement(course, module), acknowledgement(course, module),
                      *(s for _, s in designation_statements(course, module))]:
        assert " ".join(statement.split()) in words, statement
    assert "ANCC" in words and "AMA PRA Category 1 Credit" in words
