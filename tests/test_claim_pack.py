"""The paper route: the questionnaire pack ends with a credit claim form, read back from the PDF."""

from __future__ import annotations

import pytest

from patientvoice.credit.claim_page import ATTESTATION, BOARDS, PROFESSIONS
from patientvoice.course.loader import load_course
from patientvoice.pdf import build_pdfs
from pdfread import flat, page_texts
from sitekit import copy_course

ITCH = "hearing-the-itch"


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    """The example module's questionnaire pack, rendered once: (page texts, course)."""
    root = copy_course(tmp_path_factory.mktemp("pack") / "course")
    course, _ = load_course(root)
    out = root / "build" / "pdf"
    assert build_pdfs(course, out, cache_dir=root / "build" / ".cache", modules=[ITCH]) == []
    return page_texts(out / f"{ITCH}-questionnaires.pdf"), course


def test_pack_ends_with_the_claim_form_with_the_claim_pages_fields(pack):
    pages, course = pack
    # Page 1's contents list names the form; the form itself starts where its instructions are.
    start = next(i for i, p in enumerate(pages) if "Credit claim form Complete this" in p)
    assert all("Credit claim form Complete this" not in p for p in pages[:start])
    assert start > 0 and "Follow-up" not in " ".join(pages[start:])  # after the three forms, on its own page
    form = " ".join(pages[start:])
    assert "Learner code" in form and "Date" in form
    for field in ("Full name, as it should appear on your certificate", "E-mail address", "Your profession",
                  "Credit type", "AMA PRA Category 1 Credit™", "Credit you claim",
                  "up to 0.75", flat(ATTESTATION), "Signature",
                  "National Provider Identifier (NPI)", "State licence number", "Licensing state",
                  "Certifying board", "Board ID", "Birth month (1–12)", "Birth day (1–31)"):
        assert field in form, field
    for _, label in PROFESSIONS:
        assert label in form, label
    assert " ".join(code for code, _ in BOARDS[:3]) in form.replace(",", "")
    # Quarter steps up to the module's designated maximum, largest first.
    steps = form.split("Credit you claim", 1)[1]
    assert steps.index("0.75") < steps.index("0.5") < steps.index("0.25")
    assert "1.0" not in steps.split("I claim only")[0]
    assert ("I agree that Northbridge Medical Education reports my completion of this activity, with the identifiers "
            "above, to ACCME's PARS and to the certifying board I named.") in form


def test_claim_form_says_where_to_return_it(pack):
    pages, course = pack
    tail = " ".join(pages).rsplit("Returning this pack", 1)[1]  # the last: page 1's contents names it too
    address = " ".join(flat(line) for line in course.provider.address.splitlines())
    assert f"Send your completed forms to: {course.provider.name} {address} {course.provider.contact}" in tail
    assert flat(course.provider.return_to) in tail
    assert "sends your certificate to the e-mail address on it" in tail
