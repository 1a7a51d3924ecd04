"""What a claim may name: professions, credit types, certifying boards and states, each a registry to extend.

Credit types are a mapping on purpose: per-profession credit (nursing, pharmacy, AAPA, IPCE) comes with the
accreditation issue and only adds entries here and a rule for which types an activity offers.
"""

from __future__ import annotations

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

CREDIT_TYPES = {t.id: t for t in (
    CreditType("ama-pra-1", "AMA PRA Category 1 Credit™", "AMA PRA Category 1 Credits™",
               "AMA PRA Category 1 Credit(s)™", "AMA PRA Category 1", (PHYSICIAN,)),
)}


def credit_types_for(activity: dict) -> list[str]:
    """The credit types an activity offers; today every activity with credits designates AMA PRA Category 1."""
    return ["ama-pra-1"] if activity.get("credits") else []


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
