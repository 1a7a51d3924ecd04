"""Expand a module body's ``///`` blocks into HTML, leaving the rest Markdown for the engine to render.

Each outermost block (story, pag-data, web-only, print-only) is rendered by the patientvoice Markdown
extension itself, with the course's Markdown extensions, and put back as a raw HTML block that any
Python-Markdown based engine passes through. The rest of the body stays Markdown, so the engine still makes
its headings, table of contents and permalinks. A body whose blocks the line scan cannot place (indented in
a list or a quote) is rendered whole: every block is still expanded, only the engine's table of contents
for that page is lost.
"""

from __future__ import annotations

from markdown import Markdown

from patientvoice.course.model import Course, Module
from patientvoice.markdown_ext import PatientVoiceExtension

STORY_URL = "../stories/{id}/"  # module pages are <id>/index.md, published as /<id>/ (directory URLs)


def expand_blocks(course: Course, module: Module, settings) -> str:
    """The module body with every block expanded for the web; raise UnreviewedEmbed on a refused embed.

    ``settings`` is pdf.html.SiteSettings (the course's Markdown extensions, read from mkdocs.yml).
    """
    body = module.body.replace("\r\n", "\n").replace("\r", "\n")
    lines = body.split("\n")
    top = [b for b in module.blocks if not b.inside]
    if not top:
        return body
    ext = PatientVoiceExtension(course=course, module=module, output="web", story_url=STORY_URL)
    md = Markdown(extensions=[*settings.extensions, ext], extension_configs=settings.configs,
                  output_format="html")
    spans = [(b.line - module.body_line, b.end_line - module.body_line) for b in top]
    if any(not (0 <= s <= e < len(lines)) or not lines[s].startswith("///") for s, e in spans):
        html = md.convert(body)
        ext.check_refusals(module.path.as_posix())
        return html
    out: list[str] = []
    pos = 0
    for start, end in spans:
        out.extend(lines[pos:start])
        ids = dict(ext._ids)  # anchors stay unique across the page's blocks (md.reset() clears them)
        md.reset()
        ext._ids.update(ids)
        html = md.convert("\n".join(lines[start:end + 1]))
        ext.check_refusals(module.path.as_posix())
        out += ["", html, ""] if html.strip() else []
        pos = end + 1
    out.extend(lines[pos:])
    return "\n".join(out)
