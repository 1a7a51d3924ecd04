"""Reading PDFs back for tests: text per page (poppler's pdftotext), fonts (pdffonts), catalog (pypdf)."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

from pypdf import PdfReader


def flat(text: str) -> str:
    """Text with whitespace runs collapsed, so phrases match across line breaks."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def text(pdf: Path, page: int | None = None) -> str:
    """The PDF's text (one page when ``page`` is given, 1-based), flattened."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(["pdftotext", *pages, str(pdf), "-"], capture_output=True, text=True, check=True)
    return flat(out.stdout)


def page_texts(pdf: Path) -> list[str]:
    """The flattened text of every page, in order."""
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [flat(p) for p in out.split("\f")[: len(PdfReader(pdf).pages)]]


def fonts(pdf: Path) -> list[dict]:
    """pdffonts' table as [{name, emb}]; emb is read from the line's end, as a long font name shifts the columns."""
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
    # The last five fields are always emb, sub, uni, object number and generation.
    return [{"name": line.split()[0], "emb": line.split()[-5]} for line in lines[2:] if line.strip()]


def words(markdown: str, n: int = 8) -> str:
    """The first ``n`` words of the first plain paragraph of some Markdown (no quotes, headings or emphasis)."""
    for para in re.split(r"\n\s*\n", markdown):
        para = para.strip()
        if para and not para.startswith((">", "#", "*", "-", "|", "/")):
            return flat(" ".join(para.split()[:n]))
    raise AssertionError("no plain paragraph")


def word_boxes(pdf: Path) -> list[tuple[int, float, str]]:
    """Every word of the PDF as (page, top, word), in reading order (poppler's ``pdftotext -bbox``)."""
    import html

    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    boxes, page = [], 0
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("<page "):
            page += 1
        elif line.startswith("<word "):
            top = float(re.search(r'yMin="([\d.]+)"', line).group(1))
            word = html.unescape(re.search(r">(.*)</word>", line).group(1))
            boxes.append((page, top, unicodedata.normalize("NFC", word)))
    return boxes


def pages_of(boxes: list[tuple[int, float, str]], phrase: str) -> list[int]:
    """The page of every place ``phrase`` (a run of words) starts, in order."""
    bare = lambda w: w.strip(".,;:!?()“”‘’\"'")  # noqa: E731 - punctuation does not change where text is
    want = [bare(w) for w in flat(phrase).split()]
    words_only = [bare(w) for _, _, w in boxes]
    return [boxes[i][0] for i in range(len(boxes) - len(want) + 1) if words_only[i:i + len(want)] == want]
