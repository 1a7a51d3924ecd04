"""One module as a self-contained LMS package: the checked course, the launch page, and the zip.

SCORM and cmi5 share everything but the manifest and the runtime adapter. A package holds a launch page
(``index.html``: it keeps the LMS connection and shows the module's pages in an inner frame, because leaving
the launch page would sever the SCORM API session), one HTML file per module page (export/pages.py), the
runtime scripts (export/assets/) and the theme's stylesheet and fonts. The course must pass the same checks as
``build``; an unapproved module cannot be exported.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape

from patientvoice.course.model import Course, Module
from patientvoice.export.output import OutputError, write_whole
from patientvoice.export.pages import ExportError, module_pages, page_list, theme_files

__all__ = ["ExportError", "Package", "build_package", "checked_module"]
ASSETS = Path(__file__).parent / "assets"  # the package runtime: launch page script, adapters, layout CSS
STAMP = (2026, 1, 1, 0, 0, 0)  # one timestamp for every zip entry, so two exports of the same course are equal


@dataclass
class Package:
    """The files of a package as {path in the zip: bytes}, in the order they were added."""

    files: dict[str, bytes] = field(default_factory=dict)

    def add(self, name: str, data: str | bytes) -> None:
        """Add one file; text is written as UTF-8."""
        self.files[name] = data.encode("utf-8") if isinstance(data, str) else data

    def write(self, out: Path) -> None:
        """Write the zip with every entry stamped alike; the manifest is the first entry, as some LMSs expect."""
        names = sorted(self.files, key=lambda n: (n not in ("imsmanifest.xml", "cmi5.xml"), n))
        def zipped(f):
            with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as z:
                for name in names:
                    info = zipfile.ZipInfo(name, STAMP)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    info.external_attr = 0o644 << 16
                    z.writestr(info, self.files[name])

        try:
            write_whole(out, zipped)  # whole or not at all: an LMS must never get half a package
        except OutputError as e:
            raise ExportError(str(e)) from None


def checked_module(root: Path, module_id: str, *, strict: bool = False,
                   today: dt.date | None = None) -> tuple[Course, Module]:
    """Check the course as ``build`` does and return the module; refuse when a check fails or it has no post-test."""
    from patientvoice.check import check_course

    course, problems = check_course(Path(root).resolve(), today)
    failing = problems.errors + (problems.warnings if strict else [])
    if failing:
        raise ExportError(f"{len(failing)} problem(s) stop the export; nothing was written", failing)
    module = course.modules.get(module_id)
    if module is None:
        known = ", ".join(sorted(course.modules)) or "none"
        raise ExportError(f"no module '{module_id}' in {course.root / 'modules'} (modules: {known})")
    if module.questionnaire is None or not [i for i in module.questionnaire.phase("post")
                                            if i.kind in ("single", "multiple") and i.answer is not None]:
        raise ExportError(f"module '{module_id}' has no scored post-test item, so an LMS could record no score "
                          f"or pass; add knowledge items to {module.path.parent / 'questionnaire.yml'}")
    return course, module


def export_module(root: Path, module_id: str, out: Path, make, *, strict: bool = False) -> None:
    """Check the course, build ``make(course, module)`` (a Package) and write it to ``out``; for the CLI commands.

    Problems and the refusal are printed and raised as a click error, so every export reports alike.
    """
    import click

    try:
        course, module = checked_module(root, module_id, strict=strict)
        make(course, module).write(out)
    except ExportError as exc:
        for p in exc.problems[:50]:
            click.echo(p.format(), err=True)
        raise click.ClickException(str(exc))


def runtime_config(course: Course, module: Module, adapter: str) -> dict:
    """What the launch page's script needs: pages in order, pass mark, attempt policy, items and objectives."""
    from patientvoice.outcomes.attempts import attempts_option, show_key_option
    from patientvoice.outcomes.evaluation import site_evaluation
    from patientvoice.outcomes.scoring import pass_mark

    def item(i, phase):
        return {"id": i.id, "kind": i.kind, "stem": i.stem, "objective": i.objective, "phase": phase,
                "options": len(i.options or i.scale or []), "labels": list(i.options or i.scale or [])}

    q = module.questionnaire
    return {
        "adapter": adapter, "module": module.id, "title": module.title, "activity": str(module.activity.get("id")),
        "pages": [{"id": p, "label": label, "href": f"pages/{p}.html"} for p, label in page_list(module)],
        "pass_mark": pass_mark(module), "attempts": attempts_option(course.root),
        "show_key": show_key_option(course.root), "objectives": [o.id for o in module.objectives],
        "items": {"pre": [item(i, "pre") for i in q.phase("pre")],
                  "post": [item(i, "post") for i in q.phase("post")] +
                          [item(i, "post") for i in site_evaluation(course.root)]},
    }


def launch_page(course: Course, module: Module, adapter: str, scripts: list[str]) -> str:
    """``index.html``: the SCO / AU itself, with the page list, the inner frame and the runtime scripts."""
    from patientvoice.pdf.html import site_settings

    config = json.dumps(runtime_config(course, module, adapter), ensure_ascii=False, separators=(",", ":"))
    config = config.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    nav = "".join(f'<li><a href="pages/{p}.html" target="pv-page" data-pv-nav="{p}">{escape(label)}</a></li>'
                  for p, label in page_list(module))
    tags = "".join(f'<script src="{s}"></script>\n' for s in scripts)
    lang = site_settings(course.root).lang
    return ("<!DOCTYPE html>\n"
            f'<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(module.title)}</title>\n"
            '<link rel="stylesheet" href="assets/patientvoice.css">\n<link rel="stylesheet" href="assets/lms.css">\n'
            "</head>\n<body class=\"pv-lms\">\n"
            f'<header class="pv-lms__head"><p class="pv-lms__provider">{escape(course.provider.name)}</p>'
            f"<h1>{escape(module.title)}</h1>\n"
            f'<nav aria-label="Pages of this module"><ol class="pv-lms__nav">{nav}</ol></nav>\n'
            '<p class="pv-lms__status" role="status" data-pv-lms-status></p></header>\n'
            '<main class="pv-lms__main">\n'
            '<iframe class="pv-lms__frame" name="pv-page" title="Module page" data-pv-frame></iframe>\n'
            '<p class="pv-lms__steps"><button type="button" data-pv-prev>Previous page</button> '
            '<button type="button" data-pv-next>Next page</button> '
            '<button type="button" data-pv-exit>Save and exit</button></p>\n</main>\n'
            f'<script type="application/json" id="pv-lms-config">{Markup(config)}</script>\n{tags}'
            "</body>\n</html>\n")


def build_package(course: Course, module: Module, adapter: str, adapter_script: str) -> Package:
    """Every file of the package except its manifest: launch page, module pages, runtime and theme."""
    pkg = Package()
    scripts = ["assets/lms-runtime.js", f"assets/{adapter_script}"]
    pkg.add("index.html", launch_page(course, module, adapter, scripts))
    for name, data in module_pages(course, module).items():
        pkg.add(f"pages/{name}", data)
    for name in ("lms-runtime.js", adapter_script, "lms.css"):
        pkg.add(f"assets/{name}", (ASSETS / name).read_bytes())
    for name, data in theme_files(course).items():
        pkg.add(name, data)
    if "assets/patientvoice.css" not in pkg.files:
        pkg.add("assets/patientvoice.css", b"/* the course has no theme/assets/patientvoice.css */\n")
    return pkg
