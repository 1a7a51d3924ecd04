"""ProperDocs and Zensical: build the materialised tree by running the engine's command in its own environment.

The engine is found, in order, from ``--engine-bin`` (the ``executable`` argument), the environment variable
``PATIENTVOICE_PROPERDOCS`` / ``PATIENTVOICE_ZENSICAL`` (the path to the engine's executable) or the engine's
executable on PATH. Each engine lives in its own virtual environment (scripts/test makes them under
.engines/): ProperDocs must not share one with the ``mkdocs`` package, and Zensical pins its own
Python-Markdown stack. Nothing patientvoice is imported there: the tree is already plain Markdown and HTML.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from patientvoice.engines import EngineError
from patientvoice.materialise.config import dump, engine_config
from patientvoice.materialise.tree import materialise, mend_markup

TIMEOUT = 3600  # seconds; a site of thousands of pages builds in minutes, a hung engine must still end


@dataclass(frozen=True)
class External:
    """An engine run as a subprocess on the materialised tree."""

    name: str
    executable: str
    env_var: str
    config_name: str  # the file name the engine reads its YAML config from
    keep_plugins: bool  # False: the engine has its own search and no mkdocs plugins
    install: str  # how to install it, for the message when it is missing

    def find(self, executable: str | None = None) -> str:
        """The engine's executable (see the module docstring), or EngineError saying how to install it."""
        found = executable or os.environ.get(self.env_var) or shutil.which(self.executable)
        if not found or not (Path(found).is_file() or shutil.which(found)):
            raise EngineError(f"engine '{self.name}': no '{self.executable}' found; {self.install}, then put its "
                              f"executable on PATH, set {self.env_var}=/path/to/{self.executable} or pass --engine-bin")
        return found

    def build(self, course, cfg: dict, work: Path, site_dir: Path, *, strict: bool = False,
              executable: str | None = None, handouts: bool = False) -> int:
        """Materialise ``course`` under ``work``, build it into ``site_dir``; return the number of pages.

        ``handouts``: this build publishes the PDFs in the site, so module pages link them.
        """
        exe = self.find(executable)
        tree = materialise(course, work / "docs", cfg, handouts=handouts)
        config_file = work / self.config_name
        # The engine writes inside its project folder (Zensical insists); the site is moved out afterwards.
        built = work / "site"
        shutil.rmtree(built, ignore_errors=True)
        config_file.write_text(dump(engine_config(cfg, tree, built, keep_plugins=self.keep_plugins)),
                               encoding="utf-8")
        command = [exe, "build", "-f", str(config_file)] + (["--strict"] if strict else [])
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        try:
            done = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, timeout=TIMEOUT)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise EngineError(f"engine '{self.name}' ({exe}) could not run: {e}") from None
        if done.returncode != 0 or not built.is_dir():
            tail = "\n  ".join((done.stderr + done.stdout).strip().splitlines()[-20:])
            raise EngineError(f"engine '{self.name}' failed (exit {done.returncode}) building {work / 'docs'}:\n  {tail}")
        fix_markup(built.rglob("*.html"))
        built.rename(site_dir)
        return sum(1 for _ in site_dir.rglob("index.html"))


def fix_markup(pages: Iterable[Path]) -> None:
    """Mend Material's fixed markup in these output files, as the mkdocs plugin does per page (MARKUP_FIXES);
    files that are not HTML pages are left alone."""
    for page in pages:
        if page.suffix != ".html":
            continue
        text = page.read_text(encoding="utf-8")
        fixed = mend_markup(text)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


PROPERDOCS = External("properdocs", "properdocs", "PATIENTVOICE_PROPERDOCS", "properdocs.yml", True,
                      "install it in its own environment: pip install properdocs==1.6.7 and "
                      "mkdocs-material==9.8.2 --no-deps (see docs/engines.md)")
ZENSICAL = External("zensical", "zensical", "PATIENTVOICE_ZENSICAL", "mkdocs.yml", False,
                    "install it in its own environment: pip install zensical==0.0.73")
EXTERNAL = {e.name: e for e in (PROPERDOCS, ZENSICAL)}
