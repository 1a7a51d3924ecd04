"""Incremental rebuilds for `patientvoice serve --incremental`: only what an edit touched is redone.

1. The course files (content/, modules/, theme/, mkdocs.yml) are digested (a file is read again only when its
   state changed, course/cache.py); while no digest changes, nothing is done. When one does, the course is
   loaded again, reusing every item whose files did not change. The full check is not on this path: a preview
   shows the pages despite problems, so engines/serve.py runs `patientvoice check` beside it, on the other
   core, and prints what it finds once the page has reloaded.
2. The materialiser renders again only module pages whose files changed (materialise/depends.py) and rewrites
   only pages whose text changed (a story edit: the story page, the library and
   the modules that embed it; a module edit: that module's pages).
3. The engine rebuilds only those: mkdocs' and ProperDocs' dirty build (pages newer than their output),
   Zensical's own cache. When the navigation or any page title changes, every page shows it (nav, previous
   and next links), and a page that went must leave the site, so such a rebuild is a full one.
"""

from __future__ import annotations

import copy
import hashlib
import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from patientvoice.course.cache import FileStates, LoadCache
from patientvoice.engines import EngineError
from patientvoice.engines.external import EXTERNAL, fix_markup
from patientvoice.materialise.config import dump, engine_config
from patientvoice.materialise.options import site_config
from patientvoice.materialise.tree import materialise

WATCHED = ("content", "modules", "theme")


@dataclass
class Rebuild:
    """What one rebuild did."""

    seconds: float
    checked: bool  # the course was loaded again (some file changed); engines/serve.py then runs the check
    written: list[str] = field(default_factory=list)  # tree paths rewritten or removed
    full: bool = False  # every page rebuilt (nav or a title changed, or the first build)
    how: str = ""  # "session" (changed pages only), "build" (dirty or full), "tree" (not run), "" (nothing to do)
    problems: list = field(default_factory=list)  # what loading the course reported (not the full check)
    stages: dict[str, float] = field(default_factory=dict)  # seconds for load, materialise and engine


def course_digest(digests: dict[str, str]) -> str:
    """One digest over every course file's digest (FileStates.scan)."""
    return hashlib.sha256(repr(digests).encode()).hexdigest()


class Rebuilder:
    """Keeps ``work/site`` current with the course at ``root``, engine by engine (see the module docstring)."""

    def __init__(self, root: Path, work: Path, engine: str = "mkdocs", engine_bin: str | None = None):
        self.root, self.work, self.engine, self.engine_bin = Path(root).resolve(), Path(work), engine, engine_bin
        self.site = self.work / "site"
        self._digest: str | None = None
        self._loaded = None  # (course, problems) for _digest
        self._files = FileStates()
        self._cache = LoadCache(self._files)
        self._guarded: dict[int, object] = {}  # modules and stories already held to too_complex (by identity)
        self._signature: str | None = None
        self._pages: dict = {}  # module page → (dependency key, text), see materialise/depends.py
        self._jinja = None  # (theme settings, Environment): templates compiled once per serve, not per edit
        self._written = None  # (repr of the engine config, its YAML text) last written, see _write_config
        self._config = None  # (the engine config's YAML text, its parsed mapping), see _mkdocs_config
        self._session = None  # the last mkdocs build, kept to redo single pages (engines/session.py)

    def rebuild(self, run_engine: bool = True) -> Rebuild:
        """Bring the site up to date with the course files; return what was done.

        ``run_engine=False`` only brings the tree and its engine config (written when it changed) up to date,
        for an engine that watches the tree itself (`zensical serve`, engines/serve.py)."""
        from patientvoice.course.loader import load_course

        start = time.perf_counter()
        stages = {}
        digests = self._files.scan(self.root, WATCHED, ("mkdocs.yml",))
        digest = course_digest(digests)
        checked = digest != self._digest
        if checked:
            self._loaded, self._digest = load_course(self.root, self._cache), digest
            _refuse_complex(self._loaded[0], self._guarded)
        course, problems = self._loaded
        stages["load"] = time.perf_counter() - start
        cfg = site_config(self.root)
        tree = materialise(course, self.work / "docs", cfg, cache=self._pages, digests=digests)
        stages["materialise"] = time.perf_counter() - start - stages["load"]
        # A dirty build neither removes the pages of deleted sources nor updates other pages' nav and links.
        signature = repr((tree.nav, sorted(tree.pages), sorted((m.id, m.title) for m in course.modules.values()),
                          sorted((s.id, s.title) for s in course.stories.values()),
                          sorted((p.id, p.name) for p in course.pags.values()), cfg))
        # A page of the author's own (modules/about.md) may be listed in mkdocs.yml's nav by path: its title,
        # which the signature does not hold, is then the nav label and previous/next link on other pages.
        own = any(tree.pages.get(rel) == "file" and rel.endswith(".md") for rel in tree.written)
        full = signature != self._signature or own or not self.site.is_dir()
        self._signature = signature
        how = ""
        if tree.written or full or not run_engine:
            config = engine_config(cfg, tree, self.site, keep_plugins=self.engine != "zensical")
            config["strict"] = False  # a preview shows the pages; `patientvoice build` is the gate
            if run_engine:
                theme_key = repr([(k, v) for k, v in digests.items() if k.startswith("theme/")])
                how = self._run(config, full, tree.written, theme_key=theme_key)
            else:
                self._write_config(config)
                how = "tree"
        seconds = time.perf_counter() - start
        stages["engine"] = seconds - stages["load"] - stages["materialise"]
        return Rebuild(seconds, checked, tree.written, full, how=how, problems=list(problems), stages=stages)

    @property
    def config_file(self) -> Path:
        """Where the engine config is written, beside the tree."""
        return self.work / ("properdocs.yml" if self.engine == "properdocs" else "mkdocs.yml")

    def _run(self, config: dict, full: bool, written: list[str], theme_key: str = "") -> str:
        """Run the engine on the tree; return "session" when only the changed pages were redone, else "build"."""
        config_file = self.config_file
        started = time.time()
        if self.engine == "mkdocs":
            outputs = self._run_mkdocs(config, config_file, full, written, repr((config.get("theme"), theme_key)))
            if outputs is not None:
                fix_markup(outputs)
                return "session"
        else:
            self._write_config(config)
            exe = EXTERNAL[self.engine].find(self.engine_bin)
            command = [exe, "build", "-f", str(config_file)]
            command += ["--dirty"] if self.engine == "properdocs" and not full else []
            done = subprocess.run(command, cwd=self.work, capture_output=True, text=True,
                                  env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
            if done.returncode:
                raise EngineError(f"engine '{self.engine}' failed: {(done.stderr or done.stdout)[-2000:]}")
        _fix_newer(self.site, started)
        return "build"

    def _run_mkdocs(self, config: dict, config_file: Path, full: bool, written: list[str], theme_key: str):
        """Build in this process: the changed pages only through the kept session (engines/session.py) when
        nothing but page contents changed, else mkdocs' own (dirty) build, which starts a new session.
        Returns the output files the session wrote, or None after a build."""
        import logging

        from mkdocs.commands.build import build

        from patientvoice.engines.session import Capture, Session, SessionStale

        key = repr(config) + theme_key
        # A preview's pages come with mkdocs' warnings silenced, for this build only: the level is the
        # process's, and a later `mkdocs build` in it (strict, counting warnings) must see them again.
        logger = logging.getLogger("mkdocs")
        level = logger.level
        logger.setLevel(logging.ERROR)
        try:
            if not full and self._session is not None and self._session.key == key:
                try:
                    return self._session.update(written)
                except SessionStale:
                    pass
            self._session = None
            loaded = self._mkdocs_config(config, config_file)
            self._reuse_templates(loaded.theme, theme_key)
            capture = Capture()
            loaded.plugins["patientvoice-session"] = capture
            build(loaded, dirty=not full)
            self._session = Session(loaded, capture, key)
            return None
        finally:
            logger.setLevel(level)

    def _write_config(self, config: dict) -> str:
        """Write the engine config beside the tree when it changed; return its text. Dumping a 300-module nav
        takes a third of a second, so an unchanged config (compared by its repr) is neither dumped nor written."""
        signature = repr(config)
        if self._written is None or self._written[0] != signature or not self.config_file.is_file():
            text = dump(config)
            self.config_file.write_text(text, encoding="utf-8")
            self._written = (signature, text)
        return self._written[1]

    def _mkdocs_config(self, config: dict, config_file: Path):
        """mkdocs' validated config for ``config``. The YAML is parsed only when the config changed (parsing a
        300-module nav is half a second); a copy of the parsed mapping is validated anew
        for every build, since a build's plugins change the config they are given."""
        from mkdocs.config.defaults import MkDocsConfig
        from mkdocs.utils.yaml import get_yaml_loader, yaml_load

        text = self._write_config(config)
        if self._config is None or self._config[0] != text:
            self._config = (text, yaml_load(text, get_yaml_loader(config=MkDocsConfig(str(config_file)))))
        loaded = MkDocsConfig(config_file_path=str(config_file))
        loaded.load_dict(copy.deepcopy(self._config[1]))
        errors, _ = loaded.validate()
        if errors:
            raise EngineError("the engine configuration is not valid: "
                              + "; ".join(f"{name}: {error}" for name, error in errors))
        return loaded

    def _reuse_templates(self, theme, key: str) -> None:
        """Hand mkdocs the same Jinja environment on every rebuild: compiling Material's templates is most of
        a small rebuild's time. Listing the theme's thousands of files (icons) is the next biggest part, so the
        list is kept too. A change of the theme settings or of a file under the course's theme/ starts anew."""
        if self._jinja is None or self._jinja[0] != key:
            env = theme.get_env()
            names = env.loader.list_templates()

            def list_templates(extensions=None, filter_func=None):
                if extensions is not None:  # as jinja2.Environment.list_templates
                    filter_func = lambda x: "." in x and x.rsplit(".", 1)[1] in extensions  # noqa: E731
                return [n for n in names if filter_func(n)] if filter_func else list(names)

            env.list_templates = list_templates
            self._jinja = (key, env)
        env = self._jinja[1]
        theme.get_env = lambda: env


def _refuse_complex(course, guarded: dict[int, object]) -> None:
    """A preview builds despite problems: a body the renderer would choke on becomes a visible placeholder
    (content.too-complex stops `patientvoice build` before it gets here; the plugin does the same in serve).
    Items reused from the load cache were held to it when first loaded (``guarded``, by identity)."""
    from patientvoice.security.complexity import placeholder, too_complex

    items = [*course.modules.values(), *course.stories.values()]
    fresh = {id(i) for i in items if id(i) not in guarded}
    guarded.clear()
    guarded.update((id(i), i) for i in items)  # kept alive with their ids, so an id is never another item's
    for module in (m for m in course.modules.values() if id(m) in fresh):
        reason = too_complex(module.body)
        if reason:
            module.body, module.blocks = placeholder("this module body", reason), []
    for story in (s for s in course.stories.values() if id(s) in fresh):
        reason = too_complex(story.body or "")
        if reason:
            story.body = placeholder("this story", reason)
            for section in story.sections.values():
                section.markdown = story.body


def _fix_newer(site: Path, since: float) -> None:
    """Apply MARKUP_FIXES to the pages this build wrote (the plugin does it per page)."""
    fix_markup(page for page in site.rglob("*.html") if page.stat().st_mtime >= since - 1)
