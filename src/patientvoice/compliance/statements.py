"""The accreditation and credit designation statements, generated word for word from the course's data.

Authors do not type these statements: the provider's accreditation body (ACCME or Joint Accreditation), the
module's providership and joint providers, and its credit types decide the wording (reference
cme-requirements.md §1.6 for the ACCME, joint-providership and Joint Accreditation statements and the AMA
designation; docs/credit.md says which of the other bodies' wordings are confirmed). Every place that shows a
statement (site, handout, certificate, audit file, PARS) calls these functions.
"""

from __future__ import annotations

from patientvoice.credit.registry import CREDIT_TYPES, MOC_TYPES

ACCME_NAME = "the Accreditation Council for Continuing Medical Education (ACCME)"
JA_BODIES = ("the American Nurses Credentialing Center (ANCC), the Accreditation Council for Pharmacy Education "
             "(ACPE), and the Accreditation Council for Continuing Medical Education (ACCME)")
FORMATS = {"enduring": "enduring material"}  # the learning format the AMA statement must name


def amount(value) -> str:
    """Credits as printed: 0.75, 1, 1.5."""
    return f"{float(value):g}"


def and_list(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def joint_provider_names(course, module) -> list[str]:
    """The joint providers' names: a content/pags id is shown as the group's name, anything else as written."""
    raw = module.activity.get("joint_providers")
    names = []
    for ref in raw if isinstance(raw, list) else []:
        pag = course.pags.get(ref) if isinstance(ref, str) else None
        names.append(pag.name if pag else str(ref))
    return names


def is_joint(module) -> bool:
    """True when the module is jointly provided."""
    return module.activity.get("providership") == "joint"


def accreditation_statement(course, module) -> str:
    """The accreditation statement for ``module``: direct or joint, ACCME or Joint Accreditation wording."""
    provider = course.provider
    name = provider.name
    partners = joint_provider_names(course, module) if is_joint(module) else []
    if provider.accreditation_body == "Joint Accreditation":
        accredited = (f"{name} is accredited by {JA_BODIES}, to provide continuing education for the healthcare "
                      "team.")
        if partners:
            return (f"This activity has been planned and implemented by {and_list([name, *partners])} for the "
                    f"advancement of patient care. {accredited}")
        return f"In support of improving patient care, {accredited}"
    accredited = f"{name} is accredited by {ACCME_NAME} to provide continuing medical education for physicians."
    if partners:
        return ("This activity has been planned and implemented in accordance with the accreditation requirements "
                f"and policies of {ACCME_NAME} through the joint providership of {and_list([name, *partners])}. "
                f"{accredited}")
    return accredited


def designation(provider_name: str, credit_type: str, value, fmt: str = "enduring", extra: dict | None = None) -> str:
    """The designation statement of one credit type, with the official wording of its accreditor."""
    extra = extra or {}
    n = amount(value)
    material = FORMATS.get(fmt, str(fmt).replace("-", " "))
    if credit_type == "ama-pra-1":
        return (f"{provider_name} designates this {material} for a maximum of {n} AMA PRA Category 1 Credit(s)™. "
                "Physicians should claim only the credit commensurate with the extent of their participation in the "
                "activity.")
    if credit_type == "ancc":
        return f"{provider_name} designates this activity for a maximum of {n} ANCC contact hour(s)."
    if credit_type == "acpe":
        return (f"{provider_name} designates this activity for {n} contact hour(s) ({float(value) / 10:g} CEUs) of "
                "the Accreditation Council for Pharmacy Education. "
                f"(Universal Activity Number {extra.get('uan', '')})")
    if credit_type == "aapa-1":
        return (f"{provider_name} has been authorized by the American Academy of PAs (AAPA) to award AAPA Category 1 "
                "CME credit for activities planned in accordance with AAPA CME Criteria. This activity is designated "
                f"for {n} AAPA Category 1 CME credit(s). PAs should only claim credit commensurate with the extent of "
                "their participation.")
    if credit_type == "ipce":
        return ("This activity was planned by and for the healthcare team, and learners will receive "
                f"{n} Interprofessional Continuing Education (IPCE) credit(s) for learning and change.")
    if credit_type == "abim-moc":
        kinds = [MOC_TYPES[k] for k in extra.get("moc_types") or ["medical-knowledge"] if k in MOC_TYPES]
        return ("Successful completion of this CME activity, which includes participation in the evaluation "
                f"component, enables the participant to earn up to {n} {' and '.join(kinds)} MOC point(s) in the "
                "American Board of Internal Medicine's (ABIM) Maintenance of Certification (MOC) program. It is the "
                "CME activity provider's responsibility to submit participant completion information to ACCME for "
                "the purpose of granting ABIM MOC credit.")
    raise KeyError(credit_type)


def designation_statements(course, module) -> list[tuple[str, str]]:
    """(credit type id, statement) for each credit type the module designates, in the order written."""
    fmt = module.activity.get("format", "enduring")
    out = []
    for offer in module.credit_types:
        if offer.type in CREDIT_TYPES and offer.amount is not None:
            out.append((offer.type, designation(course.provider.name, offer.type, offer.amount, fmt, offer.extra)))
    return out


def same_wording(a: str, b: str) -> bool:
    """True when two statements differ at most in spacing and line breaks."""
    return " ".join(a.split()) == " ".join(b.split())


def provider_statements(course, module) -> tuple[str, list[tuple[str, str]]]:
    """What learners read: the provider's approved free text when ``statements_approved`` (the credit statement
    replacing the AMA one, ``{credits}`` filled in), else the generated statements."""
    provider = course.provider
    accreditation = accreditation_statement(course, module)
    designations = designation_statements(course, module)
    if provider.statements_approved:
        if provider.accreditation_statement.strip():
            accreditation = " ".join(provider.accreditation_statement.split())
        if provider.credit_statement.strip():
            credits = module.activity.get("credits")
            custom = " ".join(provider.credit_statement.split()).replace("{credits}", amount(credits or 0))
            designations = [(t, custom if t == "ama-pra-1" else s) for t, s in designations]
    return accreditation, designations


def credit_lines(module) -> list[str]:
    """The credit facts line by line, e.g. "1 AMA PRA Category 1 Credit™", "0.75 ANCC contact hours"."""
    lines = []
    for o in module.credit_types:
        if o.type in CREDIT_TYPES and o.amount is not None:
            kind = CREDIT_TYPES[o.type]
            lines.append(f"{amount(o.amount)} {kind.name if amount(o.amount) == '1' else kind.name_plural}")
    return lines
