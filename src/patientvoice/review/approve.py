"""Record a steering-committee decision in a module's front matter, keeping the author's formatting."""

from __future__ import annotations

import codecs
import datetime as dt
import os
import re
import tempfile
from pathlib import Path

from patientvoice.review.fingerprint import approved_files, fingerprint, short
from patientvoice.course.sources import parse_yaml
from patientvoice.problems import Problems


class ApproveError(Exception):
    """The approval cannot be recorded; the message says why and what to do."""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _entry(date: dt.date, decision: str, by: list[str], fp: str, files: dict[str, str], pad: str) -> list[str]:
    inner = pad + "  "
    lines = [f"{pad}- date: {date.isoformat()}\n", f"{inner}decision: {decision}\n",
             f"{inner}by: [{', '.join(by)}]\n", f"{inner}fingerprint: {fp}\n", f"{inner}files:\n"]
    lines += [f"{inner}  {path}: {_text(short(digest))}\n" for path, digest in files.items()]
    return lines


def _text(digest: str) -> str:
    # A hex digest of digits only ('1378905790665453') would read back as a number, not text; quote it.
    return f'"{digest}"' if digest.isdigit() else digest


def insert_approval(text: str, entry_for_pad) -> str:
    """Return ``text`` with an approval appended to ``review.approvals`` in its front matter."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise ApproveError("the module has no front matter")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        raise ApproveError("the module's front matter is not closed by '---'")
    review = next((i for i in range(1, end) if re.match(r"^review:\s*(#.*)?$", lines[i].rstrip("\n"))), None)
    if review is None:
        raise ApproveError("the front matter has no 'review:' block; add 'review: {committee: ID, approvals: []}' "
                           "in block style first")
    block_end = next((i for i in range(review + 1, end) if lines[i].strip() and _indent(lines[i]) == 0
                      and not lines[i].lstrip().startswith("#")), end)
    appr = next((i for i in range(review + 1, block_end) if re.match(r"^\s+approvals:", lines[i])), None)
    if appr is None:
        child = next((_indent(lines[i]) for i in range(review + 1, block_end) if lines[i].strip()), 2)
        last = max((i for i in range(review + 1, block_end) if lines[i].strip()), default=review)
        new = [" " * child + "approvals:\n"] + entry_for_pad(" " * (child + 2))
        return "".join(lines[: last + 1] + new + lines[last + 1:])
    ind = _indent(lines[appr])
    rest = lines[appr].split(":", 1)[1].split("#", 1)[0].strip()
    if rest == "[]":
        comment = lines[appr].split("[]", 1)[1].rstrip("\n")
        lines[appr] = " " * ind + "approvals:" + comment + "\n"
        return "".join(lines[: appr + 1] + entry_for_pad(" " * (ind + 2)) + lines[appr + 1:])
    if rest:
        raise ApproveError("review.approvals is written in flow style ([...]); rewrite it as a block list "
                           "('- date: ...' lines) so new approvals can be appended")
    last, pad = appr, None
    for i in range(appr + 1, block_end):
        s = lines[i]
        if not s.strip() or s.lstrip().startswith("#"):
            continue
        item = s.lstrip().startswith("- ")
        if _indent(s) > ind or (item and _indent(s) == ind):
            last = i
            if item and pad is None:
                pad = " " * _indent(s)
        else:
            break
    return "".join(lines[: last + 1] + entry_for_pad(pad if pad is not None else " " * (ind + 2)) + lines[last + 1:])


def approve(course, module_id: str, by: list[str], decision: str = "approved", date: dt.date | None = None) -> str:
    """Append an approval to the module's front matter; return its fingerprint."""
    module = course.modules.get(module_id)
    if module is None:
        known = ", ".join(course.modules) or "none"
        raise ApproveError(f"no module '{module_id}' (modules: {known})")
    committee = course.committees.get(module.committee) if isinstance(module.committee, str) else None
    if committee is None:
        raise ApproveError(f"module '{module_id}' names no existing committee in review.committee")
    members = {m.person for m in committee.members}
    strangers = [b for b in by if b not in members]
    if strangers:
        raise ApproveError(f"not members of committee '{committee.id}': {', '.join(strangers)} "
                           f"(members: {', '.join(sorted(members))})")
    files = approved_files(course, module)
    fp = fingerprint(files)
    date = date or dt.date.today()
    # Bytes, not read_text(): universal newlines and a kept BOM would rewrite or refuse a file that check accepts.
    raw = module.path.read_bytes()
    text = raw.decode("utf-8-sig")
    new = insert_approval(text, lambda pad: _entry(date, decision, by, fp, files, pad))
    if "\r\n" in text and not re.search(r"(?<!\r)\n", text):
        new = re.sub(r"(?<!\r)\n", "\r\n", new)  # a CRLF file stays CRLF: only the new lines are added
    _verify(new, module.path, len(module.approvals) + 1, fp, {p: short(d) for p, d in files.items()})
    _write_atomic(module.path, ("\ufeff" if raw.startswith(codecs.BOM_UTF8) else "") + new)
    return fp


def _verify(text: str, path: Path, expected: int, fp: str, files: dict[str, str]) -> None:
    # Never write a file that would no longer parse, or where the approval (fingerprint and per-file digests,
    # read back exactly as written) did not land where expected.
    parts = text.split("\n---", 1)[0].split("\n", 1)
    meta = parse_yaml("\n" + parts[1] if len(parts) > 1 else "", path, Problems())
    approvals = (meta or {}).get("review", {}).get("approvals") if isinstance(meta, dict) else None
    if (not isinstance(approvals, list) or len(approvals) != expected or approvals[-1].get("fingerprint") != fp
            or approvals[-1].get("files") != files):
        raise ApproveError("could not add the approval without breaking the front matter; "
                           "check the indentation of the 'review' block")


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".approve-", suffix=".md")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
