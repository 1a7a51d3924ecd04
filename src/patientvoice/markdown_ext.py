"""Python-Markdown extension for the content format's ``///`` blocks: story, pag-data, web-only, print-only.

It depends on Python-Markdown and pymdown-extensions only, so the same syntax runs under MkDocs, Zensical
or a plain ``markdown.markdown(text, extensions=[PatientVoiceExtension(root=...)])`` call.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from pathlib import Path

from markdown import Markdown
from pymdownx.blocks import BlocksExtension
from pymdownx.blocks.block import Block, type_string_in

from patientvoice.model import Course
from patientvoice.render import data_figure, story_card


class _CourseBlock(Block):
    """A block that reads the course and replaces itself with rendered HTML."""

    ARGUMENT = True

    @property
    def ext(self) -> "PatientVoiceExtension":
        return self.config["ext"]

    def target(self) -> tuple[str, str | None]:
        ident, _, frag = str(self.argument).partition("#")
        return ident.strip(), (frag.strip() or None)

    def on_markdown(self) -> str:
        return "raw"

    def on_add(self, block: etree.Element) -> etree.Element:
        # Text between the fences is reported by `check` (block.content); it goes to a detached element
        # so that it can never reach the page unreviewed and unformatted.
        if not hasattr(self, "_sink"):
            self._sink = etree.Element("div")
        return self._sink

    def html(self, parent: etree.Element, html: str) -> etree.Element:
        el = etree.SubElement(parent, "div", {"class": f"pv-block pv-block--{self.NAME}"})
        el.text = self.md.htmlStash.store(html)
        return el

    def error(self, parent: etree.Element, message: str) -> etree.Element:
        self.ext.problems.append(f"/// {self.NAME} | {self.argument}: {message}")
        el = etree.SubElement(parent, "div", {"class": "pv-error", "role": "alert"})
        el.text = f"patientvoice: {message}"
        return el


class StoryBlock(_CourseBlock):
    """``/// story | id`` or ``/// story | id#section``: a patient-voice card."""

    NAME = "story"

    def on_create(self, parent: etree.Element) -> etree.Element:
        course = self.ext.course
        ident, section = self.target()
        story = course.stories.get(ident)
        if story is None:
            return self.error(parent, f"no story '{ident}' in content/stories/")
        if section and section not in story.sections:
            return self.error(parent, f"story '{ident}' has no section '{section}'")
        if self.ext.output not in story.channels or story.consent_status != "granted":
            # Consent is checked before any build; this is the last guard against a leak.
            self.ext.problems.append(f"story '{ident}' left out: its consent does not cover {self.ext.output}")
            return etree.SubElement(parent, "div", {"class": "pv-block pv-block--omitted", "hidden": "hidden"})
        link = self.ext.story_url(ident) if self.ext.output == "web" else None
        anchor = self.ext.unique_id(f"story-{ident}" + (f"-{section}" if section else ""))
        return self.html(parent, story_card(course, story, section, level=self.ext.heading_level, link=link,
                                            anchor=anchor))


class PagDataBlock(_CourseBlock):
    """``/// pag-data | dataset#question`` with ``show: chart | table | both``."""

    NAME = "pag-data"
    OPTIONS = {"show": ["both", type_string_in(["chart", "table", "both"])]}

    def on_create(self, parent: etree.Element) -> etree.Element:
        course = self.ext.course
        ident, question = self.target()
        ds = course.datasets.get(ident)
        if ds is None:
            return self.error(parent, f"no data set '{ident}' in content/data/")
        if not question or question not in ds.questions:
            return self.error(parent, f"data set '{ident}' has no question '{question}'; write {ident}#<question id>")
        anchor = self.ext.unique_id(f"data-{ident}-{question}")
        return self.html(parent, data_figure(course, ident, question, self.options["show"], anchor=anchor))


class _ChannelBlock(Block):
    """Content shown in one output only; removed from the other."""

    ARGUMENT = False
    CHANNEL = ""

    def on_create(self, parent: etree.Element) -> etree.Element:
        self.parent = parent
        return etree.SubElement(parent, "div", {"class": f"pv-{self.NAME}"})

    def on_end(self, block: etree.Element) -> None:
        if self.config["ext"].output != self.CHANNEL:
            self.parent.remove(block)


class WebOnlyBlock(_ChannelBlock):
    NAME, CHANNEL = "web-only", "web"


class PrintOnlyBlock(_ChannelBlock):
    NAME, CHANNEL = "print-only", "print"


class PatientVoiceExtension(BlocksExtension):
    """Registers the patientvoice blocks; pass ``course=`` (a loaded Course) or ``root=`` (a course folder)."""

    def __init__(self, course: Course | None = None, **kwargs):
        # Kept out of self.config: Python-Markdown coerces options whose default is None to booleans.
        self._course = course
        self.config = {
            "root": [".", "Course repository to load when no course object is given"],
            "output": ["web", "web or print: which channel blocks and story consents apply"],
            "story_url": ["", "Format string for a link from a card to its story page, e.g. ../stories/{id}/"],
            "heading_level": [3, "Heading level of a story card's title"],
        }
        super().__init__(**kwargs)
        self.problems: list[str] = []
        self._ids: dict[str, int] = {}

    @property
    def course(self) -> Course:
        """The course, loaded on first use when only a root was given."""
        if self._course is None:
            from patientvoice.loader import load_course

            self._course, _ = load_course(Path(self.getConfig("root")))
        return self._course

    @property
    def output(self) -> str:
        return self.getConfig("output")

    @property
    def heading_level(self) -> int:
        return int(self.getConfig("heading_level"))

    def story_url(self, ident: str) -> str | None:
        """The link from a card to the story's own page, or None."""
        pattern = self.getConfig("story_url")
        return pattern.format(id=ident) if pattern else None

    def unique_id(self, base: str) -> str:
        """``base``, or ``base-2``, ``base-3``… when the page already embeds the same story section or question."""
        n = self._ids[base] = self._ids.get(base, 0) + 1
        return base if n == 1 else f"{base}-{n}"

    def reset(self) -> None:
        """Start a new page: ids need only be unique within one document."""
        self._ids.clear()

    def extendMarkdownBlocks(self, md: Markdown, block_mgr) -> None:
        md.registerExtension(self)  # so that Markdown.reset() resets the ids between documents
        self._ids.clear()
        for block in (StoryBlock, PagDataBlock, WebOnlyBlock, PrintOnlyBlock):
            block_mgr.register(block, {"ext": self})


def makeExtension(**kwargs):  # noqa: N802 - Python-Markdown's entry point name
    """Entry point for ``markdown.Markdown(extensions=['patientvoice.markdown_ext'])``."""
    return PatientVoiceExtension(**kwargs)
