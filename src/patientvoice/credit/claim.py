"""Reading a claim from the page's JSON: every field checked, every refusal a message a clinician understands."""

from __future__ import annotations

import calendar
import math
import re
import unicodedata
from dataclasses import dataclass, field

from patientvoice.credit.registry import (BOARDS, CREDIT_TYPES, PROFESSIONS, STATES, credit_type_for_profession,
                                          npi_valid)
from patientvoice.outcomes.validate import CONTROL_RE, LEARNER_RE

EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
LICENCE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 .\-/]{0,39}")
BOARD_ID_RE = re.compile(r"[A-Za-z0-9\-]{1,20}")
NUMBER_RE = re.compile(r"[0-9]{1,2}")  # a birth month or day; int() over thousands of digits is slow, then refused
CREDITS_RE = re.compile(r"[0-9]{1,3}(\.[0-9]{1,6})?")
# Joiners (U+200C, U+200D) are format characters that Persian and Indic names need; they cannot reorder text.
JOINERS = {"\u200c", "\u200d"}
STEP = 0.25  # credit is claimed in quarter hours (AMA, and PARS numberOfCredits)
REPORT_KEYS = ("consent", "npi", "licence", "licence_state", "board", "board_id", "birth_month", "birth_day")


class Refused(Exception):
    """A claim the collector will not accept: the HTTP status and the message the claim page shows as is."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


@dataclass(frozen=True)
class Claim:
    """A well-formed claim; whether it earns credit is the policy's decision."""

    activity: str
    module: str
    learner: str
    name: str
    email: str
    profession: str
    profession_other: str
    credit_type: str
    credits: float
    report: dict = field(default_factory=dict)

    def same_as(self, row: dict) -> bool:
        """True when a stored claim says the same thing, so a repeated submission gets the same certificate."""
        return (row["name"], email_key(row["email"]), row["profession"], row["profession_other"] or "",
                row["credit_type"], float(row["credits"]), row["report"]) == \
               (self.name, email_key(self.email), self.profession, self.profession_other, self.credit_type,
                self.credits, self.report)


def email_key(text: str) -> str:
    """The form two spellings of one e-mail address share: NFC after Unicode case folding (JÖRG is jörg)."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", text).casefold())


def _invisible(ch: str) -> bool:
    # Control (Cc), format (Cf: bidi overrides, zero-width spaces), surrogate and private-use characters print as
    # nothing, or reverse the text around them on a certificate ("Dr \u202eEve\u202c Smith").
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") and ch not in JOINERS


def _text(obj: dict, key: str, what: str, limit: int, required: bool = True) -> str:
    value = obj.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise Refused(400, f"Please enter {what}.")
        return ""
    if not isinstance(value, str) or len(value) > limit or CONTROL_RE.search(value):
        raise Refused(400, f"Please enter {what} as plain text of at most {limit} characters.")
    value = " ".join(unicodedata.normalize("NFC", value).split())  # one spelling of é, whatever the keyboard sent
    if any(_invisible(ch) for ch in value):
        raise Refused(400, f"Please type {what} again: it contains invisible characters (such as text-direction "
                           "marks) that cannot be printed on a certificate.")
    return value


def _number(value, what: str, low: int, high: int) -> int:
    if isinstance(value, str) and NUMBER_RE.fullmatch(value.strip()):
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise Refused(400, f"The {what} must be a number from {low} to {high}.")
    return value


def parse_report(raw) -> dict:
    """The reporting part: identifiers and consent to report to ACCME PARS and the board, or an empty report."""
    if raw is None:
        raw = {"consent": False}
    if not isinstance(raw, dict) or not isinstance(raw.get("consent", False), bool):
        raise Refused(400, "The reporting details could not be read; answer yes or no to reporting your completion.")
    out: dict = {"consent": raw.get("consent", False)}
    npi = _text(raw, "npi", "your NPI", 20, required=False).replace(" ", "")
    if npi:
        if not npi_valid(npi):
            raise Refused(400, "That NPI is not valid: an NPI has 10 digits and its last digit is a check digit. "
                               "Please check it, or leave it empty.")
        out["npi"] = npi
    licence = _text(raw, "licence", "your state licence number", 40, required=False)
    state = _text(raw, "licence_state", "the licensing state", 40, required=False).upper()
    if licence or state:
        if not licence or not LICENCE_RE.fullmatch(licence):
            raise Refused(400, "Please enter your state licence number (letters and digits) with the state.")
        if state not in STATES:
            raise Refused(400, "Please choose the state that issued your licence (a two-letter code such as NY).")
        out.update(licence=licence, licence_state=state)
    board = _text(raw, "board", "your certifying board", 100, required=False).upper()
    board_id = _text(raw, "board_id", "your board ID", 20, required=False)
    if board or board_id:
        if board not in BOARDS:
            raise Refused(400, "Please choose your certifying board from the list "
                               f"({', '.join(BOARDS)}), or leave the board fields empty.")
        if not BOARD_ID_RE.fullmatch(board_id):
            raise Refused(400, f"Please enter your {board} ID (letters and digits), or leave the board fields empty.")
        out.update(board=board, board_id=board_id)
    month, day = raw.get("birth_month"), raw.get("birth_day")
    if month not in (None, "") or day not in (None, ""):
        month = _number(month, "birth month", 1, 12)
        day = _number(day, "birth day", 1, calendar.monthrange(2024, month)[1])  # 2024: 29 February exists
        out.update(birth_month=month, birth_day=day)
    if out["consent"]:
        if not ({"npi", "licence", "board"} & out.keys()):
            raise Refused(400, "To report your completion we need an identifier: your NPI, your state licence "
                               "number and state, or your board and board ID. Enter one, or do not consent to "
                               "reporting.")
        if "birth_month" not in out:
            raise Refused(400, "To report your completion, ACCME and the boards need your month and day of birth. "
                               "Enter them, or do not consent to reporting.")
    return out


def parse_claim(obj, activities: dict) -> Claim:
    """Check the claim's fields against the module's activity; raise Refused (400) saying what to correct."""
    if not isinstance(obj, dict):
        raise Refused(400, "The claim could not be read. Reload the page and try again.")
    module = obj.get("module")
    act = activities.get(module) if isinstance(module, str) else None
    if act is None:
        raise Refused(400, "This activity does not offer credit here. Reload the page from the course site.")
    named = obj.get("activity")
    if named != act.id:
        # Echoed only when it is text: a list nested hundreds deep is no message (and str() of it can recurse).
        named = repr(named[:40]) if isinstance(named, str) else "that is not an activity ID"
        raise Refused(400, f"This claim names activity {named}, but the module is activity {act.id}. Reload the "
                           "page from the course site.")
    learner = obj.get("learner")
    if not isinstance(learner, str) or not LEARNER_RE.fullmatch(learner):
        raise Refused(400, "The learner code from this browser is missing or not valid. Claim credit from the "
                           "browser you took the post-test in.")
    name = _text(obj, "name", "your full name as it should appear on the certificate", 200)
    if not any(ch.isalpha() for ch in name.split(",")[0]):  # ", MD" is post-nominals with no name before them
        raise Refused(400, "Please enter your full name as it should appear on the certificate, in letters "
                           "(for example Jane Smith, MD).")
    email = _text(obj, "email", "your e-mail address", 254)
    if not EMAIL_RE.fullmatch(email):
        raise Refused(400, "Please enter a valid e-mail address, such as name@example.org.")
    profession = obj.get("profession")
    if not isinstance(profession, str) or profession not in PROFESSIONS:
        raise Refused(400, "Please choose your profession.")
    other = _text(obj, "profession_other", "your profession", 100, required=profession == "other")
    if profession != "other":
        other = ""
    credit_type = obj.get("credit_type")
    if credit_type is not None and (not isinstance(credit_type, str) or credit_type not in act.credit_types):
        offered = ", ".join(CREDIT_TYPES[t].pars for t in act.credit_types) or "none"
        raise Refused(400, f"This activity does not offer that type of credit (it offers: {offered}).")
    # Issue 13: the profession selects the credit (physician AMA, nurse ANCC, pharmacist ACPE, PA AAPA, anyone
    # IPCE); a learner whose profession has no credit here gets a certificate of participation.
    credit_type = credit_type_for_profession(act.credit_types, profession, credit_type)
    if credit_type is None:
        raise Refused(400, "This activity does not offer credit.")
    credits = _credits(obj.get("credits"), getattr(act, "amounts", {}).get(credit_type) or act.credits)
    if obj.get("attest") is not True:
        raise Refused(400, "Please confirm that you claim only the credit commensurate with the extent of your "
                           "participation in the activity.")
    return Claim(act.id, module, learner, name, email, profession, other, credit_type, credits,
                 parse_report(obj.get("report")))


def _credits(value, most: float) -> float:
    """The credit claimed, a multiple of 0.25 from 0.25 to ``most``: rounded to the step before the minimum is
    checked, so 1e-300 is not a claim of nothing that uses up the learner's one claim."""
    if isinstance(value, str) and CREDITS_RE.fullmatch(value.strip()):
        value = float(value)
    # abs() first: math.isfinite of a 400-digit integer is an OverflowError.
    if not isinstance(value, (int, float)) or isinstance(value, bool) or abs(value) > 1000 \
            or not math.isfinite(value):
        raise Refused(400, f"Please enter the credit you claim, as a number up to {most:g}.")
    steps = round(value / STEP)
    if abs(value / STEP - steps) > 1e-9:
        raise Refused(400, f"Please claim credit in steps of {STEP:g} (for example 0.5 or 0.75), not {value:g}.")
    if steps < 1:
        raise Refused(400, f"Please claim at least {STEP:g} credit.")
    if steps * STEP > most:
        raise Refused(400, f"You can claim at most {most:g} credits for this activity.")
    return steps * STEP
