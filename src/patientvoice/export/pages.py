"""The pages of an LMS package: the module's pages rendered by the site's functions, and what they may load.

The pages, in the order a learner takes them: activity information and disclosures (with the attempt policy),
pre-test, the module, post-test with the evaluation. They come from the site's own functions (activity_info,
the patientvoice Markdown blocks in web mode, questionnaire_page). Nothing in them loads from outside the
package: ``local_only`` refuses an absolute URL in a ``src``, a stylesheet's ``href`` or a CSS ``url()``, images
from the module's folder are copied in, and links to other site pages go to ``site_url``.
"""

from __future__ import annotations

import posixpath
import re

from markupsafe import escape

from patientvoice.course.model import Course, Module

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


def page_list(module: Module) -> list[tuple[str, str]]:
    """(page id, label) for each page of the module's package; no pre-test page when it has no pre-test items."""
    has_pre = module.questionnaire is not None and bool(module.questionnaire.phase("pre"))
    return [(p, label) for p, label in PAGES if p != "pre" or has_pre]


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
    """The effective stylesheet (the course's theme/ over the package's, site/theme.py) and the fonts it names.

    A url() is resolved inside the theme, each file again through the merged view; one leading out of the theme
    (or a link out of the course) is refused.
    """
    from patientvoice.security.files import Refused
    from patientvoice.site.theme import read_theme, theme_file

    css_rel = "assets/patientvoice.css"
    css_path = theme_file(course.root, css_rel)
    if css_path is None:
        return {}
    try:
        css = read_theme(css_path, course.root, 2_000_000)
    except Refused as r:
        raise ExportError(f"{css_path}: {r.message}") from None
    out = {css_rel: css}
    for m in CSS_URL.finditer(css.decode("utf-8")):
        url = m.group(2) or m.group(3)
        if url.lower().startswith("data:"):
            continue
        if ABSOLUTE.match(url):
            raise ExportError(f"{css_path}: url({url}) would load from outside the package")
        rel = posixpath.normpath(posixpath.join(posixpath.dirname(css_rel), url.split("#")[0].split("?")[0]))
        target = theme_file(course.root, rel) if not rel.startswith("../") and rel != ".." else None
        try:
            if target is None:
                raise Refused("file.unreadable", "no such file")
            out[rel] = read_theme(target, course.root, 10_000_000)
        except Refused as e:
            raise ExportError(f"{css_path}: url({url}) is not a readable file in theme/ ({e.message})") from None
    for licence in ("OFL.txt",):  # the fonts' licence travels with them
        path = theme_file(course.root, f"fonts/{licence}")
        if path is not None:
            out[f"fonts/{licence}"] = read_theme(path, course.root, 1_000_000)
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

    from patientvoice.markdown_ext import PatientVoiceExtension, UnreviewedEmbed
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
    except UnreviewedEmbed as e:  # check should have caught it; never package it
        raise ExportError(str(e)) from None
    policy = f'<p class="pv-lms-policy"><strong>Attempts:</strong> {escape(policy_text(attempts, show_key))}</p>'
    about = f"{activity_info(course, module)}\n{policy}\n{lms_note(course, module)}"
    evaluation = site_evaluation(course.root)
    forms = {phase: questionnaire_page(course, module, phase, evaluation=evaluation if phase == "post" else None,
                                       attempts=attempts, show_key=show_key)
             for phase in ("pre", "post")}
    content, media = _local_media(course, module, content)
    content = _site_links(course, module, content)
    bodies = {"about": about, "pre": forms["pre"], "content": content, "post": forms["post"]}
    out = dict(media)
    for page, label in page_list(module):
        # A link out of the module opens its own window: in the frame it would replace the module page.
        bodies[page] = LINK_OUT.sub(r'<a target="_blank" rel="noopener" \1', bodies[page])
        html = page_html(f"{label}: {module.title}", bodies[page], settings.lang, module_id=module.id, page=page)
        local_only(html, f"{module.path}: page '{page}'")
        out[f"{page}.html"] = html
    return out

HREF = re.compile(r"""(<a\b[^>]*?)\s+href\s*=\s*(["'])(.*?)\2""", re.I | re.S)


def site_url(course: Course) -> str | None:
    """mkdocs.yml's ``site_url`` ending in ``/``, or None when the course does not say where its site lives."""
    from patientvoice.problems import Problems
    from patientvoice.site.mkdocs_yml import load_site_config
    from patientvoice.site.options import resolve

    config = resolve(load_site_config(course.root, Problems(course.root)) or {})
    from patientvoice.site.addon import course_url

    site = course_url(config) if isinstance(config, dict) else None  # with a host site's prefix (site/addon.py)
    return site.rstrip("/") + "/" if isinstance(site, str) and site.startswith(("https://", "http://")) else None


def lms_note(course: Course, module: Module) -> str:
    """What the LMS records and what stays on the course website (the follow-up, the credit claim)."""
    site = site_url(course)
    where = (f'on the course website, <a href="{escape(site)}{escape(module.id)}/">{escape(site)}{escape(module.id)}/</a>'
             if site else "on the course website")
    return ('<p class="pv-lms-note"><strong>In this learning management system</strong> your pre-test, post-test '
            "and evaluation answers, your score and whether you passed are recorded by the system you opened this "
            f"module from. The follow-up questionnaire and the credit claim form, if your provider uses them, are {where}.</p>")


def _site_links(course: Course, module: Module, html: str) -> str:
    """Point links to other site pages (another module, a story) at the published site, in a new window.

    The package holds one module, so ``../other-module/`` would lead nowhere inside the LMS. With mkdocs.yml's
    ``site_url`` the link goes to the live page; without it the words stay but the link is dropped.
    """
    from urllib.parse import urljoin

    site = site_url(course)
    base = f"{site}{module.id}/" if site else None

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
