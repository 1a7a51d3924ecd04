"""Consent rules: a story appears only where, and while, its storyteller agreed."""

from __future__ import annotations

import datetime as dt

from coursekit import BASE, MODULE_MD, STORY, TODAY, assert_clean, expect, refute

WHOLE = "/// story | maria-itch\n"
SECTION = "/// story | maria-itch#sleep\n"


def _story(old: str, new: str) -> dict:
    assert old in BASE[STORY]
    return {STORY: BASE[STORY].replace(old, new)}


def test_withdrawn_consent_on_a_used_story(course):
    kit = course(_story("status: granted", "status: withdrawn"))
    problems = kit.check()
    problem = expect(problems, "consent.withdrawn", STORY, kit.line(STORY, "status: withdrawn"))
    assert problem.message == "consent withdrawn, but the story is used by: hearing-the-itch"


def test_withdrawn_story_that_no_module_uses_passes(course):
    kit = course({"content/stories/old-story.md": BASE[STORY].replace("status: granted", "status: withdrawn")})
    problems = kit.check()
    refute(problems, "consent.withdrawn")
    refute(problems, "consent.final-text")  # withdrawn: there is no text left to approve
    assert_clean(problems)


def test_expired_consent_on_a_used_story(course):
    kit = course(_story("expires: 2030-03-12", "expires: 2026-05-31"))
    problems = kit.check()
    problem = expect(problems, "consent.expired", STORY, kit.line(STORY, "expires:"))
    assert problem.message == "consent expired 2026-05-31, but the story is used by: hearing-the-itch"


def test_consent_expiring_today_is_still_valid(course):
    kit = course(_story("expires: 2030-03-12", f"expires: {TODAY}"))
    problems = kit.check()
    refute(problems, "consent.expired")
    expect(kit.check(TODAY + dt.timedelta(days=1)), "consent.expired", STORY, kit.line(STORY, "expires:"))


def test_consent_that_ends_before_the_module(course):
    kit = course(_story("expires: 2030-03-12", "expires: 2027-12-31"))
    problems = kit.check()
    for block in (WHOLE, SECTION):
        problem = expect(problems, "consent.expires-before-module", MODULE_MD, kit.line(MODULE_MD, block))
        assert problem.severity == "warning"
        assert "expires 2027-12-31, before the module expires (2028-01-14)" in problem.message
    refute(problems, "consent.expired")


def test_consent_ending_with_the_module_passes(course):
    kit = course(_story("expires: 2030-03-12", "expires: 2028-01-14"))
    problems = kit.check()
    refute(problems, "consent.expires-before-module")
    assert_clean(problems)


def test_story_in_a_channel_without_consent(course):
    kit = course(_story("channels: [web, print]", "channels: [web]"))
    problems = kit.check()
    problem = expect(problems, "consent.channel", MODULE_MD, kit.line(MODULE_MD, WHOLE))
    assert problem.message == ("story 'maria-itch' may appear only on web but this block reaches print; "
                               "wrap it in '/// web-only' or remove it")
    expect(problems, "consent.channel", MODULE_MD, kit.line(MODULE_MD, SECTION))


def test_print_only_story_inside_web_only_block(course):
    files = _story("channels: [web, print]", "channels: [print]")
    files[MODULE_MD] = BASE[MODULE_MD].replace(WHOLE + "///\n", "//// web-only\n" + WHOLE + "///\n////\n").replace(
        SECTION + "///\n", "//// print-only\n" + SECTION + "///\n////\n")
    kit = course(files)
    problems = kit.check()
    problem = expect(problems, "consent.channel", MODULE_MD, kit.line(MODULE_MD, WHOLE))
    assert "reaches web" in problem.message
    refute_at = [p for p in problems if p.rule == "consent.channel" and p.line == kit.line(MODULE_MD, SECTION)]
    assert not refute_at, "a print-only block around a print-consented story is fine"


def test_story_wrapped_in_its_channel_passes(course):
    files = _story("channels: [web, print]", "channels: [web]")
    files[MODULE_MD] = BASE[MODULE_MD].replace(WHOLE + "///\n", "//// web-only\n" + WHOLE + "///\n////\n").replace(
        SECTION + "///\n", "//// web-only\n" + SECTION + "///\n////\n")
    kit = course(files)
    problems = kit.check()
    refute(problems, "consent.channel")
    assert_clean(problems)


def test_final_text_not_approved_by_the_storyteller(course):
    kit = course(_story("final_text_approved: true", "final_text_approved: false"))
    problems = kit.check()
    problem = expect(problems, "consent.final-text", STORY, kit.line(STORY, "final_text_approved:"))
    assert "has not approved this text" in problem.message


def test_final_text_approved_passes(course):
    refute(course().check(), "consent.final-text")
