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
from patientvoice.site import addon
from patientvoice.site.config import PatientVoiceConfig
from patientvoice.site.defaults import apply_defaults
from patientvoice.site.home import home_page
from patientvoice.site.questionnaire import EvaluationError, evaluation_items
# The pages, assets and markup fixes are the materialiser's, so every engine publishes the same pages.
from patientvoice.materialise.tree import ASSETS, SCRIPTS, mend_markup, module_page_markdown, site_pages
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
        self.prefix = ""  # add-on mode: the path of the host site the course is published under (site/addon.py)
        self.assets: tuple[list[str], list[str]] = ([], [])

    def on_startup(self, *, command, dirty):
        self.serving = command == "serve"

    def on_config(self, config):
        # The course folder, relative to mkdocs.yml; with a prefix it is an add-on to the host site (site/addon.py).
        site = Path(os.path.dirname(config.config_file_path or "mkdocs.yml") or ".")
        root = site / (self.config.root or "")
        self.prefix = addon.normal_prefix(self.config.prefix)
        missing = None if self.preloaded else (addon.missing_course(root, self.config.root)
                                               or addon.root_prefix_error(site, root, self.prefix))
        if missing:
            raise PluginError(f"patientvoice: {missing}")
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
        # An add-on's warnings do not stop the host's `strict: true` build: the plugin's own `strict` decides.
        for p in self.problems if not (self.serving or preloaded) else []:
            (log.error if p in failing else log.warning if p.severity == "warning" and not self.prefix
             else log.info)(p.format())
        if failing:
            raise PluginError(f"patientvoice: {len(failing)} problem(s) stop the build; "
                              "fix them (see `patientvoice check`) and build again")
        self.ext = PatientVoiceExtension(course=self.course, output="web")
        config.markdown_extensions.append(self.ext)
        present = theme_files(root)  # the package's default theme with the course's theme/ on top (site/theme.py)
        self.assets = ([a for a in ASSETS if a in present], [s for s in SCRIPTS if s in present])
        if not self.prefix:  # an add-on leaves the host's theme alone; its course pages load the assets themselves
            # The package's default theme sits under the course's theme/ (custom_dir): a course file at the same
            # path wins, the rest (runtime scripts, stylesheet, fonts) comes from the package (site/theme.py).
            if str(PACKAGE_THEME) not in config.theme.dirs:
                config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(PACKAGE_THEME))
            # Material fetches Google Fonts unless told not to; the theme ships its own fonts. That and
            # the other defaults every course gets (no generator credit, light/dark, prev/next): site/defaults.py.
            apply_defaults(config.theme, config.extra, custom_colours=ASSETS[0] in present)
            config.extra_css = [*self.assets[0], *config.extra_css]
            config.extra_javascript = [*self.assets[1], *config.extra_javascript]
        try:
            self.evaluation = evaluation_items(self.config.evaluation)
        except EvaluationError as exc:
            raise PluginError(f"patientvoice: {exc} (see docs/questionnaires.md)") from None
        # The same rules `check` applies to mkdocs.yml (site/options.py), for a plain `mkdocs build` too.
        mistakes = [m for _, m in plugin_option_errors(dict(self.config))]
        mistakes += [m for m in [directory_urls_error(config.use_directory_urls)] if m]
        if mistakes:
            raise PluginError(f"patientvoice: {'; '.join(mistakes)} (see `patientvoice check`)")
        if config.nav is None and not self.prefix:
            config.nav = navigation(self.course)
        elif config.nav is not None and self.prefix:  # the host lists its pages: the course is one section more
            config.nav.append(addon.nav_section(navigation(self.course), self.prefix,
                                                addon.section_title(self.course, self.prefix)))
        return config

    def on_files(self, files: Files, *, config) -> Files:
        # This build's generated pages only: mkdocs serve keeps the plugin between builds, and a page of a
        # story that left the site must not stand in for a hand-made page at its path that shows the marker.
        self.generated_html = {}
        # questionnaire.yml holds every phase's answer key; only the post-test page may carry it.
        for f in [f for f in files if f.src_uri.endswith("/questionnaire.yml")]:
            files.remove(f)
        if self.prefix:
            return self._addon_files(files, config)
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
            files.append(self._generated(config, uri, text, level))
        return files

    def _generated(self, config, uri: str, text: str, level) -> File:
        """The File of a generated page. It is finished HTML under its title (site/pages._page): Markdown would
        only parse it to hand it back unchanged (a quarter of a build's Markdown time, for the questionnaire
        forms), so mkdocs gets a marker and on_page_content puts the page's own HTML in its place."""
        front, _, html = text[4:].partition("\n---\n\n")
        self.generated_html[uri] = html
        return File.generated(config, uri, content=f"---\n{front}\n---\n\n{GENERATED}\n", inclusion=level)

    def _addon_files(self, files: Files, config) -> Files:
        """Add the course under the prefix; a course folder inside the host's docs is published only that way."""
        root = Path(self.course.root).resolve()
        for f in [f for f in files if f.abs_src_path and Path(f.abs_src_path).resolve().is_relative_to(root)]:
            files.remove(f)  # content/ (people, consent) and answer keys must not ride along with the host's docs
        sources = {**addon.theme_sources(root), **addon.course_sources(root)}
        pages = site_pages(self.course, dict(self.config))
        existing = {f.src_uri for f in files}
        planned = {f"{self.prefix}/{u}" for u in [*sources, *pages]}
        clashes = sorted((existing & planned) | (sources.keys() & pages.keys()))
        if clashes:
            raise PluginError(f"patientvoice: {', '.join(clashes)} would be published twice (a page of the host "
                              "or of modules/ where patientvoice puts a course page); rename it or change 'prefix'")
        # Included explicitly: the host's exclude_docs may name the course folder (site.addon-in-docs), and mkdocs
        # applies it again to files a plugin adds without a level.
        for uri, path in sources.items():
            files.append(File.generated(config, f"{self.prefix}/{uri}", abs_src_path=str(path),
                                        inclusion=InclusionLevel.INCLUDED))
        for uri, text in pages.items():
            level = InclusionLevel.NOT_IN_NAV if uri.startswith("stories/") and uri != "stories/index.md" \
                else InclusionLevel.INCLUDED
            files.append(self._generated(config, f"{self.prefix}/{uri}", text, level))
        return files

    def on_pre_page(self, page, *, config, files):
        self.building = page.file.src_uri  # an engine fault on this page is reported with its file
        return page

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        src = addon.course_uri(page.file.src_uri, self.prefix)  # None: a host page, left as the host wrote it
        if src is None:
            self.ext.set_module(None)
            return markdown
        # mkdocs and Material print page titles unescaped; a title is text, so "Pain <10 min & more" must
        # neither break the page nor inject markup.
        if isinstance(page.meta.get("title"), str):
            page.meta["title"] = escape(page.meta["title"])
        # Cards link to their story's page, relative to this page; story pages themselves need no link.
        on_story_page = src.startswith("stories/")
        stories = "../" * page.url.count("/") + (f"{self.prefix}/" if self.prefix else "") + "stories/{id}/"
        self.ext.setConfig("story_url", "" if on_story_page else stories)
        module_id = src.removesuffix("/index.md")
        module = self.course.modules.get(module_id) if src.endswith("/index.md") else None
        self.ext.set_module(module)  # only this module's reviewed blocks may be embedded on this page
        reason = too_complex(markdown) if module is None else None
        if reason:  # a page of the author's own (the home page too): only a preview gets here, as below
            return placeholder("this page", reason)
        if src == "index.md":
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
        if self.prefix:  # add-on: the host's pages stay as its theme made them; course pages load the course assets
            if page is None or addon.course_uri(page.file.src_uri, self.prefix) is None:
                return output
            output = addon.add_assets(output, *addon.asset_tags(page.url, self.prefix, *self.assets))
        return mend_markup(output)

    def on_serve(self, server, *, config, builder):
        server.watch(str(Path(self.course.root) / "content"))
        for folder in ("modules", "theme") if self.prefix else ():  # outside the host's docs_dir
            if (Path(self.course.root) / folder).is_dir():
                server.watch(str(Path(self.course.root) / folder))
        return server


def _refuse_complex_stories(course) -> None:
    """Swap each story body the renderer would choke on for a visible placeholder (previews only)."""
    for story in course.stories.values():
        reason = too_complex(story.body or "")
        if reason:
            story.body = placeholder("this story", reason)
            for section in story.sections.values():
                section.markdown = story.body
