"""The certificate: a one-page PDF per claim, rendered by WeasyPrint with the course's print theme.

What the certificate prints is fixed when the claim is accepted (the claim's ``certificate`` snapshot: title,
provider, statements), so a certificate reissued years later says what the learner was awarded, whatever the
course has become. The rendering reuses the handouts' pieces: the theme's print.css and embedded fonts, the
confined fetcher, no attachments, tagged PDF/UA-1.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import segno
from markupsafe import Markup

from patientvoice import __version__
from patientvoice.credit.policy import Activity, Setup
from patientvoice.credit.registry import CREDIT_TYPES, PROFESSIONS
from patientvoice.render import env, long_date

FORMAT = "Enduring material"


def amount(credits: float) -> str:
    """Credits as printed: 0.75, 1, 1.5."""
    return f"{credits:g}"


def designation(provider: str, credits: float, credit_type: str = "ama-pra-1") -> str:
    """The designation statement of ``credit_type`` for an enduring material, word for word (statements.py)."""
    from patientvoice.compliance.statements import designation as official

    return official(provider, credit_type, credits)


# Who a credit type is for, as the certificate of participation says it ("designated ... for physicians").
FOR_WHOM = {"ama-pra-1": "physicians", "ancc": "nurses", "acpe": "pharmacists", "aapa-1": "PAs",
            "ipce": "the healthcare team", "abim-moc": "ABIM diplomates"}


def snapshot(setup: Setup, act: Activity, credit_type: str, verify_url: str) -> dict:
    """What the certificate prints about the activity and provider, frozen when the claim is accepted."""
    provider = setup.provider
    designated = act.amounts.get(credit_type) or act.credits
    # Issue 13: the statements generated for the module (compliance/statements.py), frozen with the claim.
    return {"title": act.title, "activity_id": act.id, "format": FORMAT, "designated": designated,
            "provider": provider.name,
            "accreditation": act.accreditation or " ".join(provider.accreditation_statement.split()),
            "designation": act.statements.get(credit_type) or designation(provider.name, designated, credit_type),
            "contact": provider.contact, "paper": setup.paper, "verify": verify_url}


def credit_text(claim: dict) -> str:
    """The credit a claim was awarded, in words: credits for physicians, hours of participation for others."""
    ctype = CREDIT_TYPES[claim["credit_type"]]
    n = amount(claim["credits"])
    if claim["profession"] in ctype.professions:
        return f"{n} {ctype.name if n == '1' else ctype.name_plural}"
    return f"{n} hour{'s' * (n != '1')} of participation (certificate of participation)"


def _profession(claim: dict) -> str:
    if claim["profession"] == "other" and claim.get("profession_other"):
        return claim["profession_other"]
    return PROFESSIONS[claim["profession"]].label


def _fields(claim: dict) -> dict:
    snap, ctype = claim["certificate"], CREDIT_TYPES[claim["credit_type"]]
    physician = claim["profession"] in ctype.professions
    n = amount(claim["credits"])
    profession = _profession(claim)
    verify_url = snap["verify"]
    qr = segno.make(verify_url, error="m").svg_inline(scale=4, border=0, dark="#1d1d1f")
    return {**snap, "name": claim["name"], "completed": claim["completed"],
            "completed_long": long_date(dt.date.fromisoformat(claim["completed"])), "physician": physician,
            "heading": "Certificate of completion" if physician else "Certificate of participation",
            "lead": f"has {'completed' if physician else 'participated in'} the enduring material",
            "credits": n, "credit_name": ctype.name if n == "1" else ctype.name_plural,
            "designation_name": ctype.designation_name, "designated": amount(snap["designated"]),
            "designated_for": FOR_WHOM.get(claim["credit_type"], "physicians"),
            "profession": profession,
            "profession_article": ("an " if profession[:1].lower() in "aeiou" else "a ") + profession.lower(),
            "qr": Markup(qr)}


def certificate_html(claims: list[dict]) -> str:
    """The print HTML of one certificate per claim, one page each."""
    certs = [_fields(c) for c in claims]
    title = (f"Certificate: {certs[0]['name']}, {certs[0]['title']}" if len(certs) == 1
             else f"Transcript: {certs[0]['name']}, {len(certs)} certificates")
    return env().get_template("certificate.html").render(
        certificates=certs, title=title, author=certs[0]["provider"], lang="en", version=__version__)


def render_pdf(html: str, theme: Path, paper: str) -> bytes:
    """Render print HTML to PDF bytes with the theme's print.css and fonts, confined like the handouts."""
    from weasyprint import HTML

    from patientvoice.pdf.fetcher import drop_attachments, make_fetcher, strip_attachments
    from patientvoice.pdf.render import PDF_VARIANT, _styles, theme_digest

    theme = Path(theme).absolute()  # the course's theme/, over the package's (site/theme.py); it need not exist
    fonts, sheets = _styles(str(theme), paper, theme_digest(theme))
    doc = HTML(string=html, base_url=theme.as_uri() + "/", url_fetcher=make_fetcher(theme.parent))
    strip_attachments(doc.etree_element)
    rendered = doc.render(stylesheets=sheets, font_config=fonts, pdf_variant=PDF_VARIANT)
    drop_attachments(rendered)
    return rendered.write_pdf(pdf_variant=PDF_VARIANT)


def certificate_pdf(claims: list[dict], theme: Path) -> bytes:
    """One PDF holding the certificate of each claim, on the paper the first claim's course set."""
    paper = claims[0]["certificate"].get("paper", "A4")
    return render_pdf(certificate_html(claims), theme, paper)
