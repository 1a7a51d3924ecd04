"""Review rules: nothing reaches learners until the steering committee approved exactly what is published."""

from __future__ import annotations

import datetime as dt

from coursekit import (COMMITTEE, DATASET, MODULE_MD, QUESTIONNAIRE, STORY, assert_clean, expect, refute)

JO = "content/people/jo-smith.yml"
JO_TEXT = """\
    name: Jo Smith
    role: staff
    disclosure:
      signed: 2025-12-01
      relationships: []
    """


def test_module_without_approval(course):
    kit = course(approved=False)
    problems = kit.check()
    problem = expect(problems, "review.no-approval", MODULE_MD, kit.line(MODULE_MD, "review:"))
    assert "patientvoice review approve hearing-the-itch --by" in problem.message
    assert len(problems) == 1


def test_approved_module_passes(course):
    problems = course().check()
    refute(problems, "review.no-approval")
    refute(problems, "review.not-approved")
    refute(problems, "review.stale")
    assert_clean(problems)


def test_latest_decision_is_not_approved(course):
    kit = course()
    kit.approve(decision="changes-requested", date=dt.date(2026, 2, 1))
    problems = kit.check()
    problem = expect(problems, "review.not-approved", MODULE_MD, kit.line(MODULE_MD, "- date: 2026-02-01"))
    assert "'changes-requested'" in problem.message
    refute(problems, "review.stale")


def test_a_new_approval_after_changes_requested_passes(course):
    kit = course()
    kit.approve(decision="rejected", date=dt.date(2026, 2, 1))
    kit.approve(date=dt.date(2026, 2, 2))
    assert_clean(kit.check())


def test_editing_an_embedded_story_makes_the_approval_stale(course):
    kit = course()
    kit.edit(STORY, "so that I do not wake my husband", "so that I do not wake my wife")
    problems = kit.check()
    problem = expect(problems, "review.stale", MODULE_MD, kit.line(MODULE_MD, "- date: 2026-01-10"))
    assert STORY in problem.message
    assert QUESTIONNAIRE not in problem.message and DATASET not in problem.message


def test_editing_data_or_questionnaire_makes_the_approval_stale(course):
    kit = course()
    kit.edit(DATASET, "Never: 62", "Never: 63")
    kit.edit(QUESTIONNAIRE, "Whether she has tried antihistamines", "Whether she has tried cold showers")
    kit.edit(DATASET, "answered: 1243", "answered: 1244")  # keep data.sum quiet: only the change matters here
    problems = kit.check()
    problem = expect(problems, "review.stale", MODULE_MD, kit.line(MODULE_MD, "- date: 2026-01-10"))
    assert DATASET in problem.message and QUESTIONNAIRE in problem.message and STORY not in problem.message


def test_reformatting_without_changing_content_is_not_stale(course):
    kit = course()
    kit.edit(STORY, "channels: [web, print]", "channels:   # where it may appear\n    - web\n    - print")
    kit.edit(QUESTIONNAIRE, "follow_up_after_days: 60", "# reviewed by the committee\nfollow_up_after_days: 60")
    kit.edit(STORY, "## Work\n", "## Work   \n")  # trailing spaces
    problems = kit.check()
    refute(problems, "review.stale")
    assert_clean(problems)


def test_approver_not_on_the_committee(course):
    kit = course({JO: JO_TEXT})
    kit.edit(MODULE_MD, "by: [anna-lee, tom-okafor]", "by: [anna-lee, tom-okafor, jo-smith]")
    problems = kit.check()
    problem = expect(problems, "review.approver-not-member", MODULE_MD, kit.line(MODULE_MD, "- date: 2026-01-10"))
    assert problem.message == "review.approvals[0].by: 'jo-smith' is not a member of committee 'pbc-steering'"


def test_approvers_on_the_committee_pass(course):
    kit = course({JO: JO_TEXT})
    refute(kit.check(), "review.approver-not-member")


def test_committee_without_patient_voice(course):
    kit = course()
    kit.edit(COMMITTEE, "  - person: tom-okafor\n    role: patient-partner\n", "")
    problems = kit.check()
    problem = expect(problems, "review.committee-no-patient", COMMITTEE, kit.line(COMMITTEE, "members:"))
    assert "'pbc-steering'" in problem.message


def test_patient_voice_by_committee_role_or_person_role_passes(course):
    kit = course({JO: JO_TEXT})
    # Tom keeps his person role (patient-partner) but sits as a plain member: still the patient voice.
    kit.edit(COMMITTEE, "    role: patient-partner", "    role: member")
    refute(kit.check(), "review.committee-no-patient")
    # A staff member sitting on the committee as its PAG representative also counts.
    kit.edit(COMMITTEE, "  - person: tom-okafor\n    role: member\n",
             "  - person: jo-smith\n    role: pag-representative\n")
    refute(kit.check(), "review.committee-no-patient")


def test_approval_without_patient_signature(course):
    kit = course(approved=False)
    kit.approve(by=["anna-lee"])
    problems = kit.check()
    problem = expect(problems, "review.no-patient-signature", MODULE_MD, kit.line(MODULE_MD, "- date: 2026-01-10"))
    assert "no patient partner or PAG representative" in problem.message


def test_approval_with_patient_signature_passes(course):
    kit = course(approved=False)
    kit.approve(by=["tom-okafor", "anna-lee"])
    problems = kit.check()
    refute(problems, "review.no-patient-signature")
    assert_clean(problems)


def test_only_the_latest_approval_counts(course):
    kit = course(approved=False)
    kit.approve(by=["anna-lee"], date=dt.date(2026, 1, 5))
    kit.approve(by=["anna-lee", "tom-okafor"], date=dt.date(2026, 1, 10))
    assert_clean(kit.check())
