"""One parse of a module's blocks: what `blocks.scan_blocks` finds is exactly what the renderer embeds.

A property test renders generated bodies (blocks at random indentation, in lists, nested lists, blockquotes,
admonitions, indented and fenced code) with the real extension and compares the embeds with the scan; the
renderer refuses any embed the scan of the page's module does not hold.
"""

from __future__ import annotations

import collections
import os
import re
import textwrap

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coursekit import MODULE, MODULE_MD, make_course
from patientvoice.course.blocks import scan_blocks
from patientvoice.course.loader import load_course
from patientvoice.markdown_ext import PatientVoiceExtension, UnreviewedEmbed
from patientvoice.course.model import Block
from patientvoice.pdf.html import module_body, site_settings
from patientvoice.problems import Problems

MKDOCS = "site_name: t\ndocs_dir: modules\nmarkdown_extensions:\n  - admonition\n  - attr_list\n  - footnotes\n" \
         "plugins:\n  - patientvoice\n"
TARGETS = [("story", "maria-itch"), ("story", "maria-itch#sleep"), ("pag-data", "pbc-symptoms-2024#fatigue-limits")]
EXAMPLES = int(os.environ.get("PATIENTVOICE_FUZZ_EXAMPLES", "200"))


class _Everything:
    """A stand-in module that admits every target the generator uses, to see what the renderer would embed."""

    id = "everything"
    blocks = [Block(name, arg, {}, 1, 1) for name, arg in TARGETS]


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    return make_course(tmp_path_factory.mktemp("blocks") / "course", {"mkdocs.yml": MKDOCS}, approved=False)


@pytest.fixture(scope="module")
def loaded(kit):
    return load_course(kit.root)[0]


def _anchor(name: str, target: tuple[str, str | None]) -> str:
    ident, frag = target
    return f"story-{ident}" + (f"-{frag}" if frag else "") if name == "story" else f"data-{ident}-{frag}"


def rendered(course, body: str) -> collections.Counter:
    """What the web renderer embeds (story cards and data figures), counted by anchor."""
    settings_ = site_settings(course.root)
    ext = PatientVoiceExtension(course=course, module=_Everything, output="web")
    markdown.Markdown(extensions=[*settings_.extensions, ext], extension_configs=settings_.configs).convert(body)
    return collections.Counter(ext._ids)


def scanned(kit, body: str) -> tuple[collections.Counter, Problems]:
    problems = Problems(kit.root)
    blocks = scan_blocks(body, 1, kit.path(MODULE_MD), problems)
    return collections.Counter(_anchor(b.name, b.target) for b in blocks if b.name in ("story", "pag-data")), problems


# --- generated bodies ---------------------------------------------------------------------------------------

def _block(kind: int, target: int) -> list[str]:
    name, arg = TARGETS[target]
    if kind == 0:
        return [f"/// {name} | {arg}", "///"]
    if kind == 1:  # with an option line
        return ["/// pag-data | pbc-symptoms-2024#fatigue-limits", "    show: chart", "///"]
    return ["//// web-only", "Only online.", "", f"/// {name} | {arg}", "///", "////"]  # nested, longer outer fence


@st.composite
def piece(draw) -> str:
    block = _block(draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    indent = " " * draw(st.sampled_from([0, 1, 2, 3, 4, 5, 6, 8, 10, 12]))
    gap = draw(st.sampled_from(["\n", "\n\n"]))  # tight (same chunk) or loose (its own chunk)
    lines = [indent + t if t else "" for t in block]
    context = draw(st.sampled_from(["top", "para", "list", "olist", "nested", "quote", "admonition", "fenced",
                                    "fenced-indented", "html", "footnote"]))
    inner = "\n".join(lines)
    if context == "top":
        return inner
    if context == "para":
        return "Some text before." + gap + inner
    if context == "list":
        return "- an item" + gap + inner
    if context == "olist":
        return "1. an item\n2. another" + gap + inner
    if context == "nested":
        return "- an item\n    - a nested item" + gap + inner
    if context == "quote":
        return "\n".join("> " + t if t else ">" for t in ("A quote." + gap + inner).split("\n"))
    if context == "footnote":  # the first line follows the label, the rest is indented under it
        label = draw(st.integers(1, 3))
        return f"Text.[^{label}]\n\n[^{label}]: " + "\n".join([lines[0].lstrip()] + ["    " + t if t else "" for t in lines[1:]])
    if context == "admonition":
        return "!!! note" + gap + "\n".join("    " + t if t else "" for t in lines)
    if context == "fenced":
        return "```\n" + inner + "\n```"
    if context == "fenced-indented":  # not a fence for Python-Markdown's fenced_code: the block renders
        return "  ```\n" + inner + "\n  ```"
    return "<div>\n" + inner + "\n</div>"


bodies = st.lists(piece(), min_size=1, max_size=4).map(lambda ps: "Intro.\n\n" + "\n\n".join(ps) + "\n")


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies)
def test_the_scan_finds_exactly_what_the_renderer_embeds(kit, loaded, body):
    found, _ = scanned(kit, body)
    assert rendered(loaded, body) == found, body


@pytest.mark.parametrize("body, embeds", [
    ("- an item\n\n    /// story | maria-itch\n    ///\n", 1),  # the case: indented in a list
    ("- an item\n    - nested\n\n        /// story | maria-itch\n        ///\n", 1),
    ("> /// story | maria-itch\n> ///\n", 1),
    ("!!! note\n    /// story | maria-itch\n    ///\n", 1),  # the course's mkdocs.yml has admonition
    ("Text.\n\n    /// story | maria-itch\n    ///\n", 0),  # an indented code block
    ("- an item\n    /// story | maria-itch\n    ///\n", 0),  # a list item's continuation text, not a block
    ("```\n/// story | maria-itch\n///\n```\n", 0),
    (" ```\n/// story | maria-itch\n///\n ```\n", 1),  # an indented fence is no fence for fenced_code
    ("<div>\n/// story | maria-itch\n///\n</div>\n", 0),  # raw HTML
])
def test_known_cases(kit, loaded, body, embeds):
    found, problems = scanned(kit, body)
    assert sum(found.values()) == embeds and rendered(loaded, body) == found
    assert not [p for p in problems if p.rule.startswith("block.")]


def test_an_indented_block_has_its_file_line_and_options_are_checked(kit):
    body = "Intro.\n\n- item\n\n    /// pag-data | pbc-symptoms-2024#fatigue-limits\n        show: table\n    ///\n"
    problems = Problems(kit.root)
    [block] = scan_blocks(body, 10, kit.path(MODULE_MD), problems)
    assert (block.name, block.line, block.options) == ("pag-data", 14, {"show": "table"}) and not problems
    # An invalid option makes pymdownx turn the header down (it renders as text): no block, and a problem.
    assert scan_blocks(body.replace("table", "pie"), 10, kit.path(MODULE_MD), problems) == []
    assert [(p.rule, p.line) for p in problems] == [("schema.enum", 15)]


def test_indented_blocks_report_unknown_names_text_and_missing_fences(kit):
    body = "- item\n\n    /// storey | maria-itch\n    ///\n\n- item\n\n    /// story | maria-itch\n    Some text.\n"
    problems = Problems(kit.root)
    scan_blocks(body, 1, kit.path(MODULE_MD), problems)
    assert sorted((p.rule, p.line) for p in problems) == [
        ("block.content", 8), ("block.unbalanced", 8), ("block.unknown", 3)]


def test_an_indented_header_the_parser_turns_down_is_reported(kit):
    body = "- item\n\n    /// web-only | why\n    Text.\n    ///\n"
    problems = Problems(kit.root)
    assert scan_blocks(body, 1, kit.path(MODULE_MD), problems) == []
    assert [(p.rule, p.line) for p in problems] == [("block.syntax", 3)]


def test_a_long_fence_at_column_zero_stays_on_the_line_scan(kit, loaded):
    body = "////// web-only\nOnline.\n\n/// story | maria-itch\n///\n//////\n"
    found, problems = scanned(kit, body)
    assert found == rendered(loaded, body) == {"story-maria-itch": 1} and not problems


# --- the renderer fails closed ------------------------------------------------------------------------------

def test_the_renderer_refuses_an_embed_that_the_modules_scan_does_not_hold(loaded):
    module = loaded.modules[MODULE]
    assert ("story", ("maria-itch", "work")) not in [(b.name, b.target) for b in module.blocks]
    ext = PatientVoiceExtension(course=loaded, module=module, output="web")
    html = markdown.markdown("/// story | maria-itch#sleep\n///\n\n/// story | maria-itch#work\n///\n",
                             extensions=[ext])
    assert "Most nights I end up downstairs" in html  # reviewed: embedded
    assert "four times" not in html and 'role="alert"' in html  # not in the scan: an error, not the story
    assert ext.refused and "maria-itch#work" in ext.refused[0]
    with pytest.raises(UnreviewedEmbed, match="maria-itch#work"):
        ext.check_refusals("modules/x/index.md")


def test_a_page_that_is_no_module_embeds_nothing(loaded):
    ext = PatientVoiceExtension(course=loaded, module=None)
    html = markdown.markdown("/// story | maria-itch\n///\n", extensions=[ext])
    assert "Most nights" not in html and "which is no module" in html


def test_the_print_html_fails_when_the_body_embeds_what_the_scan_missed(loaded):
    module = loaded.modules[MODULE]
    settings_ = site_settings(loaded.root)
    assert "Most nights I end up downstairs" in module_body(loaded, module, settings_)
    tampered = type(module)(**{**module.__dict__, "blocks": []})  # a scan that missed every block
    with pytest.raises(UnreviewedEmbed):
        module_body(loaded, tampered, settings_)


def test_collecting_mode_is_reused_across_modules_without_leaking_state(kit):
    one, _ = scanned(kit, "- a\n\n    /// story | maria-itch\n    ///\n")
    two, _ = scanned(kit, "- a\n\n    /// story | maria-itch#sleep\n    ///\n")
    assert one == {"story-maria-itch": 1} and two == {"story-maria-itch-sleep": 1}


def test_the_plugin_stops_the_build_on_a_refused_embed(loaded):
    from mkdocs.exceptions import PluginError

    from patientvoice.site.plugin import PatientVoicePlugin

    plugin = PatientVoicePlugin()
    plugin.ext = PatientVoiceExtension(course=loaded, module=None)
    html = markdown.markdown("/// story | maria-itch\n///\n", extensions=[plugin.ext])
    page = type("Page", (), {"file": type("File", (), {"src_uri": "index.md"})()})()
    with pytest.raises(PluginError, match=re.escape("index.md: /// story | maria-itch")):
        plugin.on_page_content(html, page=page, config=None, files=None)
    plugin.serving = True  # a preview shows the error element instead
    assert plugin.on_page_content(html, page=page, config=None, files=None) == html


def test_generated_bodies_are_bodies_the_checks_accept(kit):
    # The property test is about valid documents; make sure the generator's blocks are valid at column 0.
    body = textwrap.dedent("""\
        /// story | maria-itch
        ///

        //// web-only
        Only online.

        /// story | maria-itch#sleep
        ///
        ////
        """)
    found, problems = scanned(kit, body)
    assert not problems and found == rendered(load_course(kit.root)[0], body)


def test_a_block_in_a_footnote_is_found(kit, loaded):
    body = "Itch at night.[^1]\n\n[^1]: /// story | maria-itch\n    ///\n"
    found, problems = scanned(kit, body)
    assert rendered(loaded, body) == found and not problems, (found, problems)
