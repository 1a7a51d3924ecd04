"""End to end in headless Chromium with a real ``patientvoice collect``: pre-test, module, post-test pass,
evaluation, claim, certificate download read back, verify page, and a refusal shown as the server words it."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from functools import partial
from pathlib import Path

import httpx
import pytest
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).parent))

from claimkit import claim_browser, cpage  # noqa: E402,F401  (fixtures)
from pdfread import text as pdf_text  # noqa: E402
from sitekit import REPO, QuietFiles, copy_course, free_port, run_axe, serve, wait_until_up  # noqa: E402
from test_questionnaire_browser import answer, items  # noqa: E402

MODULE = "hearing-the-itch"
ACTIVITY = "PV-2026-PBC-01"
KEY = {i["id"]: i["answer"] for i in items("post") if i["kind"] in ("single", "multiple")}
LAUNCH = [sys.executable, "-c", "from patientvoice.cli import main; main()"]


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """The example course built with submit_url at a real collector on a free port, both running: (site, collector)."""
    root = copy_course(tmp_path_factory.mktemp("e2e-course"))
    port = free_port()
    collector = f"http://127.0.0.1:{port}"
    config = (REPO / "mkdocs.yml").read_text()
    config, n = re.subn(r"(?m)^(\s*)submit_url:.*$", rf'\1submit_url: "{collector}/responses"', config)
    assert n == 1
    (root / "mkdocs.yml").write_text(config)
    run = subprocess.run(LAUNCH + ["build", "--no-pdf", "--root", str(root)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    server, site = serve(partial(QuietFiles, directory=str(root / "build" / "site")))
    proc = subprocess.Popen(LAUNCH + ["collect", "--root", str(root), "--port", str(port), "--database",
                                      str(root / "responses.sqlite"), "--origin", site],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until_up(collector)
        yield site, collector
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=20)
        server.shutdown()
    assert "Traceback" not in out, out


@pytest.fixture
def page(cpage):
    """This module's fresh page (claimkit's browser, closed with the module), patient with a busy machine: the
    collector renders the certificate with WeasyPrint on the first request."""
    cpage.set_default_timeout(30000)
    return cpage


def submit_phase(page, site, phase, key=None):
    page.goto(f"{site}/{MODULE}/{phase}/")
    page.wait_for_selector("[data-pv-learner]:not([hidden])")
    answer(page, key)
    page.click("[data-pv-submit]")
    page.wait_for_selector("[data-pv-status] >> text=received", timeout=15000)  # stored by the collector


def fill_claim(page, credits="0.75"):
    page.fill("#pv-name", "Maria Lopez, MD")
    page.fill("#pv-email", "maria.lopez@example.org")
    page.check("#pv-profession-physician")
    page.select_option("#pv-credits", credits)
    page.check("#pv-attest")
    page.fill("#pv-npi", "1234567893")
    page.select_option("#pv-birth-month", "4")
    page.select_option("#pv-birth-day", "17")
    page.check("#pv-consent")


def test_pass_claim_download_and_verify(page, live, tmp_path):
    site, collector = live
    submit_phase(page, site, "pre")
    page.goto(f"{site}/{MODULE}/")  # the module itself
    page.wait_for_selector("#content")
    submit_phase(page, site, "post", KEY)  # the post-test carries the evaluation questions
    assert "you passed" in page.text_content("[data-pv-result]")
    page.click("[data-pv-result] >> text=Claim your credit")
    page.wait_for_selector("[data-pv-claim-form]:not([hidden])")
    assert page.locator("[data-pv-claim-provider]").count() == 0  # a collector: no provider route
    fill_claim(page)
    page.click("[data-pv-claim-submit]")
    done = page.wait_for_selector("[data-pv-claim-done]:not([hidden])", timeout=30000)
    assert page.is_hidden("[data-pv-claim-form]")
    assert "0.75 credits" in done.text_content()
    links = page.eval_on_selector_all("[data-pv-claim-done] a", "as => as.map(a => a.href)")
    cid = re.fullmatch(rf"{re.escape(collector)}/certificates/([^/]+)\.pdf", links[0]).group(1)
    assert links[1] == f"{collector}/verify/{cid}"
    assert len(cid) >= 22  # at least 128 random bits
    assert run_axe(page) == [], "claim accepted"

    # The certificate link opens the PDF in the browser (the collector serves it inline; Chromium shows it in its
    # viewer), then its bytes are fetched by the same browser context and read back.
    with page.expect_response(links[0], timeout=60000) as info:
        page.click("[data-pv-claim-done] >> text=Download the certificate (PDF)", no_wait_after=True)
    assert info.value.status == 200 and info.value.headers["content-type"] == "application/pdf"
    fetched = page.context.request.get(links[0])
    assert fetched.status == 200
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(fetched.body())
    assert len(PdfReader(pdf).pages) == 1
    words = pdf_text(pdf)
    assert "Maria Lopez, MD" in words
    assert "0.75 AMA PRA Category 1 Credits™" in words
    assert ("Northbridge Medical Education designates this enduring material for a maximum of 0.75 AMA PRA "
            "Category 1 Credit(s)™. Physicians should claim only the credit commensurate with the extent of their "
            "participation in the activity.") in words
    assert f"{collector}/verify/{cid}" in words.replace(" ", "")  # the address may wrap across lines

    # The verification page confirms name, activity, credits and date.
    page.goto(links[1])
    body = page.text_content("main")
    assert "This certificate is genuine" in body and "Maria Lopez, MD" in body
    assert ACTIVITY in body and "0.75" in body

    # The module page lists the certificate this browser received.
    page.goto(f"{site}/{MODULE}/")
    box = page.wait_for_selector("[data-pv-certificates]:not([hidden])")
    assert cid in box.text_content()

    # A different second claim from the same learner code: the collector's refusal (409) is shown as it is.
    page.evaluate("localStorage.removeItem('patientvoice:certificates')")
    page.goto(f"{site}/{MODULE}/claim/")
    page.wait_for_selector("[data-pv-claim-form]:not([hidden])")
    fill_claim(page, credits="0.5")
    page.click("[data-pv-claim-submit]")
    summary = page.wait_for_selector(".pv-q__errors--shown", timeout=15000)
    learner = page.evaluate("JSON.parse(localStorage.getItem('patientvoice:learner'))")
    refused = httpx.post(collector + "/claims", headers={"Origin": site}, json={
        "activity": ACTIVITY, "module": MODULE, "learner": learner,
        "name": "Maria Lopez, MD", "email": "maria.lopez@example.org", "profession": "physician",
        "credit_type": "ama-pra-1", "credits": 0.5, "attest": True,
        "report": {"consent": True, "npi": "1234567893", "birth_month": 4, "birth_day": 17}})
    assert refused.status_code == 409
    assert "The provider did not accept your claim" in summary.text_content()
    assert refused.json()["error"] in summary.text_content()
    assert run_axe(page) == [], "claim refused"


def test_a_learner_who_has_not_passed_cannot_open_the_form(page, live):
    site, collector = live
    wrong = {i: ([(a[0] + 1) % 4] if isinstance(a, list) else (a + 1) % 3) for i, a in KEY.items()}
    submit_phase(page, site, "post", wrong)
    assert page.locator("[data-pv-result] >> text=Claim your credit").count() == 0
    page.goto(f"{site}/{MODULE}/claim/")
    page.wait_for_selector("[data-pv-claim-steps] li")
    assert "Post-test not passed" in page.text_content("[data-pv-claim-steps]")
    assert page.is_hidden("[data-pv-claim-form]")
