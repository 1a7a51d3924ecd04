"""The course being drafted (its RNG, date and queued files) and the text helpers every course writer uses.

Part of the synthetic-course generator (benchmarks/generate_course.py). Every writer draws from the one
``Draft.rng`` in a fixed order, so a seed always gives the same course byte for byte.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import re
from pathlib import Path

from course_vocabulary import CONDITIONS

_YAML_WORDS = {"yes", "no", "on", "off", "true", "false", "y", "n", "null", "~"}
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,'()/?.–—-]*")


def yaml_str(s: str) -> str:
    """A YAML scalar for ``s``: plain when YAML reads it back as the same text, else double-quoted."""
    if _PLAIN.fullmatch(s) and s.lower() not in _YAML_WORDS and not s.endswith(" "):
        return s
    return json.dumps(s, ensure_ascii=False)


def wrap(text: str, first: str = "", rest: str | None = None, width: int = 100) -> list[str]:
    """``text`` as lines of at most ``width`` characters, the first prefixed by ``first``, the rest by ``rest``."""
    # Greedy wrapping; textwrap is several times slower and this runs for every paragraph.
    rest = first if rest is None else rest
    lines, cur, empty = [], first, True
    for word in text.split():
        if not empty and len(cur) + 1 + len(word) > width:
            lines.append(cur)
            cur, empty = rest + word, False
        else:
            cur, empty = cur + ("" if empty else " ") + word, False
    lines.append(cur)
    return lines


def years_later(d: dt.date, years: int) -> dt.date:
    """The same day ``years`` years after ``d`` (28 February for 29 February in a common year)."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def to_id(text: str) -> str:
    """A lower-case, hyphenated id made from ``text``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def make_slots(**values: str) -> dict:
    """Template slots: {x} is the value as written, {X} the same with a capital letter."""
    values.update({k.capitalize(): v[:1].upper() + v[1:] for k, v in list(values.items())})
    return values


def fill(template: str, slots: dict) -> str:
    """``template`` with its slots filled in, starting with a capital letter."""
    out = template.format_map(slots)
    return out[:1].upper() + out[1:]  # a sentence starts with a capital even when a slot opens it


class Deck:
    """Draws from a list without repeats until every entry has been used, so a page rarely repeats itself."""

    def __init__(self, rng: random.Random, items: list):
        self.rng, self.items, self.left = rng, items, []

    def draw(self, n: int = 1) -> list:
        """The next ``n`` entries (reshuffling when the deck runs out)."""
        out = []
        while len(out) < n:
            if not self.left:
                self.left = self.items[:]
                self.rng.shuffle(self.left)
            out.append(self.left.pop())
        return out


class Draft:
    """Holds the RNG, today's date and the files of the course being generated."""

    def __init__(self, out: Path, modules: int, stories: int, seed: int, today: dt.date):
        self.out, self.today, self.seed = out, today, seed
        self.rng = random.Random(seed)
        n_cond = max(1, min(len(CONDITIONS), modules, stories, max(2, math.ceil(modules / 25))))
        keys = ("name", "short", "code", "focus", "lay", "place", "treats", "audience", "pag")
        self.conds = [dict(zip(keys, c)) for c in CONDITIONS[:n_cond]]
        for c in self.conds:
            c["pag_id"] = to_id(c["pag"])
            c["committee"] = f"{c['code']}-steering"
            c["lname"] = c["name"][:1].lower() + c["name"][1:]
        self.files: dict[Path, str] = {}
        self.used_names: set[str] = set()
        self.staff: list[str] = []  # education staff ids, filled in by course_people

    def write(self, rel: str, text: str) -> None:
        """Queue a file; everything is written in one pass at the end."""
        self.files[self.out / rel] = text

    def date_between(self, lo: int, hi: int) -> dt.date:
        """A date between ``lo`` and ``hi`` days from today (negative: in the past)."""
        return self.today + dt.timedelta(days=self.rng.randint(lo, hi))
