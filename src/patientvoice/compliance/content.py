"""Content rules: no raw HTML in what came from outside, no unsafe HTML in modules, and only safe links.

Patient stories and PAG data arrive from outside (pasted from e-mail), so they are Markdown and plain text
only: any raw HTML in them is an error (``content.raw-html``); the renderer's sanitiser would strip it
anyway, but the author should see it. Module bodies are the provider's own and may hold plain HTML, but
not scripts, frames, objects, forms, event handlers or styles that load things (``content.unsafe-html``;
ACCME Standard 5 forbids advertising and tracking in accredited content). Links everywhere may only use
https:, http: and mailto: (``url.scheme``), and images only load files from the site
(``url.external-resource``). The scan is linear in the size of the text (security/markup.py).
"""

from __future__ import annotations

import html
import re

from patientvoice.rules import E, Rule, register
from patientvoice.security.markup import MAX_TAGS, Link, Tag, ATTR, blank_code, scan
from patientvoice.security.urls import link_problem, resource_problem
from patientvoice.course.sources import line_of

register(
    Rule("content.raw-html", E, "A patient story or PAG data holds raw HTML",
         "Stories and PAG data come from outside the provider; HTML in them can run code or track readers, so "
         "it is never published (the sanitiser strips it) and what the committee approved would differ from "
         "what learners see.",
         "Write the story in Markdown (**bold**, *italic*, [text](https://...)) and text fields as plain "
         "text; remove the tag named in the message. HTML meant as an example goes in `backticks`."),
    Rule("content.unsafe-html", E, "A module body holds a script, frame, form or event handler",
         "Module pages are published to every learner: scripts, frames, objects, forms, event attributes "
         "(onclick=...) and styles that load resources run code or track readers, and ACCME Standard 5 "
         "forbids advertising and tracking in accredited content.",
         "Remove the element or attribute named in the message; put behaviour in the theme, and link to "
         "other sites with an ordinary https:// link."),
)

# noscript, noembed, noframes, xmp and plaintext hold raw text that a browser parses differently from any
# scanner: '<noscript><p title="</noscript><img src=x onerror=...>">' runs the image's handler.
UNSAFE_TAGS = frozenset({"script", "iframe", "frame", "frameset", "object", "embed", "applet", "portal", "form",
                         "input", "button", "select", "textarea", "base", "meta", "link", "style", "noscript",
                         "noembed", "noframes", "xmp", "plaintext", "listing", "template"})
TRACKING_ATTRS = frozenset({"ping", "attributionsrc"})  # a request to another host on every click
LINK_ATTRS = frozenset({"href", "xlink:href", "action", "formaction"})
RESOURCE_ATTRS = frozenset({"src", "srcset", "poster", "data", "background", "lowsrc", "dynsrc"})
SVG_RESOURCES = frozenset({"image", "use", "feimage"})  # their href is loaded, not followed
_STYLE_LOADS = re.compile(r"url\(|@import|expression\(|image-set\(", re.I)
_ATTR_LIST = re.compile(r"\{:?([^{}\n]*)\}")
MAX_REPORTS = 10  # per file and rule: the first few say what to fix; hundreds would bury everything else


_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\n]?|(.))", re.S)


def css_text(value: str) -> str:
    """A style attribute as the browser reads it: HTML entities, then CSS escapes (``\\75rl(`` is ``url(``)."""
    text = html.unescape(value)

    def char(m):
        if m.group(1):
            code = int(m.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
        return m.group(2)

    return _CSS_ESCAPE.sub(char, text) if "\\" in text else text


class _Reporter:
    def __init__(self, problems, path):
        self.problems, self.path, self.counts = problems, path, {}

    def add(self, line: int, rule: str, message: str) -> None:
        n = self.counts[rule] = self.counts.get(rule, 0) + 1
        if n <= MAX_REPORTS:
            self.problems.add(self.path, line, rule, message)
        elif n == MAX_REPORTS + 1:
            self.problems.add(self.path, line, rule, f"more of the same from here on ({rule}); fix the ones above first")


def check(course, problems, today) -> None:
    """Record content problems in stories, PAG data and module bodies."""
    for story in course.stories.values():
        report = _Reporter(problems, story.path)
        _text_fields(story.src, "", report, "story")
        tags, links = scan(story.body, story.body_line)
        for tag in tags:
            report.add(tag.line, "content.raw-html", f"raw HTML {_shown(tag)} in a patient story; stories are "
                       "Markdown only (a tag would be shown as text), so remove it or use Markdown")
        _links(links, report)
    for record, kind in [*((p, "PAG") for p in course.pags.values()), *((d, "data set") for d in course.datasets.values())]:
        _text_fields(record.src, "", _Reporter(problems, record.path), kind)
    # Module bodies and the other pages in modules/ (home page, extra pages) are the provider's own Markdown.
    bodies = [(m.path, m.body, m.body_line) for m in course.modules.values()]
    for path, body, first_line in [*bodies, *((path, text, 1) for path, text in course.pages.items())]:
        report = _Reporter(problems, path)
        tags, links = scan(body, first_line)
        for tag in tags:
            _module_tag(tag, report)
        if len(tags) >= MAX_TAGS:
            report.add(tags[-1].line, "content.unsafe-html", f"more than {MAX_TAGS} HTML tags; write the module "
                       "in Markdown (only the first were checked)")
        _links(links, report)
        _attribute_lists(body, first_line, report)


def _shown(tag: Tag) -> str:
    text = tag.text if len(tag.text) <= 60 else tag.text[:57] + "..."
    return "'" + " ".join(text.split()) + "'"


def _links(links: list[Link], report: _Reporter) -> None:
    for link in links:
        if link.image and (why := resource_problem(link.url)):
            report.add(link.line, "url.external-resource", f"image '{link.url[:80]}': {why}")
        elif not link.image and (why := link_problem(link.url)):
            report.add(link.line, "url.scheme", f"link '{link.url[:80]}': {why}")


def _module_tag(tag: Tag, report: _Reporter) -> None:
    if tag.closing:
        return
    if tag.name in UNSAFE_TAGS:
        report.add(tag.line, "content.unsafe-html", f"{_shown(tag)}: <{tag.name}> is not allowed in a module "
                   "(no scripts, frames, objects, forms or page-level styles); remove it")
        return
    _attributes(tag.name, tag.attrs, tag.line, report, _shown(tag))


def _attributes(name: str, attrs, line: int, report: _Reporter, shown: str) -> None:
    for attr, value in attrs:
        if attr.startswith("on"):
            report.add(line, "content.unsafe-html", f"{shown}: event attribute '{attr}' runs code; remove it")
        elif attr in TRACKING_ATTRS:
            report.add(line, "content.unsafe-html", f"{shown}: '{attr}' reports every click to another address "
                       "(tracking); remove it")
        elif attr == "srcdoc":
            report.add(line, "content.unsafe-html", f"{shown}: 'srcdoc' embeds a document; remove it")
        elif attr == "style" and _STYLE_LOADS.search(css_text(value)):
            report.add(line, "content.unsafe-html", f"{shown}: a style that loads a resource; use the theme's CSS")
        elif attr in LINK_ATTRS and not (attr == "href" and name in SVG_RESOURCES):
            if why := link_problem(value):
                report.add(line, "url.scheme", f"{shown}: {why}")
        elif attr in RESOURCE_ATTRS or (attr in ("href", "xlink:href") and name in SVG_RESOURCES):
            urls = [u.split()[0] for u in value.split(",") if u.strip()] if attr == "srcset" else [value]
            if any(link_problem(u) or resource_problem(u) for u in urls):
                report.add(line, "url.external-resource", f"{shown}: {resource_problem(urls[0]) or 'not a file of the site'}")


def _attribute_lists(body: str, first_line: int, report: _Reporter) -> None:
    # attr_list ({: onclick="..." }) puts attributes on Markdown elements without any HTML tag.
    if "{" not in body:
        return
    masked = blank_code(body) if "`" in body or "~~~" in body else body
    for m in _ATTR_LIST.finditer(masked):
        attrs = [(a.group(1).lower(), next((g for g in a.group(2, 3, 4) if g is not None), ""))
                 for a in ATTR.finditer(m.group(1)) if a.group(2, 3, 4) != (None, None, None)]
        if attrs:
            _attributes("", attrs, first_line + masked.count("\n", 0, m.start()), report, f"'{m.group(0)[:60]}'")


def _text_fields(node, where: str, report: _Reporter, kind: str, line: int = 1) -> None:
    # Every text value and mapping key (answer labels are keys) of a story's front matter, a PAG or a data set.
    if isinstance(node, dict):
        items = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return
    for key, value in items:
        at = line_of(node, key, line)
        name = f"{where}[{key}]" if isinstance(node, list) else (f"{where}.{key}" if where else str(key))
        for text in (key, value):
            if isinstance(text, str) and "<" in text:
                tags, _ = scan(text.replace("]", " "))
                if tags:
                    report.add(at, "content.raw-html", f"{name}: {_shown(tags[0])} is HTML in a {kind}'s text; "
                               "this field is plain text, so remove the tag (learners would see it literally)")
                    break
        _text_fields(value, name, report, kind, at)
