"""What a claim may name: professions, credit types, certifying boards and states, each a registry to extend.

Credit types are a mapping on purpose: per-profession credit (nursing, pharmacy, AAPA, IPCE) comes with the
accreditation issue and only adds entries here and a rule for which types an activity offers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Profession:
    """A learner's profession: the label the claim page shows and the PARS participant category."""

    id: str
    label: str
    pars_category: str


@dataclass(frozen=True)
class CreditType:
    """A kind of credit: names in the singular, the plural and for PARS, and who it is credit for."""

    id: str
    name: str  # as printed after a number: "0.75 AMA PRA Category 1 Credits™"
    name_plural: str
    designation_name: str  # as the designation statement writes it
    pars: str  # PARS activityCertification
    professions: tuple[str, ...]  # who is awarded this credit; everyone else gets a certificate of participation


PROFESSIONS = {p.id: p for p in (
    Profession("physician", "Physician (MD, DO)", "physician"),
    Profession("physician-assistant", "Physician assistant", "physician assistant"),
    Profession("nurse-practitioner", "Nurse practitioner", "nurse practitioner"),
    Profession("registered-nurse", "Registered nurse", "nurse"),
    Profession("pharmacist", "Pharmacist", "pharmacist"),
    Profession("other", "Other health professional", "other"),
)}
PHYSICIAN = "physician"

ALL_PROFESSIONS = tuple(PROFESSIONS)
NURSES = ("registered-nurse", "nurse-practitioner")

CREDIT_TYPES = {t.id: t for t in (
    CreditType("ama-pra-1", "AMA PRA Category 1 Credit™", "AMA PRA Category 1 Credits™",
               "AMA PRA Category 1 Credit(s)™", "AMA PRA Category 1", (PHYSICIAN,)),
    # Issue 13: per-profession credit. Names as the accreditors print them; PARS labels as in
    # credit-and-interoperability.md §1.1 (activityCertification), see docs/credit.md for what is confirmed.
    CreditType("ancc", "ANCC contact hour", "ANCC contact hours", "ANCC contact hour(s)", "Nursing", NURSES),
    CreditType("acpe", "ACPE contact hour", "ACPE contact hours", "contact hour(s)", "Pharmacy", ("pharmacist",)),
    CreditType("aapa-1", "AAPA Category 1 CME credit", "AAPA Category 1 CME credits",
               "AAPA Category 1 CME credit(s)", "AAPA Category 1", ("physician-assistant",)),
    # IPCE credit is for every member of the healthcare team (Joint Accreditation only).
    CreditType("ipce", "IPCE credit", "IPCE credits", "Interprofessional Continuing Education (IPCE) credit(s)",
               "IPCE", ALL_PROFESSIONS),
    # MOC points come on top of AMA credit for ABIM diplomates; the claim still awards AMA credit.
    CreditType("abim-moc", "ABIM MOC point", "ABIM MOC points", "MOC point(s)", "ABIM MOC", (PHYSICIAN,)),
)}
MOC_TYPES = {"medical-knowledge": "Medical Knowledge", "practice-assessment": "Practice Assessment",
             "patient-safety": "Patient Safety"}
UAN_RE = re.compile(r"^(?:JA)?[0-9]{7}-[0-9]{4}-[0-9]{2}-[0-9]{3}-[HLB][0-9]{2}-[PT]$")


def offers(activity: dict) -> list[dict]:
    """The credit types an activity designates as written: ``credit_types``, or AMA PRA Category 1 by default.

    Each offer is a dict with ``type`` and ``amount`` (the activity's credits unless given; ABIM MOC uses
    ``points``). Entries that are not mappings are left to the schema's problems.
    """
    raw = activity.get("credit_types")
    credits = activity.get("credits")
    if not isinstance(raw, list):
        return [{"type": "ama-pra-1", "amount": credits}] if credits else []
    out = []
    for entry in raw:
        if isinstance(entry, dict) and isinstance(entry.get("type"), str):
            amount = entry.get("points") if entry["type"] == "abim-moc" else entry.get("amount")
            out.append({**entry, "amount": credits if amount is None else amount})
    return out


def credit_types_for(activity: dict) -> list[str]:
    """The ids of the known credit types an activity offers (its ``credit_types``, default AMA PRA Category 1)."""
    return [o["type"] for o in offers(activity) if o["type"] in CREDIT_TYPES]


def credit_type_for_profession(offered, profession: str, requested: str | None = None) -> str | None:
    """The credit type a learner of ``profession`` receives among ``offered``: the profession's own type
    (physician AMA, nurse ANCC, pharmacist ACPE, PA AAPA), else IPCE when offered; else ``requested`` or the
    first offered type, which then gives a certificate of participation. ABIM MOC is never the credit itself.
    """
    offered = [t for t in offered if t in CREDIT_TYPES]
    own = [t for t in offered if t not in ("ipce", "abim-moc") and profession in CREDIT_TYPES[t].professions]
    if own:
        return own[0]
    if "ipce" in offered:
        return "ipce"
    if requested in offered:
        return requested
    claimable = [t for t in offered if t != "abim-moc"]
    return claimable[0] if claimable else None


# Certifying boards that take MOC reports through PARS (the PARS learner schema's boardName list).
BOARDS = {
    "ABA": "American Board of Anesthesiology",
    "ABIM": "American Board of Internal Medicine",
    "ABOHNS": "American Board of Otolaryngology – Head and Neck Surgery",
    "ABOS": "American Board of Orthopaedic Surgery",
    "ABP": "American Board of Pediatrics",
    "ABPATH": "American Board of Pathology",
    "ABS": "American Board of Surgery",
    "ABTS": "American Board of Thoracic Surgery",
}

# Licensing jurisdictions: the states, DC and the territories, by USPS code (the PARS ID domain of a licence).
STATES = frozenset("""AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM
NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR GU VI AS MP""".split())


def npi_valid(npi: str) -> bool:
    """True for a 10-digit NPI whose check digit is right (Luhn over the digits prefixed with 80840)."""
    if len(npi) != 10 or not npi.isdigit():
        return False
    digits = [int(d) for d in "80840" + npi[:9]]
    total = 0
    for i, d in enumerate(reversed(digits)):  # double every other digit, starting with the rightmost
        if i % 2 == 0:
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    return (10 - total % 10) % 10 == int(npi[9])
