"""``patientvoice build``: check, build the site with mkdocs, render PDFs, then swap into ``build/`` at once.

Everything is written next to ``build/site`` and ``build/pdf`` first; only when every stage has
succeeded are the new folders renamed into place, so a failed build leaves the previous one untouched.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from patientvoice import extras
from patientvoice.problems import Problems


class BuildError(Exception):
    """A build stage failed; the message says which and why, ``problems`` lists what to fix."""

    def __init__(self, message: str, problems=()):
        super().__init__(message)
        self.problems = list(problems)


@dataclass
class BuildResult:
    """What a build produced and how long each stage took."""

    problems: Problems
    pages: int = 0
    pdfs: list[Path] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


@contextmanager
def _timed(progress: Callable[[str], None], label: str, timings: dict):
    """Announce a stage and record how long it took."""
    start = time.perf_counter()
    progress(f"{label}…")
    try:
        yield
    finally:
        timings[label] = time.perf_counter() - start


def load_mkdocs_config(root: Path, site_dir: Path):
    """Load ``mkdocs.yml`` with the site written to ``site_dir``; mkdocs' own loader, so its validation applies."""
    from mkdocs.config import load_config

    config_file = root / "mkdocs.yml"
    if not config_file.is_file():
        raise BuildError(f"{config_file}: no mkdocs.yml; a course needs one at its root (see docs/authoring.md)")
    return load_config(config_file=str(config_file), site_dir=str(site_dir))


def build_site(root: Path, site_dir: Path, course, problems, *, strict: bool = False,
               pdf: bool = False) -> tuple[int, str, bool]:
    """Run mkdocs' build into ``site_dir`` with a checked course; return (pages, paper size, PDFs wanted).

    ``pdf``: this build publishes the PDFs in the site, so module pages link them (unless mkdocs.yml says
    ``pdf: false``).
    """
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    # mkdocs reports what went wrong through its log and then raises a bare "Aborted"; keep the messages.
    messages = _Collect()
    logging.getLogger("mkdocs").addHandler(messages)
    plugin = None
    try:
        config = load_mkdocs_config(root, site_dir)
        plugin = config.plugins.get("patientvoice")
        if plugin is None:
            raise BuildError(f"{root / 'mkdocs.yml'}: the patientvoice plugin is not listed under plugins")
        plugin.preloaded = (course, problems)
        plugin.config.strict = plugin.config.strict or strict
        plugin.handouts = pdf and plugin.config.pdf  # module pages link only PDFs this build will publish
        build(config)
    except MkDocsException as e:
        detail = "".join(f"\n  {m}" for m in messages.lines)
        raise BuildError(f"site: {e}{detail}") from None  # mkdocs' messages name the page
    except (BuildError, KeyboardInterrupt):
        raise
    except BaseException as e:  # noqa: BLE001 - an engine fault: name the file, never print a traceback
        # check has passed, so this is a fault in mkdocs, an extension or patientvoice itself (a bug to report).
        raise BuildError(f"{_building(root, plugin)}: {type(e).__name__}: {e or 'no message'} "
                         "(an engine fault, not a mistake in the course: please report it)") from None
    finally:
        logging.getLogger("mkdocs").removeHandler(messages)
    return sum(1 for _ in site_dir.rglob("index.html")), plugin.config.paper, plugin.config.pdf


def _build_with(engine, engine_bin, root: Path, out: Path, work: Path, course, problems,
                strict: bool, pdf: bool) -> tuple[int, str, bool]:
    """Build ``work/site`` with the chosen engine: mkdocs through the plugin, others on the materialised tree."""
    from patientvoice.engines import EngineError
    from patientvoice.engines.external import EXTERNAL
    from patientvoice.materialise.options import plugin_options, site_config

    cfg = site_config(root)
    options = plugin_options(cfg)
    name = engine or options["engine"]
    if name not in EXTERNAL:
        return build_site(root, work / "site", course, problems, strict=strict, pdf=pdf)
    from patientvoice.site.addon import locate

    if locate(root).addon:  # the materialised tree is the course alone; a host site is built by its own engine
        raise BuildError(f"{root / 'mkdocs.yml'}: a course added to another docs site (prefix) builds with the "
                         f"mkdocs engine only, not {name}; remove --engine/engine (docs/addon.md)")
    try:
        # The materialised tree stays in build/.materialised/<engine>/ to look at (it holds no answer keys).
        pages = EXTERNAL[name].build(course, cfg, out / ".materialised" / name, work / "site",
                                     strict=cfg.get("strict") is True, executable=engine_bin,
                                     handouts=pdf and options["pdf"])
    except EngineError as e:
        raise BuildError(f"site: {e}") from None
    return pages, options["paper"], options["pdf"]


def _building(root: Path, plugin) -> str:
    """'path: site build failed while building X' for the page mkdocs was building, else the config file."""
    page = getattr(plugin, "building", None)
    if not page:
        return f"{root / 'mkdocs.yml'}: site build failed"
    source = root / "modules" / page
    return f"{source if source.exists() else page}: site build failed while building {page}"


class _Collect(logging.Handler):
    """Keeps mkdocs' warnings and errors so a failed build can say why."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def swap_into_place(new: Path, final: Path) -> None:
    """Replace ``final`` with ``new`` by renames, keeping the old copy until the new one is in place."""
    old = final.with_name(f".{final.name}-old-{os.getpid()}")
    if final.exists():
        final.rename(old)
    new.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def build(root: Path, *, strict: bool = False, pdf: bool = True, today: dt.date | None = None,
          progress: Callable[[str], None] = print, engine: str | None = None,
          engine_bin: str | None = None) -> BuildResult:
    """Check the course, build the site (and PDFs) and publish them into ``root/build`` atomically.

    ``engine`` (else the plugin option ``engine``, else mkdocs) picks the engine adapter (docs/engines.md);
    ``engine_bin`` is the path to an external engine's executable.
    """
    from patientvoice.check import check_course

    root = root.resolve()
    timings: dict[str, float] = {}
    with _timed(progress, "checking the course", timings):
        course, problems = check_course(root, today, parallel=True)
    result = BuildResult(problems, timings=timings)
    if not os.path.lexists(root / "mkdocs.yml"):
        # Named as the reason, with the problems found: a stale approval alone (the fingerprint covers
        # mkdocs.yml) would not say what is missing, and a link out of the course must still be reported.
        raise BuildError(f"{root / 'mkdocs.yml'}: no mkdocs.yml; a course needs one at its root (see docs/authoring.md)",
                         problems.errors)
    failing = problems.errors + (problems.warnings if strict else [])
    if failing:
        raise BuildError(f"{len(failing)} problem(s) stop the build; nothing in build/ was changed", failing)
    out = root / "build"
    try:
        out.mkdir(exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".building-", dir=out))
    except OSError as e:
        raise BuildError(f"cannot write to {out}: {e.strerror}; it must be a folder you can write to") from None
    try:
        with _timed(progress, f"building the site ({len(course.modules)} modules, {len(course.stories)} stories)",
                    timings):
            result.pages, paper, pdf_wanted = _build_with(engine, engine_bin, root, out, work, course, problems,
                                                          strict, pdf)
        progress(f"  {result.pages} pages")
        pdf = pdf and pdf_wanted  # `pdf: false` in mkdocs.yml turns PDFs off for every build
        if pdf and not extras.available("pdf"):  # a site-only install: publish the site, say what is left out
            progress(f"  PDF handouts skipped: {extras.message('pdf')}")
            pdf = False
        if pdf:
            from patientvoice.pdf import build_pdfs

            with _timed(progress, "rendering PDF handouts", timings):
                pdf_problems = build_pdfs(course, work / "pdf", cache_dir=out / ".cache" / "pdf",
                                          paper=paper, progress=progress)
            if pdf_problems:
                problems.extend(pdf_problems)
                raise BuildError(f"{len(pdf_problems)} PDF(s) failed; nothing in build/ was changed", pdf_problems)
            from patientvoice.pdf.online import publish_handouts

            # The handouts and questionnaire packs go into the site too (the answer keys do not), and the
            # site is swapped in with them, so a module page never links a PDF that is not there.
            from patientvoice.site.addon import locate

            # In a host site the module pages, and so the handouts/ folder they link, are under the prefix.
            publish_handouts(course.modules.values(), work / "pdf", work / "site" / locate(root).prefix)
            swap_into_place(work / "pdf", out / "pdf")
        swap_into_place(work / "site", out / "site")
        result.pdfs = sorted((out / "pdf").glob("*.pdf")) if pdf else []
    except OSError as e:  # a full disk, a permission change or a second build racing this one
        raise BuildError(f"cannot publish into {out}: {e.strerror} ({e.filename}); build again") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return result

