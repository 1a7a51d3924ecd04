"""Write the baseline for the site benchmark: the same pages as a patientvoice build, as a plain mkdocs project.

The pages are the materialised tree (patientvoice.materialise: every ``///`` block expanded, the activity
information and the generated pages written as ordinary files), and the mkdocs.yml is the engine config
derived from the course's, with mkdocs-material and the search plugin only. Building it with plain mkdocs
measures what mkdocs-material costs by itself, so the ratio against a patientvoice build is patientvoice's
overhead.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from patientvoice.course.loader import load_course
from patientvoice.materialise import materialise
from patientvoice.materialise.config import dump, engine_config
from patientvoice.materialise.options import site_config


def write_baseline(course_root: Path, out: Path) -> Path:
    """Write a plain mkdocs-material project equivalent to ``course_root``'s site into ``out``."""
    course, _ = load_course(course_root)
    if out.exists():
        shutil.rmtree(out)
    cfg = site_config(course_root)
    tree = materialise(course, out / "docs", cfg)
    config = engine_config(cfg, tree, out / "site")
    config["strict"] = False
    (out / "mkdocs.yml").write_text(dump(config), encoding="utf-8")
    return out
