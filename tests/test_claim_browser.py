"""The claim page in real headless Chromium, on the example course built without a collector (the provider route).

What is missing before passing, the link from the post-test result, the attempt policy, the form's checks
and error summary, the e-mail route, remembered certificates, axe and a 390 px screen.
"""

from __future__ import annotations

import subprocess
import sys
from functools import partial
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from claimkit import claim_browser, cpage  # noqa: E402,F401  (fixtures)
from sitekit import QuietFiles, copy_course, run_axe, serve  # noqa: E402
from test_questionnaire_browser import answer, items  # noqa: E402

MODULE = "hearing-the-itch"
ACTIVITY = "PV-2026-PBC-01"
KEY = {i["id"]: i["answer"] for i in items("post") if i["kind"] in ("single", "multiple")}
WRONG = {i: ([(a[0] + 1) % 4] if isinstance(a, list) else (a + 1) % 3) for i, a in KEY.items()}
CERTIFICATE = {"certificate": "Zq3kT0", "pdf": "https://collect.example.org/certificates/Zq3kT0.pdf",
               "verify": "https://collect.example.org/verify/Zq3kT0", "module": MODULE, "activity": ACTIVITY,
               "title": "Hearing the itch", "credits": 0.5, "claimed": "2026-11-02T10:00:00Z"}


@pytest.fixture
def page(cpage):
    """This module's fresh page (claimkit's browser, closed with the module)."""
    return cpage


def build_and_serve(root):
    """Build the course at ``root`` (site only) and serve it; returns (server, base URL)."""
    run = subprocess.run([sys.executable, "-c", "from patientvoice.cli import main; main()", "build", "--no-pdf",
                          "--root", str(root)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return serve(partial(QuietFiles, directory=str(root / "build" / "site")))


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory):
    """The example course as it ships (no submit_url, so no collector), built and served."""
    server, base = build_and_serve(copy_course(tmp_path_factory.mktemp("claim-course")))
    yield base
    server.shutdown()


@pytest.fixture(scope="module")
def two_attempts_site(tmp_path_factory):
    """The example course with ``attempts: 2``: the first passing post-test of the first two counts."""
    root = copy_course(tmp_path_factory.mktemp("claim-course-2"))
    config = (root / "mkdocs.yml").read_text()
    (root / "mkdocs.yml").write_text(config.replace("      paper: A4\n", "      paper: A4\n      attempts: 2\n", 1))
    assert "attempts: 2" in (root / "mkdocs.yml").read_text()
    server, base = build_and_serve(root)
    yield base
    server.shutdown()


def post_test(page, base, key):
    """Take the post-test (with the evaluation) and wait for the result."""
    page.goto(f"{base}/{MODULE}/post/")
    page.wait_for_selector("[data-pv-learner]:not([hidden])")
    if page.is_visible("[data-pv-again]"):
        page.click("[data-pv-again]")
    answer(page, key)
    page.click("[data-pv-submit]")
    return page.wait_for_selector("[data-pv-result]:not([hidden])")


def open_claim(page, base):
    page.goto(f"{base}/{MODULE}/claim/")
    page.wait_for_selector("[data-pv-claim-steps] li")


def steps(page) -> str:
    return page.text_content("[data-pv-claim-steps]")


def no_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_claim_page_says_what_is_missing_with_links(page, offline_site):
    open_claim(page, offline_site)
    text = steps(page)
    assert "Optional: Pre-test not taken" in text
    assert "To do: Post-test not taken yet; only your first attempt counts for credit" in text
    assert "To do: Evaluation not answered" in text
    links = page.eval_on_selector_all("[data-pv-claim-steps] a", "as => as.map(a => a.getAttribute('href'))")
    assert links == ["../pre/", "../post/", "../post/#pv-evaluation-heading"]
    assert page.is_hidden("[data-pv-claim-form]")
    # No collector: the page says how to claim from the provider, with the contact from provider.yml.
    provider = page.text_content("[data-pv-claim-provider]")
    assert "does not send claims online" in provider and "Northbridge Medical Education" in provider
    assert "paper claim form" in provider
    assert page.get_attribute("[data-pv-claim-provider] a", "href") == "mailto:cme@example.org"


def test_pass_then_claim_form_checks_and_provider_route(page, offline_site):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{offline_site}/{MODULE}/pre/")
    page.wait_for_selector("[data-pv-learner]:not([hidden])")
    code = page.text_content("[data-pv-code]")
    answer(page)
    page.click("[data-pv-submit]")
    page.wait_for_selector("[data-pv-status] >> text=You submitted this")
    result = post_test(page, offline_site, KEY)
    assert "you passed" in result.text_content()
    page.click("[data-pv-result] >> text=Claim your credit")
    page.wait_for_selector("[data-pv-claim-form]:not([hidden])")
    assert page.url.endswith(f"/{MODULE}/claim/")
    text = steps(page)
    assert "Done: Pre-test taken" in text and "Done: Post-test passed on" in text and "(100%)" in text
    assert "Done: Evaluation answered" in text
    assert page.text_content("[data-pv-claim-form] [data-pv-code]") == code
    # The credit select offers 0.25 steps up to the module's 0.75, and the one credit type is chosen.
    options = page.eval_on_selector_all("#pv-credits option", "os => os.map(o => o.value)")
    assert options == ["", "0.75", "0.5", "0.25"]
    assert page.is_checked("#pv-credit-type-ama-pra-1")
    assert "AMA PRA Category 1 Credit™" in page.text_content("label[for=pv-credit-type-ama-pra-1]")
    assert page.text_content("label[for=pv-attest]").startswith(
        "I claim only the credit commensurate with the extent of my participation")
    assert no_overflow(page)

    # Empty submit: an error summary (focused) linking to each field, the fields marked invalid.
    page.click("[data-pv-claim-submit]")
    summary = page.wait_for_selector(".pv-q__errors--shown")
    assert page.evaluate("document.activeElement.matches('[data-pv-errors]')")
    assert "There are 5 problems" in summary.text_content()
    for message in ("Enter your full name", "Enter your e-mail address", "Choose your profession",
                    "Choose the credit you claim", "Tick the box to confirm"):
        assert message in summary.text_content()
    assert page.get_attribute("#pv-name", "aria-invalid") == "true"
    assert "pv-name-error" in page.get_attribute("#pv-name", "aria-describedby")
    page.click(".pv-q__errors a >> text=Choose your profession")
    assert page.evaluate("document.activeElement.id") == "pv-profession-physician"
    assert run_axe(page) == [], "claim form with errors"
    assert no_overflow(page)

    # "Other" reveals its free text; reporting identifiers need consent, and consent needs month, day and an ID.
    page.fill("#pv-name", "Maria Lopez, MD")
    page.fill("#pv-email", "not-an-address")
    page.check("#pv-profession-other")
    assert page.is_visible("#pv-profession-text")
    page.select_option("#pv-credits", "0.5")
    page.check("#pv-attest")
    page.fill("#pv-npi", "1234567890")
    page.click("[data-pv-claim-submit]")
    summary = page.text_content("[data-pv-errors]")
    assert "Enter an e-mail address like name@example.org" in summary
    assert "Say what your profession is" in summary
    assert "not a valid NPI" in summary
    assert "Tick the box to agree to reporting, or clear the reporting identifiers" in summary
    page.fill("#pv-email", "maria.lopez@example.org")
    page.fill("#pv-profession-text", "Clinical nurse specialist")
    page.fill("#pv-npi", "1234567893")  # the CMS example NPI: its check digit is right
    page.check("#pv-consent")
    page.click("[data-pv-claim-submit]")
    summary = page.text_content("[data-pv-errors]")
    assert "Choose your birth month" in summary and "Choose your birth day" in summary
    page.select_option("#pv-birth-month", "2")
    page.select_option("#pv-birth-day", "30")
    page.click("[data-pv-claim-submit]")
    assert "Choose a day that exists in that month" in page.text_content("[data-pv-errors]")
    page.select_option("#pv-birth-day", "29")
    page.click("[data-pv-claim-submit]")

    # No collector: the claim, written out, to e-mail to the provider.
    mail = page.wait_for_selector("[data-pv-claim-mail]:not([hidden])")
    assert page.is_hidden(".pv-q__errors--shown")
    assert page.evaluate("document.activeElement.matches('[data-pv-claim-mail]')")
    href = page.get_attribute("[data-pv-claim-mail] a", "href")
    target = urlsplit(href)
    assert target.scheme == "mailto" and unquote(target.path) == "cme@example.org"
    query = parse_qs(target.query)
    assert query["subject"] == [f"Credit claim: {ACTIVITY}, learner {code}"]
    body = query["body"][0]
    for line in ("Name on certificate: Maria Lopez, MD", "E-mail: maria.lopez@example.org",
                 "Profession: Clinical nurse specialist", "Credit: 0.5 AMA PRA Category 1 Credit™",
                 f"Learner code: {code}", "NPI: 1234567893", "Birth month and day: 2/29",
                 "Report to ACCME PARS and my board: yes"):
        assert line in body, line
    assert "Maria Lopez, MD" in mail.text_content()
    assert run_axe(page) == [], "claim ready to e-mail"
    assert no_overflow(page)


def test_only_the_first_attempt_counts_by_default(page, offline_site):
    result = post_test(page, offline_site, WRONG)
    text = result.text_content()
    assert "you have not passed yet" in text
    assert "Only your first attempt at the post-test counts for credit" in text
    assert "can no longer be claimed" in text
    result = post_test(page, offline_site, KEY)
    assert "you passed" in result.text_content()
    assert "so this attempt cannot earn credit" in result.text_content()
    assert page.locator("[data-pv-result] >> text=Claim your credit").count() == 0
    open_claim(page, offline_site)
    assert "To do: Post-test not passed: only your first attempt counts for credit" in steps(page)
    assert page.is_hidden("[data-pv-claim-form]")


def test_with_two_attempts_a_second_pass_counts_and_a_third_does_not(page, two_attempts_site):
    site = two_attempts_site
    result = post_test(page, site, WRONG)
    assert "you have not passed yet" in result.text_content() and "can no longer" not in result.text_content()
    open_claim(page, site)
    assert "To do: Post-test not passed yet (1 of 2 counted attempts used). Take the post-test again" in steps(page)
    result = post_test(page, site, KEY)
    assert "you passed" in result.text_content()
    assert page.get_attribute("[data-pv-result] a", "href") == "../claim/"
    open_claim(page, site)
    assert "Done: Post-test passed on" in steps(page) and page.is_visible("[data-pv-claim-form]")


def test_with_two_attempts_both_failed_no_credit(page, two_attempts_site):
    site = two_attempts_site
    post_test(page, site, WRONG)
    result = post_test(page, site, WRONG)
    assert "Only your first 2 attempts at the post-test count for credit" in result.text_content()
    result = post_test(page, site, KEY)
    assert "so this attempt cannot earn credit" in result.text_content()
    open_claim(page, site)
    assert "only your first 2 attempts count for credit, so credit for this module can no longer be claimed" \
        in steps(page)
    assert page.get_attribute("[data-pv-claim-steps] li:nth-child(2) a", "href") == "mailto:cme@example.org"
    assert page.is_hidden("[data-pv-claim-form]")


def test_certificates_are_listed_on_the_module_page_and_the_claim_page(page, offline_site):
    page.goto(f"{offline_site}/{MODULE}/")
    assert page.is_hidden("[data-pv-certificates]")  # nothing when there is none
    page.evaluate("c => localStorage.setItem('patientvoice:certificates', JSON.stringify([c]))", CERTIFICATE)
    page.reload()
    box = page.wait_for_selector("[data-pv-certificates]:not([hidden])")
    assert "Your certificates" in box.text_content() and "0.5 credits, claimed 2 November 2026" in box.text_content()
    assert "certificate Zq3kT0" in box.text_content()
    hrefs = page.eval_on_selector_all("[data-pv-certificates] a", "as => as.map(a => a.href)")
    assert hrefs == [CERTIFICATE["pdf"], CERTIFICATE["verify"]]
    assert run_axe(page) == [], "module page with a certificate"
    page.goto(f"{offline_site}/believed-in-pain/")
    assert page.is_hidden("[data-pv-certificates]")  # another module's certificate is not listed there
    open_claim(page, offline_site)
    assert page.is_visible("[data-pv-claim-done]") and page.is_hidden("[data-pv-claim-form]")
    assert page.get_attribute("[data-pv-claim-done] a", "href") == CERTIFICATE["pdf"]
    assert page.text_content("[data-pv-claim-summary]") == "You have claimed credit for this module from this browser."
    assert run_axe(page) == [], "claim page with a certificate"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_claim_page_axe_and_390px(page, offline_site, scheme):
    page.set_viewport_size({"width": 390, "height": 844})
    page.emulate_media(color_scheme=scheme)
    open_claim(page, offline_site)
    assert page.get_attribute("body", "data-md-color-scheme") == ("slate" if scheme == "dark" else "default")
    assert run_axe(page) == [], f"claim page before passing ({scheme})"
    assert no_overflow(page)
