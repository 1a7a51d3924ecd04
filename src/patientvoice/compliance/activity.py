"""Activity rules: dates, credits and pass mark that accredited enduring material must state correctly."""

from __future__ import annotations

import datetime as dt

from patientvoice.rules import E, Rule, register

register(
    Rule("activity.release-after-expiry", E, "Release is after expiry",
         "An enduring material is available from its release date to its expiry (termination) date.",
         "Correct 'activity.release' or 'activity.expires'."),
    Rule("activity.too-long", E, "Expiry is more than 3 years after release",
         "ACCME enduring materials may run at most three years without review.",
         "Set 'activity.expires' within three years of release, and re-review to extend."),
    Rule("activity.expired", E, "The activity has expired",
         "Learners must not earn credit from an activity past its termination date.",
         "Review the module, then set new release and expiry dates (and re-approve), or remove the module."),
    Rule("activity.credits", E, "Credits are not a positive multiple of 0.25",
         "AMA PRA Category 1 Credit™ is designated in quarter-credit increments.",
         "Set 'activity.credits' to 0.25, 0.5, 0.75, 1.0, ... matching the estimated time."),
    Rule("activity.pass-mark", E, "Pass mark outside (0, 1]",
         "AMA requires a minimum performance level on the post-test; it is the share of knowledge items to answer correctly.",
         "Set 'activity.pass_mark' to a share such as 0.7 (70 %)."),
)


def _years_later(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def check(course, problems, today) -> None:
    """Record activity problems for every module."""
    for m in course.modules.values():
        a = m.activity
        release, expires = a.get("release"), a.get("expires")
        if isinstance(release, dt.date) and isinstance(expires, dt.date):
            if release > expires:
                problems.add(m.path, m.line("activity", "release"), "activity.release-after-expiry",
                             f"activity.release {release} is after activity.expires {expires}")
            elif expires > _years_later(release, 3):
                problems.add(m.path, m.line("activity", "expires"), "activity.too-long",
                             f"activity.expires {expires} is more than 3 years after release {release} "
                             f"(latest: {_years_later(release, 3)})")
        if isinstance(expires, dt.date) and expires < today:
            problems.add(m.path, m.line("activity", "expires"), "activity.expired",
                         f"activity expired on {expires} (build date {today}); review and re-release it, or retire it")
        credits = a.get("credits")
        if isinstance(credits, (int, float)) and not isinstance(credits, bool):
            if credits <= 0 or abs(credits * 4 - round(credits * 4)) > 1e-9:
                problems.add(m.path, m.line("activity", "credits"), "activity.credits",
                             f"activity.credits {credits} is not a positive multiple of 0.25")
        pm = a.get("pass_mark")
        if isinstance(pm, (int, float)) and not isinstance(pm, bool) and not 0 < pm <= 1:
            problems.add(m.path, m.line("activity", "pass_mark"), "activity.pass-mark",
                         f"activity.pass_mark {pm} must be a share above 0 and at most 1 (e.g. 0.7 for 70 %)")
