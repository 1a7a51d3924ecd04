"""Helpers for the engine tests: find the engine environments, read a published page's article text."""

from __future__ import annotations

import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

ENGINE_ENV = {"properdocs": "PATIENTVOICE_PROPERDOCS", "zensical": "PATIENTVOICE_ZENSICAL"}
# scripts/test makes these environments; a developer may point the variables elsewhere
DEFAULT_BIN = {"properdocs": ".engines/properdocs/bin/properdocs", "zensical": ".engines/zensical/bin/zensical"}


def engine_bin(name: str) -> str | None:
    """The engine's executable: its environment variable, the repository's .engines/ folder, or PATH."""
    given = os.environ.get(ENGINE_ENV[name])
    if given:
        return given
    local = Path(__file__).resolve().parent.parent / DEFAULT_BIN[name]
    return str(local) if local.is_file() else shutil.which(name)


class _Article(HTMLParser):
    """Collects the text of a page's main article, without permalinks, scripts and styles."""

    SKIP = {"script", "style", "svg", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0  # nesting inside the main article (md-content__inner)
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.depth:
            if tag == "article":
                self.depth += 1
            if tag in self.SKIP or (tag == "a" and "headerlink" in (a.get("class") or "")):
                self.skip += 1
        elif tag == "article" and "md-content__inner" in (a.get("class") or ""):
            self.depth = 1

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if self.skip and (tag in self.SKIP or tag == "a"):
            self.skip -= 1
        elif tag == "article":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.parts.append(data)


def article_text(page: Path) -> str:
    """The normalised text of a published page's article (whitespace collapsed)."""
    parser = _Article()
    parser.feed(page.read_text(encoding="utf-8"))
    return re.sub(r"\s+", " ", " ".join(parser.parts)).strip()


def site_articles(site: Path) -> dict[str, str]:
    """{page path: article text} for every published page of a site."""
    return {p.relative_to(site).as_posix(): article_text(p) for p in sorted(site.rglob("index.html"))}
