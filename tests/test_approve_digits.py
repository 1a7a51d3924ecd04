"""An approval whose per-file digest is all digits must still read back as text (found by the 300-module benchmark)."""

from __future__ import annotations

import itertools

from coursekit import MODULE, MODULE_MD, STORY, assert_clean
from patientvoice.compliance.review import status
from patientvoice.review.fingerprint import _digest, approved_files, short
from patientvoice.course.loader import load_course
from patientvoice.course.sources import load_front_matter_file
from patientvoice.problems import Problems


def _letters(n: int) -> str:
    # Letters only: a digit in a story would trip the de-identification rules.
    out = ""
    while True:
        n, d = divmod(n, 26)
        out += chr(97 + d)
        if not n:
            return out


def test_all_digit_digest_is_quoted_and_the_module_stays_approved(course):
    kit = course(approved=False)
    c, _ = load_course(kit.root)
    story = c.stories["maria-itch"]
    # About one digest prefix in 1,900 is all digits (10/16 per hex character); find a wording that gives one.
    for n in itertools.count():
        extra = f"\nIt felt like {_letters(n)}.\n"  # its own paragraph at the end of the story
        if short(_digest(story.src, story.body + extra)).isdigit():
            break
    kit.write(STORY, kit.read(STORY) + extra)
    c, _ = load_course(kit.root)
    assert short(approved_files(c, c.modules[MODULE])[STORY]).isdigit()

    kit.approve()

    assert f'{STORY}: "' in kit.read(MODULE_MD)
    doc = load_front_matter_file(kit.path(MODULE_MD), Problems())
    files = doc.meta["review"]["approvals"][-1]["files"]
    assert all(isinstance(v, str) for v in files.values())
    assert_clean(kit.check())
    c, _ = load_course(kit.root)
    st = status(c, c.modules[MODULE])
    assert (st.state, st.changed) == ("approved", [])

