"""Compliance rules: review gate, disclosure, consent, de-identification, activity, questionnaire, data."""

from __future__ import annotations

import datetime as dt

from patientvoice.compliance import activity, consent, content, data, deid, disclosure, questionnaire, review
from patientvoice.compliance import credit, support  # issue 13a: credit per profession, Standard 4
from patientvoice.compliance import marketing, needs, relationships  # issue 13 [13b]
from patientvoice.compliance import story_consent  # issue 13 [13c]

_CHECKS = (review, disclosure, consent, story_consent, deid, activity, questionnaire, data, content, credit, support,
           relationships, needs, marketing)


BESIDE = (deid,)  # the heaviest family (half the rules' time): run in a child process by check_course


def run_compliance(course, problems, today: dt.date, families=_CHECKS) -> None:
    """Run every compliance rule family (or the given ones) over the loaded course."""
    for family in families:
        family.check(course, problems, today)
