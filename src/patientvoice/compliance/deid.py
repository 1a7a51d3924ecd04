"""De-identification rules, modelled on HIPAA Safe Harbor: what learners see must not identify a storyteller."""

from __future__ import annotations

import re
from bisect import bisect_right

from patientvoice.compliance import safe_harbor
from patientvoice.rules import E, Rule, register

_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
           "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec")
_ORD = r"(?:st|nd|rd|th)?"

PATTERNS: dict[str, list[re.Pattern]] = {
    # Linear time (issue 11): every pattern runs over up to 5 MB of pasted text, so none may rescan a run of
    # characters from each position inside it. A lookbehind lets a match start only where a run starts,
    # possessive quantifiers give nothing back, and repetitions that could chain across a run are bounded.
    # tests/test_deid_linear.py and benchmarks/bench_adversarial.py hold the inputs that were quadratic.
    "deid.email": [re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)+")],
    "deid.url": [re.compile(r"\b(?:https?://|www\.)[^\s<>()\]]+", re.I),
                 # a host name starts at a label (not inside one) and has at most 8 labels before its suffix
                 re.compile(r"(?<![\w-])(?=[a-z0-9])[a-z0-9-]++(?:\.[a-z0-9-]++){0,7}"
                            r"\.(?:com|org|net|co\.uk|org\.uk|nhs\.uk|gov|edu|io|info)\b(?:/\S*+)?", re.I)],
    "deid.ip": [re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b"), re.compile(r"\b(?:[0-9a-f]{1,4}:){4,7}[0-9a-f]{1,4}\b", re.I)],
    "deid.date": [
        # no trailing '.': a date ending a sentence must quote (and be waived) as '26 December', not '26 December.'
        re.compile(rf"\b\d{{1,2}}{_ORD}\s+(?:of\s+)?(?:{_MONTHS})\b", re.I),
        re.compile(rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}{_ORD}\b(?![\d,]*\d{{3}})", re.I),
        re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b"),
        re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    ],
    "deid.postcode": [
        re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"),
        re.compile(r"\b(?:ZIP|zip code|postcode|post code)\W{0,3}[A-Z0-9]{3,5}(?:-\d{4})?\b", re.I),
        re.compile(r"\b\d{5}-\d{4}\b"),
    ],
    "deid.record-number": [
        re.compile(r"\b(?:MRN|NHS\s*(?:no\.?|number)|hospital\s+number|medical\s+record(?:\s+number)?|record\s+number|"
                   r"patient\s+(?:id|number)|SSN|social\s+security(?:\s+number)?)\W{0,3}"
                   # the identifier holds a digit and ends at the first word that does not start with one
                   r"(?=[A-Z0-9-]{0,40}\d)[A-Z0-9][A-Z0-9-]{2,}+(?: \d[A-Z0-9-]*+)*+", re.I),
        re.compile(r"\b\d{3}-\d{2}-\d{4}\b"),
        re.compile(r"\b\d{6,}\b"),
    ],
    # Groups of up to 6 digits: UK mobiles are written 07700 900123.
    "deid.phone": [re.compile(r"(?<![\w/.-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,5}\)[ .-]?)?\d{2,6}(?:[ .-]\d{2,6}){1,4}(?![\w/-])")],
    "deid.age": [re.compile(r"\b(?:9\d|1[0-2]\d)(?:[ -](?:years?|yrs?)[ -]old|-year-old|\s+years?\s+of\s+age)\b", re.I),
                 re.compile(r"\b(?:aged?|age of)\s+(?:9\d|1[0-2]\d)\b", re.I)],
}

# Issue 13: the rest of Safe Harbor's identifiers (compliance/safe_harbor.py), after the rules above so that
# equal-length ties still go to the older, more specific rule.
for _rid, _pats in safe_harbor.PATTERNS.items():
    PATTERNS.setdefault(_rid, []).extend(_pats)

_WHAT = {
    "deid.email": "an e-mail address", "deid.url": "a web address", "deid.ip": "an IP address",
    "deid.date": "a date more precise than the year", "deid.phone": "a phone number", "deid.postcode": "a postcode or ZIP code",
    "deid.record-number": "a record-like number (medical record, NHS, social security)", "deid.age": "an age over 89",
    "deid.name": "the real name of someone in content/people",
    **safe_harbor.WHAT,
}
# How to generalise each of the identifiers added in issue 13, named in the problem itself.
_HINT = {"deid.kin-name": "'my daughter', not her name", "deid.address": "'our street', not its name or number",
         "deid.place": "name the state, the country or 'a small town'", "deid.date": "keep the year or the season",
         "deid.age": "write '90 or older'", "deid.number": "leave the number out"}
_FIX = ("Remove or generalise it in the story: keep the year or season, the age band, the region; drop the rest. "
        "If it is a false alarm, waive it in the story's front matter: waivers: [{rule, match, reason}].")

register(*(Rule(rid, E, f"A story shows {what}",
                "Stories are de-identified to the HIPAA Safe Harbor standard: learners must not be able to identify "
                "a storyteller, a relative or an employer from what is published.", _FIX)
           for rid, what in _WHAT.items()))
register(Rule("deid.waiver-unused", "warning", "A de-identification waiver matches nothing",
              "A waiver that matches nothing is either stale (the text changed) or mistyped, and then the finding "
              "it was meant for is still reported or, worse, the reviewer believes something was waived that was not.",
              "Correct the waiver's rule id and match text to the finding `check` reports, or remove the waiver."))
register(Rule("deid.waived", "info", "A de-identification finding was waived",
              "A waiver keeps one finding with a reviewed reason; check lists every waiver so reviewers can see them.",
              "Nothing to fix; remove the waiver if the reason no longer holds."))

_TITLES = r"(?:Dr|Doctor|Prof|Professor|Mr|Mrs|Ms|Miss|Mx|Nurse|Sister)\.?"


def _name_patterns(course) -> list[tuple[str, re.Pattern, set[str]]]:
    # One alternation for everyone: a course has hundreds of people, and one pass per person per story
    # made this the slowest rule of all.
    alts, words_seen = [], set()
    for p in course.people.values():
        words = [w for w in re.sub(rf"^{_TITLES}\s+", "", p.name.strip()).split() if w]
        if len(words) >= 2:
            alts += [r"\s+".join(map(re.escape, words)), rf"{_TITLES}\s+{re.escape(words[-1])}"]
            words_seen.update(words)
    # Longest first, so that 'Dr Anna Lee' is not cut short at 'Dr Anna'.
    alts = sorted(set(alts), key=len, reverse=True)
    # The words set lets a paragraph that names no one skip the (long) alternation.
    return [("people", re.compile(rf"\b(?:{'|'.join(alts)})\b"), words_seen)] if alts else []


_DIGIT = re.compile(r"\d")
_TLDS = (".com", ".org", ".net", ".uk", ".gov", ".edu", ".io", ".info")
# What a paragraph must contain before a rule's patterns can match in it. Most story paragraphs hold no
# digit, '@' or web address, so most patterns never run: the check stays fast on a thousand stories.
_GATES = {
    "deid.email": lambda t, low: "@" in t,
    "deid.url": lambda t, low: "://" in t or "www." in low or any(d in low for d in _TLDS),
    "deid.postcode": lambda t, low: bool(_DIGIT.search(t)) or "zip" in low or "post" in low,
}
_NEEDS_DIGIT = {"deid.ip", "deid.date", "deid.phone", "deid.record-number", "deid.age", "deid.number"}
_ORDER = {rid: n for n, rid in enumerate(PATTERNS)}  # ties between equal-length finds go to the earlier rule
# Each rule's patterns with their gates, looked up once (hashing a compiled pattern hashes its source).
_PLAN = [(n, rid, [(p, safe_harbor.GATES.get(p)) for p in pats]) for n, (rid, pats) in enumerate(PATTERNS.items())]
_PARAGRAPH = re.compile(r"(?:[^\n]+\n?)+")
_NEWLINE = re.compile(r"\n")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _candidates(text: str, offset: int, names, allowed: set[str] = frozenset()) -> list[tuple]:
    low, digit = text.lower(), bool(_DIGIT.search(text))
    out = []
    plan = _PLAN + [(len(_PLAN), "deid.name", [(p, None) for _, p, _ in names])] if names else _PLAN
    for order, rid, pats in plan:
        if rid in _NEEDS_DIGIT and not digit or rid in _GATES and not _GATES[rid](text, low):
            continue
        for pat, gate in pats:
            if gate is not None and not gate(text, digit):
                continue
            for m in pat.finditer(text):
                if rid == "deid.phone" and sum(c.isdigit() for c in m.group()) < 9:
                    continue
                if "name" in pat.groupindex and safe_harbor.name_allowed(m.group("name"), allowed):
                    continue
                quoted = "q" if "q" in pat.groupindex else 0  # the street, not the 'on' before it
                found, start = m.group(quoted), m.start(quoted)
                if rid == "deid.url":  # a sentence's own punctuation is not part of the address
                    found = found.rstrip(".,;:!?'\"")
                end = start + len(found)
                out.append((start - end, order, offset + start, offset + end, rid, found))
    return out


def scan(text: str, names, allowed: set[str] = frozenset()) -> list[tuple[str, str, int]]:
    """Find identifiers in ``text``: (rule id, matched text, offset), without overlaps; the longest match wins.

    ``allowed`` holds names that may follow a kinship word (the story's own pseudonym)."""
    if names and not any(words.intersection(_WORD.findall(text)) for _, _, words in names):
        names = []  # the text uses none of the people's name words
    candidates = [c for m in _PARAGRAPH.finditer(text) for c in _candidates(m.group(), m.start(), names, allowed)]
    # Word lookups (kinship words, towns and cities, ages) run once over the whole text: none of them can
    # match across a blank line, and one pass costs far less than one call per paragraph.
    for rid, find in safe_harbor.finders().items():
        candidates += [(a - b, _ORDER[rid], a, b, rid, text[a:b]) for a, b in find(text, allowed)]
    # The match that explains the most text names it best: 'NHS number 485 777 3456' is a record number,
    # not a phone number; ties go to the rule listed first.
    # The spans taken so far are disjoint, so kept sorted by start they are sorted by end as well: one
    # bisection finds the only two neighbours a new span could overlap (a scan of all of them was quadratic
    # in a story pasted full of addresses).
    found, starts, ends = [], [], []
    for _, _, a, b, rid, match in sorted(candidates):
        i = bisect_right(starts, a)
        if (i and ends[i - 1] > a) or (i < len(starts) and starts[i] < b):
            continue
        starts.insert(i, a)
        ends.insert(i, b)
        found.append((rid, match.strip(), a))
    return sorted(found, key=lambda f: f[2])


def check(course, problems, today) -> None:
    """Scan stories' learner-facing text for Safe Harbor identifiers, honouring waivers."""
    names = _name_patterns(course)
    for s in course.stories.values():
        texts = [(s.line(k), getattr(s, k)) for k in ("title", "pseudonym", "condition") if getattr(s, k)]
        # The body is scanned whole (an identifier can wrap onto the next line), then each find is placed
        # on the line where it starts.
        starts = [0] + [m.end() for m in _NEWLINE.finditer(s.body)]
        own = {s.pseudonym.strip()} if s.pseudonym.strip() else set()
        finds = [(line, rid, match) for line, text in texts for rid, match, _ in scan(text, names, own)]
        finds += [(s.body_line + bisect_right(starts, at) - 1, rid, match)
                  for rid, match, at in scan(s.body, names, own)]
        used = set()
        for line, rid, match in finds:
            match = " ".join(match.split())
            waiver = next((w for w in s.waivers if w.rule == rid and " ".join(w.match.split()) == match), None)
            if waiver:
                used.add(id(waiver))
                problems.add(s.path, line, "deid.waived", f"'{match}' ({_WHAT[rid]}) waived: {waiver.reason}")
            else:
                hint = _HINT.get(rid)
                how = f" ({hint}), or waive it with a reason" if hint else ""
                problems.add(s.path, line, rid, f"'{match}' looks like {_WHAT[rid]}; remove or generalise it{how}")
        for w in s.waivers:
            if id(w) not in used:
                known = "" if w.rule in _WHAT else f" ('{w.rule}' is not a de-identification rule; see docs/rules.md)"
                problems.add(s.path, w.line, "deid.waiver-unused",
                             f"waiver for {w.rule} '{w.match}' matches nothing in the story{known}; "
                             "correct it or remove it")
