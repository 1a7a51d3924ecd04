"""Fingerprints of exactly what a steering committee approved."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from patientvoice.model import Course, Module


def _canon(value):
    if isinstance(value, dict):
        return {str(k): _canon(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_canon(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _digest(data, body: str | None = None) -> str:
    # Canonical JSON of the parsed YAML, so re-indenting or comments do not make an approval stale.
    text = json.dumps(_canon(data), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    if body is not None:
        text += "\n---\n" + "\n".join(line.rstrip() for line in body.replace("\r\n", "\n").strip().splitlines())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def approved_files(course: Course, module: Module) -> dict[str, str]:
    """Map each file that an approval covers (course-relative path) to the digest of its content."""
    rel = lambda p: p.relative_to(course.root).as_posix()  # noqa: E731
    meta = {k: v for k, v in module.src.items() if k != "review"}
    files = {rel(module.path): _digest(meta, module.body)}
    if module.questionnaire is not None:
        files[rel(module.questionnaire.path)] = _digest(module.questionnaire.src)
    # Stories and data sets are shared between modules (and embedded several times in one): digest each
    # once per loaded course.
    memo = course.__dict__.setdefault("_digests", {})
    for block in module.blocks:
        ident, _ = block.target
        record = (course.stories.get(ident) if block.name == "story"
                  else course.datasets.get(ident) if block.name == "pag-data" else None)
        if record is not None and rel(record.path) not in files:
            if record.path not in memo:
                memo[record.path] = _digest(record.src, getattr(record, "body", None))
            files[rel(record.path)] = memo[record.path]
    return dict(sorted(files.items()))


def fingerprint(files: dict[str, str]) -> str:
    """Combine per-file digests into the ``sha256:…`` fingerprint stored in an approval."""
    manifest = "".join(f"{path}\0{digest}\n" for path, digest in sorted(files.items()))
    return "sha256:" + hashlib.sha256(manifest.encode("utf-8")).hexdigest()


def short(digest: str) -> str:
    """The 16-hex prefix stored per file in an approval's ``files`` map."""
    return digest[:16]
