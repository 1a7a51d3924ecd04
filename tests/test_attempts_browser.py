"""The attempt policy in real headless Chromium: stated before the learner starts, and the key shown only when
the policy allows (after a pass or the last counted attempt by default; ``show_key: always`` after each one).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from claimkit import claim_browser, cpage  # noqa: E402,F401  (fixtures)
from sitekit import copy_course  # noqa: E402
from test_claim_browser import KEY, MODULE, WRONG, build_and_serve, post_test  # noqa: E402
from test_questionnaire_browser import items  # noqa: E402

RATIONALES = [i["rationale"].split(".")[0] for i in items("post") if i.get("rationale")]


@pytest.fixture
def page(cpage):
    return cpage


def _site(tmp_path_factory, name: str, options: str):
    root = copy_course(tmp_path_factory.mktemp(name))
    config = (root / "mkdocs.yml").read_text()
    (root / "mkdocs.yml").write_text(config.replace("      paper: A4\n", "      paper: A4\n" + options, 1))
    assert options in (root / "mkdocs.yml").read_text()
    return build_and_serve(root)


@pytest.fixture(scope="module")
def default_site(tmp_path_factory):
    server, base = _site(tmp_path_factory, "attempts-default", "")
    yield base
    server.shutdown()


@pytest.fixture(scope="module")
def two_site(tmp_path_factory):
    server, base = _site(tmp_path_factory, "attempts-two", "      attempts: 2\n")
    yield base
    server.shutdown()


@pytest.fixture(scope="module")
def always_site(tmp_path_factory):
    server, base = _site(tmp_path_factory, "attempts-always", "      attempts: 2\n      show_key: always\n")
    yield base
    server.shutdown()


def key_shown(page) -> bool:
    """Whether the page shows the key: options marked correct, rationales, and the script's own flag agree."""
    marks = page.locator(".pv-option__key").count()
    form = page.text_content("form.pv-questionnaire")
    said = sum(r in form for r in RATIONALES)
    flag = page.get_attribute("[data-pv-questionnaire]", "data-key-shown")
    assert (marks > 0) == (said > 0) == (flag == "true"), (marks, said, flag)
    return flag == "true"


def attempts_stored(page) -> list:
    return page.evaluate("JSON.parse(localStorage.getItem('patientvoice:responses')).filter(r => "
                         "r.response.phase === 'post').map(r => [r.attempt, r.response.attempt])")


def test_policy_is_stated_before_the_learner_starts(page, default_site, two_site):
    first = ("Your first post-test attempt is the one that counts, for credit and for the outcomes study. You may "
             "take it again to learn, but later attempts do not count. The correct answers and their explanations "
             "are shown when you submit your first attempt.")
    for where in ("pre/", "post/", ""):
        page.goto(f"{default_site}/{MODULE}/{where}")
        assert page.text_content("[data-pv-policy]").strip().removeprefix("Attempts: ") == first, where
    two = ("For credit, your first 2 post-test attempts can count: the first of them that you pass is the one that "
           "counts, and attempts after a pass do not. The outcomes study uses your first attempt only. The correct "
           "answers and their explanations are shown once you pass, or after your second attempt; until then you "
           "see your score and which questions you got wrong.")
    for where in ("pre/", "post/", ""):
        page.goto(f"{two_site}/{MODULE}/{where}")
        assert page.is_visible("[data-pv-policy]")
        assert page.text_content("[data-pv-policy]").strip().removeprefix("Attempts: ") == two, where
    page.goto(f"{two_site}/{MODULE}/follow-up/")
    assert page.locator("[data-pv-policy]").count() == 0


def test_a_failed_attempt_before_the_last_keeps_the_key(page, two_site):
    result = post_test(page, two_site, WRONG)
    assert not key_shown(page)
    text = result.text_content()
    assert "you have not passed yet" in text and "after attempt 2 (this was attempt 1)" in text
    wrong = page.locator(".pv-feedback--wrong .pv-feedback__verdict")
    assert wrong.count() == len(KEY) and wrong.first.text_content() == "Not right: look at this question again."
    # The last counted attempt, failed too: now the key and the reasoning are shown.
    post_test(page, two_site, WRONG)
    assert key_shown(page)
    assert attempts_stored(page) == [[1, 1], [2, 2]]
    page.reload()  # the page shown again later follows the same policy
    page.wait_for_selector("[data-pv-result]:not([hidden])")
    assert key_shown(page)


def test_a_pass_shows_the_key(page, two_site):
    result = post_test(page, two_site, KEY)
    assert "you passed" in result.text_content() and key_shown(page)
    post_test(page, two_site, WRONG)  # a retake after the pass: the key was seen already
    assert key_shown(page)


def test_default_one_attempt_shows_the_key_after_it(page, default_site):
    post_test(page, default_site, WRONG)
    assert key_shown(page)
    assert attempts_stored(page) == [[1, 1]]


def test_show_key_always(page, always_site):
    page.goto(f"{always_site}/{MODULE}/pre/")
    assert "shown after each attempt" in page.text_content("[data-pv-policy]")
    result = post_test(page, always_site, WRONG)
    assert "Read the reasoning below" in result.text_content() and key_shown(page)
