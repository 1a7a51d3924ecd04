"""The PDFs on the web and the web in the PDFs: published handout files, their links, the site's address and QR code.

``patientvoice build`` copies each module's handout and questionnaire pack into the site under ``handouts/``
(never the answer key: it is for facilitators), and every module page links them through ``handout_links``,
one function any engine can call. The other way round, a handout printed from a course with ``site_url`` in
mkdocs.yml carries the module's web address and a QR code of it, so a reader of the paper can go online to
take the questionnaires and claim credit.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

import segno
from markupsafe import Markup, escape

from patientvoice.course.model import Module

FOLDER = "handouts"  # where, inside the published site, the PDFs go
PUBLISHED = (("", "Printable handout (PDF)"), ("-questionnaires", "Questionnaires and claim form to print (PDF)"))


def published_names(module: Module) -> list[tuple[str, str]]:
    """(file name, link text) of the PDFs of ``module`` that the site publishes: handout, then pack if it has one."""
    has_items = module.questionnaire is not None and bool(module.questionnaire.items)
    return [(f"{module.id}{suffix}.pdf", label) for suffix, label in PUBLISHED[: 2 if has_items else 1]]


def handout_links(module: Module, prefix: str = "../") -> str:
    """The module page's links to its published PDFs, as HTML; ``prefix`` leads from the page to the site root.

    Module pages live at ``<module>/``, so the default reaches ``handouts/`` from them.
    """
    items = "".join(f'<li><a href="{escape(prefix)}{FOLDER}/{escape(name)}" type="application/pdf">'
                    f"{escape(label)}</a></li>" for name, label in published_names(module))
    return (f'<nav class="pv-handouts" aria-label="Printable versions"><ul class="pv-handouts__list">{items}</ul>'
            "</nav>")


def publish_handouts(modules, pdf_dir: Path, site_dir: Path) -> list[Path]:
    """Copy each module's published PDFs from ``pdf_dir`` into ``site_dir/handouts``; return the files written.

    Hard links where the file system allows (the two folders are siblings in one build), else copies.
    """
    import os
    import shutil

    target = Path(site_dir) / FOLDER
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for module in modules:
        for name, _ in published_names(module):
            source, dest = Path(pdf_dir) / name, target / name
            try:
                os.link(source, dest)
            except OSError:
                shutil.copyfile(source, dest)
            written.append(dest)
    return written


def module_url(site_url: str, module: Module) -> str:
    """The module page's full web address under ``site_url`` ('' when the course has no site_url)."""
    if not site_url:
        return ""
    return urljoin(site_url if site_url.endswith("/") else site_url + "/", f"{module.id}/")


def qr_svg(url: str) -> Markup:
    """A QR code of ``url`` as inline SVG (vector, so it prints sharp at any size), as the certificate draws it."""
    return Markup(segno.make(url, error="m").svg_inline(scale=4, border=0, dark="#1d1d1f",
                                                        svgclass="pv-qr__code", omitsize=True))


def online(site_url: str, module: Module) -> dict | None:
    """What a printed page shows of the web: the course and module addresses and the module's QR code."""
    url = module_url(site_url, module)
    if not url:
        return None
    return {"site": site_url, "module": url, "qr": qr_svg(url)}
