"""Write the baseline for the site benchmark: the same pages as a patientvoice build, as plain Markdown.

Every ``///`` block is expanded to the HTML the plugin would produce, the activity information and the
generated pages (stories, PAGs, faculty, questionnaires) are written as ordinary files, and the
mkdocs.yml lists mkdocs-material with the search plugin only. Building it with plain mkdocs measures
what mkdocs-material costs by itself, so the ratio against a patientvoice build is the plugin's overhead.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from patientvoice.course.loader import load_course
from patientvoice.render import activity_info, data_figure, story_card
from patientvoice.site.pages import generated_pages, module_path, navigation


def expand_blocks(course, module) -> str:
    """The module body with web-only blocks unwrapped, print-only blocks dropped and the rest as HTML."""
    lines = module.path.read_text(encoding="utf-8").splitlines()
    out: dict[int, str | None] = {}  # file line -> replacement (None drops the line)
    for block in module.blocks:
        span = range(block.line, block.end_line + 1)
        if block.name == "print-only" or "print-only" in block.inside:
            out.update({n: None for n in span})
        elif block.name == "web-only":
            out[block.line] = out[block.end_line] = None
        else:
            ident, frag = block.target
            html = (story_card(course, course.stories[ident], frag, link=f"../stories/{ident}/")
                    if block.name == "story" else data_figure(course, ident, frag, block.options.get("show", "both")))
            out.update({n: None for n in span})
            out[block.line] = "\n" + html + "\n"
    body = [out.get(n, text) for n, text in enumerate(lines, start=1) if n >= module.body_line]
    return "\n".join(x for x in body if x is not None)


def write_baseline(course_root: Path, out: Path) -> Path:
    """Write a plain mkdocs-material project equivalent to ``course_root``'s site into ``out``."""
    course, _ = load_course(course_root)
    docs = out / "docs"
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(course_root / "modules", docs, ignore=shutil.ignore_patterns("*.yml"))
    shutil.copytree(course_root / "theme", out / "theme")
    for module in course.modules.values():
        body = expand_blocks(course, module)
        head = f"{activity_info(course, module)}\n\n{module_path(module)}\n\n"
        title = module.title.replace('"', '\\"')
        (docs / module.id / "index.md").write_text(f'---\ntitle: "{title}"\n---\n\n{head}{body}\n', encoding="utf-8")
    for uri, text in generated_pages(course).items():
        path = docs / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    config = yaml.safe_load((course_root / "mkdocs.yml").read_text(encoding="utf-8"))
    config.update(docs_dir="docs", site_dir="site", nav=navigation(course), strict=False,
                  plugins=["search"], extra_css=["assets/patientvoice.css"], extra_javascript=["assets/patientvoice.js"])
    config["theme"]["font"] = False
    (out / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return out
