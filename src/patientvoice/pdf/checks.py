"""What the printed PDFs lose when the course leaves something out: the site's address, the pack's return address.

Both are warnings, checked only when the course builds PDFs (the plugin's ``pdf`` option is not false): the
PDFs are still made, but a reader of the paper cannot reach the website, or does not know where to send the
forms.
"""

from __future__ import annotations

from pathlib import Path

from patientvoice.course.sources import line_of, named_entries
from patientvoice.rules import W, Rule, register

register(
    Rule("pdf.no-site-url", W, "The handouts cannot print the course's web address",
         "A handout or questionnaire pack printed from a course with site_url carries the module's web address "
         "and a QR code of it, so a reader of the paper can take the questionnaires and claim credit online. "
         "Without site_url in mkdocs.yml patientvoice does not know the address, so the PDFs leave both out.",
         "Add `site_url: https://…/` (the address the site is published at) to mkdocs.yml; mkdocs uses it too, "
         "for canonical links and the sitemap."),
    Rule("pdf.no-return-address", W, "The questionnaire pack does not say where to send it",
         "A learner working on paper returns the questionnaires and the claim form by post or scan; without an "
         "address the pack can only tell them to ask whoever gave it to them.",
         "Add `address:` (the postal address, one line per line) to content/provider.yml, and optionally "
         "`return_to:` (how to return it, such as scanning and e-mailing the pages)."),
)


def _plugin_options(cfg) -> dict:
    from patientvoice.site.options import resolve

    for name, options in named_entries(cfg.get("plugins")):
        if name == "patientvoice":
            return resolve(options) if isinstance(options, dict) else {}
    return {}


def check_print(root: Path, course, cfg, problems) -> None:
    """Warn about what the PDFs of a course lose (pdf.no-site-url, pdf.no-return-address); ``cfg`` is mkdocs.yml."""
    if course is None or not course.modules or _plugin_options(cfg).get("pdf", True) is False:
        return
    if not cfg.get("site_url"):
        problems.add(root / "mkdocs.yml", line_of(cfg, "site_name") if "site_name" in cfg else 1, "pdf.no-site-url",
                     "no site_url: the printed handouts and questionnaire packs cannot give the course's web address "
                     "or a QR code of it, so a reader of the paper cannot find the website; add "
                     "`site_url: https://…/` (where the site is published) to mkdocs.yml")
    packs = any(m.questionnaire is not None and m.questionnaire.items for m in course.modules.values())
    provider = course.provider
    if packs and provider is not None and not (provider.address or "").strip():
        path = provider.path if getattr(provider, "path", None) else root / "content" / "provider.yml"
        problems.add(path, 1, "pdf.no-return-address",
                     "no address: the printed questionnaire pack cannot say where to send the completed forms and "
                     "the claim form; add `address:` (the provider's postal address) and optionally `return_to:` "
                     "(how to return them) to content/provider.yml")
