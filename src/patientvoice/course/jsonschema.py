"""JSON Schemas for every author file, generated from the schemas `check` uses (course/formats.py).

Editors that speak JSON Schema (VS Code's YAML extension, anything built on yaml-language-server) then give
completion, hover text and errors while an author types. There is one source of truth: a field added to
formats.py appears here the next time the schemas are written; tests/test_jsonschema.py keeps the committed
copies in docs/schemas/ in step. `check` stays the authority: cross-file rules (references, approvals,
consent dates) cannot be said in JSON Schema.
"""

from __future__ import annotations

import json
from pathlib import Path

from patientvoice.course import formats
from patientvoice.course.schema import DATE_RE, DOMAIN_RE, MAX_WAVE_DAYS, MAX_WAVES, ID_RE, PARTIAL_DATE_RE, T

BASE = "https://patientvoice.example/schemas/"
# file name -> (the fields, a title, the glob of course files it describes, where the YAML sits)
FILES = {
    "provider": (formats.PROVIDER, "The accredited provider", "content/provider.yml", "file"),
    "person": (formats.PERSON, "A person in control of content", "content/people/*.yml", "file"),
    "committee": (formats.COMMITTEE, "A steering committee", "content/committees/*.yml", "file"),
    "pag": (formats.PAG, "A patient advocacy group", "content/pags/*.yml", "file"),
    "story": (formats.STORY, "A patient or caregiver story", "content/stories/*.md", "front matter"),
    "dataset": (formats.DATASET, "PAG experience data", "content/data/*.yml", "file"),
    "module": (formats.MODULE, "A course module", "modules/*/index.md", "front matter"),
    "questionnaire": (formats.QUESTIONNAIRE, "A module's questionnaire", "modules/*/questionnaire.yml", "file"),
}


def _pattern(regex) -> str:
    """A Python regex used as a JSON Schema pattern (those used here are the same in ECMA-262 and Python)."""
    return regex.pattern


# The age bands AGE_BAND accepts, spelled out: its back-reference has no spelling every validator reads.
AGE_BANDS = "^(?:0-9|" + "|".join(f"{d}0-{d}9" for d in range(1, 9)) + r"|90\+)$"


def to_json(t: T) -> dict:
    """The JSON Schema for one field type."""
    k = t.kind
    if k in ("str", "line", "url"):
        out: dict = {"type": "string", "minLength": 1}
        if k == "line":
            out["pattern"] = r"^[^\n\r]*$"
        if k == "url":
            out["pattern"] = r"^(https?://|mailto:)"
        return out
    if k == "age-band":
        return {"type": "string", "pattern": AGE_BANDS}
    if k in ("int", "num"):
        out = {"type": "integer" if k == "int" else "number"}
        if t.min is not None:
            out["minimum"] = t.min
        return out
    if k == "bool":
        return {"type": "boolean"}
    if k == "date":  # YAML reads an unquoted date as a date; editors see its text
        return {"type": "string", "format": "date", "pattern": _pattern(DATE_RE)}
    if k == "partial-date":
        return {"anyOf": [{"type": "integer", "minimum": 1900, "maximum": 2200},
                          {"type": "string", "pattern": _pattern(PARTIAL_DATE_RE)}]}
    if k == "domain":
        return {"type": "string", "pattern": _pattern(DOMAIN_RE)}
    if k == "waves":
        days = {"type": "integer", "minimum": 1, "maximum": MAX_WAVE_DAYS}
        return {"anyOf": [days, {"type": "array", "items": days, "minItems": 1, "maxItems": MAX_WAVES}]}
    if k == "id":
        return {"type": "string", "pattern": _pattern(ID_RE)}
    if k == "enum":
        return {"enum": list(t.values)}
    if k == "answer":
        return {"anyOf": [{"type": "integer", "minimum": 0},
                          {"type": "array", "items": {"type": "integer", "minimum": 0}, "minItems": 1}]}
    if k == "list":
        out = {"type": "array", "items": to_json(t.item)}
        if t.min:
            out["minItems"] = int(t.min)
        return out
    if k == "map":
        return {"type": "object", "additionalProperties": to_json(t.item) if t.item else {}}
    if k == "obj":
        return object_schema(t.fields)
    return {}  # a kind this generator does not know yet: accept anything rather than mislead (check decides)


def object_schema(fields: dict) -> dict:
    """A mapping with exactly these keys: unknown keys are errors, as in `check`."""
    out = {"type": "object", "properties": {name: to_json(t) for name, t in fields.items()},
           "additionalProperties": False}
    required = [name for name, t in fields.items() if t.required]
    if required:
        out["required"] = required
    return out


def schema_for(name: str) -> dict:
    """The complete JSON Schema document for one kind of author file."""
    fields, title, glob, where = FILES[name]
    doc = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"{BASE}{name}.json",
           "title": f"patientvoice: {title}",
           "description": f"{glob} ({where}); generated from patientvoice's own checks, which stay the authority.",
           **object_schema(fields)}
    return doc


def write_schemas(out_dir: Path) -> list[Path]:
    """Write one ``<name>.json`` per author file into ``out_dir``; return the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in FILES:
        path = out_dir / f"{name}.json"
        path.write_text(json.dumps(schema_for(name), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written


def vscode_settings(schema_dir: str) -> dict:
    """The ``yaml.schemas`` setting that maps each YAML author file to its schema (front matter is not covered)."""
    return {"yaml.schemas": {f"{schema_dir}/{name}.json": glob for name, (_, _, glob, where) in FILES.items()
                             if where == "file"}}
