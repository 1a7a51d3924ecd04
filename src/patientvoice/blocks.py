"""Find the ``///`` blocks of a module body with their lines, without rendering anything."""

from __future__ import annotations

import re

from patientvoice.formats import BLOCK_OPTIONS
from patientvoice.model import Block
from patientvoice.schema import validate
from patientvoice.sources import line_of, parse_yaml

HEADER_RE = re.compile(r"^(?P<fence>/{3,})[ \t]*(?P<name>[A-Za-z][\w-]*)[ \t]*(?:\|[ \t]*(?P<arg>.*?))?[ \t]*$")
CLOSE_RE = re.compile(r"^(?P<fence>/{3,})[ \t]*$")
CODE_FENCE_RE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
EMBEDS = ("story", "pag-data")  # blocks replaced by what they embed; any text inside them would be lost


def scan_blocks(body: str, first_line: int, path, problems) -> list[Block]:
    """Return every block in ``body`` (file lines start at ``first_line``); record structural problems."""
    lines = body.splitlines()
    blocks: list[Block] = []
    stack: list[tuple[int, Block]] = []  # (fence length, block)
    code_fence = None
    flagged: set[int] = set()  # blocks already reported for content, so one stray paragraph is one problem
    i = 0
    while i < len(lines):
        text, lineno = lines[i], first_line + i
        i += 1
        if code_fence:
            if text.strip().startswith(code_fence):
                code_fence = None
            continue
        m = CODE_FENCE_RE.match(text)
        if m:
            code_fence = m.group(1)
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
        if stack and n >= stack[-1][0]:
            problems.add(path, lineno, "block.unbalanced",
                         f"'{head.group('name')}' opened inside '{stack[-1][1].name}' (line {stack[-1][1].line}) "
                         f"needs a shorter fence than the outer block's {stack[-1][0]} slashes; lengthen the outer fence")
        opt_lines = []
        while i < len(lines) and lines[i].startswith("    ") and lines[i].strip():
            opt_lines.append(lines[i][4:])
            i += 1
        block = Block(head.group("name"), (head.group("arg") or "").strip(), {}, lineno, lineno,
                      tuple(b.name for _, b in stack))
        block.options = _options(block, opt_lines, path, problems)
        blocks.append(block)
        stack.append((n, block))
    for _, block in stack:
        problems.add(path, block.line, "block.unbalanced",
                     f"'{block.name}' block is never closed; add a closing line of {len(_fence(block, lines, first_line))} slashes")
    return blocks


def _fence(block: Block, lines: list[str], first_line: int) -> str:
    return HEADER_RE.match(lines[block.line - first_line]).group("fence")


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
