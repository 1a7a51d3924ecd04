"""Incremental rebuilds for `patientvoice serve --incremental`: only what an edit touched is redone.

1. The course files (content/, modules/, theme/, mkdocs.yml) are digested; while no digest changes, the last
   course model and problems are reused (no re-check).
2. The materialiser renders again only module pages whose files changed (materialise/depends.py) and rewrites
   only pages whose text changed (a story edit: the story page, the library and
   the modules that embed it; a module edit: that module's pages).
3. The engine rebuilds only those: mkdocs' and ProperDocs' dirty build (pages newer than their output),
   Zensical's own cache. When the navigation or any page title changes, every page shows it (nav, previous
   and next links), and a page that went must leave the site, so such a rebuild is a full one.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from patientvoice.engines import EngineError
from patientvoice.engines.external import EXTERNAL, MARKUP_FIXES
from patientvoice.materialise.config import dump, engine_config
from patientvoice.materialise.options import site_config
from patientvoice.materialise.tree import materialise

WATCHED = ("content", "modules", "theme")


@dataclass
class Rebuild:
    """What one rebuild did."""

    seconds: float
    checked: bool  # the course was re-checked (some file changed)
    written: list[str] = field(default_factory=list)  # tree paths rewritten or removed
    full: bool = False  # every page rebuilt (nav or a title changed, or the first build)
    problems: list = field(default_factory=list)
    stages: dict[str, float] = field(default_factory=dict)  # seconds for check, materialise and engine


def course_digests(root: Path) -> dict[str, str]:
    """{course path: digest} of every file an edit can change (content/, modules/, theme/, mkdocs.yml)."""
    out = {}
    paths = [Path(folder) / name for top in WATCHED for folder, _, files in os.walk(root / top) for name in files]
    for path in [*paths, root / "mkdocs.yml"]:
        try:
            out[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            out[path.relative_to(root).as_posix()] = "unreadable"
    return dict(sorted(out.items()))


def course_digest(root: Path, digests: dict[str, str] | None = None) -> str:
    """One digest over every course file (course_digests)."""
    digests = course_digests(root) if digests is None else digests
    return hashlib.sha256(repr(digests).encode()).hexdigest()


class Rebuilder:
    """Keeps ``work/site`` current with the course at ``root``, engine by engine (see the module docstring)."""

    def __init__(self, root: Path, work: Path, engine: str = "mkdocs", engine_bin: str | None = None):
        self.root, self.work, self.engine, self.engine_bin = Path(root).resolve(), Path(work), engine, engine_bin
        self.site = self.work / "site"
        self._digest: str | None = None
        self._checked = None  # (course, problems) for _digest
        self._signature: str | None = None
        self._pages: dict = {}  # module page → (dependency key, text), see materialise/depends.py
        self._jinja = None  # (theme settings, Environment): templates compiled once per serve, not per edit

    def rebuild(self) -> Rebuild:
        """Bring the site up to date with the course files; return what was done."""
        from patientvoice.check import check_course

        start = time.perf_counter()
        stages = {}
        digests = course_digests(self.root)
        digest = course_digest(self.root, digests)
        checked = digest != self._digest
        if checked:
            self._checked, self._digest = check_course(self.root), digest
            _refuse_complex(self._checked[0])
        course, problems = self._checked
        stages["check"] = time.perf_counter() - start
        cfg = site_config(self.root)
        tree = materialise(course, self.work / "docs", cfg, cache=self._pages, digests=digests)
        stages["materialise"] = time.perf_counter() - start - stages["check"]
        # A dirty build neither removes the pages of deleted sources nor updates other pages' nav and links.
        signature = repr((tree.nav, sorted(tree.pages), sorted((m.id, m.title) for m in course.modules.values()),
                          sorted((s.id, s.title) for s in course.stories.values()),
                          sorted((p.id, p.name) for p in course.pags.values()), cfg))
        full = signature != self._signature or not self.site.is_dir()
        self._signature = signature
        if tree.written or full:
            config = engine_config(cfg, tree, self.site, keep_plugins=self.engine != "zensical")
            config["strict"] = False  # a preview shows the pages; `patientvoice build` is the gate
            self._run(config, full, started=time.time())
        seconds = time.perf_counter() - start
        stages["engine"] = seconds - stages["check"] - stages["materialise"]
        return Rebuild(seconds, checked, tree.written, full, list(problems), stages)

    def _run(self, config: dict, full: bool, started: float) -> None:
        name = "properdocs.yml" if self.engine == "properdocs" else "mkdocs.yml"
        config_file = self.work / name
        config_file.write_text(dump(config), encoding="utf-8")
        if self.engine == "mkdocs":
            import logging

            from mkdocs.commands.build import build
            from mkdocs.config import load_config

            logging.getLogger("mkdocs").setLevel(logging.ERROR)
            loaded = load_config(config_file=str(config_file))
            self._reuse_templates(loaded.theme, repr(config.get("theme")))
            build(loaded, dirty=not full)
        else:
            exe = EXTERNAL[self.engine].find(self.engine_bin)
            command = [exe, "build", "-f", str(config_file)]
            command += ["--dirty"] if self.engine == "properdocs" and not full else []
            done = subprocess.run(command, cwd=self.work, capture_output=True, text=True,
                                  env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
            if done.returncode:
                raise EngineError(f"engine '{self.engine}' failed: {(done.stderr or done.stdout)[-2000:]}")
        _fix_newer(self.site, started)

    def _reuse_templates(self, theme, key: str) -> None:
        """Hand mkdocs the same Jinja environment on every rebuild: compiling Material's templates is most of
        a small rebuild's time. A change of the theme settings starts a new one."""
        if self._jinja is None or self._jinja[0] != key:
            self._jinja = (key, theme.get_env())
        env = self._jinja[1]
        theme.get_env = lambda: env


def _refuse_complex(course) -> None:
    """A preview builds despite problems: a body the renderer would choke on becomes a visible placeholder
    (content.too-complex stops `patientvoice build` before it gets here; the plugin does the same in serve)."""
    from patientvoice.security.complexity import placeholder, too_complex

    for module in course.modules.values():
        reason = too_complex(module.body)
        if reason:
            module.body, module.blocks = placeholder("this module body", reason), []
    for story in course.stories.values():
        reason = too_complex(story.body or "")
        if reason:
            story.body = placeholder("this story", reason)
            for section in story.sections.values():
                section.markdown = story.body


def _fix_newer(site: Path, since: float) -> None:
    """Apply MARKUP_FIXES to the pages this build wrote (the plugin does it per page)."""
    for page in site.rglob("*.html"):
        if page.stat().st_mtime < since - 1:
            continue
        text = page.read_text(encoding="utf-8")
        fixed = text
        for old, new in MARKUP_FIXES:
            fixed = fixed.replace(old, new)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")
