"""The claim page's HTML and where it is published, without a browser: URLs, options, fields, navigation."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from patientvoice.credit import registry
from patientvoice.credit.claim_page import STATES, claim_page, claim_url, credit_steps
from patientvoice.course.loader import load_course
from patientvoice.course.model import CreditOffer
from patientvoice.site.journey import journey
from patientvoice.site.pages import generated_pages, module_path, navigation

REPO = Path(__file__).resolve().parents[1]
ITCH = "hearing-the-itch"


@pytest.fixture(scope="module")
def course():
    return load_course(REPO)[0]


def attr(html: str, name: str) -> str:
    return unescape(re.search(rf'{name}="([^"]*)"', html).group(1))


@pytest.mark.parametrize("submit, override, expected", [
    ("https://collect.example.org/responses", "", "https://collect.example.org/claims"),
    ("http://127.0.0.1:8123/responses?x=1", "", "http://127.0.0.1:8123/claims"),
    ("https://collect.example.org/responses", "https://credit.example.org/c", "https://credit.example.org/c"),
    ("", "", ""),
    ("/responses", "", ""),  # no origin to take /claims from: no claims online
])
def test_claim_url_defaults_to_the_collectors_origin(submit, override, expected):
    assert claim_url(submit, override) == expected


def test_credit_steps_are_quarters_up_to_the_maximum():
    assert credit_steps(1.0) == ["1", "0.75", "0.5", "0.25"]
    assert credit_steps(0.75) == ["0.75", "0.5", "0.25"]
    assert credit_steps(2.5)[:2] == ["2.5", "2.25"] and len(credit_steps(2.5)) == 10


def test_the_form_offers_what_the_collector_accepts(course):
    html = claim_page(course, course.modules[ITCH], claim_url="https://c.example/claims")
    assert {v for v in re.findall(r'name="profession" id="[^"]+" value="([^"]+)"', html)} == set(registry.PROFESSIONS)
    boards = re.findall(r'<option value="([A-Z]+)">American Board', html)
    assert boards == list(registry.BOARDS)
    assert {code for code, _ in STATES} == registry.STATES
    assert re.findall(r'name="credit_type" id="[^"]+" value="([^"]+)"', html) == ["ama-pra-1"]
    assert attr(html, "data-claim-url") == "https://c.example/claims"
    assert "data-pv-claim-provider" not in html  # a collector: no provider route
    assert ">Claim my credit<" in html
    # Every control has a label, and every id is unique.
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    for control in re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', html):
        assert f'for="{control}"' in html or control == "pv-credit-type-ama-pra-1", control


def test_without_a_collector_the_page_says_how_to_claim_from_the_provider(course):
    html = claim_page(course, course.modules[ITCH])
    assert attr(html, "data-claim-url") == ""
    provider = html.split("data-pv-claim-provider", 1)[1].split("</section>", 1)[0]
    assert "does not send claims online" in provider and "paper claim form" in provider
    assert 'href="mailto:cme@example.org"' in provider and course.provider.name in provider
    assert ">Prepare my claim<" in html


def test_generated_pages_carry_the_claim_page_and_the_attempt_policy(course):
    pages = generated_pages(course, submit_url="https://collect.example.org/responses", attempts=3,
                            claim_url=claim_url("https://collect.example.org/responses"))
    for m in course.modules:
        claim = pages[f"{m}/claim.md"]
        assert claim.startswith('---\n"title": "Claim credit · ')
        assert attr(claim, "data-claim-url") == "https://collect.example.org/claims"
        assert attr(claim, "data-submit-url") == "https://collect.example.org/responses"
        assert attr(claim, "data-attempts") == "3" and attr(pages[f"{m}/post.md"], "data-attempts") == "3"
        assert attr(claim, "data-evaluation") == ('["eval-free-of-bias","eval-patient-voice","eval-relevance"]')
    nav = navigation(course)
    itch = next(e for e in nav if "Hearing the itch" in e)["Hearing the itch"]
    assert {"Claim credit": f"{ITCH}/claim.md"} in itch


def test_the_module_page_links_the_claim_and_holds_the_certificates_box(course):
    html = module_path(course.modules[ITCH])
    assert f'data-pv-certificates data-module="{ITCH}" hidden' in html
    steps = journey(course.modules[ITCH], "module")  # the step indicator above it links every step
    assert '<a href="claim/">' in steps and '<a href="pre/">' in steps and '<a href="follow-up/">' in steps


def test_a_title_with_markup_is_escaped_in_the_page(course):
    module = course.modules[ITCH]
    original = module.title
    module.title = 'Itch "quoted" <b>bold</b>'
    try:
        html = claim_page(course, module)
    finally:
        module.title = original
    assert attr(html, "data-title") == 'Itch "quoted" <b>bold</b>' and "<b>bold</b>" not in html


def test_the_form_offers_up_to_the_largest_amount_any_credit_type_designates():
    """AMA 0.5 and ANCC 0.75 on one module: a nurse may claim 0.75, so the form must offer it (the collector
    caps each claim at the amount of the type the profession receives)."""
    course = load_course(REPO)[0]
    module = course.modules[ITCH]
    module.activity["credits"] = 0.5
    module.credit_types = [CreditOffer("ama-pra-1", 0.5), CreditOffer("ancc", 0.75)]
    html = claim_page(course, module)
    assert attr(html, "data-credit-max") == "0.75"
    assert "up to 0.5 AMA PRA Category 1 Credits™ or 0.75 ANCC contact hours" in unescape(html)
