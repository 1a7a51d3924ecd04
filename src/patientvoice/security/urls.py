"""The URL policy: links may use https:, http: or mailto:, or stay inside the site; resources stay inside the site.

Browsers read a URL after decoding character references, dropping tabs and newlines anywhere in it and
trimming control characters and spaces at its ends, so ``JaVa&#115;cript:`` and ``java\tscript:`` are
``javascript:`` to them; the policy normalises the same way before it looks at the scheme.
"""

from __future__ import annotations

import html
import re

SCHEMES = ("https", "http", "mailto")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
_INSIDE = re.compile(r"[\t\n\r]")  # removed anywhere in a URL by the WHATWG URL parser
_EDGES = "".join(chr(c) for c in range(0x21))  # C0 controls and space, trimmed at both ends


def normalise(url: str) -> str:
    """The URL as a browser would read it from an attribute: references decoded, tabs and newlines removed."""
    return _INSIDE.sub("", html.unescape(url)).strip(_EDGES)


def scheme(url: str) -> str | None:
    """The URL's scheme in lower case, or None for a relative (or protocol-relative) URL."""
    m = _SCHEME.match(normalise(url))
    return m.group(1).lower() if m else None


def other_host(url: str) -> bool:
    """True for a protocol-relative URL (``//host/x``; browsers read ``\\`` as ``/`` here), which leaves the site."""
    return normalise(url).replace("\\", "/").startswith("//")


def link_problem(url: str) -> str | None:
    """Why ``url`` may not be a link (``href``), or None: https, http, mailto, or a relative link in the site."""
    s = scheme(url)
    if s is not None and s not in SCHEMES:
        return f"'{s}:' links are not allowed; use https:, http: or mailto:, or a relative link inside the site"
    if s is None and other_host(url):
        return "a link starting with '//' leaves the site without saying how; write the full https:// address"
    return None


def resource_problem(url: str) -> str | None:
    """Why ``url`` may not be loaded by the page (``src``), or None: only files inside the site may be."""
    s = scheme(url)
    if s is not None or other_host(url):
        return ("images and other resources must be files inside the site (e.g. images/x.png next to the page); "
                "one from another address would be fetched by every reader and can track them")
    return None


def field_problem(url: str) -> str | None:
    """Why ``url`` may not be a web address field (e.g. a PAG's ``url``), or None: a full https/http address."""
    s = scheme(url)
    if any(c.isspace() for c in url.strip()):
        return "a web address has no spaces or line breaks; write it as one piece (spaces as %20)"
    if s == "mailto":
        return None
    if s in ("https", "http"):
        return None if re.match(r"(?i)https?://[^/?#\s]", normalise(url)) else "the address has no host; write https://host/..."
    return link_problem(url) or "write the full address, starting with https://"


def safe_link(url) -> str:
    """``url`` if it may be a link, else an empty string (a Jinja filter, so a bad URL never becomes a live link)."""
    return url if isinstance(url, str) and url.strip() and link_problem(url) is None else ""
