"""Who consented to a story, and to what: consent by a representative, and consent for images in the body.

A story about someone who could not consent for themselves (a child, a person who has died or lacks
capacity), or told by a caregiver about the person they care for, needs the consent of a representative:
the record names the representative's relationship and the id of their consent record. Images in a story
body identify people far more than words do (Safe Harbor's full-face photographs and comparable images), so
they need consent of their own.
"""

from __future__ import annotations

import bisect
import re

from patientvoice.rules import E, Rule, register

register(
    Rule("consent.representative", E, "Consent by a representative is not recorded",
         "A story told by a parent, carer or next of kin about another person, or about a child or someone who "
         "has died or lacks capacity, is published on that person's behalf: the reviewer needs to see who "
         "consented, in what relationship, and the consent record.",
         "Under 'consent', set 'given_by: representative' and 'representative: {relationship: parent | guardian | "
         "carer | next-of-kin | other, reference: <the representative's consent record id>}'."),
    Rule("consent.images", E, "A story shows an image without consent for images",
         "A photograph or drawing can identify a storyteller or a relative where the words do not; consent to "
         "publish a story does not cover its images.",
         "Record the storyteller's consent for images as 'consent.images: granted', or remove the image."),
)

# Any Markdown image ('![' also starts a reference-style one) or HTML <img>; a plain find, so it is linear.
_IMAGE = re.compile(r"!\[|<img\b", re.I)
_NEWLINE = re.compile(r"\n")
RELATIONSHIP_LABELS = {"parent": "a parent", "guardian": "a legal guardian", "carer": "a carer",
                       "next-of-kin": "their next of kin", "other": "a representative"}


def consent_note(story) -> str:
    """What learners are told about a representative's consent ('' when the storyteller consented)."""
    if story.consent_given_by != "representative":
        return ""
    who = RELATIONSHIP_LABELS.get(story.representative.get("relationship", ""), "a representative")
    return f"Consent given by {who} on the person’s behalf."


SUBJECT_REASONS = {"child": "is about a child", "deceased": "is about a person who has died",
                   "lacks-capacity": "is about a person who cannot consent"}


def _needs_representative(story) -> str:
    """Why this story needs a representative's consent, or '' if it does not."""
    subject = story.consent_subject if isinstance(story.consent_subject, str) else None
    if subject in SUBJECT_REASONS:  # another value is schema.enum's (or schema.type's) to report
        return SUBJECT_REASONS[subject]
    if story.narrator == "patient" and story.age_band == "0-9":
        return "is told by a child"
    if story.narrator == "caregiver":
        return "is a caregiver's story about another person"
    return ""


def check(course, problems, today) -> None:
    """Record representative-consent and image-consent problems for every story."""
    for s in course.stories.values():
        if not s.src.get("consent"):
            continue  # schema.required already says consent is missing
        why = _needs_representative(s)
        rep, by_rep = s.representative, s.consent_given_by == "representative"
        missing = [k for k in ("relationship", "reference") if not rep.get(k)]
        at = s.line("consent", "representative") if rep else (
            s.line("consent", "given_by") if "given_by" in s.src["consent"] else s.line("consent"))
        if by_rep and missing:
            problems.add(s.path, at, "consent.representative",
                         f"consent was given by a representative but consent.representative has no "
                         f"{' and no '.join(missing)}; record the relationship and their consent record id")
        elif why and not by_rep and (missing or s.narrator != "caregiver"):
            # A caregiver may consent for their own words (given_by: self) as long as the consent for the
            # person they care for is recorded; a child or someone who died cannot consent at all.
            problems.add(s.path, at, "consent.representative",
                         f"the story {why}: set 'consent.given_by: representative' and record "
                         "consent.representative (relationship, reference)")
        if s.images_consent != "granted":
            starts = [0] + [m.end() for m in _NEWLINE.finditer(s.body)]
            for m in _IMAGE.finditer(s.body):
                line = s.body_line + bisect.bisect_right(starts, m.start()) - 1
                problems.add(s.path, line, "consent.images",
                             "the story shows an image, but consent.images is not 'granted'; record the "
                             "storyteller's consent for images or remove the image")
