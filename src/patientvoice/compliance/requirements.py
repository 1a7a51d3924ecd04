"""The hard requirements of ACCME, the AMA and HIPAA Safe Harbor, each mapped to the rules that enforce it or
the place where patientvoice renders it (``../shared/reference/cme-requirements.md``: §1.0–1.6, the §7
checklist, §4.2's 18 identifiers).

``patientvoice rules --requirements --format markdown > docs/requirements.md`` writes the table;
tests/test_requirements.py checks that every rule named exists and that every HARD requirement has a rule or
a rendering place.
"""

from __future__ import annotations

from dataclasses import dataclass

T = "templates/"
ACTIVITY = (T + "activity.html", "the activity information before each module's content, on the site and in the PDF")
SUPPORT = (T + "activity.html", "'Commercial support' in the activity information")
DISCLOSURES = (T + "activity.html", "'Disclosure of financial relationships' in the activity information")
FACULTY = (T + "faculty.html", "the faculty and disclosures page")
STORY = (T + "story.html", "each story card's source line ('Shared with consent…; Patient experience, not "
                           "clinical evidence')")


@dataclass(frozen=True)
class Requirement:
    """One requirement: where it comes from, how binding it is, and what in patientvoice answers it."""

    id: str
    section: str
    status: str                                    # HARD-ACCME | HARD-AMA | HARD-LAW | LEGACY? | GOOD
    text: str
    rules: tuple[str, ...] = ()                    # rule ids that enforce it (they exist in the registry)
    rendered: tuple[tuple[str, str], ...] = ()     # (file under src/patientvoice, what learners see there)
    note: str = ""

    @property
    def hard(self) -> bool:
        """True for a requirement the provider is out of compliance without."""
        return self.status.startswith("HARD")


R = Requirement
SAFE_HARBOR = [
    R("SH-1", "§4.2 Safe Harbor", "HARD-LAW", "Names (of the person, relatives, employers, household members)",
      rules=("deid.name", "deid.kin-name"), rendered=((T + "story.html", "a pseudonym, never a name"),)),
    R("SH-2", "§4.2 Safe Harbor", "HARD-LAW", "Geographic subdivisions smaller than a state: street, city, county, "
      "ZIP code", rules=("deid.address", "deid.place", "deid.postcode"),
      note="towns and cities from a word list (compliance/data/places.txt); smaller places need the reviewer"),
    R("SH-3", "§4.2 Safe Harbor", "HARD-LAW", "All elements of dates except the year; ages over 89 ('90 or older')",
      rules=("deid.date", "deid.age", "schema.type"), note="schema.type: age_band takes ten-year bands and 90+"),
    R("SH-4", "§4.2 Safe Harbor", "HARD-LAW", "Telephone numbers", rules=("deid.phone",)),
    R("SH-5", "§4.2 Safe Harbor", "HARD-LAW", "Fax numbers", rules=("deid.phone",),
      note="a fax number has a phone number's shape"),
    R("SH-6", "§4.2 Safe Harbor", "HARD-LAW", "E-mail addresses", rules=("deid.email",)),
    R("SH-7", "§4.2 Safe Harbor", "HARD-LAW", "Social security numbers", rules=("deid.record-number",)),
    R("SH-8", "§4.2 Safe Harbor", "HARD-LAW", "Medical record numbers", rules=("deid.record-number",)),
    R("SH-9", "§4.2 Safe Harbor", "HARD-LAW", "Health plan beneficiary numbers",
      rules=("deid.number", "deid.record-number"), note="labelled policy, member and insurance numbers"),
    R("SH-10", "§4.2 Safe Harbor", "HARD-LAW", "Account numbers", rules=("deid.number",)),
    R("SH-11", "§4.2 Safe Harbor", "HARD-LAW", "Certificate or licence numbers", rules=("deid.number",)),
    R("SH-12", "§4.2 Safe Harbor", "HARD-LAW", "Vehicle identifiers and serial numbers, including licence plates",
      rules=("deid.number",), note="labelled numbers, VIN shapes and UK plates"),
    R("SH-13", "§4.2 Safe Harbor", "HARD-LAW", "Device identifiers and serial numbers", rules=("deid.number",)),
    R("SH-14", "§4.2 Safe Harbor", "HARD-LAW", "Web addresses (URLs)", rules=("deid.url",)),
    R("SH-15", "§4.2 Safe Harbor", "HARD-LAW", "IP addresses", rules=("deid.ip",)),
    R("SH-16", "§4.2 Safe Harbor", "HARD-LAW", "Biometric identifiers (finger and voice prints)",
      rules=("consent.images", "content.raw-html"),
      note="stories are text: no audio or video element survives content.raw-html; images need their own consent"),
    R("SH-17", "§4.2 Safe Harbor", "HARD-LAW", "Full-face photographs and comparable images", rules=("consent.images",)),
    R("SH-18", "§4.2 Safe Harbor", "HARD-LAW", "Any other unique identifying number, characteristic or code",
      rules=("deid.record-number", "deid.number", "review.not-approved"),
      rendered=((T + "story.html", "'Fictional composite' label on composite stories"),),
      note="long numbers are found; a unique characteristic (a rare diagnosis with a region) is the committee's call"),
]

STANDARDS = [
    R("1.0-a", "§1.0 Eligibility", "HARD-ACCME", "Companies are recorded with whether each is ineligible "
      "(ACCME's definition), so disclosures and support can be judged", rules=("disclosure.unknown-company",)),
    R("1.0-b", "§1.0 Eligibility", "HARD-ACCME", "Support from an eligible organization (a PAG) is not commercial "
      "support; only ineligible companies' logos are barred", rules=("support.company", "marketing.logo")),
    R("1.1-1", "§1.1 Standard 1", "HARD-ACCME", "Patient-care recommendations rest on current evidence, with "
      "references", rules=("review.not-approved", "review.stale", "evidence.references")),
    R("1.1-2", "§1.1 Standard 1", "HARD-ACCME", "Research cited follows accepted standards of design and analysis",
      rules=("review.no-approval", "review.not-approved"), note="a judgement the steering committee records"),
    R("1.1-3", "§1.1 Standard 1", "HARD-ACCME", "New or evolving topics are clearly identified as such",
      rules=("review.not-approved",), note="no 'evolving evidence' marker yet; the committee's review covers it"),
    R("1.1-4", "§1.1 Standard 1", "HARD-ACCME", "No advocacy of unscientific or ineffective practices",
      rules=("review.not-approved",)),
    R("1.1-5", "§1.1, §4", "HARD-ACCME", "Patient stories and PAG data are never presented as clinical evidence",
      rendered=(STORY, (T + "pag_data.html", "every PAG chart's methods note"))),
    R("1.2-1", "§1.2 Standard 2", "HARD-ACCME", "Planning, faculty and evaluation decided without owners or "
      "employees of ineligible companies", rules=("disclosure.ineligible-owner",)),
    R("1.2-2", "§1.2 Standard 2", "HARD-ACCME", "Education free of marketing and sales",
      rules=("content.unsafe-html", "url.external-resource", "marketing.trade-mark", "marketing.ineligible-link", "marketing.logo", "marketing.tracker")),
    R("1.2-3", "§1.2 Standard 2", "HARD-ACCME", "Learner data never goes to an ineligible company without explicit "
      "consent", rendered=((T + "questionnaire.html", "'No personal data is asked': answers are filed under a random "
                                                      "learner code"), ACTIVITY),
      note="patientvoice shares nothing; the privacy policy link is in the activity information"),
    R("1.3-1", "§1.3 Standard 3", "HARD-ACCME", "Everyone in control of content (planners, faculty, committee "
      "members, patient partners) discloses relationships of the prior 24 months",
      rules=("disclosure.missing", "disclosure.stale", "disclosure.window")),
    R("1.3-1b", "§1.3 Standard 3", "HARD-ACCME", "Each relationship records the company and its nature",
      rules=("schema.required", "disclosure.unknown-company")),
    R("1.3-2", "§1.3 Standard 3", "HARD-ACCME", "Owners and employees of ineligible companies excluded, but for "
      "ACCME's three exceptions", rules=("disclosure.ineligible-owner",)),
    R("1.3-3", "§1.3 Standard 3", "HARD-ACCME", "The provider decides relevance", rules=("schema.required",),
      note="relationships[].relevant is required, and set by the provider"),
    R("1.3-4", "§1.3 Standard 3", "HARD-ACCME", "Relevant relationships mitigated before the role, documented",
      rules=("disclosure.unmitigated", "disclosure.late-mitigation")),
    R("1.3-5", "§1.3 Standard 3", "HARD-ACCME", "Learners told names, companies by name only, nature, that all "
      "relevant relationships are mitigated, and who has none", rendered=(DISCLOSURES, FACULTY)),
    R("1.3-7", "§1.3 Standard 3", "HARD-ACCME", "Required information transmitted before the learner begins "
      "(passed through, not behind a link)", rendered=(ACTIVITY, (T + "print_handout.html", "the handout's first pages"))),
    R("1.4-1", "§1.4 Standard 4", "HARD-ACCME", "A written agreement, signed before the support is received",
      rules=("support.agreement",)),
    R("1.4-2", "§1.4 Standard 4", "HARD-ACCME", "Records of the amount and kind of support",
      rules=("disclosure.commercial-support", "support.amount")),
    R("1.4-3", "§1.4 Standard 4", "HARD-ACCME", "Supporters named to learners before they engage, without logos",
      rendered=(SUPPORT,), rules=("support.company", "marketing.logo")),
    R("1.5-1", "§1.5 Standard 5", "HARD-ACCME", "No marketing while learners engage online (no ads, trackers, "
      "click-through promotion)", rules=("content.unsafe-html", "url.external-resource", "marketing.tracker", "marketing.ineligible-link")),
    R("1.5-2", "§1.5 Standard 5", "HARD-ACCME", "Handouts, evaluations and disclosures carry no logos, trade names "
      "or product messages", rules=("marketing.trade-mark", "marketing.logo")),
    R("1.6-1", "§1.6", "HARD-ACCME", "Verbatim accreditation statement, direct or joint providership",
      rules=("activity.statement-wording", "activity.providership"),
      rendered=(("compliance/statements.py", "the accreditation and designation statements, generated with the official wording"), (T + "activity.html", "'Accreditation and credit designation'"),)),
    R("1.6-2", "§1.6", "HARD-ACCME", "Joint Accreditation statement for interprofessional activities, standing "
      "alone", rules=("activity.statement-wording", "activity.credit-type"),
      rendered=(("compliance/statements.py", "one designation statement per credit type, on the site, the handout and the certificate"),)),
    R("1.6-3", "§1.6", "HARD-AMA", "AMA designation statement naming 'enduring material', AMA PRA Category 1 "
      "Credit™ in italics with the ™", rules=("activity.statement-wording",),
      rendered=((T + "activity.html", "the credit designation"), (T + "certificate.html", "the certificate"))),
    R("1.6-4", "§1.6", "HARD-AMA", "Credits in 0.25 steps, commensurate with the time the activity takes",
      rules=("activity.credits", "activity.credits-exceed-time")),
    R("1.6-5", "§1.6", "HARD-AMA", "Clear completion instructions",
      rendered=((T + "activity.html", "'Method of participation'"), (T + "module_path.html", "the path through "
                                                                                             "the module"))),
    R("1.6-6", "§1.6", "HARD-AMA", "An assessment measuring the objectives, with the pass mark given before "
      "the learner starts", rules=("questionnaire.unmeasured", "questionnaire.no-key", "activity.pass-mark"),
      rendered=(ACTIVITY, (T + "questionnaire.html", "the post-test states the pass mark"))),
    R("1.6-7", "§1.6", "HARD-AMA", "Bibliographic sources for further study", rules=("evidence.references",)),
    R("1.6-8", "§1.6", "HARD-AMA", "A record of the credits each physician claims",
      rendered=(("credit/records.py", "claims and certificates in the collector's database"),)),
    R("1.6-9", "§1.6", "HARD-AMA", "Learning objectives (and the target audience)", rules=("schema.required",),
      rendered=((T + "activity.html", "'Learning objectives' and 'Target audience'"),)),
    R("1.6-10", "§1.6", "HARD-ACCME", "Educational need and practice gap, and what the activity is designed to "
      "change, in the planning file", rules=("questionnaire.unmeasured", "activity.gap"),
      rendered=((T + "audit.html", "the practice gap and its sources in the audit file"),)),
    R("1.6-11", "§1.6", "LEGACY?", "Faculty and credentials, medium, method, estimated time, release, review and "
      "termination dates before the learner starts", rules=("schema.required",), rendered=(ACTIVITY,)),
    R("1.6-12", "§1.6", "HARD-ACCME", "An enduring material lives at most 3 years without review",
      rules=("activity.too-long", "activity.release-after-expiry", "activity.expired")),
    R("1.6-13", "§1.6", "LEGACY?", "Internet CME: hardware and software, contact, privacy policy",
      rules=("schema.required", "url.scheme"), rendered=(ACTIVITY,)),
    R("1.6-14", "§1.6", "HARD-ACCME", "Disclosure block and commercial-support acknowledgement",
      rendered=(DISCLOSURES, SUPPORT)),
    R("1.6-15", "§1.6", "HARD-ACCME", "Participation verifiable for 6 years; activity files kept for the term",
      rendered=(("credit/records.py", "claims and certificates kept by the collector"),
                ("outcomes/store.py", "every response kept, never overwritten")),
      note="how long the database is kept is the provider's operation"),
    R("1.6-16", "issue 13", "GOOD", "Off-label and investigational uses declared before the content (not in the "
      "reference; a common provider requirement under Standard 1)", rules=("activity.off-label",),
      rendered=((T + "activity_needs.html", "off-label and investigational uses in the activity information, before the content"),)),
]

CHECKLIST = [
    R("A1", "§7", "HARD-ACCME", "Disclosures of the prior 24 months from everyone in control of content, collected "
      "before the role", rules=("disclosure.missing", "disclosure.stale", "disclosure.window")),
    R("A2", "§7", "HARD-ACCME", "Owners and employees of ineligible companies excluded unless an exception is "
      "recorded", rules=("disclosure.ineligible-owner",)),
    R("A3", "§7", "HARD-ACCME", "Relevance decided by the provider; relevant relationships mitigated before the role",
      rules=("disclosure.unmitigated", "disclosure.late-mitigation")),
    R("A4", "§7", "HARD-ACCME", "The learner disclosure generated and shown before the content, web and PDF",
      rendered=(DISCLOSURES, FACULTY, (T + "print_handout.html", "the handout's front matter"))),
    R("A5", "§7", "HARD-ACCME", "Commercial support: signed agreement before support, records, supporters named, "
      "no logos", rules=("disclosure.commercial-support", "support.agreement", "support.amount", "support.company"), rendered=(SUPPORT,)),
    R("A6", "§7", "HARD-ACCME", "No marketing, logos or trade names; external-link lint",
      rules=("content.unsafe-html", "url.external-resource", "marketing.trade-mark", "marketing.ineligible-link", "marketing.logo", "marketing.tracker")),
    R("A7", "§7", "HARD-ACCME", "Recommendations cite evidence; patient material never the basis of a "
      "recommendation", rules=("review.not-approved", "evidence.references"), rendered=(STORY,)),
    R("A8", "§7", "HARD-ACCME", "Learner data not shared with ineligible companies without opt-in",
      rendered=((T + "questionnaire.html", "no personal data asked; random learner codes"),)),
    R("B1", "§7", "HARD-ACCME", "Verbatim accreditation statement (direct, joint or JA)",
      rules=("activity.statement-wording", "activity.providership"),
      rendered=((T + "activity.html", "'Accreditation and credit designation'"),)),
    R("B2", "§7", "HARD-AMA", "Designation statement naming the format, credit styling, 0.25 steps",
      rules=("activity.credits", "activity.statement-wording", "activity.credits-exceed-time"),
      rendered=((T + "activity.html", "the credit designation"),)),
    R("B3", "§7", "HARD-AMA", "Objectives mapped to items; pass mark before starting; instructions; references",
      rules=("questionnaire.unmeasured", "activity.pass-mark", "ref.objective", "evidence.references"),
      rendered=(ACTIVITY,)),
    R("B4", "§7", "HARD-ACCME", "Release, review and termination dates; at most 3 years",
      rules=("activity.too-long", "activity.release-after-expiry", "activity.expired"), rendered=(ACTIVITY,)),
    R("B5", "§7", "LEGACY?", "Faculty, medium, method, time, audience, requirements, contact, privacy, copyright",
      rules=("schema.required",), rendered=(ACTIVITY, FACULTY)),
    R("B6", "§7", "HARD-ACCME", "Practice gap, designed-to-change, planned outcome measures in the planning file",
      rules=("questionnaire.unmeasured", "questionnaire.no-follow-up", "activity.gap")),
    R("B7", "§7", "HARD-ACCME", "Participation verifiable for 6 years; activity file kept",
      rendered=(("audit/cli.py", "the activity file for a reviewer (patientvoice audit MODULE)"), ("credit/records.py", "claims and certificates"), ("outcomes/store.py", "every response kept"))),
    R("E1", "§7", "HARD-LAW", "A story renders only with valid, unexpired, unwithdrawn consent for that channel, its "
      "final text approved, consent by a representative recorded",
      rules=("consent.withdrawn", "consent.expired", "consent.channel", "consent.final-text",
             "consent.representative", "consent.images"),
      rendered=(("site/pages.py", "the story library publishes only consented stories"), STORY)),
    R("E2", "§7", "HARD-LAW", "Safe Harbor's 18 identifiers linted in stories (SH-1 to SH-18 above)",
      rules=("deid.name", "deid.kin-name", "deid.address", "deid.place", "deid.date", "deid.age", "deid.number",
             "deid.waiver-unused")),
    R("E3", "§7", "GOOD", "No storyteller PII or consent forms in the repository; reference ids only",
      rules=("schema.required",), note="consent.reference and representative.reference are record ids"),
    R("F1", "§7", "HARD-ACCME", "A PARS activity record per module",
      rendered=(("export/pars.py", "the PARS activity XML (patientvoice export pars-activity)"),)),
]

REQUIREMENTS: list[Requirement] = STANDARDS + CHECKLIST + SAFE_HARBOR


def render_requirements() -> str:
    """docs/requirements.md: each requirement with the rules that enforce it and where it is rendered."""
    def rules(r):
        ids = [f"[`{i}`](rules.md#{i.replace('.', '-')})" for i in r.rules]
        return ", ".join(ids) or "—"

    def places(r):
        out = [f"`{path}`: {what}" for path, what in r.rendered]
        return "; ".join(out) or "—"

    hard = [r for r in REQUIREMENTS if r.hard]
    lines = ["# Requirements and where patientvoice meets them", "",
             "Generated from `src/patientvoice/compliance/requirements.py` by "
             "`patientvoice rules --requirements --format markdown > docs/requirements.md`; do not edit by hand.",
             "Sources: `cme-requirements.md` §1.0–1.6, its §7 checklist and §4.2 (HIPAA Safe Harbor's 18 "
             "identifiers).", "",
             f"{len(REQUIREMENTS)} requirements, {len(hard)} of them hard (HARD-ACCME, HARD-AMA, HARD-LAW).", ""]
    for title, group in (("ACCME Standards and required activity information", STANDARDS),
                         ("Consolidated checklist (§7)", CHECKLIST), ("HIPAA Safe Harbor (§4.2)", SAFE_HARBOR)):
        lines += [f"## {title}", "", "| Id | Source | Status | Requirement | Enforced by | Rendered in | Note |",
                  "|---|---|---|---|---|---|---|"]
        lines += [f"| {r.id} | {r.section} | {r.status} | {r.text} | {rules(r)} | {places(r)} | {r.note} |"
                  for r in group]
        lines.append("")
    return "\n".join(lines)
