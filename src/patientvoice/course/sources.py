"""Reading author files safely: text, YAML with line numbers, and front matter.

Every author file goes through ``read_text`` (confined to the course root, regular files only, bounded: see
security/files.py) and every YAML text through ``parse_yaml`` (no aliases, bounded depth, JSON types only: see
security/yaml_limits.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import re

import yaml

from patientvoice.problems import Problems
from patientvoice.security.files import Refused, read_bounded
from patientvoice.security.yaml_limits import check_limits

MAX_BYTES = 5 * 1024 * 1024  # no real course file comes near this; a 50 MB file is a mistake

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YMap(dict):
    """A YAML mapping that remembers the line of each key (1-based)."""

    line: int = 1
    lines: dict


class YList(list):
    """A YAML sequence that remembers the line of each item (1-based)."""

    line: int = 1
    lines: list


class _DuplicateKey(Exception):
    def __init__(self, key, line):
        super().__init__(key)
        self.key, self.line = key, line


class _LineLoader(_BaseLoader):
    """A safe loader whose mappings and sequences keep their line numbers."""


def _construct_map(loader, node):
    m = YMap()
    m.line = node.start_mark.line + 1
    m.lines = {}
    loader.flatten_mapping(node)
    for knode, vnode in node.value:
        key = loader.construct_object(knode, deep=True)
        if not isinstance(key, (str, int, float, bool, dt.date)) and key is not None:
            key = str(key)
        if key in m:
            raise _DuplicateKey(key, knode.start_mark.line + 1)
        m[key] = loader.construct_object(vnode, deep=True)
        m.lines[key] = knode.start_mark.line + 1
    return m


def _construct_seq(loader, node):
    s = YList(loader.construct_object(child, deep=True) for child in node.value)
    s.line = node.start_mark.line + 1
    s.lines = [child.start_mark.line + 1 for child in node.value]
    return s


def _construct_timestamp(loader, node):
    # An impossible date such as 2026-02-30 stays text so the schema can say what is wrong with it.
    try:
        return _BaseLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


# YAML 1.1 reads yes/no/on/off as booleans, which turns a survey answer "No" into False. Authors write
# answer labels, not YAML trivia, so only true/false are booleans here (as in YAML 1.2).
# A lone '=' is YAML 1.1's "value" type, which no constructor knows; to an author it is just text.
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers
            if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:value")]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()}
_LineLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                  list("tTfF"))
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_seq)


def line_of(container, key, default: int = 1) -> int:
    """Return the line of ``key`` in a YMap/YList, else the container's line or ``default``."""
    lines = getattr(container, "lines", None)
    try:
        if isinstance(lines, dict) and key in lines:
            return lines[key]
        if isinstance(lines, list) and isinstance(key, int) and 0 <= key < len(lines):
            return lines[key]
    except TypeError:
        pass
    return getattr(container, "line", default)


def read_text(path: Path, problems: Problems, root: Path | None = None) -> str | None:
    """Read a UTF-8 text file inside the course, or record why it cannot be read and return None.

    ``root`` is the course root (default: the problems' root); a file that resolves outside it, a pipe,
    device or socket, and a file over MAX_BYTES are refused without reading more than MAX_BYTES + 1 bytes.
    """
    try:
        # Folders resolved once per check (the cache lives as long as this Problems list), not once per file.
        dirs = problems.__dict__.setdefault("_resolved_dirs", {})
        data = read_bounded(path, root if root is not None else problems.root, MAX_BYTES, dirs)
    except Refused as refused:
        problems.add(path, 1, refused.rule, refused.message)
        return None
    if b"\x00" in data[:8192]:
        problems.add(path, 1, "file.encoding", "looks like a binary file, not UTF-8 text; replace it with a text file")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.add(path, line, "file.encoding",
                     f"is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); save the file as UTF-8")
        return None
    if not text.strip():
        problems.add(path, 1, "file.empty", "is empty; fill it in or delete it")
        return None
    return text


def parse_yaml(text: str, path: Path, problems: Problems, loader_class=None, allowed_prefixes: tuple = ()):
    """Parse YAML text into YMap/YList values, recording syntax errors; None on failure.

    ``loader_class`` (a subclass of the course's line loader) and ``allowed_prefixes`` (tags accepted by their
    start) are for mkdocs.yml, whose Python and ``!ENV`` tags are kept as text; the limits apply all the same.
    """
    loader = (loader_class or _LineLoader)(text)
    try:
        node = loader.get_single_node()
        # Limits first, on the composed graph: an alias bomb or a 250-deep file is refused before it expands.
        if node is None or not check_limits(node, text, path, problems, _BaseLoader,
                                           allowed_prefixes=allowed_prefixes):
            return None
        return loader.construct_document(node)
    except _DuplicateKey as exc:
        problems.add(path, exc.line, "yaml.duplicate-key",
                     f"key '{exc.key}' appears twice in the same mapping; keep one")
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        col = mark.column + 1 if mark else 1
        what = exc.problem or "invalid YAML"
        ctx = exc.context_mark
        # PyYAML often notices an unclosed [ or { lines later; name where it was opened as well.
        if exc.context and ctx and mark and ctx.line != mark.line:
            what += f" ({exc.context} on line {ctx.line + 1})"
        problems.add(path, line, "yaml.syntax",
                     f"YAML syntax error at column {col}: {what}; check indentation, colons and quotes")
    except yaml.YAMLError as exc:
        problems.add(path, 1, "yaml.syntax", f"YAML error: {exc}")
    finally:
        loader.dispose()
    return None


def load_yaml_file(path: Path, problems: Problems):
    """Read and parse a YAML file; return a YMap or None (problems recorded)."""
    text = read_text(path, problems)
    if text is None:
        return None
    data = parse_yaml(text, path, problems)
    if data is None:
        if not problems or problems[-1].path != problems.rel(path):
            problems.add(path, 1, "yaml.syntax", "holds no YAML mapping; write 'key: value' lines")
        return None
    if not isinstance(data, YMap):
        problems.add(path, getattr(data, "line", 1), "schema.type",
                     f"must be a mapping of 'key: value' lines, not a {_kind(data)}")
        return None
    return data


@dataclass
class FrontMatterDoc:
    """A Markdown file split into its YAML front matter and body."""

    meta: YMap
    body: str
    body_line: int  # line number of the body's first line in the file


def load_front_matter_file(path: Path, problems: Problems) -> FrontMatterDoc | None:
    """Read a Markdown file with YAML front matter between '---' lines."""
    text = read_text(path, problems)
    if text is None:
        return None
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        problems.add(path, 1, "file.front-matter", "must start with a '---' line opening the YAML front matter")
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        problems.add(path, 1, "file.front-matter",
                     "front matter opened on line 1 is never closed; add a '---' line after the last key")
        return None
    # A leading newline keeps YAML's line numbers equal to the file's.
    meta = parse_yaml("\n" + "".join(lines[1:end]), path, problems)
    if meta is None:
        if not any(p.path == problems.rel(path) for p in problems):
            problems.add(path, 2, "file.front-matter", "front matter is empty; add the required keys")
        return None
    if not isinstance(meta, YMap):
        problems.add(path, 2, "schema.type", f"front matter must be a mapping of 'key: value' lines, not a {_kind(meta)}")
        return None
    return FrontMatterDoc(meta, "".join(lines[end + 1:]), end + 2)


def _kind(value) -> str:
    return {list: "list", YList: "list", str: "string", int: "number", float: "number", bool: "boolean"}.get(
        type(value), type(value).__name__)


def named_entries(value) -> list[tuple[str, object]]:
    """mkdocs.yml's ``plugins`` or ``markdown_extensions`` as (name, options) pairs.

    mkdocs accepts a list of names and one-key ``{name: options}`` mappings, or one mapping of them.
    """
    if isinstance(value, dict):
        return list(value.items())
    return [next(iter(e.items())) if isinstance(e, dict) and len(e) == 1 else (e, None) for e in value or []]
