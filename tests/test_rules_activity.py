"""Activity rules: dates, credits and pass mark of accredited enduring material."""

from __future__ import annotations

import datetime as dt

import pytest

from coursekit import BASE, MODULE_MD, assert_clean, expect, refute


def _activity(old: str, new: str) -> dict:
    assert old in BASE[MODULE_MD]
    return {MODULE_MD: BASE[MODULE_MD].replace(old, new)}


def test_release_after_expiry(course):
    kit = course(_activity("release: 2026-01-15", "release: 2028-02-01"))
    problems = kit.check()
    problem = expect(problems, "activity.release-after-expiry", MODULE_MD, kit.line(MODULE_MD, "release:"))
    assert problem.message == "activity.release 2028-02-01 is after activity.expires 2028-01-14"


def test_release_on_expiry_day_passes(course):
    kit = course(_activity("release: 2026-01-15", "release: 2028-01-14"))
    problems = kit.check()
    refute(problems, "activity.release-after-expiry")
    refute(problems, "activity.too-long")


@pytest.mark.parametrize("release, expires, too_long", [
    ("2026-01-15", "2029-01-15", False),   # exactly three years
    ("2026-01-15", "2029-01-16", True),
    ("2024-02-29", "2027-02-28", False),   # from a leap day, three years ends on 28 February
    ("2024-02-29", "2027-03-01", True),
])
def test_expiry_at_most_three_years_after_release(course, release, expires, too_long):
    kit = course(_activity("release: 2026-01-15", f"release: {release}"))
    kit.edit(MODULE_MD, "expires: 2028-01-14", f"expires: {expires}")
    problems = kit.check(dt.date(2026, 6, 1))
    if too_long:
        problem = expect(problems, "activity.too-long", MODULE_MD, kit.line(MODULE_MD, "expires:"))
        assert "more than 3 years after release" in problem.message
    else:
        refute(problems, "activity.too-long")


def test_expired_activity(course):
    kit = course()
    day_after = dt.date(2028, 1, 15)
    problems = kit.check(day_after)
    problem = expect(problems, "activity.expired", MODULE_MD, kit.line(MODULE_MD, "expires:"))
    assert problem.message.startswith("activity expired on 2028-01-14 (build date 2028-01-15)")


def test_activity_on_its_last_day_passes(course):
    problems = course().check(dt.date(2028, 1, 14))
    refute(problems, "activity.expired")
    assert_clean(problems)


@pytest.mark.parametrize("credits", ["0.3", "0", "-0.25", "1.1"])
def test_credits_not_a_positive_quarter(course, credits):
    kit = course(_activity("credits: 0.75", f"credits: {credits}"))
    problems = kit.check()
    problem = expect(problems, "activity.credits", MODULE_MD, kit.line(MODULE_MD, "credits:"))
    assert "not a positive multiple of 0.25" in problem.message


@pytest.mark.parametrize("credits", ["0.25", "0.5", "1", "1.75", "12.0"])
def test_quarter_credits_pass(course, credits):
    md = _activity("credits: 0.75", f"credits: {credits}")[MODULE_MD]
    # 720 minutes: enough time for 12 credits (activity.credits-exceed-time)
    problems = course({MODULE_MD: md.replace("minutes: 45", "minutes: 720")}).check()
    refute(problems, "activity.credits")
    assert_clean(problems)


@pytest.mark.parametrize("pass_mark", ["0", "1.5", "70", "-0.1"])
def test_pass_mark_outside_zero_to_one(course, pass_mark):
    kit = course(_activity("pass_mark: 0.7", f"pass_mark: {pass_mark}"))
    problems = kit.check()
    problem = expect(problems, "activity.pass-mark", MODULE_MD, kit.line(MODULE_MD, "pass_mark:"))
    assert "at most 1" in problem.message


@pytest.mark.parametrize("pass_mark", ["1", "0.8", "0.01"])
def test_pass_mark_as_share_passes(course, pass_mark):
    problems = course(_activity("pass_mark: 0.7", f"pass_mark: {pass_mark}")).check()
    refute(problems, "activity.pass-mark")
    assert_clean(problems)
