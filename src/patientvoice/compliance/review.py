"""Review rules: nothing reaches learners until the steering committee approved exactly what is published."""

from __future__ import annotations

from dataclasses import dataclass, field

from patientvoice.course.blocks import scan_blocks
from patientvoice.review.fingerprint import approved_files, fingerprint, short
from patientvoice.problems import Problems
from patientvoice.rules import E, Rule, register

PATIENT_ROLES = ("patient-partner", "caregiver-partner", "pag-representative")

register(
    Rule("review.no-approval", E, "The module has no approval",
         "Steering-committee sign-off is the gate between authoring and learners; an unreviewed module must not publish.",
         "Have the committee review it, then run `patientvoice review approve MODULE --by ID,ID`."),
    Rule("review.not-approved", E, "The latest decision is not 'approved'",
         "The newest approval entry is the committee's current position; 'changes-requested' or 'rejected' blocks publication.",
         "Address the committee's requests and record a new 'approved' decision."),
    Rule("review.stale", E, "Content changed since it was approved",
         "The approval is pinned to a fingerprint of the module, its questionnaire, every embedded story and data set "
         "(at any indentation) and the PAG files they name, every file the module publishes or links to, mkdocs.yml "
         "(read, so comments and layout do not count) with the extra CSS/JS it adds, and the theme; any edit after approval "
         "means learners would see content the committee never saw.",
         "Ask the committee to review the changed files named in the message, then approve again."),
    Rule("review.page-embed", E, "A page that is no module embeds a story or data set",
         "Only a module's body is reviewed and approved; the home page or another page in modules/ would publish a "
         "story or survey result that no committee approved for that place. The site refuses such an embed.",
         "Move the block into a module, or link to the story's page instead."),
    Rule("review.approver-not-member", E, "An approver is not on the module's committee",
         "Only members of the named steering committee can approve its modules.",
         "Correct the 'by' list, or add the person to the committee file."),
    Rule("review.committee-no-patient", E, "A committee has no patient partner or PAG representative",
         "patientvoice exists to put the patient voice into CME; each steering committee must include it.",
         "Add a member whose role is patient-partner, caregiver-partner or pag-representative."),
    Rule("review.no-patient-signature", E, "No patient partner or PAG representative signed the approval",
         "Patient partners approve how stories and experience data are used, not just clinicians.",
         "Include a patient partner or PAG representative in the approval's 'by' list."),
)


@dataclass
class Status:
    """Where one module stands in review."""

    module: str
    state: str  # approved | stale | awaiting | not-approved
    changed: list[str] = field(default_factory=list)
    approval: object = None


def is_patient_voice(course, person_id: str, member_role: str = "") -> bool:
    """True when the person speaks for patients (by their role or their committee role)."""
    p = course.people.get(person_id)
    return member_role in PATIENT_ROLES or (p is not None and p.role in PATIENT_ROLES)


def status(course, module) -> Status:
    """Compare a module's latest approval with its current content."""
    if not module.approvals:
        return Status(module.id, "awaiting")
    latest = module.approvals[-1]
    if latest.decision != "approved":
        return Status(module.id, "not-approved", approval=latest)
    files = approved_files(course, module)
    if latest.fingerprint == fingerprint(files):
        return Status(module.id, "approved", approval=latest)
    old = latest.files
    if isinstance(old, dict):
        changed = sorted({p for p in files if old.get(p) != short(files[p])} | (set(old) - set(files)))
    else:
        changed = sorted(files)  # no per-file record: anything the approval covers may have changed
    return Status(module.id, "stale", changed, latest)


def describe(changed: list[str], most: int = 4) -> str:
    """The changed files for a message: each named, except a long run under theme/ (fonts, assets) is summed up."""
    theme = [p for p in changed if p.startswith("theme/")]
    if len(theme) <= most:
        return ", ".join(changed)
    rest = [p for p in changed if not p.startswith("theme/")]
    return ", ".join([*rest, f"{len(theme)} files under theme/ ({', '.join(theme[:most - 1])}, …)"])


def check_pages(course, problems) -> None:
    """review.page-embed: a story or pag-data block on a page that is no module (the renderer refuses it)."""
    for path, text in course.pages.items():  # read by the loader (bounded, UTF-8, inside the course)
        if "///" not in text:
            continue
        for block in scan_blocks(text, 1, path, Problems(course.root)):
            if block.name in ("story", "pag-data"):
                problems.add(path, block.line, "review.page-embed",
                             f"'/// {block.name} | {block.arg}' is on a page that is no module, so no committee "
                             "approved it here and the site will not show it; move it into a module's body")


def check(course, problems, today) -> None:
    """Record review problems for every module and committee."""
    check_pages(course, problems)
    for c in course.committees.values():
        if c.members and not any(is_patient_voice(course, m.person, m.role) for m in c.members):
            problems.add(c.path, c.line("members"), "review.committee-no-patient",
                         f"committee '{c.id}' has no patient-partner, caregiver-partner or pag-representative member")
    for m in course.modules.values():
        st = status(course, m)
        if st.state == "awaiting":
            problems.add(m.path, m.line("review"), "review.no-approval",
                         f"module '{m.id}' has no approval; run `patientvoice review approve {m.id} --by ...` "
                         "after the committee's review")
            continue
        a = st.approval
        if st.state == "not-approved":
            problems.add(m.path, a.line, "review.not-approved",
                         f"latest decision is '{a.decision}' ({a.date}); a new 'approved' decision is needed to publish")
        elif st.state == "stale":
            problems.add(m.path, a.line, "review.stale",
                         f"content changed since the approval of {a.date}: {describe(st.changed)}; "
                         "ask the committee to review and approve again")
        committee = course.committees.get(m.committee) if isinstance(m.committee, str) else None
        if committee is not None:
            members = {mem.person: mem.role for mem in committee.members}
            for i, appr in enumerate(m.approvals):
                for who in appr.by:
                    if who in course.people and who not in members:
                        problems.add(m.path, appr.line, "review.approver-not-member",
                                     f"review.approvals[{i}].by: '{who}' is not a member of committee '{committee.id}'")
            if a.decision == "approved" and not any(is_patient_voice(course, w, members.get(w, "")) for w in a.by):
                problems.add(m.path, a.line, "review.no-patient-signature",
                             "the approval is signed by no patient partner or PAG representative; add one to 'by'")
