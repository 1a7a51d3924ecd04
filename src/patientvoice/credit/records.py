"""The provider's records from the claims table: the PARS learner file, the full CSV, the summary, retention.

The PARS learner columns follow ACCME's learner completion data (credit-and-interoperability.md §1.3): name
split into given and family name, month and day of birth, ID domain and ID, completion date, credit type and
credits. ACCME's exact template headers are unconfirmed, so the headers here name the fields plainly; see
docs/credit.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter

from patientvoice.credit.registry import CREDIT_TYPES, PHYSICIAN, PROFESSIONS

HONORIFICS = {"dr", "dr.", "prof", "prof.", "professor", "doctor", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "mx",
              "mx."}
PARS_COLUMNS = ("Provider Activity ID", "Activity Title", "First Name", "Last Name", "Birth Month", "Birth Day",
                "ID Domain", "ID", "Completion Date", "Credit Type", "Credits", "Certificate ID")
CSV_COLUMNS = ("certificate", "created", "completed", "activity", "module", "title", "name", "email", "profession",
               "profession_other", "credit_type", "credits", "consent", "npi", "licence", "licence_state", "board",
               "board_id", "birth_month", "birth_day", "post_id", "verify")
AGE_RE = re.compile(r"([0-9]{1,6})\s*([ymd])")
MAX_AGE = {"y": 100, "m": 1200, "d": 36525}  # a century: any longer reaches before year 1 or means a typo


def split_name(name: str) -> tuple[str, str]:
    """Given and family name from the name as printed: titles and post-nominals (after a comma) dropped.

    The family name is the last word, so "Maria de la Cruz" needs a hand correction in the file; PARS asks for
    the two parts and the claim page asks for the name as it should appear on the certificate.
    """
    words = name.split(",")[0].split() or name.replace(",", " ").split()  # ", MD": no name before the comma
    if not words:
        return "", ""
    while len(words) > 1 and words[0].lower() in HONORIFICS:
        words = words[1:]
    if len(words) == 1:
        return "", words[0]
    return " ".join(words[:-1]), words[-1]


def identifier(report: dict) -> tuple[str, str]:
    """The PARS ID domain and ID: the board ID (for MOC), else the NPI, else the state licence."""
    if report.get("board"):
        return report["board"], report["board_id"]
    if report.get("npi"):
        return "NPI", report["npi"]
    if report.get("licence"):
        return report["licence_state"], report["licence"]
    return "", ""


def reportable(claim: dict) -> bool:
    """True when the learner consented and was awarded the credit type (PARS takes credit, not participation)."""
    return bool(claim["consent"]) and claim["profession"] in CREDIT_TYPES[claim["credit_type"]].professions


def _safe(value) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet; names and free text come from learners.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def pars_learners(claims: list[dict]) -> str:
    """The PARS learner completion rows, as CSV, for the learners who consented to be reported."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(PARS_COLUMNS)
    for c in claims:
        if not reportable(c):
            continue
        given, family = split_name(c["name"])
        domain, ident = identifier(c["report"])
        done = dt.date.fromisoformat(c["completed"])
        # Every cell through _safe, as in the CSV: the name and identifiers are typed by learners.
        writer.writerow([_safe(v) for v in (
            c["activity"], c["certificate"].get("title", ""), given, family, c["report"].get("birth_month", ""),
            c["report"].get("birth_day", ""), domain, ident, done.strftime("%m/%d/%Y"),
            CREDIT_TYPES[c["credit_type"]].pars, f"{c['credits']:g}", c["id"])])
    return out.getvalue()


def claims_csv(claims: list[dict]) -> str:
    """Every claim with every field, for the provider's own files."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for c in claims:
        r = c["report"]
        row = {**c, **{k: r.get(k) for k in ("npi", "licence", "licence_state", "board", "board_id", "birth_month",
                                               "birth_day")},
               "certificate": c["id"], "title": c["certificate"].get("title"), "credits": f"{c['credits']:g}",
               "consent": "yes" if c["consent"] else "no", "verify": c["certificate"].get("verify")}
        writer.writerow([_safe(row.get(k)) for k in CSV_COLUMNS])
    return out.getvalue()


def summary(claims: list[dict]) -> list[dict]:
    """Per activity: claims by profession, physicians and other learners, credits awarded, consent to report."""
    by_activity: dict[str, dict] = {}
    for c in claims:
        s = by_activity.setdefault(c["activity"], {
            "activity": c["activity"], "title": c["certificate"].get("title", ""), "claims": 0, "physicians": 0,
            "other_learners": 0, "by_profession": Counter(), "credits_awarded": 0.0, "participation_hours": 0.0,
            "reportable": 0, "awarded_by_type": Counter()})
        s["claims"] += 1
        s["by_profession"][c["profession"]] += 1
        s["physicians" if c["profession"] == PHYSICIAN else "other_learners"] += 1
        awarded = c["profession"] in CREDIT_TYPES[c["credit_type"]].professions
        if not awarded:
            s["participation_hours"] += c["credits"]
        elif c["credit_type"] == "ama-pra-1":
            s["credits_awarded"] += c["credits"]
        else:  # issue 13: nursing, pharmacy, PA and IPCE credit are counted per type, not as AMA credit
            s["awarded_by_type"][c["credit_type"]] += c["credits"]
        s["reportable"] += reportable(c)
    out = []
    for s in sorted(by_activity.values(), key=lambda s: s["activity"]):
        s["by_profession"] = {p: s["by_profession"][p] for p in PROFESSIONS if s["by_profession"][p]}
        s["awarded_by_type"] = dict(s["awarded_by_type"])
        out.append(s)
    return out


def summary_text(rows: list[dict]) -> str:
    """The summary as lines a provider reads (and copies into PARS's activity record)."""
    if not rows:
        return "No claims yet."
    lines = []
    for s in rows:
        professions = ", ".join(f"{PROFESSIONS[p].label.lower()} {n}" for p, n in s["by_profession"].items())
        lines += [f"{s['activity']}  {s['title']}",
                  f"  claims: {s['claims']} (physicians {s['physicians']}, other learners {s['other_learners']})",
                  f"  by profession: {professions}",
                  f"  AMA PRA Category 1 Credits™ awarded: {s['credits_awarded']:g}",
                  *(f"  {CREDIT_TYPES[t].name_plural} awarded: {n:g}" for t, n in s["awarded_by_type"].items()),
                  f"  participation hours claimed by other learners: {s['participation_hours']:g}",
                  f"  to report to PARS (consented): {s['reportable']}"]
    return "\n".join(lines)


def cutoff(age: str, today: dt.date) -> dt.date:
    """The date ``age`` (like 6y, 18m or 30d) before ``today``; raises ValueError for anything else."""
    parts = AGE_RE.fullmatch(age.strip().lower())
    if not parts:
        raise ValueError(f"'{age}' is not an age; write it like 6y, 18m or 30d")
    n, unit = int(parts.group(1)), parts.group(2)
    if n > MAX_AGE[unit]:
        raise ValueError(f"'{age}' is more than a century; ACCME asks for six years (6y)")
    if unit == "d":
        return today - dt.timedelta(days=n)
    months = today.year * 12 + today.month - 1 - (n * 12 if unit == "y" else n)
    year, month = divmod(months, 12)
    day = today.day
    while True:  # 29 February six years back is 28 February
        try:
            return dt.date(year, month + 1, day)
        except ValueError:
            day -= 1
