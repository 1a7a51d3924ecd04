"""Python-Markdown extension for the content format's ``///`` blocks: story, pag-data, web-only, print-only.

It depends on Python-Markdown and pymdown-extensions only, so the same syntax runs under MkDocs, Zensical
or a plain ``markdown.markdown(text, extensions=[PatientVoiceExtension(root=..., module=...)])`` call.

It fails closed: a story or data set is embedded only when ``patientvoice.course.blocks`` found the same block in the
page's module, the parse that the approval fingerprint covers. Anything else (a page that is no module, a block
the parse missed) becomes a visible error, and ``refused`` says why so the caller can stop the build. In
collecting mode the same classes record the blocks instead of rendering them: that is the
real parse ``patientvoice.course.blocks.collect_blocks`` runs for bodies whose blocks are indented, quoted or near raw
HTML.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from pathlib import Path

from markdown import Markdown
from pymdownx.blocks import BlocksExtension
from pymdownx.blocks.block import Block, type_string_in

from patientvoice.course.model import Course, Module
from patientvoice.render import data_figure, story_card

MARK_RE = re.compile(r"[ ]*\x1fpv(\d+)\x1f")  # a line number that patientvoice.course.blocks put into a header


class UnreviewedEmbed(Exception):
    """The page embeds a story or data set that its module's approved blocks do not include."""


class _PVBlock(Block):
    """A patientvoice block: renders, or in collecting mode records itself with its source line."""

    @property
    def ext(self) -> "PatientVoiceExtension":
        return self.config["ext"]

    def _validate(self, parent, arg, **options) -> bool:
        if self.ext.collecting:
            m = MARK_RE.search(arg or "")
            self.source_index = int(m.group(1)) if m else None
            arg = MARK_RE.sub("", arg).strip() or None if arg is not None else None
        return super()._validate(parent, arg, **options)

    def on_create(self, parent: etree.Element) -> etree.Element:
        if not self.ext.collecting:
            return self.create(parent)
        self.record = {"index": self.source_index, "name": self.NAME, "arg": self.argument, "closed": False,
                       "inside": tuple(e.block.NAME for e in self._block_mgr.stack), "block": self}
        if self.source_index is not None:
            self.ext.collected.append(self.record)
        return etree.SubElement(parent, "div")

    def create(self, parent: etree.Element) -> etree.Element:
        raise NotImplementedError

    def on_end(self, block: etree.Element) -> None:
        if self.ext.collecting:
            self.record["closed"] = True

    def has_text(self) -> bool:
        """True when text was written between this block's fences (collected for story and pag-data only)."""
        sink = getattr(self, "_sink", None)
        return sink is not None and bool(MARK_RE.sub("", "".join(sink.itertext())).strip())


class _CourseBlock(_PVBlock):
    """A block that reads the course and replaces itself with rendered HTML."""

    ARGUMENT = True

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

    def admitted(self, parent: etree.Element) -> etree.Element | None:
        """None when the page's module has this block in its reviewed parse; else the refusal element."""
        if self.ext.admits(self.NAME, self.target()):
            return None
        module = self.ext.module
        where = f"module '{module.id}'" if module is not None else "this page, which is no module"
        message = (f"not embedded: {where} has no reviewed '/// {self.NAME} | {self.argument}' block "
                   "(only blocks in an approved module body are published; run `patientvoice check`)")
        self.ext.refused.append(f"/// {self.NAME} | {self.argument}: {message}")
        return self.error(parent, message)


class StoryBlock(_CourseBlock):
    """``/// story | id`` or ``/// story | id#section``: a patient-voice card."""

    NAME = "story"

    def create(self, parent: etree.Element) -> etree.Element:
        refused = self.admitted(parent)
        if refused is not None:
            return refused
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

    def create(self, parent: etree.Element) -> etree.Element:
        refused = self.admitted(parent)
        if refused is not None:
            return refused
        course = self.ext.course
        ident, question = self.target()
        ds = course.datasets.get(ident)
        if ds is None:
            return self.error(parent, f"no data set '{ident}' in content/data/")
        if not question or question not in ds.questions:
            return self.error(parent, f"data set '{ident}' has no question '{question}'; write {ident}#<question id>")
        anchor = self.ext.unique_id(f"data-{ident}-{question}")
        return self.html(parent, data_figure(course, ident, question, self.options["show"], anchor=anchor))


class _ChannelBlock(_PVBlock):
    """Content shown in one output only; removed from the other."""

    ARGUMENT = False
    CHANNEL = ""

    def create(self, parent: etree.Element) -> etree.Element:
        self.parent = parent
        return etree.SubElement(parent, "div", {"class": f"pv-{self.NAME}"})

    def on_end(self, block: etree.Element) -> None:
        super().on_end(block)
        if not self.ext.collecting and self.ext.output != self.CHANNEL:
            self.parent.remove(block)


class WebOnlyBlock(_ChannelBlock):
    NAME, CHANNEL = "web-only", "web"


class PrintOnlyBlock(_ChannelBlock):
    NAME, CHANNEL = "print-only", "print"


class PatientVoiceExtension(BlocksExtension):
    """Registers the patientvoice blocks; pass ``course=`` (a loaded Course) or ``root=`` (a course folder).

    ``module=`` (a Module or its id; ``set_module`` per page) names the module whose reviewed blocks may be
    embedded; without one nothing is. ``collect=True`` records blocks instead of rendering them.
    """

    def __init__(self, course: Course | None = None, module: Module | str | None = None, collect: bool = False,
                 **kwargs):
        # Kept out of self.config: Python-Markdown coerces options whose default is None to booleans.
        self._course = course
        self._module = module
        self.collecting = collect
        self.collected: list[dict] = []  # collecting mode: one record per block, in document order
        self.seen: set[int] = set()  # collecting mode: header lines the block parser considered
        self.refused: list[str] = []  # this page's embeds that were turned down (see UnreviewedEmbed)
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
            from patientvoice.course.loader import load_course

            self._course, _ = load_course(Path(self.getConfig("root")))
        return self._course

    @property
    def module(self) -> Module | None:
        """The module this page shows, or None for any other page."""
        if isinstance(self._module, str):
            self._module = self.course.modules.get(self._module)
        return self._module

    def set_module(self, module: Module | str | None) -> None:
        """Name the module the next page shows (None: a page that is no module, which may embed nothing)."""
        self._module = module

    def admits(self, name: str, target: tuple[str, str | None]) -> bool:
        """True when the page's module has a ``name`` block for ``target`` in its reviewed parse."""
        module = self.module
        return module is not None and any(b.name == name and b.target == target for b in module.blocks)

    def check_refusals(self, page: str) -> None:
        """Raise UnreviewedEmbed naming ``page`` when the last document had an embed turned down."""
        if self.refused:
            raise UnreviewedEmbed(f"{page}: " + "; ".join(self.refused))

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
        self.refused.clear()
        self.collected.clear()
        self.seen.clear()

    def extendMarkdownBlocks(self, md: Markdown, block_mgr) -> None:
        md.registerExtension(self)  # so that Markdown.reset() resets the ids between documents
        self.reset()
        for block in (StoryBlock, PagDataBlock, WebOnlyBlock, PrintOnlyBlock):
            block_mgr.register(block, {"ext": self})
        if self.collecting:
            block_mgr.start = _Spy(block_mgr.start, self.seen)


class _Spy:
    """Wraps pymdownx.blocks' header pattern to note which tagged header lines the block parser examined."""

    def __init__(self, pattern, seen: set[int]):
        self.pattern, self.seen = pattern, seen

    def search(self, text: str):
        m = self.pattern.search(text)
        mark = MARK_RE.search(m.group(3) or "") if m else None
        if mark:
            self.seen.add(int(mark.group(1)))
        return m


def makeExtension(**kwargs):  # noqa: N802 - Python-Markdown's entry point name
    """Entry point for ``markdown.Markdown(extensions=['patientvoice.markdown_ext'])``."""
    return PatientVoiceExtension(**kwargs)
