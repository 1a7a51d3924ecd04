"""A later follow-up wave in headless Chromium: believed-in-pain's second wave (follow_up_after_days: [60, 180])
stays closed until 180 days after the post-test, then files its response as phase 'follow-up-2'; its survey
item is asked without a key."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))

from browser import REPO, collector, page, site  # noqa: E402,F401  (fixtures)
from test_questionnaire_browser import answer, open_phase, wait_for  # noqa: E402

MODULE = "believed-in-pain"
QUESTIONNAIRE = yaml.safe_load((REPO / "modules" / MODULE / "questionnaire.yml").read_text())


def test_second_wave_opens_on_its_own_date_and_is_filed_as_follow_up_2(page, site, collector):
    assert QUESTIONNAIRE["follow_up_after_days"] == [60, 180], "the example module has two waves"
    open_phase(page, site, "post", MODULE)
    key = {i["id"]: i["answer"] for i in QUESTIONNAIRE["items"] if "post" in i["phases"] and "answer" in i}
    answer(page, key)
    page.click("[data-pv-submit]")
    page.wait_for_selector("[data-pv-result]:not([hidden])")
    wait_for(lambda: len(collector.received) == 1)
    posted = dt.datetime.fromisoformat(collector.received[0]["submitted"].replace("Z", "+00:00"))

    page.clock.set_system_time(posted + dt.timedelta(days=61))  # the first wave is open, the second is not
    open_phase(page, site, "follow-up-2", MODULE)
    opens = posted + dt.timedelta(days=180)
    gate = page.text_content("[data-pv-gate]")
    assert f"opens on {opens.day} {opens:%B %Y}, 180 days after" in gate
    assert page.is_disabled("[data-pv-submit]")
    assert "(survey question: no right answer, not scored)" in page.text_content("#item-barriers")
    assert page.locator("#pv-key").count() == 0

    page.clock.set_system_time(opens + dt.timedelta(minutes=1))
    open_phase(page, site, "follow-up-2", MODULE)
    assert page.is_hidden("[data-pv-gate]") and page.is_enabled("[data-pv-submit]")
    answers = answer(page)
    page.click("[data-pv-submit]")
    page.wait_for_selector("[data-pv-status] >> text=received")
    wait_for(lambda: len(collector.received) == 2)
    assert collector.received[1]["phase"] == "follow-up-2"
    assert collector.received[1]["answers"] == answers and "barriers" in answers
