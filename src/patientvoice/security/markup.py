"""A linear-time scan of author Markdown for raw HTML and link destinations, with their lines.

Python 3.11's ``html.parser`` takes minutes on 32 KB of ``<a `` (quadratic), so this scanner is its own:
every regex is anchored at a ``<`` and cannot run past the next ``<`` outside quotes, and the searches for
the ends of comments, processing instructions and CDATA remember where the next end is, so no byte is
read more than a few times. Code (fenced blocks and backtick spans) is blanked first: HTML inside
backticks is text. What counts as a tag follows Python-Markdown (``<`` and a letter up to a ``>``), so
anything the renderer would pass through as raw HTML is found.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*(?::[A-Za-z][A-Za-z0-9-]*)?)(?=[\s/>])((?:[^<>\"']|\"[^\"]*\"|'[^']*')*)>")
ATTR = re.compile(r"([^\s\"'>/=]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+)))?")
_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")
_TICKS = re.compile(r"`+")
_LINK = re.compile(r"!?\[|\]\(\s*(<[^<>\n]*>|(?:[^\s()]|\([^\s()]*\))*)|\]")
_REFDEF = re.compile(r"(?m)^ {0,3}\[([^\]\n]+)\]:[ \t]*(<[^<>\n]*>|\S+)")
_IMAGE_REF = re.compile(r"!\[([^\[\]\n]*)\](?:\[([^\[\]\n]*)\]|(?![(\[]))")  # ![alt][ref], ![alt][], ![ref]
# Python-Markdown's own raw-HTML shape (markdown.inlinepatterns.HTML_RE): '<' and a letter, then anything up
# to '>' without '<', '@' or a space before the first space. It also takes '<javascript:alert(1)>', which _TAG
# does not; autolinks (<https://...>) and e-mail links are Markdown's links, not HTML, and are let through.
_MD_HTML = re.compile(r"</?[A-Za-z][^<>@ ]*(?: [^<>]*)?>")
_AUTOLINK = re.compile(r"<(?:[Ff]|[Hh][Tt])[Tt][Pp][Ss]?://[^<>]*>")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9:-]*")
_ENDS = {"<!--": "-->", "<?": "?>", "<![CDATA[": "]]>"}
MAX_TAGS = 2000  # far more than any page of prose holds; past it the file is reported, not scanned further


@dataclass
class Tag:
    """A raw HTML tag (or comment, declaration) found in Markdown: its name, attributes and line."""

    name: str
    line: int
    text: str
    closing: bool = False
    attrs: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Link:
    """A Markdown link or image destination and its line."""

    url: str
    line: int
    image: bool


def blank_code(text: str) -> str:
    """``text`` with fenced code blocks and code spans replaced by spaces (newlines kept, so lines stay)."""
    chars = list(text)
    lines = text.splitlines(keepends=True)
    starts, pos = [], 0
    for ln in lines:
        starts.append(pos)
        pos += len(ln)
    # Fences: only a closed fence is code (Python-Markdown leaves an unclosed one as text).
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if m:
            mark = m.group(1)
            close = next((j for j in range(i + 1, len(lines))
                          if lines[j].strip().startswith(mark[0] * len(mark)) and not lines[j].strip().strip(mark[0])), None)
            if close is not None:
                _blank(chars, starts[i], starts[close] + len(lines[close]))
                i = close + 1
                continue
            # An unclosed fence: no later line closes it either, so stop looking for this mark.
        i += 1
    _blank_spans("".join(chars), chars, starts, lines)
    return "".join(chars)


def _blank(chars: list, start: int, end: int) -> None:
    for k in range(start, end):
        if chars[k] != "\n":
            chars[k] = " "


def _blank_spans(text: str, chars: list, starts: list, lines: list) -> None:
    # A span opens at a run of n backticks and closes at the next run of exactly n in the same paragraph.
    para, n = [], 0
    for ln in lines:
        n += not ln.strip()
        para.append(n)
    runs = [(m.start(), m.end(), para[bisect_right(starts, m.start()) - 1]) for m in _TICKS.finditer(text)]
    following, nxt = [None] * len(runs), {}
    for k in range(len(runs) - 1, -1, -1):  # right to left: the next run of the same length and paragraph
        s, e, p = runs[k]
        following[k] = nxt.get((e - s, p))
        nxt[(e - s, p)] = k
    k = 0
    while k < len(runs):
        j = following[k]
        if j is None:
            k += 1
            continue
        _blank(chars, runs[k][0], runs[j][1])
        k = j + 1


class _Lines:
    def __init__(self, text: str, first: int):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.first = first

    def at(self, offset: int) -> int:
        return self.first + bisect_right(self.starts, offset) - 1


def scan(text: str, first_line: int = 1) -> tuple[list[Tag], list[Link]]:
    """Raw HTML tags and Markdown link destinations in ``text`` (whose first line is ``first_line``)."""
    if "<" not in text and "]" not in text:
        return [], []
    masked = blank_code(text) if "`" in text or "~~~" in text else text
    lines = _Lines(masked, first_line)
    return _tags(masked, lines), _links(masked, lines)


def _tags(text: str, lines: _Lines) -> list[Tag]:
    tags, pos, ends = [], 0, {}
    while len(tags) < MAX_TAGS and (i := text.find("<", pos)) >= 0:
        pos = i + 1
        opener = next((o for o in _ENDS if text.startswith(o, i)), None)
        if opener:
            close = _ENDS[opener]
            end = ends.get(close)
            if end is None or (end >= 0 and end < i):
                end = ends[close] = text.find(close, i + len(opener))
            kind = "!--" if opener == "<!--" else opener[1:]
            tags.append(Tag(kind, lines.at(i), text[i:end + len(close)] if end >= 0 else text[i:i + 40]))
            pos = end + len(close) if end >= 0 else i + len(opener)
            continue
        if text.startswith("<!", i) and i + 2 < len(text) and text[i + 2].isalpha():
            end = text.find(">", i)
            if end >= 0:
                tags.append(Tag("!", lines.at(i), text[i:end + 1]))
                pos = end + 1
            continue
        m = _TAG.match(text, i)
        if m:
            attrs = [(a.group(1).lower(), next((g for g in a.group(2, 3, 4) if g is not None), ""))
                     for a in ATTR.finditer(m.group(3))]
            tags.append(Tag(m.group(2).lower(), lines.at(i), m.group(0), bool(m.group(1)), attrs))
            pos = m.end()
            continue
        m = _MD_HTML.match(text, i)
        if m and not _AUTOLINK.match(text, i):
            closing = text.startswith("</", i)
            name = _NAME.match(text, i + 1 + closing).group(0).lower()
            tags.append(Tag(name, lines.at(i), m.group(0), closing))
            pos = m.end()
    return tags


def _links(text: str, lines: _Lines) -> list[Link]:
    links, stack = [], []
    for m in _LINK.finditer(text):
        token = m.group(0)
        if token.endswith("["):
            stack.append(token == "![")
        elif stack or token != "]":
            image = stack.pop() if stack else False
            if token.startswith("]("):
                links.append(Link(m.group(1).strip("<>"), lines.at(m.start(1)), image))
    # A reference definition is an image's source when an image names it (![alt][ref] or ![ref]).
    images = {" ".join((m.group(2) or m.group(1)).lower().split()) for m in _IMAGE_REF.finditer(text)}
    links += [Link(m.group(2).strip("<>"), lines.at(m.start(2)), " ".join(m.group(1).lower().split()) in images)
              for m in _REFDEF.finditer(text)]
    return links
