"""Responses are checked against the example course's questionnaires and scored by the server alone."""

import copy
from pathlib import Path

import pytest

from patientvoice.course.loader import load_course
from patientvoice.outcomes.scoring import is_correct, score
from patientvoice.outcomes.validate import Invalid, index_course, validate

ROOT = Path(__file__).resolve().parents[1]
GOOD = {"activity": "PV-2026-PBC-01", "module": "hearing-the-itch", "phase": "post", "learner": "K7QF-3M9X",
        "submitted": "2026-02-01T09:30:00Z",
        "answers": {"antihistamine-role": 0, "itch-features": [1, 0], "confidence-treating-itch": 3,
                    "commit": "Ask about sleep at every visit"}}


@pytest.fixture(scope="module")
def specs():
    course, _ = load_course(ROOT)
    return index_course(course)


def _with(**changes):
    obj = copy.deepcopy(GOOD)
    for key, value in changes.items():
        if key.startswith("a_"):
            obj["answers"][key[2:].replace("_", "-")] = value
        elif value is None:
            del obj[key]
        else:
            obj[key] = value
    return obj


def test_valid_response_is_normalised(specs):
    resp = validate({**GOOD, "score": 100, "passed": True}, specs)
    assert resp["answers"]["itch-features"] == [0, 1]  # order of a multiple answer does not matter
    assert "score" not in resp and "passed" not in resp  # a client's own score is dropped, never stored
    assert validate({**GOOD, "submitted": None}, specs)["submitted"] is None


@pytest.mark.parametrize("obj,reason", [
    ([GOOD], "one JSON object"),
    (_with(module="no-such-module"), 'unknown module "no-such-module"'),
    (_with(module=["hearing-the-itch"]), "unknown module"),
    (_with(activity="PV-2026-SCD-01"), "is not the activity of module"),
    (_with(phase="during"), "has no phase \"during\""),
    (_with(learner="k7qf-3m9x"), "is not a learner code"),
    (_with(learner="K7QF3M9X"), "is not a learner code"),
    (_with(learner="K7QF-3M9X\n"), "is not a learner code"),  # "$" would let the newline through
    (_with(learner="\nK7QF-3M9X"), "is not a learner code"),
    (_with(learner="K7QF-3M9X-AAAA"), "is not a learner code"),
    (_with(learner=None), "'learner' is missing"),
    (_with(answers={}), "at least one answer"),
    (_with(answers=[0, 1]), "must be an object"),
    (_with(a_implemented="x"), "asks no item \"implemented\" in phase 'post'"),
    (_with(a_no_such_item=1), "asks no item"),
    (_with(a_antihistamine_role=4), "is 4; option indexes run from 0 to 3"),
    (_with(a_antihistamine_role=-1), "is -1"),
    (_with(a_antihistamine_role="0"), "must be an option index"),
    (_with(a_antihistamine_role=True), "must be an option index"),
    (_with(a_antihistamine_role=0.0), "must be an option index"),
    (_with(a_confidence_treating_itch=5), "scale point indexes run from 0 to 4"),
    (_with(a_itch_features=1), "must be a list of option indexes"),
    (_with(a_itch_features=[0, 9]), "includes 9"),
    (_with(a_itch_features=[0, 0]), "lists an option twice"),
    (_with(a_commit=7), "must be a string"),
    (_with(a_commit="x" * 4001), "the limit is 4000"),
    (_with(a_commit="nul\x00byte"), "control characters"),
    (_with(a_commit="\ud800"), "not valid Unicode"),
    (_with(submitted="yesterday"), "is not an ISO 8601"),
    (_with(submitted="2026-02-01T09:30:00"), "has no time zone"),
    (_with(submitted="0001-01-01T00:00:00+01:00"), "outside the years"),
])
def test_invalid_responses_say_why(specs, obj, reason):
    with pytest.raises(Invalid, match=None) as exc:
        validate(obj, specs)
    assert reason in str(exc.value)


@pytest.mark.parametrize("sent,stored", [
    ("2026-02-01T09:30:00Z", "2026-02-01T09:30:00Z"),
    ("2026-02-01T09:30:00+00:00", "2026-02-01T09:30:00Z"),
    ("2026-02-01T09:30:00.000Z", "2026-02-01T09:30:00Z"),
    ("2026-02-01T09:30:00.000000-00:00", "2026-02-01T09:30:00Z"),
    ("2026-02-01T10:30:00+01:00", "2026-02-01T09:30:00Z"),
    ("2026-02-01T09:30:00.250+00:00", "2026-02-01T09:30:00.25Z"),
])
def test_submission_times_have_one_spelling(specs, sent, stored):
    # the digest that finds a resubmitted response is computed over this, so one moment is one response
    assert validate(_with(submitted=sent), specs)["submitted"] == stored


def test_hostile_values_are_not_echoed_whole(specs):
    with pytest.raises(Invalid) as exc:
        validate(_with(module="<script>" + "A" * 10000), specs)
    assert len(str(exc.value)) < 120


def test_scoring_uses_the_key_not_the_client(specs):
    items = specs["hearing-the-itch"].phases["post"]
    result = score(items, {"antihistamine-role": 0, "itch-features": [1, 0], "cholestyramine-timing": 0}, 0.7)
    assert result["items"]["antihistamine-role"] and result["items"]["itch-features"]
    assert not result["items"]["cholestyramine-timing"]
    assert not result["items"]["rifampicin-monitoring"]  # unanswered counts as wrong
    assert (result["correct"], result["total"], result["passed"]) == (2, 5, False)
    multiple = items["itch-features"]
    assert is_correct(multiple, [0, 1]) and not is_correct(multiple, [0]) and not is_correct(multiple, [0, 1, 2])
    assert is_correct(items["confidence-treating-itch"], 3) is None  # likert items are not scored
