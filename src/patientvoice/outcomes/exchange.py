"""Responses in and out of files: the collector's JSON and CSV exports, and learners' own JSON files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from patientvoice.outcomes.store import digest
from patientvoice.outcomes.validate import Invalid, ModuleSpec, validate

FIELDS = ("activity", "module", "phase", "learner", "submitted", "received", "answers")
# The site's own download has the first seven columns (one row per answer, a multiple answer as "0;2");
# the collector's export adds which stored response a row belongs to, its receipt time and the server's mark.
CSV_COLUMNS = ("activity", "module", "phase", "learner", "submitted", "item", "answer", "response", "received", "correct")
SITE_COLUMNS = CSV_COLUMNS[:7]
# A spreadsheet runs a cell that starts with one of these as a formula; a quote makes it plain text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class FileError(Exception):
    """An input file cannot be read; the message names the file and the reason."""


def to_json(rows: list[dict]) -> str:
    """All stored responses as a JSON list of response objects, each with its receipt time and server score."""
    out = [{**{k: r.get(k) for k in FIELDS}, "score": r.get("score")} for r in rows]
    return json.dumps(out, ensure_ascii=False, indent=1)


def _cell(value) -> str:
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_START) else value
    return ";".join(map(str, value)) if isinstance(value, list) else str(value)


def to_csv(rows: list[dict]) -> str:
    """All stored responses in long form: one row per answer, text answers guarded against formula injection."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for n, r in enumerate(rows, 1):
        score = r.get("score")
        correct = (score.get("items") if isinstance(score, dict) else None) or {}
        for item, answer in (r["answers"] or {}).items():
            mark = "" if item not in correct else int(correct[item])
            writer.writerow([r["activity"], r["module"], r["phase"], r["learner"], r.get("submitted") or "", item,
                             _cell(answer), r.get("id", n), r.get("received") or "", mark])
    return buf.getvalue()


def _uncell(text: str, item_kind: str):
    if item_kind in ("text", "commitment"):
        return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text
    if item_kind == "multiple":  # an empty cell is an empty choice, as to_csv writes it
        return [int(v) for v in text.split(";") if v.strip()]
    if not text.strip():
        raise ValueError("the answer cell is empty")
    return int(text)


def _csv_objects(path: Path, specs: dict[str, ModuleSpec]) -> list[tuple[str, dict, str | None]]:
    """(where, response object, why it is unusable or None) per response in a long-form CSV.

    A response is all the rows that share its first five columns (and the export's response number); one bad
    row spoils the whole response, since storing the rest would count the missing answer as wrong.
    """
    grouped: dict[tuple, tuple[str, dict, str | None]] = {}
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh, restval="")
        missing = [c for c in SITE_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise FileError(f"{path}: not a patientvoice CSV export (no column {', '.join(missing)})")
        for number, row in enumerate(reader, 2):  # numbered as a spreadsheet shows them, the header being row 1
            where = f"row {number} of {path.name}"
            key = tuple(row[k] for k in SITE_COLUMNS[:5]) + (row.get("response"),)
            first = grouped.setdefault(key, (where, {**{k: row[k] or None for k in SITE_COLUMNS[:5]},
                                                     "received": row.get("received") or None, "answers": {}}, None))
            if first[2] is not None:
                continue  # this response is already skipped, for its first bad row
            spec = specs.get(row["module"])
            items = spec.phases.get(row["phase"], {}) if spec else {}
            kind = items[row["item"]].kind if row["item"] in items else "text"
            if None in row:
                why = f"{where}: {len(row[None])} cell(s) more than the header names"
            elif not row["item"]:
                why = f"{where}: the item column is empty"
            elif row["item"] in first[1]["answers"]:
                why = f"{where}: a second answer to '{row['item'][:40]}' in the same response"
            else:
                try:
                    first[1]["answers"][row["item"]] = _uncell(row["answer"], kind)
                    continue
                except ValueError as exc:
                    reason = str(exc) if "empty" in str(exc) else f"{row['answer'][:40]!r} is not an answer number"
                    why = f"{where}: answer to '{row['item'][:40]}': {reason}"
            grouped[key] = (first[0], first[1], why)
    return list(grouped.values())


def _json_objects(path: Path) -> list[tuple[str, object, None]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, RecursionError) as exc:
        raise FileError(f"{path}: not valid JSON ({exc})") from None
    if isinstance(data, dict) and isinstance(data.get("responses"), list):
        data = data["responses"]
    objs = data if isinstance(data, list) else [data]
    return [(f"response {n} of {path.name}", obj, None) for n, obj in enumerate(objs, 1)]


def read_files(paths: list[Path], specs: dict[str, ModuleSpec]) -> tuple[list[dict], list[str]]:
    """Read exported JSON/CSV files; return valid responses (each once) and a message per skipped one.

    File contents are checked against the course exactly as the collector would, so a hand-edited or
    hostile file cannot smuggle in answers the questionnaire never asked. Every response that cannot be used
    is skipped with a message naming its row (CSV) or position (JSON) and the reason; only a file that cannot
    be read at all is an error.
    """
    rows, skipped, seen = [], [], set()
    for path in paths:
        try:
            objs = _csv_objects(path, specs) if path.suffix.lower() == ".csv" else _json_objects(path)
        except OSError as exc:
            raise FileError(f"{path}: cannot read ({exc.strerror or exc})") from None
        except (UnicodeDecodeError, csv.Error) as exc:
            raise FileError(f"{path}: cannot read ({exc})") from None
        for where, obj, why in objs:
            if why is not None:
                skipped.append(why)
                continue
            try:
                resp = validate(obj, specs)
            except Invalid as exc:
                skipped.append(f"{where}: {exc}")
                continue
            key = digest(resp)
            if key in seen:
                continue
            seen.add(key)
            received = obj.get("received") if isinstance(obj.get("received"), str) else None
            rows.append({**resp, "digest": key, "received": received, "id": len(rows) + 1})
    return rows, skipped
