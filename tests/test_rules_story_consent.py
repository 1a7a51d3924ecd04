"""Consent by a representative (consent.representative) and consent for images in a story (consent.images)."""

from __future__ import annotations

from coursekit import STORY, assert_clean, expect, refute

from patientvoice.course.loader import load_course
from patientvoice.render import story_card

APPROVED = "  final_text_approved: true\n"
BY_PARENT = APPROVED + ("  given_by: representative\n  representative:\n    relationship: parent\n"
                        "    reference: PBC-CF-2025-014-R\n")


def _caregiver(kit, consent_lines: str = APPROVED):
    kit.edit(STORY, "narrator: patient", "narrator: caregiver")
    kit.edit(STORY, APPROVED, consent_lines)
    kit.approve()


def test_caregiver_story_without_a_representative_is_an_error(course):
    kit = course()
    _caregiver(kit)
    problem = expect(kit.check(), "consent.representative", STORY, kit.line(STORY, "consent:"))
    assert "caregiver's story about another person" in problem.message
    assert "given_by: representative" in problem.message


def test_caregiver_story_with_a_representative_passes(course):
    kit = course()
    _caregiver(kit, BY_PARENT)
    problems = kit.check()
    refute(problems, "consent.representative")
    assert_clean(problems)


def test_caregiver_consenting_for_their_own_words_with_the_representative_recorded_passes(course):
    kit = course()
    _caregiver(kit, BY_PARENT.replace("given_by: representative", "given_by: self"))
    refute(kit.check(), "consent.representative")


def test_representative_without_a_reference_is_an_error(course):
    kit = course()
    _caregiver(kit, BY_PARENT.replace("    reference: PBC-CF-2025-014-R\n", ""))
    problem = expect(kit.check(), "consent.representative", STORY, kit.line(STORY, "  representative:"))
    assert "no reference" in problem.message


def test_given_by_representative_without_the_representative_is_an_error(course):
    kit = course()
    kit.edit(STORY, APPROVED, APPROVED + "  given_by: representative\n")
    kit.approve()
    problem = expect(kit.check(), "consent.representative", STORY, kit.line(STORY, "given_by:"))
    assert "no relationship and no reference" in problem.message


def test_a_story_about_someone_who_died_needs_a_representative(course):
    kit = course()
    kit.edit(STORY, APPROVED, APPROVED + "  subject: deceased\n  given_by: self\n")
    kit.approve()
    problem = expect(kit.check(), "consent.representative", STORY, kit.line(STORY, "given_by: self"))
    assert "a person who has died" in problem.message


def test_a_story_told_by_a_child_needs_a_representative(course):
    kit = course()
    kit.edit(STORY, "age_band: 50-59", "age_band: 0-9")
    kit.approve()
    expect(kit.check(), "consent.representative", STORY, kit.line(STORY, "consent:"))


def test_a_child_subject_with_a_guardian_passes(course):
    kit = course()
    kit.edit(STORY, APPROVED, BY_PARENT.replace("parent", "guardian") + "  subject: child\n")
    kit.approve()
    problems = kit.check()
    refute(problems, "consent.representative")
    assert_clean(problems)


def test_learners_are_told_who_consented(course):
    kit = course()
    _caregiver(kit, BY_PARENT)
    loaded, _ = load_course(kit.root)
    html = story_card(loaded, loaded.stories["maria-itch"])
    assert "Consent given by a parent on the person’s behalf." in html
    assert "PBC-CF-2025-014-R" not in html, "the consent record id is for reviewers, not learners"


def test_self_consent_says_nothing_new(course):
    kit = course()
    loaded, _ = load_course(kit.root)
    assert "Consent given by" not in story_card(loaded, loaded.stories["maria-itch"])


IMAGE = "![The rash on my arms](rash.png)"


def test_image_without_image_consent_is_an_error_at_its_line(course):
    kit = course()
    kit.edit(STORY, "## Work\n", f"## Work\n\n{IMAGE}\n")
    kit.approve()
    problem = expect(kit.check(), "consent.images", STORY, kit.line(STORY, IMAGE))
    assert "consent.images is not 'granted'" in problem.message


def test_html_image_without_image_consent_is_an_error(course):
    kit = course()
    kit.edit(STORY, "## Work\n", "## Work\n\nLook: <IMG src=\"rash.png\" alt=\"rash\">\n")
    kit.approve()
    expect(kit.check(), "consent.images", STORY, kit.line(STORY, "Look: <IMG"))


def test_image_with_image_consent_passes(course):
    kit = course()
    kit.edit(STORY, "## Work\n", f"## Work\n\n{IMAGE}\n")
    kit.edit(STORY, APPROVED, APPROVED + "  images: granted\n")
    kit.approve()
    refute(kit.check(), "consent.images")


def test_refused_image_consent_is_an_error(course):
    kit = course()
    kit.edit(STORY, "## Work\n", f"## Work\n\n{IMAGE}\n")
    kit.edit(STORY, APPROVED, APPROVED + "  images: refused\n")
    kit.approve()
    expect(kit.check(), "consent.images", STORY, kit.line(STORY, IMAGE))


def test_story_without_images_needs_no_image_consent(course):
    refute(course().check(), "consent.images")
