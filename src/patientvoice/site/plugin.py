"""The ``patientvoice`` mkdocs plugin: runs the checks, adds the blocks and the generated pages.

It is a thin adapter: the course model, checks, HTML and pages all come from the core, which never
imports mkdocs.
"""

from __future__ import annotations

import logging
import os
import sys
from html import escape
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from patientvoice.check import check_course
from patientvoice.security.complexity import placeholder, too_complex
from patientvoice.markdown_ext import PatientVoiceExtension
from patientvoice.site.config import PatientVoiceConfig
from patientvoice.site.defaults import apply_defaults
from patientvoice.site.home import home_page
from patientvoice.site.questionnaire import EvaluationError, evaluation_items
# The pages, assets and markup fixes are the materialiser's, so every engine publishes the same pages.
from patientvoice.materialise.tree import ASSETS, MARKUP_FIXES, SCRIPTS, module_page_markdown, site_pages
from patientvoice.security.files import publishable
from patientvoice.site.options import directory_urls_error, plugin_option_errors
from patientvoice.site.pages import navigation
from patientvoice.site.theme import PACKAGE_THEME, theme_files

log = logging.getLogger("mkdocs.plugins.patientvoice")
GENERATED = "<!-- patientvoice: generated page -->"


class PatientVoicePlugin(BasePlugin[PatientVoiceConfig]):
    """Checks the course before anything is built and publishes it with its stories and data."""

    def __init__(self):
        self.course = None
        self.problems = None
        self.preloaded = None  # (course, problems) handed over by `patientvoice build`
        self.ext: PatientVoiceExtension | None = None
        self.serving = False
        self.evaluation: list = []
        self.building: str | None = None
        self.handouts = False  # `patientvoice build` publishes the PDFs in the site: module pages link them
        self.generated_html: dict[str, str] = {}  # generated page → its HTML (see on_files)

    def on_startup(self, *, command, dirty):
        self.serving = command == "serve"

    def on_config(self, config):
        root = Path(self.config.root or os.path.dirname(config.config_file_path or "mkdocs.yml") or ".")
        self.course, self.problems = self.preloaded or check_course(root.resolve())
        # mkdocs keeps plugin instances that have on_startup between loads of the same config (for serve):
        # a course handed over by one `build` must not be reused by the next load.
        preloaded, self.preloaded = self.preloaded, None
        failing = self.problems.errors + (self.problems.warnings if self.config.strict else [])
        if self.serving:
            # A preview is not a publication: an author mid-edit (a stale approval, a half-typed id) still
            # sees the pages. Problems go to the terminal, outside mkdocs' logger so `strict` does not stop it.
            for p in self.problems:
                print(f"patientvoice: {p.format()}", file=sys.stderr)
            if failing:
                print(f"patientvoice: {len(failing)} problem(s) would stop `patientvoice build`", file=sys.stderr)
            failing = []
            _refuse_complex_stories(self.course)
        # Under `patientvoice build` the command prints the problems itself; logging them here too would
        # print each twice and turn every warning into an abort under mkdocs' own `strict: true`.
        for p in self.problems if not (self.serving or preloaded) else []:
            (log.error if p in failing else log.warning if p.severity == "warning" else log.info)(p.format())
        if failing:
            raise PluginError(f"patientvoice: {len(failing)} problem(s) stop the build; "
                              "fix them (see `patientvoice check`) and build again")
        self.ext = PatientVoiceExtension(course=self.course, output="web")
        config.markdown_extensions.append(self.ext)
        # The package's default theme sits under the course's theme/ (custom_dir): a course file at the same
        # path wins, the rest (runtime scripts, stylesheet, fonts) comes from the package (site/theme.py).
        if str(PACKAGE_THEME) not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(PACKAGE_THEME))
        # Material fetches Google Fonts unless told not to; the theme ships its own fonts. That and
        # the other defaults every course gets (no generator credit, light/dark, prev/next): site/defaults.py.
        present = theme_files(root)
        apply_defaults(config.theme, config.extra, custom_colours=ASSETS[0] in present)
        config.extra_css = [*[a for a in ASSETS if a in present], *config.extra_css]
        config.extra_javascript = [*[s for s in SCRIPTS if s in present], *config.extra_javascript]
        try:
            self.evaluation = evaluation_items(self.config.evaluation)
        except EvaluationError as exc:
            raise PluginError(f"patientvoice: {exc} (see docs/questionnaires.md)") from None
        # The same rules `check` applies to mkdocs.yml (site/options.py), for a plain `mkdocs build` too.
        mistakes = [m for _, m in plugin_option_errors(dict(self.config))]
        mistakes += [m for m in [directory_urls_error(config.use_directory_urls)] if m]
        if mistakes:
            raise PluginError(f"patientvoice: {'; '.join(mistakes)} (see `patientvoice check`)")
        if config.nav is None:
            config.nav = navigation(self.course)
        return config

    def on_files(self, files: Files, *, config) -> Files:
        # questionnaire.yml holds every phase's answer key; only the post-test page may carry it.
        for f in [f for f in files if f.src_uri.endswith("/questionnaire.yml")]:
            files.remove(f)
        # check refuses links out of the course and special files (file.outside-course, file.special); a preview
        # builds despite problems, so the files themselves are dropped here too: nothing a link reaches outside
        # the course is ever copied into a site, and a named pipe cannot stall the copy.
        for f in [f for f in files if not publishable(f.abs_src_path, self.course.root)]:
            print(f"patientvoice: {f.src_uri} is left out of the site: it is not a regular file inside the course",
                  file=sys.stderr)
            files.remove(f)
        pages = site_pages(self.course, dict(self.config))
        # One lookup set: Files drops its index on every append, so get_file_from_path here would be quadratic.
        existing = {f.src_uri for f in files}
        clashes = sorted(existing & pages.keys())
        if clashes:  # check's ref.reserved catches module ids; this catches hand-made pages in modules/
            raise PluginError(f"patientvoice: {', '.join(clashes)} in {config.docs_dir} would replace a page "
                              "patientvoice generates (story library, PAG, faculty or questionnaire); rename it")
        for uri, text in pages.items():
            # Story pages are reached from the library, not the nav; say so, so mkdocs does not list them.
            level = InclusionLevel.NOT_IN_NAV if uri.startswith("stories/") and uri != "stories/index.md" \
                else InclusionLevel.UNDEFINED
            # A generated page is finished HTML under its title (site/pages._page). Markdown would only parse it
            # to hand it back unchanged (a quarter of a build's Markdown time, for the questionnaire forms), so
            # mkdocs gets a marker and on_page_content puts the page's own HTML in its place.
            front, _, html = text[4:].partition("\n---\n\n")
            self.generated_html[uri] = html
            files.append(File.generated(config, uri, content=f"---\n{front}\n---\n\n{GENERATED}\n", inclusion=level))
        return files

    def on_pre_page(self, page, *, config, files):
        self.building = page.file.src_uri  # an engine fault on this page is reported with its file
        return page

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        # mkdocs and Material print page titles unescaped; a title is text, so "Pain <10 min & more" must
        # neither break the page nor inject markup.
        if isinstance(page.meta.get("title"), str):
            page.meta["title"] = escape(page.meta["title"])
        # Cards link to their story's page, relative to this page; story pages themselves need no link.
        on_story_page = page.file.src_uri.startswith("stories/")
        self.ext.setConfig("story_url", "" if on_story_page else "../" * page.url.count("/") + "stories/{id}/")
        module_id = page.file.src_uri.removesuffix("/index.md")
        module = self.course.modules.get(module_id) if page.file.src_uri.endswith("/index.md") else None
        self.ext.set_module(module)  # only this module's reviewed blocks may be embedded on this page
        if page.file.src_uri == "index.md":
            return home_page(self.course, markdown)  # the author's text with a card per module (site/home.py)
        if module is None:
            return markdown
        reason = too_complex(markdown)
        if reason:  # only a preview gets here: check stops a build on content.too-complex
            return placeholder("this module body", reason)
        # The page's order (title, summary, activity information, journey, body, next step) is the core's.
        return module_page_markdown(self.course, module, dict(self.config), markdown, handouts=self.handouts)

    def on_page_content(self, html: str, *, page, config, files) -> str:
        # A story or data set the reviewed parse does not hold is shown as an error and never published.
        if self.ext.refused and not self.serving:
            raise PluginError(f"patientvoice: {page.file.src_uri}: " + "; ".join(self.ext.refused))
        generated = self.generated_html.get(page.file.src_uri)
        return generated if generated is not None and html.strip() == GENERATED else html

    def on_post_template(self, output: str, *, template_name: str, config) -> str:
        return self.on_post_page(output, page=None, config=config)  # 404.html is a template, not a page

    def on_post_page(self, output: str, *, page, config) -> str:
        """Mend the few spots of Material's fixed markup that fail HTML validation or WCAG (MARKUP_FIXES)."""
        self.building = None  # the page is written; a fault from here on is not this page's
        for old, new in MARKUP_FIXES:
            output = output.replace(old, new)
        return output

    def on_serve(self, server, *, config, builder):
        server.watch(str(Path(self.course.root) / "content"))
        return server


def _refuse_complex_stories(course) -> None:
    """Swap each story body the renderer would choke on for a visible placeholder (previews only)."""
    for story in course.stories.values():
        reason = too_complex(story.body or "")
        if reason:
            story.body = placeholder("this story", reason)
            for section in story.sections.values():
                section.markdown = story.body
