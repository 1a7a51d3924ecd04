"""The questionnaire pages in real headless Chromium: pre → post → follow-up, storage, downloads, delivery, a11y."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import time
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).parent))  # `browser` is a helper module beside this file

from browser import AXE, REPO, axe_serious, collector, page, site  # noqa: E402,F401  (fixtures)

MODULE = "hearing-the-itch"
ACTIVITY = "PV-2026-PBC-01"
CODE_RE = re.compile(r"^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$")
TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
QUESTIONNAIRE = yaml.safe_load((REPO / "modules" / MODULE / "questionnaire.yml").read_text())


def items(phase: str) -> list[dict]:
    """The module's items asked in ``phase``, from questionnaire.yml."""
    return [i for i in QUESTIONNAIRE["items"] if phase in i["phases"]]


def open_phase(page, site, phase: str, module: str = MODULE):
    """Go to a phase page and wait until the script has set it up."""
    page.goto(f"{site[0]}/{module}/{phase}/")
    page.wait_for_selector("[data-pv-learner]:not([hidden])")


def answer(page, key: dict | None = None, text: str = "Ask about sleep at every review") -> dict:
    """Answer every item on the page: the key's answer where given, else the first option; return the answers."""
    fields = page.eval_on_selector_all("[data-item]", "els => els.map(e => [e.dataset.item, e.dataset.kind])")
    expected = {}
    for ident, kind in fields:
        if kind in ("text", "commitment"):
            page.fill(f"#q-{ident}", text)
            expected[ident] = text
            continue
        chosen = (key or {}).get(ident, [0] if kind == "multiple" else 0)
        for n in chosen if isinstance(chosen, list) else [chosen]:
            page.check(f"#q-{ident}-{n}")
        expected[ident] = chosen
    return expected


def wait_for(condition, timeout=10.0):
    """Poll ``condition`` until it is truthy (the test collector runs in another thread)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    raise AssertionError("timed out waiting for the condition")


def test_pre_post_follow_up_run(page, site, collector):
    open_phase(page, site, "pre")
    code = page.text_content("[data-pv-code]")
    assert CODE_RE.match(code)
    pre = answer(page)
    page.click("[data-pv-submit]")
    page.wait_for_selector("[data-pv-status] >> text=You submitted this")
    assert page.is_hidden("[data-pv-result]") and page.locator(".pv-feedback").count() == 0  # no feedback
    wait_for(lambda: len(collector.received) == 1)
    assert collector.received[0]["answers"] == pre

    open_phase(page, site, "post")
    assert page.text_content("[data-pv-code]") == code  # the same learner on every page
    key = {i["id"]: i["answer"] for i in items("post") if i["kind"] in ("single", "multiple")}
    post = answer(page, key)
    assert {k for k in post if k.startswith("eval-")} == {
        "eval-free-of-bias", "eval-bias-details", "eval-patient-voice", "eval-relevance"}
    page.click("[data-pv-submit]")
    result = page.wait_for_selector("[data-pv-result]:not([hidden])")
    assert f"{len(key)} of {len(key)} knowledge questions" in result.text_content()
    assert "you passed" in result.text_content()
    assert page.evaluate("document.activeElement.matches('[data-pv-result]')")
    rationale = next(i["rationale"] for i in items("post") if i["id"] == "cholestyramine-timing").split()[:6]
    assert " ".join(rationale) in page.text_content("#item-cholestyramine-timing .pv-feedback")
    assert page.locator(".pv-feedback--right").count() == len(key)
    wait_for(lambda: len(collector.received) == 2)
    submitted = dt.datetime.fromisoformat(collector.received[1]["submitted"].replace("Z", "+00:00"))

    open_phase(page, site, "follow-up")
    gate = page.text_content("[data-pv-gate]")
    opens = submitted + dt.timedelta(days=QUESTIONNAIRE["follow_up_after_days"])
    assert f"opens on {opens.day} {opens:%B %Y}" in gate
    assert page.is_disabled("[data-pv-submit]") and page.is_disabled(f"#q-{items('follow-up')[0]['id']}-0")

    page.clock.set_system_time(opens + dt.timedelta(minutes=1))  # the learner comes back 60 days later
    open_phase(page, site, "follow-up")
    assert page.is_hidden("[data-pv-gate]") and page.is_enabled("[data-pv-submit]")
    follow = answer(page)
    page.click("[data-pv-submit]")
    page.wait_for_selector("[data-pv-status] >> text=received")
    wait_for(lambda: len(collector.received) == 3)
    assert [r["phase"] for r in collector.received] == ["pre", "post", "follow-up"]
    assert {r["learner"] for r in collector.received} == {code}
    assert collector.received[2]["answers"] == follow
    assert collector.received[2]["submitted"] >= opens.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_answers_survive_reload_and_reset_clears_them(page, site):
    open_phase(page, site, "pre")
    page.check("#q-antihistamine-role-2")
    page.check("#q-itch-features-0")
    page.check("#q-itch-features-3")
    page.reload()
    page.wait_for_selector("[data-pv-learner]:not([hidden])")
    assert page.is_checked("#q-antihistamine-role-2")
    assert page.is_checked("#q-itch-features-0") and page.is_checked("#q-itch-features-3")
    assert not page.is_checked("#q-itch-features-1")
    stored = page.evaluate(f"JSON.parse(localStorage.getItem('patientvoice:draft:{MODULE}:pre'))")
    assert stored == {"antihistamine-role": 2, "itch-features": [0, 3]}
    page.click("[data-pv-reset]")
    assert not page.is_checked("#q-antihistamine-role-2") and not page.is_checked("#q-itch-features-0")
    assert "cleared" in page.text_content("[data-pv-status]")
    page.reload()
    page.wait_for_selector("[data-pv-learner]:not([hidden])")
    assert page.eval_on_selector_all("form.pv-questionnaire input:checked", "els => els.length") == 0


def test_download_and_collector_get_exactly_the_response_object(page, site, collector):
    events = []
    open_phase(page, site, "post")
    page.evaluate("document.addEventListener('patientvoice:submit', e => window.__pv = e.detail)")
    expected = answer(page)
    page.click("[data-pv-submit]")
    page.wait_for_selector("[data-pv-status] >> text=received")
    events.append(page.evaluate("window.__pv"))
    with page.expect_download() as info:
        page.click("[data-pv-download='json']")
    downloaded = json.loads(Path(info.value.path()).read_text())
    assert isinstance(downloaded, list) and len(downloaded) == 1
    response = downloaded[0]
    # The post-test's attempt number is the format's one extension field besides eval- answers (questionnaires.md).
    assert list(response) == ["activity", "module", "phase", "learner", "submitted", "answers", "attempt"]
    assert response["attempt"] == 1
    assert response["activity"] == ACTIVITY and response["module"] == MODULE and response["phase"] == "post"
    assert CODE_RE.match(response["learner"]) and TIME_RE.match(response["submitted"])
    kinds = {i["id"]: i["kind"] for i in items("post")}
    for ident, value in response["answers"].items():
        kind = kinds.get(ident, "eval")
        if kind in ("single", "likert"):
            assert type(value) is int
        elif kind == "multiple":
            assert isinstance(value, list) and all(type(v) is int for v in value)
        elif kind in ("text", "commitment"):
            assert isinstance(value, str)
    assert response["answers"] == expected
    assert collector.received == [response] and collector.content_types == ["application/json"]
    assert events == [response]
    with page.expect_download() as info:
        page.click("[data-pv-download='csv']")
    rows = Path(info.value.path()).read_text().splitlines()
    assert rows[0] == "activity,module,phase,learner,submitted,item,answer"
    assert len(rows) == 1 + len(expected)


def test_failed_and_offline_posts_are_queued_then_delivered(page, site, collector):
    open_phase(page, site, "pre")
    collector.fail = 1  # the collector answers 503 once; the page retries after a short backoff
    answer(page)
    page.click("[data-pv-submit]")
    page.wait_for_selector("[data-pv-status] >> text=have not reached the provider")
    wait_for(lambda: len(collector.received) == 1)
    page.wait_for_selector("[data-pv-status] >> text=received")

    open_phase(page, site, "post")
    answer(page)
    page.context.set_offline(True)  # the learner's train goes into a tunnel
    page.click("[data-pv-submit]")
    page.wait_for_selector("[data-pv-status] >> text=have not reached the provider")
    records = page.evaluate("JSON.parse(localStorage.getItem('patientvoice:responses'))")
    assert [r["status"] for r in records] == ["received", "queued"]
    assert len(collector.received) == 1
    page.context.set_offline(False)  # the browser fires `online`; the queue is sent at once
    wait_for(lambda: len(collector.received) == 2)
    page.wait_for_selector("[data-pv-status] >> text=received")
    assert collector.received[1] == records[1]["response"]


def test_keyboard_only_pre_test(page, site, collector):
    open_phase(page, site, "pre")
    focused = "() => { const e = document.activeElement; return [e.type || e.tagName, e.name || '', e.id]; }"
    for _ in range(200):  # Tab past the header, navigation and learner code to the first question
        page.keyboard.press("Tab")
        if page.evaluate(focused)[2].startswith("q-"):
            break
    chosen = {}
    for _ in range(60):
        kind, name, ident = page.evaluate(focused)
        if ident == "" and kind == "submit":
            break
        if kind == "radio":
            page.keyboard.press("ArrowDown")  # moves to the second option and selects it
            chosen[name] = 1
        elif kind == "checkbox" and name not in chosen:
            page.keyboard.press("Space")
            chosen[name] = [int(ident.rsplit("-", 1)[1])]
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('[data-pv-submit]')")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-pv-status] >> text=You submitted this")
    wait_for(lambda: len(collector.received) == 1)
    assert collector.received[0]["answers"] == chosen
    assert set(chosen) == {i["id"] for i in items("pre")}


def test_unanswered_required_item_is_announced(page, site):
    open_phase(page, site, "pre")
    page.check("#q-antihistamine-role-0")
    page.click("[data-pv-submit]")
    alert = page.locator("[role=alert]")
    assert "Question 2 has no answer" in alert.text_content()
    assert page.evaluate("document.activeElement.matches('[role=alert]')")
    assert page.get_attribute("#item-itch-features", "aria-describedby") == "item-itch-features-error"
    assert "Choose at least one answer to question 2" in page.text_content("#item-itch-features-error")
    assert page.get_attribute("#q-itch-features-0", "aria-invalid") == "true"
    page.keyboard.press("Tab")  # the first link in the summary
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "q-itch-features-0"
    page.keyboard.press("Space")
    assert page.get_attribute("#q-itch-features-0", "aria-invalid") is None  # answered: error cleared
    # A learner code from another device is checked before it is used.
    page.click("[data-pv-code-entry] summary")
    page.fill("#pv-code-input", "K7QF-3M91")
    page.click("[data-pv-code-form] button")
    assert page.is_visible("#pv-code-error") and page.get_attribute("#pv-code-input", "aria-invalid") == "true"
    page.fill("#pv-code-input", "k7qf 3m9x")
    page.click("[data-pv-code-form] button")
    assert page.text_content("[data-pv-code]") == "K7QF-3M9X"


# Light: every phase before and after submitting, and the error summary. Dark: the states with their own colours.
AXE_STATES = {"light": {"follow-up": ("before", "after"), "pre": ("before", "errors", "after"), "post": ("before", "after")},
              "dark": {"follow-up": ("before",), "pre": ("errors",), "post": ("after",)}}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violations(page, site, scheme):
    page.context.add_init_script(path=str(AXE))
    # A fresh context per scheme: Material remembers the first palette it showed in localStorage.
    page.emulate_media(color_scheme=scheme)
    # Follow-up first, while this browser has no post-test: the "took it on another device" path.
    for phase, states in AXE_STATES[scheme].items():
        open_phase(page, site, phase)
        assert page.get_attribute("body", "data-md-color-scheme") == ("slate" if scheme == "dark" else "default")
        if "before" in states:
            assert axe_serious(page) == [], f"{phase} ({scheme}), before submitting"
        if page.is_visible("[data-pv-gate] button"):
            page.click("[data-pv-gate] button")  # enter the code "from the other device"
            page.fill("#pv-code-input", page.text_content("[data-pv-code]"))
            page.click("[data-pv-code-form] button")
        if "errors" in states:
            page.click("[data-pv-submit]")
            assert axe_serious(page) == [], f"{phase} ({scheme}), error summary"
        if "after" in states:
            answer(page)
            page.click("[data-pv-submit]")
            page.wait_for_selector("[data-pv-status] >> text=You submitted this")
            assert axe_serious(page) == [], f"{phase} ({scheme}), after submitting"


def test_answer_key_only_on_the_post_page(site):
    site_dir = site[1] / MODULE
    keyed = [i for i in QUESTIONNAIRE["items"] if i["kind"] in ("single", "multiple")]
    for phase in ("pre", "follow-up"):
        html = (site_dir / phase / "index.html").read_text()
        assert 'id="pv-key"' not in html and '"answer"' not in html
        for item in keyed:
            assert item["rationale"].split(".")[0] not in html, (phase, item["id"])
    post = (site_dir / "post" / "index.html").read_text()
    assert 'id="pv-key"' in post
    assert not (site_dir / "questionnaire.yml").exists()  # mkdocs would otherwise publish every key
    index = (site[1] / "search" / "search_index.json").read_text()
    assert not any(i["rationale"].split(".")[0] in index for i in keyed)  # nor is it in the search index


def test_without_javascript_the_form_is_readable_and_says_why_it_cannot_submit(browser, site):
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(f"{site[0]}/{MODULE}/post/")
    assert pg.is_visible(".pv-q__note") and "needs JavaScript to save and submit" in pg.text_content(".pv-q__note")
    assert pg.is_visible("#item-antihistamine-role legend") and pg.is_visible("label[for=q-commit]")
    assert pg.is_disabled("[data-pv-submit]") and pg.is_hidden("[data-pv-learner]")
    context.close()
