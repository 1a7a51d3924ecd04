"""Commercial support (ACCME Standard 4): who supported the activity, with what, under which signed agreement.

The acknowledgement learners read is generated here too: supporters by name only (no logos), or the sentence
"This activity received no commercial support." Companies are resolved through ``company_name``, which uses the
course's companies registry (``Course.companies``, content/companies/, issue 13b) when the course has one.
"""

from __future__ import annotations

import datetime as dt
import re

from patientvoice.course.schema import ID_RE
from patientvoice.rules import E, Rule, register

register(
    Rule("support.agreement", E, "Commercial support has no written agreement signed before release",
         "Standard 4 requires a written agreement for every commercial support, signed by the provider and the "
         "supporter before the activity is released.",
         "Give the entry 'agreement: {reference: ..., signed: YYYY-MM-DD}' with a date on or before activity.release."),
    Rule("support.amount", E, "Commercial support does not say what was given",
         "The provider accounts for every commercial support: monetary support by amount and currency, in-kind "
         "support by a description.",
         "For an educational grant give 'amount' and 'currency' (ISO 4217, e.g. USD); for in-kind support give "
         "'description'."),
    Rule("support.company", E, "A commercial supporter is not a known company",
         "The acknowledgement names each supporter; an id that names no company would print a code to learners.",
         "Use the id of a file in content/companies/ or the company's name as written there."),
)

NO_SUPPORT = "This activity received no commercial support."
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


def _companies(course) -> dict:
    companies = getattr(course, "companies", None)
    return companies if isinstance(companies, dict) else {}


def resolve_company(course, ref):
    """The registry entry for ``ref`` (an id or the exact name), or None when the course has no such company."""
    if not isinstance(ref, str):
        return None
    lookup = getattr(course, "company", None)
    if callable(lookup):
        return lookup(ref)
    companies = _companies(course)
    if ref in companies:
        return companies[ref]
    return next((c for c in companies.values() if getattr(c, "name", None) == ref), None)


def company_name(course, ref) -> str:
    """The name learners read: the registry's name for an id or name, else the reference as written."""
    company = resolve_company(course, ref)
    return getattr(company, "name", None) or str(ref or "")


def acknowledgement(course, module) -> str:
    """The Standard 4 acknowledgement: supporters by name and kind of support, or that there was none."""
    parts = []
    for s in module.commercial_support:
        name = company_name(course, s.get("company"))
        if not name:
            continue
        parts.append(f"{'an educational grant' if s.get('kind') == 'educational-grant' else 'in-kind support'} "
                     f"from {name}")
    if not parts:
        return NO_SUPPORT
    return f"This activity is supported by {'; '.join(parts)}."


def check(course, problems, today) -> None:
    """Record Standard 4 problems for every module's commercial_support entries."""
    for m in course.modules.values():
        release = m.activity.get("release")
        for i, s in enumerate(m.commercial_support):
            where, line = f"commercial_support[{i}]", m.line("commercial_support", i)
            ref = s.get("company")
            if isinstance(ref, str) and ref and resolve_company(course, ref) is None \
                    and (_companies(course) or ID_RE.match(ref)):
                problems.add(m.path, m.line("commercial_support", i, "company"), "support.company",
                             f"{where}.company: '{ref}' is not in content/companies/; add the company's file or "
                             "write the id or name it has there")
            kind = s.get("kind")
            if kind == "educational-grant":
                amount, currency = s.get("amount"), s.get("currency")
                if not isinstance(amount, (int, float)) or isinstance(amount, bool) or amount <= 0:
                    problems.add(m.path, m.line("commercial_support", i, "amount"), "support.amount",
                                 f"{where}: an educational grant needs its 'amount' (a number above 0)")
                if not (isinstance(currency, str) and CURRENCY_RE.match(currency)):
                    problems.add(m.path, m.line("commercial_support", i, "currency"), "support.amount",
                                 f"{where}: an educational grant needs its 'currency' as an ISO 4217 code such as USD")
            elif kind == "in-kind" and not (isinstance(s.get("description"), str) and s["description"].strip()):
                problems.add(m.path, line, "support.amount",
                             f"{where}: in-kind support needs a 'description' of what was given")
            agreement = s.get("agreement") if isinstance(s.get("agreement"), dict) else {}
            reference, signed = agreement.get("reference"), agreement.get("signed")
            if not agreement or not reference or signed is None:
                missing = [k for k, v in (("reference", reference), ("signed", signed)) if not v]
                problems.add(m.path, line, "support.agreement",
                             f"{where}: the written agreement's {' and '.join(missing)} missing; record "
                             "'agreement: {reference: ..., signed: YYYY-MM-DD}'")
            elif isinstance(signed, dt.date) and not isinstance(signed, dt.datetime) \
                    and isinstance(release, dt.date) and signed > release:
                problems.add(m.path, m.line("commercial_support", i, "agreement", "signed"), "support.agreement",
                             f"{where}: the agreement was signed on {signed}, after the release on {release}; it must "
                             "be signed before the activity is released")
