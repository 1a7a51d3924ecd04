"""What WeasyPrint may load while it renders a PDF: the course's own images, stylesheets and fonts, nothing else.

WeasyPrint fetches every URL in the print HTML and in print.css through one URL fetcher, and by default it
follows ``file:`` URLs anywhere on the machine, ``http(s):`` anywhere on the network, and ``data:``. It also
embeds the target of ``<a rel="attachment">`` and ``<link rel="attachment">`` in the PDF as a file. A story
linking to ``../../../../etc/passwd`` or an ``<img src="/home/…">`` would put host files into a handout.

So the fetcher serves only regular files under the course's ``modules/``, ``content/`` and ``theme/``
(resolved: a link out of them is refused) and, read-only, patientvoice's default theme (a URL under the
course's ``theme/`` that the course does not have is the package's file: site/theme.py), of the types a page draws with (images, stylesheets, fonts), read a
bounded amount; it refuses every other scheme, ``data:`` included (nothing patientvoice makes uses it). And
``strip_attachments`` takes ``attachment`` out of every ``rel`` before rendering, so no file is embedded at
all; the type allow-list means an attachment that slipped through could not be fetched either.
"""

from __future__ import annotations

import mimetypes
import os
import re
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from patientvoice.security.files import Refused, in_course
from patientvoice.site.theme import effective_path, in_package_theme, read_theme

MAX_RESOURCE_BYTES = 20 * 1024 * 1024  # a print image or font is far smaller; more is a mistake or an attack
SERVED = {  # extension -> MIME type: what a printed page draws with
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp",
    ".svg": "image/svg+xml", ".css": "text/css", ".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf",
    ".otf": "font/otf",
}
_TOKENS = re.compile(r"[^\t\n\f\r ]+")


class Outside(ValueError):
    """A URL the PDF renderer must not load; the message says which and why, in an author's words."""


def confined_path(url: str, root: Path | str) -> str:
    """The resolved file a ``file:`` URL names, if it is one the PDF may use; else ``Outside``."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file":
        raise Outside(f"{url[:80]} is not a local file; PDFs use only the course's own files, never the network "
                      "or data: URLs")
    if parts.netloc not in ("", "localhost"):
        raise Outside(f"{url[:80]} names another machine; PDFs use only the course's own files")
    path = url2pathname(parts.path)
    real = os.path.realpath(effective_path(root, path))
    if not in_course(real, os.path.realpath(root)) and not in_package_theme(real):
        raise Outside(f"{path} is outside the course's modules/, content/ and theme/ folders; PDFs use only the "
                      "course's own files")
    if os.path.splitext(real)[1].lower() not in SERVED:
        raise Outside(f"{path} is not an image, stylesheet or font; PDFs embed no other files")
    return real


def make_fetcher(root: Path | str):
    """A WeasyPrint URL fetcher confined to the course at ``root`` (WeasyPrint is imported only here)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class CourseOnly(URLFetcher):
        """Serves the course's images, stylesheets and fonts; refuses everything else."""

        def fetch(self, url, headers=None):
            real = confined_path(url, root)
            try:
                body = read_theme(real, root, MAX_RESOURCE_BYTES)
            except Refused as refused:
                raise Outside(f"{url2pathname(urlsplit(url).path)} {refused.message}") from None
            mime = SERVED.get(os.path.splitext(real)[1].lower()) or mimetypes.guess_type(real)[0]
            return URLFetcherResponse(url, body, {"Content-Type": mime})

    return CourseOnly(allowed_protocols=("file",))


def strip_attachments(root_element) -> int:
    """Remove the ``attachment`` link type from every ``rel`` in the tree; return how many were removed."""
    removed = 0
    for element in root_element.iter():
        rel = element.get("rel")
        if not rel:
            continue
        tokens = _TOKENS.findall(rel)
        kept = [t for t in tokens if t.lower() != "attachment"]
        if len(kept) != len(tokens):
            removed += 1
            if kept:
                element.set("rel", " ".join(kept))
            else:
                del element.attrib["rel"]
    return removed


def drop_attachments(document) -> None:
    """Second line: forget any attachment a rendered WeasyPrint document still holds before it is written."""
    document.metadata.attachments = []
    for page in document.pages:
        page.links = [link for link in page.links if link[0] != "attachment"]
