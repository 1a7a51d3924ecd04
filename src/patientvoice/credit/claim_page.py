"""The claim page ``/<module>/claim/``: the form a learner fills in to claim credit, enhanced by theme/assets/claim.js.

The page is plain HTML; the script decides from what this browser stored (post-test attempts, their scores,
the evaluation) whether the learner may claim yet, and says what is missing. The collector decides again on
the server. The same fields are printed as the paper claim form in the questionnaire pack (pdf/html.py).
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from patientvoice.credit import registry
from patientvoice.course.model import Course, Item, Module
from patientvoice.site.questionnaire import REQUIRED_KINDS
from patientvoice.render import env

# Labels from the collector's registry, so the page offers exactly what POST /claims accepts.
PROFESSIONS = tuple((p.id, p.label) for p in registry.PROFESSIONS.values())
BOARDS = tuple(registry.BOARDS.items())
_STATES = ("AL Alabama|AK Alaska|AS American Samoa|AZ Arizona|AR Arkansas|CA California|CO Colorado|"
           "CT Connecticut|DE Delaware|DC District of Columbia|FL Florida|GA Georgia|GU Guam|HI Hawaii|ID Idaho|"
           "IL Illinois|IN Indiana|IA Iowa|KS Kansas|KY Kentucky|LA Louisiana|ME Maine|MD Maryland|"
           "MA Massachusetts|MI Michigan|MN Minnesota|MS Mississippi|MO Missouri|MT Montana|NE Nebraska|NV Nevada|"
           "NH New Hampshire|NJ New Jersey|NM New Mexico|NY New York|NC North Carolina|ND North Dakota|"
           "MP Northern Mariana Islands|OH Ohio|OK Oklahoma|OR Oregon|PA Pennsylvania|PR Puerto Rico|"
           "RI Rhode Island|SC South Carolina|SD South Dakota|TN Tennessee|TX Texas|VI U.S. Virgin Islands|UT Utah|"
           "VT Vermont|VA Virginia|WA Washington|WV West Virginia|WI Wisconsin|WY Wyoming")
STATES = tuple(tuple(s.split(" ", 1)) for s in _STATES.split("|"))  # (USPS code, name); codes as registry.STATES
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
ATTESTATION = "I claim only the credit commensurate with the extent of my participation in the activity."


def claim_url(submit_url: str = "", override: str = "") -> str:
    """Where claims are POSTed: the ``claim_url`` option, else ``submit_url``'s origin + ``/claims``, else ""."""
    if override:
        return override
    parts = urlsplit(submit_url or "")
    return f"{parts.scheme}://{parts.netloc}/claims" if parts.scheme and parts.netloc else ""


def credit_steps(maximum) -> list[str]:
    """The credit a learner may claim, in 0.25 steps up to the designated maximum, largest first."""
    quarters = int(round(float(maximum) * 4))
    return [f"{q / 4:g}" for q in range(quarters, 0, -1)]


def credit_types(module: Module) -> list[tuple[str, str]]:
    """(value, label) of the credit types a module offers (registry.credit_types_for: its activity.credit_types)."""
    return [(t, registry.CREDIT_TYPES[t].name) for t in registry.credit_types_for(module.activity)]


def contact_link(contact: str) -> str:
    """The provider's contact as a link target: ``mailto:`` for an address, the URL itself for a web page."""
    contact = (contact or "").strip()
    if "@" in contact and ":" not in contact:
        return f"mailto:{contact}"
    return contact if contact.startswith(("https://", "http://", "mailto:")) else ""


def _json_attr(value) -> str:
    return json.dumps(value, separators=(",", ":"))


def claim_page(course: Course, module: Module, *, claim_url: str = "", submit_url: str = "", attempts: int = 1,
               evaluation: list[Item] | None = None) -> str:
    """The claim page of one module, as HTML: progress, the form, and the provider's route without a collector."""
    from patientvoice.compliance.statements import credit_lines
    from patientvoice.site.questionnaire import evaluation_items

    extra = evaluation if evaluation is not None else evaluation_items(None)
    required = [i.id for i in extra if i.kind in REQUIRED_KINDS]
    # The form offers up to the largest amount any credit type designates; the collector then caps the claim at
    # the amount of the type the learner's profession receives (credit/claim.py).
    amounts = [o.amount for o in module.credit_types if isinstance(o.amount, (int, float))]
    maximum = max(amounts or [module.activity.get("credits", 0) or 0])
    return env().get_template("claim.html").render(
        module=module, provider=course.provider, claim_url=claim_url, submit_url=submit_url,
        attempts=max(1, int(attempts or 1)), evaluation=_json_attr(required), credit_max=f"{float(maximum):g}",
        steps=credit_steps(maximum), credit_types=credit_types(module), credit_lines=credit_lines(module), professions=PROFESSIONS, boards=BOARDS,
        states=STATES, months=MONTHS, attestation=ATTESTATION, contact=course.provider.contact,
        contact_href=contact_link(course.provider.contact))
