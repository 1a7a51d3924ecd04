"""The Safe Harbor identifiers added in issue 13: names after kinship words, street addresses, towns and cities,
dates to the month, ages over 89 in prose, and labelled account/licence/device/vehicle numbers.

``deid.py`` runs these next to its own patterns (same waivers, same overlap rule: the longest match wins).
Every pattern is linear time (issue 11): matches can start only at a keyword or a word boundary, repeats are
bounded or possessive, and towns and cities are looked up word by word in a set instead of one huge
alternation. tests/test_limits.py and benchmarks/bench_adversarial.py hold the hostile inputs.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

# Relatives and other people a storyteller names ("my daughter Keisha", "her husband, Tom,"). Found word by
# word (a set lookup): one case-insensitive alternation of 90 words at every position took 2 s on 500 KB.
_KIN = set("""mother father mum mom mam mummy mommy dad daddy papa mama son daughter husband wife partner fiance
fiancé fiancee fiancée boyfriend girlfriend brother sister stepson stepdaughter stepmother stepfather stepbrother
stepsister half-brother half-sister twin grandson granddaughter grandchild grandmother grandfather grandma grandpa
granny gran nan nana nanna aunt auntie aunty uncle cousin niece nephew mother-in-law father-in-law sister-in-law
brother-in-law son-in-law daughter-in-law ex-husband ex-wife friend neighbour neighbor colleague boss carer
caregiver flatmate roommate housemate godmother godfather godson goddaughter child baby kid toddler teenager
eldest youngest""".split())
# Capitalised words that follow a kinship word without being a name ("my sister, Mum and I").
_NOT_NAMES = set("""I I'm I’m I'd I’d I've I’ve I'll I’ll The A An And But So Then When While He She They We You It
My His Her Our Their This That There Mr Mrs Ms Miss Dr Doctor Nurse Mum Mom Dad Mam Gran Granny Grandma Grandpa Nan
Nana Auntie Uncle Christmas Easter God Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February
March April May June July August September October November December""".split())
_NAME = r"(?P<name>[A-Z][a-z'’]++(?:-[A-Z][a-z'’]++)?(?:[ \t][A-Z][a-z'’]++)?)"
# A word followed by a capitalised word not at a sentence start: the only places a kin name can be. Most
# words of a story are followed by a lowercase word, so few reach the set lookup in Python.
_GAP = r"(?:[ \t]{1,3}\n?|\n)[ \t]{0,3}"  # spaces, or a line break (a name wrapped onto the next line)
_KIN_WORD = re.compile(rf"(?<![\w-])([\w-]{{2,20}}+)(?=,?{_GAP}[A-Z][a-z'’])")
_AFTER_KIN = re.compile(rf",?{_GAP}{_NAME}")
KIN_NAME = [re.compile(rf"(?<![\w-])(?:[Cc]alled|[Nn]amed|[Nn]icknamed){_GAP}{_NAME}")]

_SUFFIX = (r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Boulevard|Blvd|Close|Court|Ct|Way|Place|Pl|Terrace|"
           r"Crescent|Gardens|Grove|Parkway|Pkwy|Highway|Hwy|Square|Mews|Circle|Cir|Trail)")
_STREET_WORDS = r"(?:[A-Z][a-z'’]++[ \t]{1,3}){1,3}"
ADDRESS = [
    # '12 Elm Street', '4b Mill Lane', '1600 Pennsylvania Avenue'
    re.compile(rf"(?<![\w/.-])\d{{1,5}}[A-Za-z]?,?[ \t]{{1,3}}{_STREET_WORDS}{_SUFFIX}\b\.?"),
    # 'on Elm Street', 'off Mill Lane': a street named without its number still places the storyteller
    re.compile(rf"\b(?:on|in|at|off|along|down|up|near|from|of)[ \t]{{1,3}}(?P<q>{_STREET_WORDS}"
               r"(?:Street|Road|Avenue|Lane|Drive|Boulevard|Close|Terrace|Crescent|Parkway|Highway))\b"),
    re.compile(r"\b(?:Apt\.?|Apartment|Flat|Unit|Suite|P\.?[ \t]?O\.?[ \t]?Box)[ \t]{1,3}#?\d{1,5}[A-Z]?\b"),
]

# County-like units: 'in Orange County', 'County Durham', 'Jefferson Parish'.
PLACE = [re.compile(r"(?<![\w'’-])(?!(?:The|A|An|This|That|Our|My|Every|Each|Their|Her|His)[ \t])"
                   r"(?:[A-Z][a-z'’]++[ \t]){1,2}(?:County|Parish|Borough|Township)\b"),
         re.compile(r"\bCounty[ \t][A-Z][a-z]++\b")]

_MONTHS_CASED = ("January|February|March|April|May|June|July|August|September|October|November|December|"
                 "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec")
DATE = [
    # 'March 2019', 'Sept. 2020', 'May of 2018', "June '19": month names are capitalised, so 'may 2019' is not one
    re.compile(rf"\b(?:{_MONTHS_CASED})\.?,?[ \t]{{1,3}}(?:of[ \t]{{1,3}})?(?:(?:1[89]|20)\d\d|['’]\d\d)\b"),
    re.compile(r"(?<![\w/.-])(?:0?[1-9]|1[0-2])/(?:19|20)\d\d\b(?![/.-]\d)"),  # 03/2019
    re.compile(r"\b(?:19|20)\d\d-(?:0[1-9]|1[0-2])\b(?!-\d)"),                 # 2019-03
]

_AGE = r"(?:9\d|1[01]\d)"
# A number after 'was' is an age unless a unit follows: 'we waited 95 minutes', 'sats were 92%'.
_NOT_AGE = (r"(?![\d.,]\d|[ \t]*(?:%|°|/|per[ \t]?cent|(?i:mph|kg|kilos?|lbs?|pounds|stone|miles?|metres|meters|"
            r"minutes?|mins?|hours?|hrs?|seconds?|secs?|days?|weeks?|months?|years?|yrs?|-year|beats|bpm|degrees|mmhg|units?|mg)\b))")
_SUBJECT = (r"(?i:I|he|she|they|mum|mom|dad|gran|granny|grandma|grandpa|nan|nana|father|mother|grandmother|"
            r"grandfather|husband|wife)[ \t]{1,3}(?i:was|is|am|were|turned|turns|had[ \t]turned|has[ \t]turned|"
            r"will[ \t]be|would[ \t]be|would[ \t]have[ \t]been)")
# 'I was 92', "she's 95", 'my grandmother turned 90': found from the number back to its subject (a pattern
# that starts at the subject tries 20 case-insensitive words at every position).
_AGE_NUMBER = re.compile(rf"\b{_AGE}\b{_NOT_AGE}")
_AGE_SUBJECT = re.compile(rf"\b(?:{_SUBJECT}|I'm|I’m|(?i:he|she)['’]s)[ \t]{{1,3}}(?i:just[ \t]|only[ \t]|nearly[ \t]|"
                          rf"almost[ \t]|already[ \t])?$")
AGE = [
    re.compile(rf"\b(?i:turned|turning|reached|celebrated)[ \t]{{1,3}}{_AGE}\b{_NOT_AGE}"),
    re.compile(rf"\b{_AGE}(?:st|nd|rd|th)[ \t]{{1,3}}(?i:birthday)\b"),
]

_LABEL = (r"(?i:licen[cs]e[ \t]plate|number[ \t]plate|(?:car|vehicle)[ \t]registration|registration[ \t](?:number|no\.?|"
          r"plate)|reg[ \t](?:no\.?|number)|serial[ \t](?:number|no\.?|#)|serial|account[ \t](?:number|no\.?|#)|account|"
          r"acct\.?(?:[ \t]?(?:no\.?|#))?|(?:driver['’]?s|driving)[ \t]licen[cs]e(?:[ \t](?:number|no\.?))?|"
          r"licen[cs]e[ \t](?:number|no\.?|#)|policy[ \t](?:number|no\.?|#)|member(?:ship)?[ \t](?:number|no\.?|id)|"
          r"insurance[ \t](?:number|id)|device[ \t](?:id|number|serial)|IMEI|VIN|vehicle[ \t]identification[ \t]number|"
          r"card[ \t](?:number|no\.?|ending(?:[ \t]in)?)|IBAN|sort[ \t]code|claim[ \t](?:number|no\.?)|"
          r"passport[ \t](?:number|no\.?)|certificate[ \t](?:number|no\.?)|badge[ \t](?:number|no\.?))")
NUMBER = [
    # the identifier holds a digit within its first words, and ends at the first word that is not one
    re.compile(rf"\b{_LABEL}(?:[ \t](?i:is|was|of|reads|reading))?\W{{0,3}}(?=[A-Za-z0-9 -]{{0,24}}\d)"
               r"[A-Z0-9][A-Z0-9-]{1,40}+(?:[ \t][A-Z0-9][A-Z0-9-]{0,40}+){0,3}"),
    # a vehicle identification number: 17 characters without I, O or Q, with letters and digits
    re.compile(r"\b(?=[A-HJ-NPR-Z]{0,16}\d)(?=\d{0,16}[A-HJ-NPR-Z])[A-HJ-NPR-Z0-9]{17}\b"),
    re.compile(r"\b[A-Z]{2}\d\d[ \t]?[A-Z]{3}\b"),  # a UK number plate, AB12 CDE
]

_DIGIT = re.compile(r"\d")
_STREETS = re.compile("Street|Road|Avenue|Lane|Drive|Boulevard|Close|Terrace|Crescent|Parkway|Highway")
_UNITS = re.compile("County|Parish|Borough|Township")
# What a paragraph must hold before a pattern can match in it (most paragraphs hold none of it): the gate
# is one C-level substring search, the pattern a scan of every position.
GATES = {
    KIN_NAME[0]: lambda text, digit: "alled" in text or "amed" in text,
    ADDRESS[0]: lambda text, digit: digit,
    ADDRESS[1]: lambda text, digit: _STREETS.search(text) is not None,
    ADDRESS[2]: lambda text, digit: digit,
    PLACE[0]: lambda text, digit: _UNITS.search(text) is not None,
    PLACE[1]: lambda text, digit: "County" in text,
    **{p: (lambda text, digit: digit) for p in DATE + AGE + NUMBER},
}

PATTERNS: dict[str, list[re.Pattern]] = {
    "deid.kin-name": KIN_NAME, "deid.address": ADDRESS, "deid.place": PLACE, "deid.date": DATE,
    "deid.age": AGE, "deid.number": NUMBER,
}
WHAT = {
    "deid.kin-name": "the name of a relative or someone else the storyteller knows",
    "deid.address": "a street address",
    "deid.place": "a town, city or county (smaller than a state)",
    "deid.number": "an account, licence, device or vehicle number",
}
# Two-word state names whose second word is also a town ('New York' the state is allowed; 'York' is not).
_STATES = {"New": ("New York", "New Jersey", "New Hampshire", "New Mexico", "New England", "New South Wales"),
           "North": ("North Carolina", "North Dakota"), "South": ("South Carolina", "South Dakota"),
           "West": ("West Virginia",), "Rhode": ("Rhode Island",)}
def finders():
    """Rules found by a word lookup rather than a pattern: rule id -> f(text, allowed) yielding (start, end)."""
    return _FINDERS


_FINDERS = {"deid.kin-name": lambda text, allowed: find_kin_names(text, allowed),
            "deid.place": lambda text, allowed: find_places(text), "deid.age": lambda text, allowed: find_ages(text, allowed)}


_TOKEN = re.compile(r"(?<![\w'’.-])[A-Z][A-Za-z'’.-]*+")
_BEFORE = re.compile(r"\b(?:in|from|to|near|outside|around|at)[ \t]{1,3}$")


@lru_cache(maxsize=1)
def places() -> dict[str, list[tuple[str, bool]]]:
    """The town and city list (package data), keyed by first word: [(name, needs a preposition before it)]."""
    by_first: dict[str, list[tuple[str, bool]]] = {}
    text = resources.files("patientvoice.compliance").joinpath("data/places.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name = line.lstrip("?")
            by_first.setdefault(name.split()[0], []).append((name, line.startswith("?")))
    for names in by_first.values():
        names.sort(key=lambda n: len(n[0]), reverse=True)
    return by_first


def find_places(text: str):
    """Towns and cities from the list in ``text``: (start, end) spans. One set lookup per capitalised word."""
    table, skip_to = places(), 0
    tokens = set(_TOKEN.findall(text))
    if table.keys().isdisjoint(tokens) and table.keys().isdisjoint(t.rstrip(".'’") for t in tokens):
        return  # most paragraphs name no listed place: one set test instead of a loop in Python
    for m in _TOKEN.finditer(text):
        at = m.start()
        if at < skip_to:
            continue
        word = m.group()
        stripped = word.rstrip(".'’")
        names = table.get(word, []) + (table.get(stripped, []) if stripped != word else [])
        for name, guarded in names:
            end = at + len(name)
            if not text.startswith(name, at) or (end < len(text) and (text[end].isalnum() or text[end] == "-")):
                continue
            if guarded and not _BEFORE.search(text, max(0, at - 12), at):
                continue
            yield at, end
            skip_to = end
            break
        else:
            state = next((s for s in _STATES.get(word, ()) if text.startswith(s, at)), None)
            if state:  # 'New York' the state, so not 'York' the town
                skip_to = at + len(state)


def find_ages(text: str, allowed: set[str]):
    """'I was 92': (start, end) spans from the subject to the age."""
    for m in _AGE_NUMBER.finditer(text):
        subject = _AGE_SUBJECT.search(text, max(0, m.start() - 40), m.start())
        if subject:
            yield subject.start(), m.end()


def find_kin_names(text: str, allowed: set[str]):
    """Names after kinship words in ``text``: (start, end) spans from the kinship word to the end of the name."""
    for m in _KIN_WORD.finditer(text):
        if m.group(1).lower() in _KIN:
            after = _AFTER_KIN.match(text, m.end())
            if after and not name_allowed(after.group("name"), allowed):
                yield m.start(), after.end()


def name_allowed(name: str, allowed: set[str]) -> bool:
    """True when the name after a kinship word is no name ('my sister, Mum') or is the story's own pseudonym."""
    first = name.split()[0] if name.split() else ""
    return first in _NOT_NAMES or first in allowed or name in allowed
