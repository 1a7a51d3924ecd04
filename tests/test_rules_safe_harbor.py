"""The Safe Harbor rules of issue 13 on realistic text: the example course's stories raise nothing, the
identifiers the issue names are found at their lines, and properties over generated names and places."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitekit import copy_course

from patientvoice.check import check_course
from patientvoice.compliance import safe_harbor
from patientvoice.compliance.deid import scan
from patientvoice.course.loader import load_course

REPO = Path(__file__).resolve().parents[1]
NEW_RULES = {"deid.kin-name", "deid.address", "deid.place", "deid.date", "deid.age", "deid.number"}


def test_the_example_stories_raise_no_identifier():
    course, _ = load_course(REPO)
    for story in course.stories.values():
        for text in (story.title, story.pseudonym, story.condition, story.body):
            assert scan(text, [], {story.pseudonym}) == [], story.id


# What issue 13 says passed `check` untouched: a relative's name, a street address and "March 2019".
PARAGRAPH = """\
My sister Keisha drove down from Leeds when he was admitted in March 2019.
We were still at 14 Alder Road then, and my account no. 4471 9921 was frozen.
His great-grandmother was 93 at the time, and she was 95 when she died.
"""


def test_the_identifiers_the_issue_names_are_found_at_their_lines(tmp_path):
    root = copy_course(tmp_path)
    story = root / "content/stories/gloria-watching-my-son.md"
    text = story.read_text()
    anchor = "He hates going in. He has begged me not to take him.\n"
    assert text.count(anchor) == 1
    story.write_text(text.replace(anchor, anchor + "\n" + PARAGRAPH))
    _, problems = check_course(root)
    first = story.read_text().splitlines().index(PARAGRAPH.splitlines()[0]) + 1
    found = {(p.rule, p.line, p.message.split("'")[1]) for p in problems if p.rule in NEW_RULES}
    assert found == {
        ("deid.kin-name", first, "sister Keisha"), ("deid.place", first, "Leeds"),
        ("deid.date", first, "March 2019"), ("deid.address", first + 1, "14 Alder Road"),
        ("deid.number", first + 1, "account no. 4471 9921"), ("deid.age", first + 2, "grandmother was 93"),
        ("deid.age", first + 2, "she was 95")}


NAMES = st.from_regex(r"\A[A-Z][a-z]{2,9}\Z").filter(lambda n: n not in safe_harbor._NOT_NAMES)


@given(st.sampled_from(sorted(safe_harbor._KIN)), NAMES, st.sampled_from(["", ","]))
def test_a_name_after_any_kinship_word_is_found(kin, name, comma):
    sentence = f"Later my {kin}{comma} {name} stayed with me."
    finds = [(rule, match) for rule, match, _ in scan(sentence, [])]
    assert ("deid.kin-name", f"{kin}{comma} {name}") in finds


@given(st.sampled_from(sorted(safe_harbor._KIN)), NAMES)
def test_the_pseudonym_after_a_kinship_word_is_allowed(kin, name):
    assert not [r for r, _, _ in scan(f"Later my {kin} {name} stayed.", [], {name}) if r == "deid.kin-name"]


PLACES = sorted(name for names in safe_harbor.places().values() for name, _ in names)


@given(st.sampled_from(PLACES))
def test_every_listed_place_is_found_after_in(place):
    finds = [(rule, match) for rule, match, _ in scan(f"We moved to a flat in {place} that winter.", [])]
    assert ("deid.place", place) in finds


@given(st.sampled_from(["New York", "New Jersey", "North Carolina", "West Virginia", "Texas", "Wales",
                        "Scotland", "England", "California", "Nigeria"]))
def test_states_and_countries_are_allowed(region):
    assert scan(f"We moved to {region} that winter, and later back to {region}.", []) == []


# Sentences from the kind of story the course publishes, close to an identifier but not one.
NEAR_MISSES = [
    "The County hospital was full that winter.",
    "She was 95 minutes late, and my sats were 92%.",
    "We waited from March to May for the referral.",
    "My sister, Mum and I took turns at the bedside.",
    "Then I told my consultant. She listened.",
    "I moved to New York for work, then back to Wales.",
    "Reading the letter again, I finally understood.",
    "My son is fifteen and hates going in.",
    "The account of that night is still hard to write.",
    "In spring 2019 the itch came back.",
]


@pytest.mark.parametrize("sentence", NEAR_MISSES)
def test_near_misses_raise_nothing(sentence):
    assert scan(sentence, []) == []


def test_a_name_wrapped_onto_the_next_line_after_a_kinship_word_is_found():
    assert [(r, m) for r, m, _ in scan("I rang my daughter\nKeisha at once.", [])] == [
        ("deid.kin-name", "daughter\nKeisha")]
