"""``patientvoice export pars-activity``: the course's activities as ACCME PARS activity XML (MEMS v1 based).

One ``MedicalEducationMetrics`` element (MedBiquitous Medical Education Metrics v1, namespace
``http://ns.medbiq.org/metrics/v1/``) per module, inside an ``ACCMEActivities`` root as ACCME's "PARS Activity
XML File Specification" names it. The activity itself is described in IEEE LOM with MedBiquitous' healthcare
extension (ids, title, description, dates, format, providership and joint providers, one ``credits`` per credit
type); commercial support, what the activity is designed to change and which changes are measured are MEMS
elements; learner counts come from the collector's database when one is given. What PARS adds on top of MEMS
(measured outcomes by Moore level, delivery method) goes into ``XtensibleInfo`` in this tool's own namespace,
because ACCME's namespace for those elements is not confirmed. docs/pars.md says what is confirmed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree as ET

import click

from patientvoice.cli import ROOT_OPTION
from patientvoice.compliance.statements import is_joint, joint_provider_names
from patientvoice.compliance.support import acknowledgement, company_name
from patientvoice.credit.registry import CREDIT_TYPES, PROFESSIONS

MEMS = "http://ns.medbiq.org/metrics/v1/"
LOM = "http://ltsc.ieee.org/xsd/LOM"
HX = "http://ns.medbiq.org/lom/extend/v1/"
PV = "urn:x-patientvoice:pars:1"  # XtensibleInfo: this tool's elements (ACCME's own namespace unconfirmed)
for prefix, uri in (("mems", MEMS), ("lom", LOM), ("hx", HX), ("pv", PV)):  # ACCMEActivities stays unqualified
    ET.register_namespace(prefix, uri)

# Per credit type: accrediting body, MedBiquitous creditType, creditUnit.
CREDIT_META = {"ama-pra-1": ("ACCME", "CME", "Credit"), "ancc": ("ANCC", "CNE", "Contact Hour"),
               "acpe": ("ACPE", "CPE", "Contact Hour"), "aapa-1": ("AAPA", "CME", "Credit"),
               "ipce": ("Joint Accreditation", "CE", "Credit"), "abim-moc": ("ABIM", "CME", "Point")}
# Objective level -> (MEMS "designed to change" element, PARS measured-outcome label).
LEVELS = {"knowledge": (None, "Learner Knowledge"),
          "competence": ("Competence", "Learner Competence"),
          "performance": ("Performance", "Learner Performance"),
          "patient-health": ("PatientOutcomes", "Patient Health")}
DESCRIPTION_MAX = 2500  # PARS' limit on the activity description


def _el(parent, ns: str, tag: str, text=None, **attrs) -> ET.Element:
    e = ET.SubElement(parent, f"{{{ns}}}{tag}", {k: str(v) for k, v in attrs.items()})
    if text is not None:
        e.text = str(text)
    return e


def _lang(parent, ns: str, tag: str, text: str) -> ET.Element:
    e = _el(parent, ns, tag)
    _el(e, LOM, "string", text, language="en")
    return e


def description(module) -> str:
    """The activity description PARS requires: what the module is and its objectives, within 2,500 characters."""
    objectives = "; ".join(" ".join(o.text.split()) for o in module.objectives)
    text = (f"{module.title}: an enduring material built on patient stories. After completing it, participants "
            f"should be able to: {objectives}.")
    return text if len(text) <= DESCRIPTION_MAX else text[:DESCRIPTION_MAX - 1] + "…"


def measured(module) -> dict[str, bool]:
    """Per objective level the module addresses: whether a post-test or follow-up item measures it."""
    asked = {}
    items = module.questionnaire.items if module.questionnaire else []
    for o in module.objectives:
        hit = any(i.objective == o.id and ({"post", "follow-up"} & set(i.phases)) for i in items)
        asked[o.level] = asked.get(o.level, False) or hit
    return asked


def learner_counts(rows: list[dict], claims: list[dict], module_id: str) -> dict:
    """Counts for one module from the collector: completions (post-tests), claims by PARS category, credit."""
    completed = {r["learner"] for r in rows if r.get("module") == module_id and r.get("phase") == "post"}
    mine = [c for c in claims if c["module"] == module_id]
    categories = Counter(PROFESSIONS[c["profession"]].pars_category for c in mine if c["profession"] in PROFESSIONS)
    # a claim under a credit type this version does not know (an older or edited database) awards no credit here
    awarded = [c for c in mine if c.get("credit_type") in CREDIT_TYPES
               and c["profession"] in CREDIT_TYPES[c["credit_type"]].professions]
    return {"completed": len(completed), "by_category": dict(sorted(categories.items())),
            "receiving_credit": len(awarded)}


def _credits(edu, course, module) -> None:
    provider = course.provider
    partners = joint_provider_names(course, module) if is_joint(module) else []
    for offer in module.credit_types:
        if offer.type not in CREDIT_TYPES or offer.amount is None:
            continue
        body, kind, unit = CREDIT_META[offer.type]
        credits = _el(edu, HX, "credits")
        _el(credits, HX, "accreditingBody", body)
        _el(credits, HX, "activityCertification", CREDIT_TYPES[offer.type].pars)
        _el(credits, HX, "creditType", kind)
        _el(credits, HX, "creditUnit", unit)
        _el(credits, HX, "pacing", "learner paced")
        _el(credits, HX, "accreditedProvider", provider.name)
        for name in partners:
            _el(credits, HX, "nonAccreditedProvider", name)
        _el(credits, HX, "releaseDate", module.activity["release"].isoformat())
        _el(credits, HX, "expirationDate", module.activity["expires"].isoformat())
        _el(credits, HX, "numberOfCredits", f"{offer.amount:g}")


def activity_metrics(course, module, counts: dict | None = None) -> ET.Element:
    """The ``MedicalEducationMetrics`` element of one module."""
    a = module.activity
    root = ET.Element(f"{{{MEMS}}}MedicalEducationMetrics")
    report = _el(root, MEMS, "ReportDescription")
    _el(report, MEMS, "ReportingStartDate", a["release"].isoformat())
    _el(report, MEMS, "ReportingEndDate", a["expires"].isoformat())
    desc = _el(root, MEMS, "ActivityDescription")
    lom = _el(desc, LOM, "lom")
    general = _el(lom, LOM, "general")
    ident = _el(general, LOM, "identifier")
    _el(ident, LOM, "catalog", "Provider Activity ID")
    _el(ident, LOM, "entry", a["id"])
    _lang(general, LOM, "title", module.title)
    _el(general, LOM, "language", "en")
    _lang(general, LOM, "description", description(module))
    edu = _el(_el(lom, HX, "healthcareMetadata"), HX, "healthcareEducation")
    _el(edu, HX, "expirationDate", a["expires"].isoformat())
    _el(edu, HX, "creditsAvailable", "yes" if module.credit_types else "no")
    _credits(edu, course, module)
    audience = _el(edu, HX, "targetAudience")
    for who in a.get("audience") or []:
        _lang(audience, HX, "profession", str(who))
    _el(edu, HX, "startDateTime", f"{a['release'].isoformat()}T00:00:00")
    _el(edu, HX, "endDateTime", f"{a['expires'].isoformat()}T00:00:00")
    _el(edu, HX, "activitySponsorship", "joint" if is_joint(module) else "direct")
    _el(edu, HX, "activityDelivery", "not live")
    _lang(edu, HX, "activityFormat", "Enduring Material" if a.get("format") == "enduring" else str(a.get("format")))
    _el(edu, HX, "commercialSupport", "yes" if module.commercial_support else "no")
    _lang(edu, HX, "commercialSupportAcknowledgement", acknowledgement(course, module))
    for s in module.commercial_support:
        amount = s.get("amount")
        if s.get("kind") == "educational-grant" and isinstance(amount, (int, float)) and not isinstance(amount, bool):
            _el(desc, MEMS, "CommercialSupportAmount", round(amount), currency=s.get("currency", ""),
                supportSource=company_name(course, s.get("company")))
    levels = measured(module)
    for level in ("Competence", "Performance", "PatientOutcomes"):
        _el(desc, MEMS, f"DesignedToChange{level}",
            str(any(LEVELS[k][0] == level for k in levels)).lower())
    for level in ("Competence", "Performance", "PatientOutcomes"):
        _el(desc, MEMS, f"ChangesIn{level}Measured",
            str(any(LEVELS[k][0] == level and hit for k, hit in levels.items())).lower())
    metrics = _el(root, MEMS, "ParticipationMetrics")
    if counts is not None:
        _el(metrics, MEMS, "NumberOfParticipantsReceivingCredit", counts["receiving_credit"])
        _el(metrics, MEMS, "NumberOfParticipantsCompletingActivity", counts["completed"])
        for category, n in counts["by_category"].items():
            _el(metrics, MEMS, "ParticipantsByCategory", n, category=category)
    extra = _el(root, MEMS, "XtensibleInfo")
    _el(extra, PV, "DeliveryMethod", "Online")
    outcomes = _el(extra, PV, "MeasuredOutcomes")
    for level, hit in levels.items():
        if hit and level in LEVELS:
            _el(outcomes, PV, "MeasuredOutcome", LEVELS[level][1], measurementType="Objective")
    for offer in module.credit_types:
        if offer.type == "abim-moc":
            moc = _el(extra, PV, "MOCRegistration", boardName="ABIM", mocPoints=f"{offer.amount:g}")
            for kind in offer.extra.get("moc_types") or []:
                _el(moc, PV, "MOCCreditType", kind)
    return root


def pars_activity_xml(course, rows: list[dict] | None = None, claims: list[dict] | None = None) -> bytes:
    """The PARS activity file for every module of ``course``; learner counts when ``rows``/``claims`` are given."""
    root = ET.Element("ACCMEActivities")
    for module in course.modules.values():
        counts = learner_counts(rows or [], claims or [], module.id) if rows is not None else None
        root.append(activity_metrics(course, module, counts))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _database_rows(database: str) -> tuple[list[dict], list[dict]]:
    from patientvoice.credit.cli import _claims

    with _claims(database) as claims:
        return claims.store.rows(), claims.all()


@click.command("pars-activity")
@ROOT_OPTION
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The XML file to write.")
@click.option("--database", default=None, metavar="URL|FILE",
              help="The collector's SQLite file or postgresql:// URL, for learner counts by category.")
def pars_activity(root, out, database):
    """Write the activities as ACCME PARS activity XML (MedBiquitous MEMS v1 with the healthcare LOM)."""
    from patientvoice.check import check_course
    from patientvoice.cli_build import _echo_problems

    course, problems = check_course(root, dt.date.today())
    if problems.errors:
        _echo_problems(problems.errors)  # each with its path:line, as build and the other exports print them
        raise click.ClickException(f"the course has {len(problems.errors)} error(s); run 'patientvoice check' "
                                   "and fix them before reporting to PARS")
    rows, claims = _database_rows(database) if database else (None, None)
    data = pars_activity_xml(course, rows, claims)
    from patientvoice.export.output import OutputError, write_whole

    try:
        write_whole(out, data)  # PARS must never get half a file
    except OutputError as exc:
        raise click.ClickException(str(exc))
    click.echo(f"wrote {out}: {len(course.modules)} activit{'y' if len(course.modules) == 1 else 'ies'}")
