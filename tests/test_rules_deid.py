"""De-identification rules (HIPAA Safe Harbor): what learners see of a story must not identify anyone."""

from __future__ import annotations

import pytest

from coursekit import BASE, STORY, assert_clean, expect, refute

# (rule, a sentence that identifies, what the problem quotes, a near miss that must pass)
CASES = [
    ("deid.email", "Write to me at maria.r@example.com any time.", "maria.r@example.com",
     "Write to me through the patient association."),
    ("deid.url", "I first read about it on www.itchforum.org late at night.", "www.itchforum.org",
     "I first read about it on a forum late at night."),
    ("deid.ip", "The portal logged me in from 192.168.10.4 that night.", "192.168.10.4",
     "The portal logged me in from home that night."),
    ("deid.date", "It started on 14 March, the day after my birthday.", "14 March",
     "It started in spring 2019, around my birthday."),
    ("deid.phone", "The clinic said to call 07700 900123 if it got worse.", "07700 900123",
     "The clinic said to call if it got worse, and I waited 45 minutes on hold."),
    ("deid.postcode", "We live near SW1A 1AA, close to the hospital.", "SW1A 1AA",
     "We live in the south of the city, close to the hospital."),
    ("deid.record-number", "My NHS number 485 777 3456 was on every letter.", "NHS number 485 777 3456",
     "My NHS number was on every letter."),
    ("deid.age", "My grandmother is 93 years old and had the same itch.", "93 years old",
     "My grandmother is 89 years old and had the same itch."),
    ("deid.name", "Dr Lee told me it was nothing to worry about.", "Dr Lee",
     "The doctor told me it was nothing to worry about."),
    # Issue 13: the rest of Safe Harbor's 18 identifiers.
    ("deid.kin-name", "My daughter Keisha drove me to every appointment.", "daughter Keisha",
     "My daughter drove me to every appointment."),
    ("deid.kin-name", "Her husband, Tom, sat with me all night.", "husband, Tom",
     "Her husband sat with me all night, and Tom from the support group rang."),
    ("deid.kin-name", "A nurse called Sharon finally listened.", "called Sharon",
     "A nurse finally listened."),
    ("deid.address", "We lived at 42 Elm Street until the diagnosis.", "42 Elm Street",
     "We lived in a terraced street until the diagnosis."),
    ("deid.address", "The pharmacy on Maple Avenue never had it in stock.", "Maple Avenue",
     "The pharmacy on the corner never had it in stock."),
    ("deid.place", "I grew up in Leeds and moved south for work.", "Leeds",
     "I grew up in the north of England and moved south for work."),
    ("deid.place", "The clinic in Orange County had a waiting list.", "Orange County",
     "The clinic in California had a waiting list."),
    ("deid.place", "Then we moved from Jackson to the coast.", "Jackson",
     "Then Jackson, my consultant's registrar, moved to the coast."),
    ("deid.date", "It started in March 2019, around my birthday.", "March 2019",
     "It started in 2019, around the time of my birthday."),
    ("deid.date", "The letter was dated 12/03/2019 and then lost.", "12/03/2019",
     "The letter was dated that spring and then lost."),
    ("deid.date", "It was the 3rd of May when it began.", "3rd of May",
     "It was early summer when it began."),
    ("deid.age", "I was 92 when the itch finally eased.", "I was 92",
     "I was over 90 when the itch finally eased, after 95 minutes of waiting."),
    ("deid.number", "The licence plate AB12 CDE was on the parking fine.", "licence plate AB12 CDE",
     "The licence plate was on the parking fine."),
    ("deid.number", "My pump's serial number 4X-99812 was on the recall list.", "serial number 4X-99812",
     "My pump's serial number was on the recall list."),
    ("deid.number", "The car's VIN 1HGCM82633A004352 was on the form.", "VIN 1HGCM82633A004352",
     "The car's details were on the form."),
    # Equal-length ties go to the specific rule: a ZIP+4 code is a postcode, not a phone number.
    ("deid.postcode", "Our old address was in 02139-4307 before we moved.", "02139-4307",
     "Our old address was in the city before we moved."),
    # The sentence's comma is not part of the address, so a waiver can quote the address alone.
    ("deid.url", "I posted on https://itchforum.example/forum, then waited.", "https://itchforum.example/forum",
     "I posted on the forum, then waited."),
]

LAST_LINE = "After a bad night I read the same message four times and still cannot take it in.\n"


def _story_saying(sentence: str) -> dict:
    return {STORY: BASE[STORY].replace(LAST_LINE, LAST_LINE + "\n" + sentence + "\n")}


@pytest.mark.parametrize("rule, sentence, quoted, near_miss", CASES, ids=[c[0] for c in CASES])
def test_identifier_in_story_body(course, rule, sentence, quoted, near_miss):
    kit = course(_story_saying(sentence))
    problems = kit.check()
    problem = expect(problems, rule, STORY, kit.line(STORY, sentence))
    assert problem.message.startswith(f"'{quoted}' looks like ")
    assert len(problems) == 1, "one identifier, one problem (no second rule claims the same text)"


@pytest.mark.parametrize("rule, sentence, quoted, near_miss", CASES, ids=[c[0] for c in CASES])
def test_near_miss_passes(course, rule, sentence, quoted, near_miss):
    problems = course(_story_saying(near_miss)).check()
    refute(problems, rule)
    assert_clean(problems)


def test_identifiers_in_title_and_pseudonym(course):
    kit = course({STORY: BASE[STORY].replace("title: Nights awake with the itch", "title: Nights awake since 3 May")
                  .replace("pseudonym: Maria", "pseudonym: Anna Lee")})
    problems = kit.check()
    expect(problems, "deid.date", STORY, kit.line(STORY, "title:"))
    expect(problems, "deid.name", STORY, kit.line(STORY, "pseudonym:"))


def test_full_name_of_a_person_in_the_course(course):
    sentence = "I told Tom Okafor about it at the support group."
    kit = course(_story_saying(sentence))
    problem = expect(kit.check(), "deid.name", STORY, kit.line(STORY, sentence))
    assert "'Tom Okafor'" in problem.message


def test_name_wrapped_onto_the_next_line_is_found_on_its_first_line(course):
    kit = course(_story_saying("At the support group I told Tom\nOkafor about it."))
    problem = expect(kit.check(), "deid.name", STORY, kit.line(STORY, "At the support group I told Tom"))
    assert "'Tom Okafor'" in problem.message


def test_waived_finding_is_a_note_not_an_error(course):
    sentence = "By 25 December the itch had eased a little."
    files = _story_saying(sentence)
    files[STORY] = files[STORY].replace(
        "composite: false\n",
        "composite: false\nwaivers:\n  - rule: deid.date\n    match: 25 December\n"
        "    reason: Christmas Day, a public holiday, not a personal date\n")
    kit = course(files)
    problems = kit.check()
    problem = expect(problems, "deid.waived", STORY, kit.line(STORY, sentence))
    assert problem.severity == "info"
    assert "Christmas Day, a public holiday" in problem.message
    refute(problems, "deid.date")
    assert not problems.errors and not problems.warnings


def test_waiver_must_match_rule_and_text(course):
    sentence = "By 25 December the itch had eased, and again by 26 December."
    files = _story_saying(sentence)
    files[STORY] = files[STORY].replace(
        "composite: false\n", "composite: false\nwaivers: [{rule: deid.date, match: 25 December, reason: holiday}]\n")
    kit = course(files)
    problems = kit.check()
    line = kit.line(STORY, sentence)
    expect(problems, "deid.waived", STORY, line)
    problem = expect(problems, "deid.date", STORY, line)  # 26 December is not waived
    assert "'26 December'" in problem.message


def test_waiver_that_matches_nothing_is_a_warning(course):
    files = _story_saying("By 25 December the itch had eased a little.")
    files[STORY] = files[STORY].replace(
        "composite: false\n", "composite: false\nwaivers:\n  - rule: deid.dates\n    match: 25 December\n"
        "    reason: holiday\n")
    kit = course(files)
    problems = kit.check()
    problem = expect(problems, "deid.waiver-unused", STORY, kit.line(STORY, "  - rule: deid.dates"))
    assert "'deid.dates' is not a de-identification rule" in problem.message
    expect(problems, "deid.date", STORY, kit.line(STORY, "By 25 December"))


def test_no_waivers_no_notes(course):
    refute(course().check(), "deid.waiver-unused")
    refute(course().check(), "deid.waived")
