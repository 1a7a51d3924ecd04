"""Find the ``///`` blocks of a module body with their lines: the one parse that checks, fingerprint and renderer share.

The renderer is pymdownx.blocks inside Python-Markdown, and which ``///`` lines become blocks depends on
Markdown's block structure: a header indented inside a list item, an admonition or a blockquote is a block,
the same header in an indented code block or a raw HTML block is not. Two ways to agree with it were weighed:

* a hand-written scanner that imitates Python-Markdown's list and indentation handling: fast, but any corner it
  gets wrong silently drops a story from the approval fingerprint;
* the real parse: Python-Markdown with the course's own extensions (mkdocs.yml, as the site and the PDFs use)
  and the patientvoice extension in collecting mode, which records each block instead of rendering it. Exact by
  construction, but about 7 ms per 8 KB module (1.4 s for the benchmark's 200 modules, measured; the block level
  alone is half that but misses footnotes, which are parsed in a tree processor), more than `check`'s whole
  2 s budget leaves.

So both, with the real parse deciding: a body whose every ``///`` line starts at column 0 and which has no raw
HTML block is scanned line by line (``_scan``; at column 0 Markdown's containers cannot hide a header, and fenced
code is masked with Python-Markdown's own fenced_code pattern); any other body goes through the real parse
(``_parse``), each header line tagged with its line number so the blocks come back with their file lines. A
property test (tests/test_blocks_parse.py) asserts that both give exactly the blocks the renderer embeds. And the
renderer fails closed: it embeds only the (block, target) pairs this parse found for the page's module, so a
divergence shows an error and stops the build instead of publishing something the committee never approved.
"""

from __future__ import annotations

import re
from pathlib import Path

from markdown.extensions.fenced_code import FencedBlockPreprocessor

from patientvoice.course.formats import BLOCK_OPTIONS
from patientvoice.course.model import Block
from patientvoice.course.schema import validate
from patientvoice.security.complexity import too_complex
from patientvoice.course.sources import line_of, parse_yaml

# The argument is taken greedily and stripped by the caller: a lazy argument before a trailing-space pattern
# rescans the tail at every character (quadratic on a header padded with spaces).
HEADER_RE = re.compile(r"^(?P<fence>/{3,})[ \t]*(?P<name>[A-Za-z][\w-]*)[ \t]*(?:\|(?P<arg>.*))?$")
CLOSE_RE = re.compile(r"^(?P<fence>/{3,})[ \t]*$")
EMBEDS = ("story", "pag-data")  # blocks replaced by what they embed; any text inside them would be lost
# A line that may hold a block header after some container prefix (list or quote marker, indentation, a
# footnote label...): the real parse decides, this only finds the lines to tag with their number.
CANDIDATE_RE = re.compile(r"^(?P<pre>.*?)(?P<head>/{3,}[ ]*[\w-]+(?P<rest>[ ]*(?:\|.*)?))$")


def scan_blocks(body: str, first_line: int, path, problems) -> list[Block]:
    """Return every block in ``body`` (file lines start at ``first_line``); record structural problems."""
    text = body.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)  # as Python-Markdown normalises it
    lines = text.split("\n")
    nested = any(p for p in _prefixes(text, "///"))  # ``///`` anywhere but column 0: only the real parse can place it
    html = any(len(p) <= 3 and not p.strip() for p in _prefixes(text, "<"))  # raw HTML hides what it holds
    # A body too complex to render (content.too-complex, reported by check) must not reach Python-Markdown
    # here either: 20,000 nested <span> took it half a minute. The renderer refuses such a body, and embeds
    # only blocks this parse found (it fails closed), so the line scan is enough for it.
    if not (nested or html) or too_complex(text):
        return _scan(lines, first_line, path, problems)
    return _parse(lines, first_line, path, problems)


def _prefixes(text: str, needle: str):
    """For each occurrence of ``needle``, the text between the start of its line and it (str.find: no regex scan)."""
    at = text.find(needle)
    while at != -1:
        yield text[text.rfind("\n", 0, at) + 1:at]
        end = at + len(needle)
        while text.startswith(needle[-1], end):  # a longer run of the same character (a //// fence) is one
            end += 1
        at = text.find(needle, end)


def _fenced_lines(lines: list[str]) -> set[int]:
    """Indexes of lines inside column-0 fenced code, found exactly as Python-Markdown's fenced_code finds them."""
    text = "\n".join(lines) + "\n"
    inside: set[int] = set()
    if "```" not in text and "~~~" not in text:
        return inside
    for m in FencedBlockPreprocessor.FENCED_BLOCK_RE.finditer(text):
        start = text.count("\n", 0, m.start())
        inside.update(range(start, start + m.group(0).count("\n") + 1))
    return inside


def _scan(lines: list[str], first_line: int, path, problems) -> list[Block]:
    """The line scan for bodies whose blocks are all at column 0 (see the module docstring)."""
    blocks: list[Block] = []
    stack: list[tuple[int, Block]] = []  # (fence length, block)
    code = _fenced_lines(lines)
    flagged: set[int] = set()  # blocks already reported for content, so one stray paragraph is one problem
    i = 0
    while i < len(lines):
        text, lineno = lines[i], first_line + i
        i += 1
        if i - 1 in code:
            continue
        if not text.startswith("///"):
            top = stack[-1][1] if stack else None
            if top is not None and top.name in EMBEDS and text.strip() and top.line not in flagged:
                flagged.add(top.line)
                problems.add(path, lineno, "block.content",
                             f"'{top.name}' blocks take no text; move this text above or below the block (line {top.line})")
            continue
        close = CLOSE_RE.match(text)
        if close:
            n = len(close.group("fence"))
            if stack and stack[-1][0] == n:
                stack.pop()[1].end_line = lineno
            else:
                problems.add(path, lineno, "block.unbalanced",
                             "closing fence matches no open block; remove it or check the fence lengths")
            continue
        head = HEADER_RE.match(text)
        if not head:
            problems.add(path, lineno, "block.syntax",
                         "looks like a block header but is not '/// name | argument'; fix the header")
            continue
        n = len(head.group("fence"))
        name = head.group("name").lower()  # pymdownx.blocks matches names case-insensitively
        if stack and n >= stack[-1][0]:
            problems.add(path, lineno, "block.unbalanced",
                         f"'{name}' opened inside '{stack[-1][1].name}' (line {stack[-1][1].line}) "
                         f"needs a shorter fence than the outer block's {stack[-1][0]} slashes; lengthen the outer fence")
        opt_lines = _option_lines(lines, i - 1, 0)
        i += len(opt_lines)
        block = Block(name, (head.group("arg") or "").strip(), {}, lineno, lineno, tuple(b.name for _, b in stack))
        block.options = _options(block, opt_lines, path, problems)
        blocks.append(block)
        stack.append((n, block))
    for n, block in stack:
        problems.add(path, block.line, "block.unbalanced",
                     f"'{block.name}' block is never closed; add a closing line of {n} slashes")
    return blocks


def _option_lines(lines: list[str], header: int, col: int) -> list[str]:
    """The indented ``key: value`` lines under the header at ``lines[header]`` whose ``///`` is at ``col``."""
    out = []
    for text in lines[header + 1:]:
        rest = text[col:]
        if not (rest.startswith("    ") and rest.strip()):
            break
        out.append(rest[4:])
    return out


def _parse(lines: list[str], first_line: int, path, problems) -> list[Block]:
    """The real parse, for bodies with indented or quoted blocks or raw HTML (see the module docstring)."""
    marked = list(lines)
    for i, text in enumerate(lines):
        m = CANDIDATE_RE.match(text)
        if m:  # the line number rides in the argument; the collector takes it off again
            marked[i] = text.rstrip() + (" " if "|" in m.group("rest") else " | ") + f"\x1fpv{i}\x1f"
    found, seen = collect_blocks("\n".join(marked), _course_root(Path(path)))
    blocks = []
    for rec in found:
        i = rec["index"]
        col = CANDIDATE_RE.match(lines[i]).start("head")
        head = HEADER_RE.match(lines[i][col:].rstrip()) or HEADER_RE.match("/// " + rec["name"])
        block = Block(rec["name"], (rec["arg"] or "").strip(), {}, first_line + i, first_line + i, rec["inside"])
        block.options = _options(block, _option_lines(lines, i, col), path, problems)
        if rec["content"] and block.name in EMBEDS:
            problems.add(path, block.line, "block.content",
                         f"'{block.name}' blocks take no text; move the text inside it above or below the block")
        if not rec["closed"]:
            problems.add(path, block.line, "block.unbalanced",
                         f"'{block.name}' block is never closed; add a closing line of {len(head.group('fence'))} "
                         "slashes at the same indentation")
        blocks.append(block)
    made = {rec["index"] for rec in found}
    for i in sorted(seen - made):  # the block parser saw a header here and turned it down
        col = CANDIDATE_RE.match(lines[i]).start("head")
        head = HEADER_RE.match(lines[i][col:].rstrip())
        name = head.group("name").lower() if head else ""
        if name not in BLOCK_OPTIONS:
            problems.add(path, first_line + i, "block.unknown",
                         f"unknown block '{name}'; known blocks: {', '.join(BLOCK_OPTIONS)}")
            continue
        block = Block(name, (head.group("arg") or "").strip(), {}, first_line + i, first_line + i)
        before = len(problems)
        _options(block, _option_lines(lines, i, col), path, problems)
        if len(problems) == before:
            problems.add(path, first_line + i, "block.syntax",
                         f"'{name}' is not a block here: "
                         + ("it takes no argument" if name in ("web-only", "print-only") else "it needs an argument"))
    return blocks


_PARSERS: dict[Path, tuple] = {}  # per course, until mkdocs.yml changes


def collect_blocks(text: str, root: Path) -> tuple[list[dict], set[int]]:
    """The blocks Python-Markdown finds in ``text`` with the course's extensions (mkdocs.yml), as the renderer would.

    Returns (records in document order, tagged header lines the block parser examined).
    """
    config = root / "mkdocs.yml"
    stamp = config.stat().st_mtime_ns if config.is_file() else 0
    if _PARSERS.get(root, (None, None, -1))[2] != stamp:
        from markdown import Markdown  # Markdown, mkdocs' YAML loader and the renderer only when needed

        from patientvoice.markdown_ext import PatientVoiceExtension

        ext = PatientVoiceExtension(collect=True)
        try:
            from patientvoice.pdf.html import site_settings

            settings = site_settings(root)
            md = Markdown(extensions=[*settings.extensions, ext], extension_configs=settings.configs)
        except Exception:  # an unreadable mkdocs.yml or unknown extension is check's to report; parse plainly
            ext = PatientVoiceExtension(collect=True)
            md = Markdown(extensions=["toc", "tables", "fenced_code", ext])
        _PARSERS[root] = (md, ext, stamp)
    md, ext, _ = _PARSERS[root]
    md.reset()
    md.convert(text)  # the whole pipeline: footnotes, for one, parse their text only in a tree processor
    records = [{**r, "content": r.pop("block").has_text()} for r in ext.collected]
    return records, set(ext.seen)


def _course_root(path: Path) -> Path:
    """The course folder (holding mkdocs.yml) above a module file; its parent's parent when there is none."""
    for parent in list(path.parents)[:4]:
        if (parent / "mkdocs.yml").is_file():
            return parent
    return path.parent.parent.parent


def _options(block: Block, opt_lines: list[str], path, problems) -> dict:
    if block.name not in BLOCK_OPTIONS:
        known = ", ".join(BLOCK_OPTIONS)
        problems.add(path, block.line, "block.unknown", f"unknown block '{block.name}'; known blocks: {known}")
        return {}
    if not opt_lines:
        return {}
    # Parse with the course's own YAML loader, padded so its lines and columns are the file's: syntax errors,
    # duplicate keys and impossible dates are then reported like anywhere else, never as a traceback.
    opts = parse_yaml("\n" * block.line + "\n".join("    " + t for t in opt_lines), path, problems)
    if opts is None:
        return {}
    if not isinstance(opts, dict):
        problems.add(path, block.line + 1, "block.options",
                     f"options of '{block.name}' must be 'key: value' lines indented by four spaces")
        return {}
    allowed = BLOCK_OPTIONS[block.name]
    for key, value in opts.items():
        line = line_of(opts, key, block.line + 1)
        if key not in allowed:
            names = ", ".join(allowed) or "none"
            problems.add(path, line, "block.options",
                         f"'{block.name}' has no option '{key}' (options: {names})")
        else:
            validate(value, allowed[key], problems, path, f"{block.name}.{key}", line)
    return opts
