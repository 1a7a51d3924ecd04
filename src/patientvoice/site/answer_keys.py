"""site.answer-keys: mkdocs.yml must keep questionnaire.yml out of any site built straight from the course.

`patientvoice build` never publishes questionnaire.yml, and the mkdocs plugin drops it, but an engine run
directly on the course folder without the plugin (Zensical, which ignores mkdocs plugins, or `mkdocs build`
with the plugin removed) copies every file of docs_dir: both answer keys would be published. ``exclude_docs``
is honoured by MkDocs, ProperDocs and Zensical alike, so the course's own config closes that door.
"""

from __future__ import annotations

from pathlib import Path

from pathspec.gitignore import GitIgnoreSpec  # mkdocs' own matcher for exclude_docs (a dependency of mkdocs)

from patientvoice.course.sources import line_of
from patientvoice.rules import E, Rule, register

register(
    Rule("site.answer-keys", E, "mkdocs.yml does not exclude questionnaire.yml from the site",
         "questionnaire.yml holds every phase's answer key. patientvoice never publishes it, but an engine run "
         "straight on the course (Zensical ignores the patientvoice plugin) copies every file in modules/, "
         "answer keys included, onto the public site.",
         "Add to mkdocs.yml:  exclude_docs: |  followed by an indented line  questionnaire.yml"),
)

FIX = "add 'exclude_docs: |' with an indented line 'questionnaire.yml' to mkdocs.yml"


def check_answer_keys(root: Path, course, cfg, problems, path: Path) -> None:
    """Report each module's questionnaire.yml that mkdocs.yml's exclude_docs would let an engine publish."""
    exclude = cfg.get("exclude_docs")
    spec = GitIgnoreSpec.from_lines(exclude.splitlines() if isinstance(exclude, str) else [])
    docs = root / "modules"
    for module in course.modules.values():
        if module.questionnaire is None:
            continue
        rel = (Path(module.path).parent / "questionnaire.yml")
        try:
            rel = rel.relative_to(docs).as_posix()
        except ValueError:
            continue
        if not spec.match_file(rel):
            where = "exclude_docs" if "exclude_docs" in cfg else "docs_dir" if "docs_dir" in cfg else None
            line = line_of(cfg, where) if where else 1
            problems.add(path, line, "site.answer-keys",
                         f"modules/{rel} (an answer key) would be published by an engine run without the "
                         f"patientvoice plugin; {FIX}")
            return  # one problem says it: the fix covers every module
