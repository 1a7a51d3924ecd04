"""`review approve` and `review status`: approvals pinned to what the committee saw, written without reformatting."""

from __future__ import annotations

import datetime as dt
import difflib

import pytest
from click.testing import CliRunner

from coursekit import (APPROVED_ON, BASE, DATASET, MODULE, MODULE_MD, PAG, QUESTIONNAIRE, STORY, TODAY, assert_clean,
                       expect, refute)
from patientvoice.review.approve import ApproveError
from patientvoice.cli import main
from patientvoice.review.fingerprint import approved_files, fingerprint
from patientvoice.course.loader import load_course
from patientvoice.course.sources import load_front_matter_file
from patientvoice.problems import Problems

# A hand-edited module: comments, odd spacing, quoted and folded text, and review in the middle of the keys.
HAND_EDITED = """\
---
# Front matter edited by hand; approvals are appended by the tool.
title: "Hearing the itch"
activity:
  id:   PV-2026-PBC-01        # assigned by the CME office
  format: enduring
  release: 2026-01-15
  expires: 2028-01-14
  minutes: 45
  credits: 0.75
  audience:
    - Hepatologists
    - Primary care physicians
  pass_mark: 0.7
objectives:
  - id: recognise-burden
    text: >-
      Recognise how cholestatic itch disrupts sleep,
      work and family life
    level: competence
faculty: [anna-lee]
review:
  committee: pbc-steering   # the PBC committee
  # newest last
  approvals: []   # appended by `patientvoice review approve`
planners: [tom-okafor]      # after review on purpose
commercial_support: []
off_label: []
gap: {statement: Itch goes unasked about, sources: [{kind: patient-interviews, ref: maria-itch}]}
---

Cholestatic itch is often worst at night.

/// story | maria-itch
///

## References

1. EASL Clinical Practice Guidelines: primary biliary cholangitis. J Hepatol. 2017.
"""


def _diff(before: str, after: str) -> tuple[list[str], list[str]]:
    """(removed lines, added lines) between two texts."""
    removed, added = [], []
    for line in difflib.ndiff(before.splitlines(keepends=True), after.splitlines(keepends=True)):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


def _keys(kit, rel=MODULE_MD):
    doc = load_front_matter_file(kit.path(rel), Problems(kit.root))
    return list(doc.meta), list(doc.meta["review"])


def test_approve_then_edit_a_story_sentence_is_stale(course):
    kit = course(approved=False)
    kit.approve()
    assert_clean(kit.check())
    kit.edit(STORY, "Most nights I end up downstairs on the sofa", "Most nights I end up on the sofa downstairs")
    problems = kit.check()
    problem = expect(problems, "review.stale", MODULE_MD, kit.line(MODULE_MD, f"- date: {APPROVED_ON}"))
    assert STORY in problem.message
    assert [p.rule for p in problems] == ["review.stale"]


def test_editing_a_story_no_module_embeds_is_not_stale(course):
    kit = course({"content/stories/other.md": BASE[STORY]})
    kit.edit("content/stories/other.md", "Most nights", "Many nights")
    refute(kit.check(), "review.stale")


def test_approval_records_the_fingerprint_of_what_it_covers(course):
    kit = course(approved=False)
    fp = kit.approve()
    loaded, _ = load_course(kit.root)
    module = loaded.modules[MODULE]
    files = approved_files(loaded, module)
    # The PAG the story and data set name; and the effective theme, here all the package's default theme.
    assert sorted(f for f in files if not f.startswith("theme/")) == [DATASET, PAG, STORY, MODULE_MD, QUESTIONNAIRE]
    assert not kit.path("theme").exists() and {"theme/print.css", "theme/assets/questionnaire.js"} <= files.keys()
    assert fp == fingerprint(files) == module.approvals[-1].fingerprint
    assert module.approvals[-1].by == ["anna-lee", "tom-okafor"]
    assert module.approvals[-1].date == APPROVED_ON
    assert set(module.approvals[-1].files) == set(files)


def test_approve_keeps_comments_key_order_and_formatting(course):
    kit = course({MODULE_MD: HAND_EDITED}, approved=False)
    before = kit.read(MODULE_MD)
    keys_before = _keys(kit)
    kit.approve()
    first = kit.read(MODULE_MD)
    removed, added = _diff(before, first)
    # The only line that changes is the empty list becoming a block list; its comment stays.
    assert removed == ["  approvals: []   # appended by `patientvoice review approve`\n"]
    assert added[0] == "  approvals:   # appended by `patientvoice review approve`\n"
    assert added[1] == f"    - date: {APPROVED_ON}\n"
    assert first.index("  approvals:") < first.index(added[-1]) < first.index("planners: [tom-okafor]")
    assert _keys(kit) == keys_before
    assert_clean(kit.check())

    # A second decision is pure insertion after the first one.
    kit.approve(decision="changes-requested", date=APPROVED_ON + dt.timedelta(days=7))
    second = kit.read(MODULE_MD)
    removed, added = _diff(first, second)
    assert removed == []
    assert added[0] == f"    - date: {APPROVED_ON + dt.timedelta(days=7)}\n"
    lines = second.splitlines(keepends=True)
    start = lines.index(added[0])
    assert lines[start:start + len(added)] == added, "the new entry is one block"
    assert start < lines.index("planners: [tom-okafor]      # after review on purpose\n")
    # Outside the inserted block, the text is byte for byte what was there before.
    assert "".join(lines[:start] + lines[start + len(added):]) == first
    assert _keys(kit) == keys_before


def test_approve_after_a_trailing_comment_in_the_list(course):
    text = BASE[MODULE_MD].replace(
        "  approvals: []\n",
        "  approvals:\n    - date: 2025-12-01\n      decision: changes-requested\n      by: [anna-lee]\n"
        "      fingerprint: sha256:0000\n    # the committee met again in January\n")
    kit = course({MODULE_MD: text}, approved=False)
    before = kit.read(MODULE_MD)
    kit.approve()
    removed, added = _diff(before, kit.read(MODULE_MD))
    assert removed == []
    assert "    # the committee met again in January\n" in kit.read(MODULE_MD)
    loaded, _ = load_course(kit.root)
    assert [a.decision for a in loaded.modules[MODULE].approvals] == ["changes-requested", "approved"]
    assert_clean(kit.check())


def test_approve_adds_a_missing_approvals_list(course):
    kit = course({MODULE_MD: BASE[MODULE_MD].replace("  approvals: []\n", "")}, approved=False)
    kit.approve()
    assert_clean(kit.check())


def test_approve_keeps_crlf_line_endings_and_bom(course):
    kit = course({MODULE_MD: b"\xef\xbb\xbf" + BASE[MODULE_MD].replace("\n", "\r\n").encode()}, approved=False)
    kit.approve()
    data = kit.path(MODULE_MD).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf---\r\n")
    assert data.count(b"\n") == data.count(b"\r\n"), "every line, old and new, ends in CRLF"
    assert_clean(kit.check())


@pytest.mark.parametrize("module, by, says", [
    ("no-such-module", ["anna-lee"], "no module 'no-such-module' (modules: hearing-the-itch)"),
    (MODULE, ["anna-lee", "jo-smith"], "not members of committee 'pbc-steering': jo-smith"),
])
def test_approve_refuses_unknown_module_or_stranger(course, module, by, says):
    kit = course(approved=False)
    before = kit.read(MODULE_MD)
    with pytest.raises(ApproveError, match=says.replace("(", r"\(").replace(")", r"\)")):
        kit.approve(module=module, by=by)
    assert kit.read(MODULE_MD) == before


def test_approve_refuses_flow_style_approvals_without_touching_the_file(course):
    kit = course({MODULE_MD: BASE[MODULE_MD].replace("  approvals: []", "  approvals: [{date: 2025-12-01}]")},
                 approved=False)
    before = kit.read(MODULE_MD)
    with pytest.raises(ApproveError, match="flow style"):
        kit.approve()
    assert kit.read(MODULE_MD) == before


def test_approve_refuses_flow_style_review(course):
    kit = course({MODULE_MD: BASE[MODULE_MD].replace("review:\n  committee: pbc-steering\n  approvals: []\n",
                                                      "review: {committee: pbc-steering, approvals: []}\n")},
                 approved=False)
    assert_clean([p for p in kit.check() if p.rule != "review.no-approval"])
    before = kit.read(MODULE_MD)
    with pytest.raises(ApproveError, match="no 'review:' block"):
        kit.approve()
    assert kit.read(MODULE_MD) == before


# --- the command line -------------------------------------------------------------------------------------

def _cli(kit, *args):
    return CliRunner().invoke(main, ["review", *args, "--root", str(kit.root)])


def test_cli_approve_and_status(course):
    kit = course(approved=False)
    status = _cli(kit, "status")
    assert status.exit_code == 0 and status.stdout == "hearing-the-itch  awaiting approval\n"

    done = _cli(kit, "approve", MODULE, "--by", "anna-lee, tom-okafor", "--date", "2026-01-10")
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith("hearing-the-itch: recorded 'approved' by anna-lee, tom-okafor (sha256:")
    assert _cli(kit, "status").stdout == "hearing-the-itch  approved  approved 2026-01-10 by anna-lee, tom-okafor\n"

    kit.edit(STORY, "four times", "five times")
    assert _cli(kit, "status").stdout.splitlines() == [
        "hearing-the-itch  STALE  approved 2026-01-10 by anna-lee, tom-okafor",
        f"                    changed: {STORY}",
    ]

    _cli(kit, "approve", MODULE, "--by", "anna-lee", "--decision", "rejected", "--date", "2026-02-01")
    assert _cli(kit, "status").stdout == "hearing-the-itch  NOT APPROVED  rejected 2026-02-01 by anna-lee\n"


def test_cli_approve_defaults_to_today(course):
    kit = course(approved=False)
    assert _cli(kit, "approve", MODULE, "--by", "anna-lee,tom-okafor").exit_code == 0
    loaded, _ = load_course(kit.root)
    assert loaded.modules[MODULE].approvals[-1].date == dt.date.today()
    assert_clean(kit.check(TODAY))


def test_cli_approve_errors(course):
    kit = course(approved=False)
    stranger = _cli(kit, "approve", MODULE, "--by", "jo-smith")
    assert stranger.exit_code == 1 and "not members of committee 'pbc-steering'" in stranger.output
    assert _cli(kit, "approve", MODULE, "--by", "anna-lee", "--date", "someday").exit_code == 2
    assert _cli(kit, "approve", MODULE).exit_code == 2  # --by is required
    assert "Traceback" not in stranger.output
