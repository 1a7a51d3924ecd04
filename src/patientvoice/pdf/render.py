"""WeasyPrint rendering: one job per PDF, run on every core, cached by a fingerprint of all that goes in.

The fingerprint is taken over the print HTML itself (so it covers exactly the module, questionnaire, stories,
data sets, provider, people and committee text shown, and every template and renderer that made it) plus
print.css, the fonts, the local images the HTML loads, the paper size and the tool versions.

WeasyPrint loads nothing but the course's own images, stylesheets and fonts, and embeds no attachment
(see pdf/fetcher.py).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import time
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urljoin, urlparse
from urllib.request import url2pathname

from patientvoice import __version__
from patientvoice.pdf.fetcher import MAX_RESOURCE_BYTES, Outside, confined_path, drop_attachments, make_fetcher, \
    strip_attachments
from patientvoice.security.files import Refused
from patientvoice.site.theme import read_theme, theme_file, theme_files

PDF_VARIANT = "pdf/ua-1"  # tagged PDF with document language and title, as PDF/UA-1 asks
SRC = re.compile(r"""\ssrc\s*=\s*["']([^"']+)["']""")
IMAGE_ERROR = re.compile(r"Failed to load image at '([^']+)': (.*)", re.S)


@dataclass(frozen=True)
class Job:
    """One PDF to make: its file name, print HTML and where relative URLs and the theme are."""

    module: str
    name: str
    html: str
    base_url: str
    theme: str
    paper: str
    fingerprint: str = ""

    @property
    def root(self) -> Path:
        """The course root: make_jobs always takes the theme from ``<root>/theme``."""
        return Path(self.theme).parent


@dataclass
class Outcome:
    """What happened to one job: pages and seconds when rendered, or the cause when it failed."""

    job: Job
    pages: int = 0
    seconds: float = 0.0
    cached: bool = False
    error: str | None = None


def _file_digest(path: Path, root: Path) -> str:
    # Through the course's confined reader: an <img src="/dev/zero"> must not hang the fingerprint.
    try:
        return hashlib.sha256(read_theme(path, root, MAX_RESOURCE_BYTES)).hexdigest()
    except Refused as refused:
        return refused.rule


def theme_digest(theme: Path) -> str:
    """Digest of print.css and every font file of the effective theme (site/theme.py): a change re-renders every PDF.

    ``theme`` is the course's ``theme/`` folder, which need not exist: the package's files stand in for it.
    """
    h = hashlib.sha256()
    files = {rel: path for rel, path in theme_files(theme.parent).items() if rel == "print.css"
             or rel.startswith("fonts/")}
    for rel, path in files.items():
        h.update(f"{rel}\0{_file_digest(path, theme.parent)}\n".encode())
    return h.hexdigest()


def _local_path(url: str) -> Path | None:
    parsed = urlparse(url)
    return Path(url2pathname(parsed.path)) if parsed.scheme == "file" else None


@lru_cache(maxsize=1)
def _renderer_versions() -> tuple[str, ...]:
    # From the installed metadata: importing WeasyPrint costs more than a whole cached rebuild.
    return tuple(f"{name} {version(name)}" for name in ("weasyprint", "pydyf", "tinycss2", "fonttools"))


def fingerprint(html: str, base_url: str, paper: str, theme: str, root: Path) -> str:
    """The cache key of one PDF (hex sha256); ``theme`` is the theme's digest, ``root`` the course root."""
    h = hashlib.sha256()
    for part in (__version__, *_renderer_versions(), PDF_VARIANT, paper, theme, html):
        h.update(part.encode("utf-8") + b"\0")
    for src in sorted(set(SRC.findall(html))):
        url = urljoin(base_url, src)
        try:  # an image swapped under the same name must re-render the PDF
            digest = _file_digest(Path(confined_path(url, root)), root)
        except Outside:
            continue  # never loaded: the render refuses it and says why
        h.update(f"{src}\0{digest}\n".encode())
    return h.hexdigest()


class _Errors(logging.Handler):
    """Collects WeasyPrint's errors (unusable images, stylesheets) and lost fonts while one document renders."""

    def __init__(self, base_url: str):
        super().__init__(logging.WARNING)
        self.folder = _local_path(urljoin(base_url, "."))
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        # A font that cannot load would silently fall back to a system font: as bad as a missing image.
        if record.levelno >= logging.ERROR or message.startswith("Font-face"):
            self.messages.append(self.plain(message))

    def plain(self, message: str) -> str:
        """WeasyPrint's image errors in an author's words: which image, and why."""
        image = IMAGE_ERROR.match(message)
        if not image:
            return message
        url, reason = image.groups()
        path = _local_path(url)
        if path is not None and not path.exists():
            inside = self.folder is not None and path.is_relative_to(self.folder)
            where = "in the module's folder" if inside else f"at {path}"
            return f"image '{path.relative_to(self.folder) if inside else path.name}' not found {where}"
        return f"image {url} could not be loaded: {reason.removeprefix('URLFetchingError: ').removeprefix('Outside: ')}"


_STYLES: dict[tuple, tuple] = {}  # per process (keyed by pid, so a forked worker never reuses its parent's fonts)


def _styles(theme: str, paper: str, digest: str):
    """The font configuration and stylesheets for a theme, parsed once per process."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    key = (os.getpid(), theme, paper, digest)
    if key not in _STYLES:
        fonts = FontConfiguration()
        root = Path(theme).parent
        fetcher = make_fetcher(root)  # print.css's fonts and images are confined too
        # Its URLs resolve against the course's theme/ (existing or not), where the fetcher finds the course's
        # file or else the package's: a course may replace one font without copying print.css.
        css = read_theme(theme_file(root, "print.css"), root, MAX_RESOURCE_BYTES).decode("utf-8")
        sheets = [CSS(string=css, base_url=(Path(theme).absolute() / "print.css").as_uri(), font_config=fonts,
                      url_fetcher=fetcher)]
        if paper == "Letter":
            sheets.append(CSS(string="@page { size: letter; }", font_config=fonts, url_fetcher=fetcher))
        _STYLES[key] = (fonts, sheets)
    return _STYLES[key]


def render(job: Job, out_dir: str, cache_dir: str, theme_fp: str) -> Outcome:
    """Render one job into ``out_dir`` (atomically) and keep a copy in ``cache_dir``; never raises."""
    start = time.perf_counter()
    out, tmp = Path(out_dir) / job.name, Path(out_dir) / f".{job.name}.{os.getpid()}.tmp"
    errors = _Errors(job.base_url)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(errors)
    try:
        from weasyprint import HTML

        fonts, sheets = _styles(job.theme, job.paper, theme_fp)
        html = HTML(string=job.html, base_url=job.base_url, url_fetcher=make_fetcher(job.root))
        strip_attachments(html.etree_element)  # no file of any kind is embedded in a handout
        doc = html.render(stylesheets=sheets, font_config=fonts, pdf_variant=PDF_VARIANT)
        drop_attachments(doc)
        if errors.messages:
            return Outcome(job, error="; ".join(dict.fromkeys(errors.messages)))
        doc.write_pdf(tmp, pdf_variant=PDF_VARIANT)
        if errors.messages:
            return Outcome(job, error="; ".join(dict.fromkeys(errors.messages)))
        store(tmp, Path(cache_dir), job)
        os.replace(tmp, out)
        return Outcome(job, pages=len(doc.pages), seconds=time.perf_counter() - start)
    except Exception as exc:  # any WeasyPrint failure becomes a problem for the module, never a traceback
        return Outcome(job, error=f"{type(exc).__name__}: {exc}")
    finally:
        logger.removeHandler(errors)
        tmp.unlink(missing_ok=True)


def cached(cache_dir: Path, job: Job) -> Path:
    """Where the cached copy of a job lives: one file per PDF name and fingerprint."""
    return cache_dir / f"{job.name.removesuffix('.pdf')}.{job.fingerprint[:32]}.pdf"


def store(pdf: Path, cache_dir: Path, job: Job) -> None:
    """Copy a fresh PDF into the cache and drop older versions of the same file."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = cached(cache_dir, job)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    shutil.copyfile(pdf, tmp)
    os.replace(tmp, target)
    for old in cache_dir.glob(f"{job.name.removesuffix('.pdf')}.*.pdf"):
        if old != target:
            old.unlink(missing_ok=True)


def copy_cached(job: Job, out_dir: Path, cache_dir: Path) -> bool:
    """Copy a cached PDF into place (atomically); False when there is none."""
    source = cached(cache_dir, job)
    tmp = out_dir / f".{job.name}.{os.getpid()}.tmp"
    try:
        shutil.copyfile(source, tmp)
    except FileNotFoundError:
        return False
    os.replace(tmp, out_dir / job.name)
    return True
