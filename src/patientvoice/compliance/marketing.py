"""Standard 5 (no marketing): trade-name marks, links to ineligible companies, logos and trackers in content.

Learners must see no marketing produced by or for an ineligible company while they learn: no ® or ™ product
names (the AMA credit mark excepted), no links to the companies' sites, no logos, no analytics or advertising
trackers. Module bodies, the other pages in modules/, story bodies, the text of PAG files and data sets and the
text fields of module and story front matter and questionnaires are scanned, each finding an error at its line.
Scripts and iframes stay content.unsafe-html / content.raw-html (their messages already name Standard 5); this
family adds trackers those rules let through (a link to an ad host, a 1x1 image; a script from a known tracker
host is named as such too). Every pattern is bounded by a character class that stops at the next delimiter,
so a scan is linear in the text (tests/test_limits.py runs them on 64 KB of hostile text). Lines holding an
entity, a %-escape, a 'user@' or a full-width character get a second look as a browser decodes them, so
``acme-pharma&#46;example`` is found like ``acme-pharma.example``.
"""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_right
from urllib.parse import unquote

from patientvoice.compliance.content import _Reporter
from patientvoice.course.sources import line_of
from patientvoice.rules import E, Rule, register
from patientvoice.security.markup import scan

register(
    Rule("marketing.trade-mark", E, "Content carries a ® or ™ trade-name mark",
         "Standard 5: educational materials contain no trade names or product-group messages of ineligible "
         "companies; a registered-mark symbol is product promotion (the AMA PRA Category 1 Credit™ mark excepted).",
         "Use the generic (non-proprietary) name and drop the mark; write 'AMA PRA Category 1 Credit™' as is."),
    Rule("marketing.ineligible-link", E, "Content links to an ineligible company's site",
         "Standard 5: learners must not be sent to product promotion from within accredited education.",
         "Remove the link, or cite an independent source (a guideline, a journal article, a regulator's label)."),
    Rule("marketing.logo", E, "Content shows an image marked as a logo",
         "Standards 4 and 5: no corporate or product logos in accredited content or in acknowledgements.",
         "Remove the logo image; name organisations in plain text."),
    Rule("marketing.tracker", E, "Content loads or links to a tracker",
         "Standard 5 and learners' privacy: analytics, advertising and tracking pixels report learners to third "
         "parties while they learn.",
         "Remove the tracker link or the 1x1 image; the site's own theme handles anything it needs."),
)

# Analytics and advertising hosts (and their subdomains); not exhaustive: the common ones pasted from templates.
TRACKER_HOSTS = ("google-analytics.com", "googletagmanager.com", "doubleclick.net", "googlesyndication.com",
                 "googleadservices.com", "adservice.google.com", "facebook.net", "connect.facebook.net",
                 "pixel.facebook.com", "hotjar.com", "segment.io", "segment.com", "mixpanel.com", "quantserve.com",
                 "scorecardresearch.com", "bat.bing.com", "analytics.twitter.com", "ads-twitter.com",
                 "ads.linkedin.com", "snap.licdn.com", "clarity.ms", "amplitude.com", "fullstory.com", "criteo.com",
                 "criteo.net", "taboola.com", "outbrain.com", "adnxs.com", "matomo.cloud", "hs-analytics.net",
                 "nr-data.net", "branch.io", "omtrdc.net", "demdex.net", "adsrvr.org", "tiktok.com/i18n/pixel")
_TM = re.compile(r"[®™]|&(?:reg|trade);|&#(?:174|x[aA][eE]|8482|x2122);")
_AMA = re.compile(r"AMA PRA Category 1 Credits?(?:\(s\))?(?:</i>|\*|_)?(?:™|&trade;|&#8482;|&#x2122;)")
# A URL's host: the host characters after a '//' (not inside a word or path) or a 'www.'; found with str.find,
# which is many times faster than a regex tried at every position of every body.
_HOST_CHARS = re.compile(r"[A-Za-z0-9.-]{1,253}")
_WORDISH = re.compile(r"[\w.-]")
# Possessive quantifiers (Python 3.11+): a long run of spaces is read once, never backtracked into.
_MD_IMAGE = re.compile(r"!\[([^\[\]\n]*+)\]\([ \t]*+<?([^\s()<>]*+)>?(?:[ \t]++(?:\"([^\"\n]*+)\"|'([^'\n]*+)'))?"
                       r"[ \t]*+\)(\{[^{}\n]*+\})?")
# What can hide a host from _hosts but not from a browser: entities, %-escapes, 'user@', non-ASCII full stops.
_DISGUISE = re.compile(r"&#|&[A-Za-z]+;|%[0-9A-Fa-f]{2}|@|[\u3002\uff01-\uff5e\uff61]")
_USERINFO = re.compile(r"//[^/\s@\"'<>()]*+@")
_ONE_PX = re.compile(r"^\s*[01](?:px)?\s*$")
_ATTR_SIZE = re.compile(r"\b(width|height)\s*=\s*[\"']?([01])(?:px)?\b")


def check(course, problems, today) -> None:
    """Record Standard 5 findings in module bodies, pages, story bodies and PAG and data-set text."""
    texts = [(m.path, m.body, m.body_line) for m in course.modules.values()]
    texts += [(path, text, 1) for path, text in course.pages.items()]
    texts += [(s.path, s.body, s.body_line) for s in course.stories.values()]
    domains = {d.lower().strip(".") for c in course.companies.values() if c.ineligible for d in c.domains if d.strip(".")}
    for path, text, first in texts:
        scan_text(text, first, _Reporter(problems, path), domains)
    # Text fields: PAG files and data sets, and what modules, stories and questionnaires show from their YAML
    # (titles, objectives, off-label uses, question stems and options: evaluation mechanisms carry no marketing).
    records = [*course.pags.values(), *course.datasets.values(), *course.stories.values(), *course.modules.values(),
               *(m.questionnaire for m in course.modules.values() if m.questionnaire is not None)]
    for record in records:
        # The review block is the tool's own record (dates, ids, fingerprints, file paths), never shown to learners.
        _fields(record.src, _Reporter(problems, record.path), domains, skip=("review",))


_TRACKERS = {name: "/" + path if path else "" for name, _, path in (t.partition("/") for t in TRACKER_HOSTS)}


def _host_matches(host: str, names) -> str | None:
    """The entry of ``names`` (a set) that ``host`` is, or is a subdomain of: one set lookup per label."""
    host = host.lower().strip(".")
    while host:
        if host in names:
            return host
        host = host.partition(".")[2]
    return None


def _tracker(url_host: str, rest: str) -> str | None:
    name = _host_matches(url_host, _TRACKERS)
    return name + _TRACKERS[name] if name and rest.startswith(_TRACKERS[name]) else None


def scan_text(text: str, first: int, report: _Reporter, domains: set[str]) -> None:
    """Report the Standard 5 findings in one Markdown text whose first line is ``first``."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    at = lambda offset: first + bisect_right(starts, offset) - 1  # noqa: E731
    if "®" in text or "™" in text or "&" in text:
        for n, line in enumerate(text.splitlines()):
            if (m := _TM.search(_AMA.sub("", line))) is not None:
                report.add(first + n, "marketing.trade-mark", f"'{m.group(0)}' marks a trade name; use the generic "
                           "name without the mark (only 'AMA PRA Category 1 Credit™' keeps its mark)")
    seen = set()
    for start, end in _hosts(text):
        seen.add(_host_finding(text, start, end, at(start), report, domains))
    if _DISGUISE.search(text):  # a browser reads through entities, %-escapes, user@ and other dots: so does this
        for n, line in enumerate(text.splitlines()):
            if _DISGUISE.search(line):
                plain = _plain(line)
                for start, end in _hosts(plain):
                    if (first + n, plain[start:end].lower().strip(".")) not in seen:
                        _host_finding(plain, start, end, first + n, report, domains)
    if "![" in text or "<" in text:
        _images(text, at, report)


def _host_finding(text: str, start: int, end: int, line: int, report: _Reporter, domains: set[str]):
    """Report the host at text[start:end] if it is an ineligible company's or a tracker's; return (line, host)."""
    host = text[start:end]
    company = _host_matches(host, domains)
    if company:
        report.add(line, "marketing.ineligible-link",
                   f"'{host}' is a domain of an ineligible company ({company}); remove the link")
    elif tracker := _tracker(host, text[end:end + 40]):
        report.add(line, "marketing.tracker", f"'{host}' is an analytics or advertising host ({tracker}); remove it")
    return line, host.lower().strip(".")


def _plain(line: str) -> str:
    """One line as a browser reads a web address in it: entities and %-escapes decoded, full-width and ideographic
    dots as '.', and the 'user@' before a host dropped."""
    text = unicodedata.normalize("NFKC", unquote(html.unescape(line))).replace("\u3002", ".")
    return _USERINFO.sub("//", text)


def _hosts(text: str):
    """(start, end) of every host name after a '//' that follows ':' or a non-word character, or at a 'www.'
    that starts a word. Each find starts past the last match, so the scan is linear."""
    low = text.lower() if "ww" in text.lower() else ""
    for needle, haystack, skip in (("//", text, 2), ("www.", low, 0)):
        i = haystack.find(needle)
        while i >= 0:
            before = text[i - 1] if i else " "
            starts_url = before == ":" if needle == "//" and _WORDISH.match(before) else not _WORDISH.match(before)
            m = _HOST_CHARS.match(text, i + skip) if starts_url else None
            if m:
                yield m.start(), m.end()
            i = haystack.find(needle, m.end() if m else i + 1)


def _images(text: str, at, report: _Reporter) -> None:
    for m in _MD_IMAGE.finditer(text):
        alt, src, title, attrs = m.group(1), m.group(2), m.group(3) or m.group(4) or "", m.group(5) or ""
        _image(at(m.start()), alt, src, title, attrs, attrs, report)
    if "<" in text:
        tags, _ = scan(text)
        for tag in tags:
            if tag.name == "img" and not tag.closing:
                a = dict(tag.attrs)
                size = " ".join(f'{k}="{v}"' for k, v in a.items() if k in ("width", "height", "style"))
                _image(at(0) + tag.line - 1, a.get("alt", ""), a.get("src", ""), a.get("title", ""),
                       a.get("class", ""), size, report)


def _image(line: int, alt: str, src: str, title: str, classes: str, size: str, report: _Reporter) -> None:
    name = unquote(html.unescape(src)).rsplit("/", 1)[-1]  # l&#111;go.png and l%6Fgo.png load logo.png
    where = next((w for w, v in (("alt text", alt), ("title", title), ("file name", name), ("class", classes))
                  if "logo" in html.unescape(v).lower()), None)
    if where:
        report.add(line, "marketing.logo", f"image '{src[:60]}' is marked as a logo (its {where}); remove it and "
                   "name the organisation in plain text")
    sizes = dict(_ATTR_SIZE.findall(size))
    if sizes.get("width") in ("0", "1") and sizes.get("height") in ("0", "1"):
        report.add(line, "marketing.tracker", f"image '{src[:60]}' is {sizes['width']}x{sizes['height']} pixels, "
                   "the shape of a tracking pixel; remove it")


def _fields(node, report: _Reporter, domains: set[str], line: int = 1, skip: tuple = ()) -> None:
    # Plain-text fields of PAG files and data sets (answer labels are keys): marks and company domains.
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        if key in skip:
            continue
        at = line_of(node, key, line)
        for text in (key, value):
            if isinstance(text, str) and ("®" in text or "™" in text or "/" in text or "www." in text):
                scan_text(text.replace("\n", " "), at, report, domains)
        _fields(value, report, domains, at)
