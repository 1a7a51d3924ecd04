"""Limits on what a course's YAML may contain, checked on the composed node graph before any value is built.

Course files hold text, numbers, dates, lists and mappings: what JSON holds, plus dates. Everything else
YAML can express is refused with a ``path:line`` problem:

- aliases (``*name``) and merge keys (``<<``), ``yaml.alias``: a course file never needs them, an alias lets
  one line stand in for text a reviewer never sees written out, and nine aliases of nine aliases of … (an
  "alias bomb") expand to billions of values. All of them are refused, not a budget of a few: the rule is
  simpler to explain and nothing legitimate is lost.
- nesting deeper than ``MAX_DEPTH``, ``yaml.depth``: real files nest a handful of levels; a 250-deep file
  would exhaust Python's recursion in every consumer (the constructor, the fingerprint, JSON).
- tags other than the JSON types and timestamps (``!!set``, ``!!binary``, ``!!omap``, ``!!python/…``, any
  ``!custom``) and lists or mappings used as keys, ``yaml.type``.

The composed graph shares one node for an anchor and all its aliases, so walking it with a "seen" set is
linear in the file's size whatever the aliases would expand to; nothing is expanded or constructed.
"""

from __future__ import annotations

import yaml
from yaml.nodes import MappingNode, ScalarNode

MAX_DEPTH = 50
_CORE = "tag:yaml.org,2002:"
ALLOWED_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")}
MERGE = _CORE + "merge"
_INT, _FLOAT = _CORE + "int", _CORE + "float"
MAX_NUMBER = 10 ** 15  # no count, credit or day in a course comes near; a 5,000-digit integer crashes int()


def number_problem(node) -> str | None:
    """Why a YAML number cannot stand in a course file (not finite, or absurdly large), or None."""
    text = node.value.replace("_", "").lower().lstrip("+-")
    if node.tag == _INT:
        if len(text) > 20:
            return f"a number of {len(text)} digits is not allowed; course numbers are counts, credits and days"
        return None
    if text in (".nan", ".inf"):
        return f"'{node.value}' is not a finite number; write the number itself"
    try:
        value = float(text)
    except ValueError:
        return None
    if value != value or value >= MAX_NUMBER:  # NaN, inf (1e999) or absurd
        return f"'{node.value[:30]}' is not a usable number; course numbers are counts, credits and days"
    return None


def _tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag


def _type_message(tag: str) -> str:
    return (f"a {_tag(tag)} value is not allowed; course files hold only text, numbers, dates, lists and mappings, "
            "so write it as one of those")


class _Prefixed(set):
    """A tag set that also holds every tag starting with one of ``prefixes``."""

    def __init__(self, tags, prefixes):
        super().__init__(tags)
        self.prefixes = prefixes

    def __contains__(self, tag) -> bool:
        return set.__contains__(self, tag) or (isinstance(tag, str) and tag.startswith(self.prefixes))


def _line(node) -> int:
    return node.start_mark.line + 1


def check_limits(node, text: str, path, problems, loader_class, allowed: set[str] = ALLOWED_TAGS,
                 allowed_prefixes: tuple[str, ...] = ()) -> bool:
    """Report every limit the node graph breaks (first line of each kind, with a count); True if none.

    ``allowed`` is the set of tags accepted; ``allowed_prefixes`` accepts tags by their start (mkdocs.yml's
    ``!ENV`` and ``!!python/name:…`` tags, which mkdocs itself resolves and the course's reader keeps as text).
    """
    if allowed_prefixes:
        allowed = _Prefixed(allowed, allowed_prefixes)
    first: dict[str, tuple[int, str]] = {}
    counts: dict[str, int] = {}

    def found(rule: str, line: int, message: str) -> None:
        counts[rule] = counts.get(rule, 0) + 1
        if rule not in first or line < first[rule][0]:
            first[rule] = (line, message)

    # Only an anchor (&name) lets a node be reached twice; without one the walk needs no "seen" set.
    seen: set[int] | None = {id(node)} if "&" in text else None
    aliased = False
    if node.tag not in allowed:
        found("yaml.type", _line(node), _type_message(node.tag))
    stack = [(node, 1)] if not isinstance(node, ScalarNode) else []
    while stack:
        n, depth = stack.pop()
        if depth > MAX_DEPTH:
            found("yaml.depth", _line(n), f"lists and mappings nest more than {MAX_DEPTH} levels deep here; no course "
                                          "file needs that many, so flatten the structure")
            continue  # not deeper: one problem per over-deep branch is enough
        if isinstance(n, MappingNode):
            children = []
            for key, value in n.value:
                if key.tag == MERGE:
                    found("yaml.alias", _line(key), "merge keys ('<<') are not allowed; write the keys out in full")
                elif not isinstance(key, ScalarNode):
                    found("yaml.type", _line(key), "a list or mapping is used as a key; keys must be plain text")
                children.append(key)
                children.append(value)
        else:
            children = n.value
        # Scalars (nine nodes in ten) are checked here rather than pushed: this walk runs on every file.
        for child in children:
            if seen is not None:
                if id(child) in seen:
                    aliased = True  # the same node reached twice: only an alias (or a cycle through one) does that
                    continue
                seen.add(id(child))
            if child.tag not in allowed and child.tag != MERGE:
                found("yaml.type", _line(child), _type_message(child.tag))
            elif child.tag in (_INT, _FLOAT) and (why := number_problem(child)):
                found("yaml.type", _line(child), why)
            if not isinstance(child, ScalarNode):
                stack.append((child, depth + 1))
    if aliased:
        _aliases(text, loader_class, found)
    for rule, (line, message) in sorted(first.items(), key=lambda kv: kv[1][0]):
        more = counts[rule] - 1
        problems.add(path, line, rule, message + (f" ({more} more like it in this file)" if more else ""))
    return not first


def _aliases(text: str, loader_class, found) -> None:
    # Nodes do not remember that they were reached through an alias; the parser's events do, with their line.
    for event in yaml.parse(text, Loader=loader_class):
        if isinstance(event, yaml.AliasEvent):
            found("yaml.alias", event.start_mark.line + 1,
                  f"the alias '*{event.anchor}' repeats a value written elsewhere; aliases are not allowed in "
                  "course files, so write the value out in full")
