"""The schemas of the author files named in the content format spec (v1), plus documented extensions."""

from patientvoice.course.schema import T, Waves, Domain, AgeBand, Bool, Counts, IndexOrIndexes, Date, Enum, Id, Int, Line, List, Num, Obj, PartialDate, Str, Url

PERSON_ROLES = ("clinician", "patient-partner", "caregiver-partner", "pag-representative", "staff")
NARRATORS = ("patient", "caregiver")
SOURCE_KINDS = ("interview", "written", "advisory-board", "social-listening", "pag-submission")
CONSENT_STATUS = ("granted", "withdrawn")
CHANNELS = ("web", "print")
# Issue 13 [13c]: consent given by a representative, and consent for images (docs/authoring.md (n)).
GIVEN_BY = ("self", "representative")
REPRESENTATIVES = ("parent", "guardian", "carer", "next-of-kin", "other")
CONSENT_SUBJECTS = ("child", "deceased", "lacks-capacity")
IMAGE_CONSENT = ("granted", "refused")
DATA_KINDS = ("single", "multiple")
OBJECTIVE_LEVELS = ("knowledge", "competence", "performance", "patient-health")
SUPPORT_KINDS = ("educational-grant", "in-kind")
DECISIONS = ("approved", "changes-requested", "rejected")
PHASES = ("pre", "post", "follow-up")
ITEM_KINDS = ("single", "multiple", "likert", "text", "commitment")
SHOW = ("chart", "table", "both")
# Issue 13 extensions [13b] (docs/authoring.md "Companies, off-label use, needs and evidence").
RELATIONSHIP_TYPES = ("employee", "owner", "executive", "researcher", "consultant", "advisor", "speaker",
                      "contractor", "royalties", "other")
EXCEPTION_KINDS = ("unrelated-content", "basic-science", "device-technician")
OFF_LABEL_STATUS = ("off-label", "investigational")
GAP_SOURCE_KINDS = ("patient-interviews", "pag-data", "literature", "other")

PROVIDER = dict(
    name=Line(True), accreditation_statement=Str(), credit_statement=Str(),
    contact=Str(True), privacy_policy=Url(True),
    # Extension (issue 13): the statements are generated (compliance/statements.py); the two above are optional,
    # and must match the generated wording unless statements_approved is true (rule activity.statement-wording).
    accreditation_body=Enum("ACCME", "Joint Accreditation"), statements_approved=Bool(),
    address=Str(), return_to=Str(),  # extension: where paper questionnaire packs go back (docs/authoring.md)
)

PERSON = dict(
    name=Line(True), credentials=Line(), role=Enum(*PERSON_ROLES, required=True), affiliation=Str(),
    disclosure=Obj(  # optional here: rule disclosure.missing says who needs one
        signed=Date(True),
        relationships=List(Obj(
            company=Str(True), nature=Str(True), relevant=Bool(True),
            mitigation=Obj(action=Str(True), date=Date(True)),
            type=Enum(*RELATIONSHIP_TYPES),  # extension [13b]
            exception=Obj(kind=Enum(*EXCEPTION_KINDS, required=True), reason=Str(True)),  # extension [13b]
        ), required=True),
    ),
)

COMMITTEE = dict(
    name=Str(True),
    members=List(Obj(person=Id(True), role=Str(True)), required=True, min=1),
)

# Extension [13b]: content/companies/<id>.yml, the registry disclosures and Standard 5 checks read.
COMPANY = dict(name=Line(True), ineligible=Bool(True), basis=Str(), domains=List(Domain()))

PAG = dict(name=Line(True), url=Url(), conditions=List(Str(), required=True, min=1), relationship=Str(True))

# Extension: `waivers` lets a story keep one de-identification finding, with a reason (docs/authoring.md).
STORY = dict(
    title=Line(True), narrator=Enum(*NARRATORS, required=True), pseudonym=Str(True), age_band=AgeBand(),
    condition=Str(True), segments=List(Id()),
    source=Obj(True, kind=Enum(*SOURCE_KINDS, required=True), pag=Id(), collected=PartialDate(True)),
    consent=Obj(
        True,
        status=Enum(*CONSENT_STATUS, required=True), reference=Str(True), date=Date(True),
        channels=List(Enum(*CHANNELS), required=True, min=1), expires=Date(True),
        final_text_approved=Bool(True),
        given_by=Enum(*GIVEN_BY), representative=Obj(relationship=Enum(*REPRESENTATIVES), reference=Str()),
        subject=Enum(*CONSENT_SUBJECTS), images=Enum(*IMAGE_CONSENT),
    ),
    composite=Bool(True),
    waivers=List(Obj(rule=Str(True), match=Str(True), reason=Str(True))),
)

DATASET = dict(
    # Methods fields are checked by rule data.methods, so learners never see a chart without them.
    title=Line(True), pag=Id(True), conducted_by=Str(), funding=Str(),
    fielded=Obj(**{"from": Date(True), "to": Date(True)}),
    method=Str(), population=Str(), sampling=Str(), respondents=Int(True, min=1),
    questions=List(Obj(
        id=Id(True), text=Line(True), kind=Enum(*DATA_KINDS, required=True),
        answered=Int(True, min=0), results=Counts(True),
    ), required=True, min=1),
)

MODULE = dict(
    title=Line(True),
    activity=Obj(
        True,
        id=Str(True), format=Str(True), release=Date(True), expires=Date(True),
        minutes=Int(True, min=1), credits=Num(True), audience=List(Str(), required=True, min=1),
        pass_mark=Num(True),
        # Extension (issue 13): providership and credit per profession; rules activity.providership, credit-type
        providership=Enum("direct", "joint"), joint_providers=List(Str()),
        credit_types=List(Obj(type=Str(True), amount=Num(), uan=Str(), points=Num(),
                              moc_types=List(Enum("medical-knowledge", "practice-assessment", "patient-safety")))),
    ),
    objectives=List(Obj(id=Id(True), text=Str(True), level=Enum(*OBJECTIVE_LEVELS, required=True)),
                    required=True, min=1),
    faculty=List(Id(), required=True),
    planners=List(Id(), required=True),
    # company and kind are checked by rule disclosure.commercial-support
    # Extension (issue 13, Standard 4): amount + currency or in-kind description, and the written agreement;
    # rules support.amount, support.agreement, support.company
    commercial_support=List(Obj(company=Str(), kind=Enum(*SUPPORT_KINDS), amount=Num(), currency=Str(),
                                description=Str(), agreement=Obj(reference=Str(), signed=Date())), required=True),
    # Extensions [13b]: the role date for disclosure.window, off-label uses and the practice gap.
    planning_started=Date(),
    # off_label and gap are required by rules activity.off-label and activity.gap (one id says what to add)
    off_label=List(Obj(use=Str(True), status=Enum(*OFF_LABEL_STATUS, required=True))),
    gap=Obj(statement=Str(), sources=List(Obj(kind=Enum(*GAP_SOURCE_KINDS, required=True), ref=Str(True)))),
    review=Obj(
        True,
        committee=Id(True),
        approvals=List(Obj(
            date=Date(True), decision=Enum(*DECISIONS, required=True), by=List(Id(), required=True, min=1),
            fingerprint=Str(True),
            files=T("map", item=Str()),  # extension: per-file digests, so `review status` can name what changed
        ), required=True),
    ),
)

QUESTIONNAIRE = dict(
    follow_up_after_days=Waves(True),  # a number, or a list: one follow-up wave each (course/waves.py)
    items=List(Obj(
        id=Id(True), phases=List(Enum(*PHASES), required=True, min=1), objective=Id(),
        kind=Enum(*ITEM_KINDS, required=True), stem=Str(True), options=List(Str()), answer=IndexOrIndexes(),
        rationale=Str(), scale=List(Str()),
    ), required=True, min=1),
)

BLOCK_OPTIONS = {"story": {}, "pag-data": {"show": Enum(*SHOW)}, "web-only": {}, "print-only": {}}
