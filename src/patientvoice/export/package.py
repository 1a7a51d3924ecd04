"""One module as a self-contained LMS package: the checked course, its pages as HTML files, and the zip.

SCORM and cmi5 share everything but the manifest and the runtime adapter. A package holds a launch page
(``index.html``: it keeps the LMS connection and shows the module's pages in an inner frame, because leaving
the launch page would sever the SCORM API session) and one HTML file per module page, in the order a learner
must take them: activity information and disclosures, pre-test, the module, post-test with the evaluation.

Pages are rendered by the site's own functions (activity_info, the patientvoice Markdown blocks in web mode,
questionnaire_page) from a course that passed the same checks as ``build``; nothing in them loads from outside
the package (``local_only`` refuses any absolute URL in a ``src``, ``href`` of a stylesheet, or CSS ``url()``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape

from patientvoice.course.model import Course, Module

ASSETS = Path(__file__).parent / "assets"  # the package runtime: launch page script, adapters, layout CSS
STAMP = (2026, 1, 1, 0, 0, 0)  # one timestamp for every zip entry, so two exports of the same course are equal
PAGES = (("about", "Activity information"), ("pre", "Pre-test"), ("content", "The module"),
         ("post", "Post-test and evaluation"))
ATTR_URL = re.compile(r"""\s(src|srcset|poster|data|action|formaction|background)\s*=\s*(["'])(.*?)\2""", re.I | re.S)
LINK_TAG = re.compile(r"<link\b[^>]*>", re.I)
CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')]+)\1\s*\)|@import\s+["']([^"']+)["']""", re.I)
LINK_OUT = re.compile(r'<a\s(?![^>]*\starget=)((?:[^>]*\s)?href="https?://)', re.I)
ABSOLUTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//|/)", re.I)


class ExportError(Exception):
    """The module cannot be exported; ``problems`` are the check's problems that stop it, if any."""

    def __init__(self, message: str, problems=()):
        super().__init__(message)
        self.problems = list(problems)


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
        tmp = out.with_name(f".{out.name}.part")
        try:
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
                for name in names:
                    info = zipfile.ZipInfo(name, STAMP)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    info.external_attr = 0o644 << 16
                    z.writestr(info, self.files[name])
            tmp.replace(out)  # whole or not at all: an LMS must never get half a package
        except OSError as e:
            tmp.unlink(missing_ok=True)
            raise ExportError(f"cannot write {out}: {e.strerror}; --out must be a file in a folder you can write to") \
                from None


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


def local_only(html: str, where: str) -> None:
    """Refuse a page that would load anything from outside the package (a learner's LMS may forbid it too)."""
    for m in ATTR_URL.finditer(html):
        for url in re.split(r",\s*", m.group(3)) if m.group(1).lower() == "srcset" else [m.group(3)]:
            url = url.strip().split(" ")[0]
            if url and ABSOLUTE.match(url) and not url.lower().startswith("data:"):
                raise ExportError(f"{where}: {m.group(1)}=\"{url}\" would load from outside the package; "
                                  "put the file in the module's folder and link it relatively")
    for tag in LINK_TAG.findall(html):
        href = re.search(r"""href\s*=\s*(["'])(.*?)\1""", tag, re.S)
        if href and ABSOLUTE.match(href.group(2)):
            raise ExportError(f"{where}: <link href=\"{href.group(2)}\"> would load from outside the package")
    styles = re.findall(r"<style\b[^>]*>(.*?)</style>", html, re.S | re.I)
    for style in styles + re.findall(r"""style\s*=\s*"([^"]*)\"""", html):
        for m in CSS_URL.finditer(style):
            url = m.group(2) or m.group(3)
            if ABSOLUTE.match(url) and not url.lower().startswith("data:"):
                raise ExportError(f"{where}: CSS url({url}) would load from outside the package")


def theme_files(course: Course) -> dict[str, bytes]:
    """The course's stylesheet and the fonts it names, as package paths; a font from elsewhere is refused."""
    from patientvoice.security.files import Refused, read_bounded

    css_path = course.root / "theme" / "assets" / "patientvoice.css"
    if not css_path.is_file():
        return {}
    try:
        css = read_bounded(css_path, course.root, 2_000_000)
    except Refused as r:
        raise ExportError(f"{css_path}: {r.message}") from None
    out = {"assets/patientvoice.css": css}
    for m in CSS_URL.finditer(css.decode("utf-8")):
        url = m.group(2) or m.group(3)
        if url.lower().startswith("data:"):
            continue
        if ABSOLUTE.match(url):
            raise ExportError(f"{css_path}: url({url}) would load from outside the package")
        target = (css_path.parent / url.split("#")[0].split("?")[0]).resolve()
        try:
            rel = target.relative_to((course.root / "theme").resolve()).as_posix()
            out[rel] = read_bounded(target, course.root, 10_000_000)
        except (ValueError, Refused) as e:
            raise ExportError(f"{css_path}: url({url}) is not a readable file in theme/ ({e})") from None
    for licence in ("OFL.txt",):  # the fonts' licence travels with them
        path = course.root / "theme" / "fonts" / licence
        if path.is_file():
            out[f"fonts/{licence}"] = read_bounded(path, course.root, 1_000_000)
    return out


def page_html(title: str, body: str, lang: str, *, module_id: str, page: str) -> str:
    """One module page as a standalone HTML document; the launch page drives its forms from outside."""
    return ("<!DOCTYPE html>\n"
            f'<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n"
            '<link rel="stylesheet" href="../assets/patientvoice.css">\n'
            '<link rel="stylesheet" href="../assets/lms.css">\n</head>\n'
            f'<body class="pv-lms-page" data-pv-page="{escape(page)}" data-module="{escape(module_id)}">\n'
            f"<main>\n<h1>{escape(title)}</h1>\n{body}\n</main>\n</body>\n</html>\n")


def module_pages(course: Course, module: Module) -> dict[str, str]:
    """The module's pages as {file name under pages/: HTML}, rendered by the site's functions (web channel)."""
    import markdown

    from patientvoice.markdown_ext import PatientVoiceExtension
    from patientvoice.outcomes.attempts import attempts_option, show_key_option
    from patientvoice.outcomes.evaluation import site_evaluation
    from patientvoice.pdf.html import site_settings
    from patientvoice.render import activity_info
    from patientvoice.site.questionnaire import policy_text, questionnaire_page

    settings = site_settings(course.root)
    attempts, show_key = attempts_option(course.root), show_key_option(course.root)
    # Web mode: web-only kept, print-only dropped, and only stories whose consent covers the web are shown
    # (an LMS is the web channel). No story_url: the package has no story library to link to.
    ext = PatientVoiceExtension(course=course, module=module, output="web")
    md = markdown.Markdown(extensions=[*settings.extensions, ext], extension_configs=settings.configs,
                           output_format="html")
    content = md.convert(module.body)
    try:
        ext.check_refusals(module.path.as_posix())
    except Exception as e:  # UnreviewedEmbed: check should have caught it; never package it
        raise ExportError(str(e)) from None
    policy = f'<p class="pv-lms-policy"><strong>Attempts:</strong> {escape(policy_text(attempts, show_key))}</p>'
    about = f"{activity_info(course, module)}\n{policy}"
    forms = {phase: questionnaire_page(course, module, phase, evaluation=site_evaluation(course.root) if phase == "post"
                                       else None, attempts=attempts, show_key=show_key)
             for phase in ("pre", "post")}
    content, media = _local_media(course, module, content)
    content = _site_links(course, module, content)
    bodies = {"about": about, "pre": forms["pre"], "content": content, "post": forms["post"]}
    out = dict(media)
    for page, label in PAGES:
        # A link out of the module opens its own window: in the frame it would replace the module page.
        bodies[page] = LINK_OUT.sub(r'<a target="_blank" rel="noopener" \1', bodies[page])
        html = page_html(f"{label}: {module.title}", bodies[page], settings.lang, module_id=module.id, page=page)
        local_only(html, f"{module.path}: page '{page}'")
        out[f"{page}.html"] = html
    return out


HREF = re.compile(r"""(<a\b[^>]*?)\s+href\s*=\s*(["'])(.*?)\2""", re.I | re.S)


def _site_links(course: Course, module: Module, html: str) -> str:
    """Point links to other site pages (another module, a story) at the published site, in a new window.

    The package holds one module, so ``../other-module/`` would lead nowhere inside the LMS. With mkdocs.yml's
    ``site_url`` the link goes to the live page; without it the words stay but the link is dropped.
    """
    from urllib.parse import urljoin

    from patientvoice.problems import Problems
    from patientvoice.site.mkdocs_yml import load_site_config
    from patientvoice.site.options import resolve

    config = resolve(load_site_config(course.root, Problems(course.root)) or {})
    site = config.get("site_url") if isinstance(config, dict) else None
    web = isinstance(site, str) and site.startswith(("https://", "http://"))
    base = f"{site.rstrip('/')}/{module.id}/" if web else None

    def swap(m):
        url = m.group(3).strip()
        if not url or url.startswith("#") or ABSOLUTE.match(url):
            return m.group(0)
        return f'{m.group(1)} href="{escape(urljoin(base, url))}"' if base else m.group(1)

    return HREF.sub(swap, html)


SRC = re.compile(r"""(\ssrc\s*=\s*)(["'])(.*?)\2""", re.I | re.S)


def _local_media(course: Course, module: Module, html: str) -> tuple[str, dict[str, bytes]]:
    """Copy the images the module body loads from its folder into ``pages/media/`` and point ``src`` there.

    A path resolves as on the site (the module page is ``modules/<id>/index.md``) and is read through the
    course's confined reader, so a link out of the course is refused here as ``check`` refuses it.
    """
    from patientvoice.security.files import Refused, read_bounded

    media: dict[str, bytes] = {}
    modules = (course.root / "modules").resolve()

    def swap(m):
        url = m.group(3).strip()
        if not url or ABSOLUTE.match(url) or url.startswith("#"):
            return m.group(0)  # absolute ones are refused by local_only
        target = (course.root / "modules" / module.id / url.split("#")[0].split("?")[0]).resolve()
        try:
            rel = target.relative_to(modules).as_posix()
            media[f"media/{rel}"] = read_bounded(target, course.root, 20_000_000)
        except (ValueError, Refused, OSError) as e:
            raise ExportError(f"{module.path}: src=\"{url}\" is not a readable file under modules/ ({e})") from None
        return f"{m.group(1)}{m.group(2)}media/{rel}{m.group(2)}"

    return SRC.sub(swap, html), media


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
        "pages": [{"id": p, "label": label, "href": f"pages/{p}.html"} for p, label in PAGES],
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
                  for p, label in PAGES)
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
