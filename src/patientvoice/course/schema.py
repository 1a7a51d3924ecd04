"""A small declarative schema for author files, reporting problems with key paths and lines."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field

from patientvoice.security.urls import field_problem
from patientvoice.course.sources import YList, YMap, line_of

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PARTIAL_DATE_RE = re.compile(r"^\d{4}(?:-\d{2})?$")
# A host name with at least one dot: 'com' alone would make every .com link an ineligible company's.
DOMAIN_RE = re.compile(r"^(?=.{4,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9-]{2,63}$")
MAX_WAVES = 6
MAX_WAVE_DAYS = 1095


@dataclass
class T:
    """A field type: kind is str|int|num|bool|date|partial-date|id|enum|list|obj|map."""

    kind: str
    required: bool = False
    values: tuple = ()
    item: "T | None" = None
    fields: dict = field(default_factory=dict)
    min: float | None = None


def Str(required=False):
    return T("str", required)


def Line(required=False):
    """One line of text: a title or name, which goes into page titles, navigation and headings."""
    return T("line", required)


def Url(required=False):
    """A web address field: a full https:// or http:// address (or mailto:), checked by rule url.scheme."""
    return T("url", required)


def Waves(required=False):
    """Days after the post-test: one whole number, or a list of increasing ones (one follow-up wave each)."""
    return T("waves", required)


def Domain(required=False):
    """A bare web domain such as verality.example: links to it and its subdomains are refused (Standard 5)."""
    return T("domain", required)


def AgeBand(required=False):
    return T("age-band", required)


def Int(required=False, min=None):
    return T("int", required, min=min)


def Num(required=False, min=None):
    return T("num", required, min=min)


def Bool(required=False):
    return T("bool", required)


def Date(required=False):
    return T("date", required)


def PartialDate(required=False):
    return T("partial-date", required)


def Id(required=False):
    return T("id", required)


def Enum(*values, required=False):
    return T("enum", required, values=values)


def List(item, required=False, min=None):
    return T("list", required, item=item, min=min)


def Obj(required=False, **fields):
    return T("obj", required, fields=fields)


def IndexOrIndexes(required=False):
    """An option index, or a list of option indexes."""
    return T("answer", required)


def Counts(required=False):
    """A mapping of answer label to a non-negative count."""
    return T("map", required, item=Int(min=0))


_TYPE_NAMES = {"str": "text", "int": "a whole number", "num": "a number", "bool": "true or false",
               "date": "a date (YYYY-MM-DD)", "partial-date": "a date (YYYY, YYYY-MM or YYYY-MM-DD)",
               "id": "an id (lowercase letters, digits and '-')", "enum": "one of the listed values",
               "list": "a list", "obj": "a mapping of keys", "map": "a mapping of label: count"}


def _shown(value) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (list, dict)):
        return "a list" if isinstance(value, list) else "a mapping"
    return str(value).lower() if isinstance(value, bool) else str(value)


# Characters XML 1.0 cannot hold (C0 controls but tab and line breaks, lone surrogates, U+FFFE/FFFF); line breaks
# in a one-line field are schema.one-line's.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
AGE_BAND = re.compile(r"^(?:0-9|(?P<d>[1-8])0-(?P=d)9|90\+)$")


def validate(value, t: T, problems, path, where: str, line: int) -> None:
    """Check ``value`` against type ``t``; record problems as ``where: message``."""
    k = t.kind
    label = where or "file"

    def bad(rule, msg):
        problems.add(path, line, rule, f"{label}: {msg}")

    if value is None:
        if t.required:
            bad("schema.required", "is empty; give it a value")
        return
    if k in ("str", "line", "url"):
        if not isinstance(value, str) or not value.strip():
            bad("schema.type", f"{_shown(value)} must be non-empty text")
        elif k == "line" and any(c in value.strip() for c in "\n\r\v\f\x85\u2028\u2029"):
            bad("schema.one-line", "spans several lines; write the title or name on one line (a block scalar "
                "such as '|' keeps line breaks, '>-' folds them into one line)")
        elif m := CONTROL.search(value):  # XML exports (QTI, SCORM, PARS) cannot hold them: the file would not parse
            n = ord(m.group())
            bad("schema.type", f"contains the control character U+{n:04X} (an escape such as "
                f"'{chr(92)}{'x%02x' % n if n < 0x100 else 'u%04x' % n}' in quotes, or a pasted invisible "
                "character); delete it")
        elif k == "url" and (why := field_problem(value)):
            bad("url.scheme", f"{_shown(value)}: {why}")
    elif k == "age-band":
        # Bands of ten years and "90+" only: an exact age, or a band above 89, can identify a storyteller.
        if not isinstance(value, str) or not AGE_BAND.match(value):
            bad("schema.type", f"{_shown(value)} is not an age band; write ten years such as 50-59, or 90+")
    elif k == "waves":
        values = value if isinstance(value, list) else [value]
        wrong = [v for v in values if isinstance(v, bool) or not isinstance(v, int) or v < 1]
        if isinstance(value, list) and wrong:  # name the entry to fix, not the whole list
            bad("schema.type", f"{_shown(wrong[0])} in the list is not a whole number of days (at least 1); "
                "write each wave's days, such as [90, 180]")
        elif not values or wrong:
            bad("schema.type", f"{_shown(value) if values else 'an empty list'} must be a whole number of days "
                "(at least 1), or a list of them such as [90, 180]")
        elif any(b <= a for a, b in zip(values, values[1:])):
            bad("schema.range", f"{values} must increase: each follow-up wave comes after the one before")
        elif len(values) > MAX_WAVES:
            bad("schema.range", f"{len(values)} follow-up waves; at most {MAX_WAVES} (each is a page and a "
                "questionnaire learners are asked to come back for)")
        elif values[-1] > MAX_WAVE_DAYS:
            bad("schema.range", f"{values[-1]} days is more than {MAX_WAVE_DAYS} (3 years, the longest an enduring "
                "material may run); a wave that late could never be answered")
    elif k == "domain":
        if not isinstance(value, str) or not DOMAIN_RE.match(value.strip()):
            bad("schema.type", f"{_shown(value)} is not a domain; write the bare domain with at least one dot, "
                "such as verality.example (no https://, path or spaces)")
    elif k in ("int", "num"):
        ok = isinstance(value, int) if k == "int" else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok:
            bad("schema.type", f"{_shown(value)} must be {_TYPE_NAMES[k]}")
        elif t.min is not None and value < t.min:
            bad("schema.range", f"{value} must be at least {t.min:g}")
    elif k == "bool":
        if not isinstance(value, bool):
            bad("schema.type", f"{_shown(value)} must be true or false")
    elif k in ("date", "partial-date"):
        _check_date(value, k, bad)
    elif k == "id":
        if not isinstance(value, str) or not ID_RE.match(value):
            bad("schema.id", f"{_shown(value)} is not a valid id; use lowercase letters, digits and '-'")
    elif k == "answer":
        items = value if isinstance(value, list) else [value]
        if not items or any(isinstance(i, bool) or not isinstance(i, int) for i in items):
            bad("schema.type", f"{_shown(value)} must be an option index (0 is the first option) or a list of them")
    elif k == "enum":
        if value not in t.values:
            hint = _hint(value, t.values)
            bad("schema.enum", f"{_shown(value)} is not one of: {', '.join(map(str, t.values))}{hint}")
    elif k == "list":
        if not isinstance(value, list):
            bad("schema.type", f"{_shown(value)} must be a list (write [a, b] or one '- item' per line)")
            return
        if t.min and len(value) < t.min:
            bad("schema.required", f"needs at least {int(t.min)} item(s)")
        scalar = t.item.kind not in ("obj", "list", "map")
        for i, item in enumerate(value):
            validate(item, t.item, problems, path, where if scalar else f"{where}[{i}]", line_of(value, i, line))
    elif k == "map":
        if not isinstance(value, dict):
            bad("schema.type", f"{_shown(value)} must be a mapping of 'label: count' lines")
            return
        for key, v in value.items():
            validate(v, t.item, problems, path, f"{where}.{key}", line_of(value, key, line))
    elif k == "obj":
        if not isinstance(value, dict):
            bad("schema.type", f"{_shown(value)} must be a mapping of 'key: value' lines")
            return
        check_object(value, t.fields, problems, path, where, line)


def check_object(value: dict, fields: dict, problems, path, where: str, line: int) -> None:
    """Check a mapping: unknown keys (with a hint), missing required keys, then each field."""
    prefix = f"{where}." if where else ""
    for key in value:
        if key not in fields:
            hint = _hint(key, fields)
            problems.add(path, line_of(value, key, line), "schema.unknown-key",
                         f"{prefix}{key}: unknown key{hint or '; remove it or check the spelling'}")
    for name, t in fields.items():
        if name not in value:
            if t.required:
                # A nested mapping's own line is its first key's; the key that names it is where authors look.
                problems.add(path, line if where else getattr(value, "line", line), "schema.required",
                             f"{prefix}{name}: is required but missing")
            continue
        validate(value[name], t, problems, path, prefix + name, line_of(value, name, line))


def _check_date(value, kind, bad) -> None:
    if isinstance(value, dt.datetime):
        bad("schema.date", f"{value} must be a date without a time (YYYY-MM-DD)")
    elif isinstance(value, dt.date):
        return
    elif isinstance(value, int) and kind == "partial-date" and 1900 <= value <= 2200:
        return
    elif isinstance(value, str) and kind == "partial-date" and PARTIAL_DATE_RE.match(value):
        if len(value) == 7 and not 1 <= int(value[5:]) <= 12:
            bad("schema.date", f"{_shown(value)} has no month {value[5:]}")
    elif isinstance(value, str) and DATE_RE.match(value):
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            bad("schema.date", f"{_shown(value)} is not a real calendar date")
        else:  # YAML read it as text because it was quoted; the tool needs a date
            bad("schema.date", f"{_shown(value)} is quoted, so YAML reads it as text; write it without quotes")
    else:
        want = "YYYY, YYYY-MM or YYYY-MM-DD" if kind == "partial-date" else "YYYY-MM-DD"
        bad("schema.date", f"{_shown(value)} is not a date; write it as {want}")


def _hint(value, choices) -> str:
    close = difflib.get_close_matches(str(value), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


__all__ = ["T", "Waves", "Domain", "Str", "Line", "Url", "Int", "Num", "Bool", "Date", "PartialDate", "Id", "Enum", "List", "Obj", "Counts", "IndexOrIndexes",
           "validate", "check_object", "ID_RE", "YMap", "YList"]
