"""Caps on what Python-Markdown is asked to parse, so a pasted story cannot hang a build or a preview.

Python-Markdown is quadratic, or worse, in a few shapes of input (measured with
benchmarks/bench_adversarial.py, see docs/authoring.md): its inline processor rescans a paragraph from
every unclosed ``[`` or ``<`` and after every link or tag it replaces, and nested lists and blockquotes
recurse once per level. 1,600 unclosed ``[`` took 5 s, 8,000 ``<b>x</b>`` in one paragraph 16 s,
10,000 nested ``<span>`` 17 s and a 500-deep list overflowed the stack; 120,000 underscores in a story made
a build take three minutes (the emphasis nests once per character, and Material's search indexer walks it). No real story or module comes near
the caps below, and under them every shape measured renders in well under a second.

The scan here is one pass over the lines with fixed-size regexes, so it is linear in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from patientvoice.rules import E, Rule, register

MAX_BODY_CHARS = 200_000  # about 30,000 words: ten times a long module
MAX_INLINE_MARKUP = 500  # links, images and HTML tags in one paragraph (or table)
MAX_INLINE_DEPTH = 32  # nesting of [ ], ]( ) and HTML tags in one paragraph
MAX_BLOCK_DEPTH = 16  # list and blockquote nesting
MAX_DELIMITER_RUN = 64  # a run of * or _ (a thematic break is a handful; 120,000 underscores took a build 3 min)

register(Rule("content.too-complex", E, "A story or module body is too long or too deeply nested to render",
              "The Markdown renderer slows down quadratically on very long paragraphs of links or tags and on "
              "deep nesting; a body past these limits would hang the build and the preview, and no real "
              "text comes near them (so it is almost always a paste gone wrong).",
              "Split the body, the paragraph or the list at the line named, close the brackets or tags that "
              "were left open, or remove the pasted markup."))

_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_TOKEN = re.compile(r"<(/?)([A-Za-z][\w-]*+)|\]\(|[\[\])]|/>")
_LIST_ITEM = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_QUOTES = re.compile(r"(?:>[ \t]*+)++")
_LEAD = re.compile(r"[ \t]*+")
_RUN = re.compile(r"\*{%d,}|_{%d,}" % (MAX_DELIMITER_RUN + 1, MAX_DELIMITER_RUN + 1))


@dataclass
class Finding:
    """Where (0-based line offset in the text) and why a text is too complex for the renderer."""

    offset: int
    message: str


def _cannot_exceed(text: str) -> bool:
    # Counts bound every per-line counter from above: with no more '[' and '<' than the inline depth allows,
    # no more '>' than the quote depth, and no line indented past the list depth (tabs: take the slow path),
    # the line-by-line walk below cannot find anything. A few str.count calls instead of a regex per line.
    return (text.count("[") + text.count("](") + text.count("<") <= MAX_INLINE_DEPTH
            and text.count(">") <= MAX_BLOCK_DEPTH
            and "\t" not in text and "\n" + " " * (4 * MAX_BLOCK_DEPTH - 4) not in text
            and not text.startswith(" " * (4 * MAX_BLOCK_DEPTH - 4)))


def findings(text: str, fast: bool = True) -> list[Finding]:
    """Every cap the text exceeds, each at the first line that exceeds it (at most one per kind).

    ``fast=False`` always walks every line: the reference the shortcut is tested against.
    """
    out: dict[str, Finding] = {}
    if len(text) > MAX_BODY_CHARS:
        out["length"] = Finding(0, f"is {len(text):,} characters long; the limit is {MAX_BODY_CHARS:,}: "
                                   "split it into more than one story or module")
    if fast and _RUN.search(text) is None and _cannot_exceed(text):
        return sorted(out.values(), key=lambda f: f.offset)  # most bodies: no cap can be reached
    count = bracket = target = tags = 0
    for offset, line in enumerate(text.split("\n")):
        if not line.strip():  # a blank line ends the paragraph: the renderer works one block at a time
            count = bracket = target = tags = 0
            continue
        lead = _LEAD.match(line).end()
        indent = len(line[:lead].expandtabs(4))
        rest = line[lead:]
        quotes = _QUOTES.match(rest)
        depth = quotes.group().count(">") if quotes else 0
        if quotes and "quote" not in out and depth > MAX_BLOCK_DEPTH:
            out["quote"] = Finding(offset, f"nests blockquotes {depth} deep; the limit is {MAX_BLOCK_DEPTH}: "
                                           "remove the extra '>'")
        if "list" not in out and indent // 4 + 1 > MAX_BLOCK_DEPTH and _LIST_ITEM.match(rest):
            out["list"] = Finding(offset, f"nests a list about {indent // 4 + 1} levels deep (indented {indent} "
                                          f"columns); the limit is {MAX_BLOCK_DEPTH} levels: flatten the list")
        if "run" not in out and _RUN.search(line):
            out["run"] = Finding(offset, f"has a run of more than {MAX_DELIMITER_RUN} '*' or '_' characters, "
                                         "which the renderer (and the site's search index) nest once per "
                                         "character: shorten it")
        for m in _TOKEN.finditer(line):
            tok = m.group()
            if m.group(2):
                count += 1
                if m.group(2).lower() not in _VOID:
                    tags = max(tags - 1, 0) if m.group(1) else tags + 1
            elif tok == "/>":
                tags = max(tags - 1, 0)
            elif tok == "[":
                count, bracket = count + 1, bracket + 1
            elif tok == "]":
                bracket = max(bracket - 1, 0)
            elif tok == "](":
                bracket, target = max(bracket - 1, 0), target + 1
            else:  # ")"
                target = max(target - 1, 0)
            if "depth" not in out and max(bracket, target, tags) > MAX_INLINE_DEPTH:
                what = "HTML tags" if tags > MAX_INLINE_DEPTH else "brackets '[' or '('"
                out["depth"] = Finding(offset, f"leaves more than {MAX_INLINE_DEPTH} {what} open in one "
                                               "paragraph: close them or remove the pasted markup")
            if "count" not in out and count > MAX_INLINE_MARKUP:
                out["count"] = Finding(offset, f"has more than {MAX_INLINE_MARKUP} links, brackets or HTML tags "
                                               "in one paragraph: split it with blank lines")
    return sorted(out.values(), key=lambda f: f.offset)


def too_complex(text: str) -> str | None:
    """Why the renderer must not be given ``text`` (the first finding), or None when it is safe to render."""
    found = findings(text)
    return found[0].message if found else None


def placeholder(what: str, reason: str) -> str:
    """The HTML shown instead of a body the renderer refuses (only a preview ever shows it)."""
    from html import escape

    return (f'<div class="pv-too-complex" role="alert"><p><strong>Not rendered:</strong> {escape(what)} '
            f"{escape(reason)} (rule content.too-complex; run <code>patientvoice check</code>).</p></div>")


def check(course, problems) -> None:
    """content.too-complex: every story and module body the renderer would be asked to parse."""
    bodies = [(s.path, s.body_line, s.body, "story") for s in course.stories.values()]
    bodies += [(m.path, m.body_line, m.body, "module body") for m in course.modules.values()]
    bodies += [(path, 1, text, "page") for path, text in course.pages.items()]
    for path, first, body, what in bodies:
        for f in findings(body or ""):
            problems.add(path, first + f.offset, "content.too-complex", f"this {what} {f.message}")
