"""The other pages in modules/ (home page, extra pages) go through check like module bodies, and the scans
of headings and block headers stay linear on padded lines."""

from __future__ import annotations

import time
from pathlib import Path

from coursekit import assert_clean, expect, refute

from patientvoice.course.blocks import HEADER_RE, scan_blocks
from patientvoice.course.loader import split_sections
from patientvoice.problems import Problems

HOME = "modules/index.md"


def test_a_script_on_the_home_page_is_unsafe_html_at_its_line(course):
    kit = course({HOME: "# PBC course\n\nStart below.\n\n<script src=\"https://tracker.example/t.js\"></script>\n"})
    expect(kit.check(), "content.unsafe-html", HOME, 5)


def test_an_extra_page_is_checked_for_complexity_and_links(course):
    kit = course({"modules/about.md": "# About\n\n" + "[" * 8000 + "\n\n[x](javascript:alert(1))\n"})
    problems = kit.check()
    expect(problems, "content.too-complex", "modules/about.md", 3)
    expect(problems, "url.scheme", "modules/about.md", 5)


def test_a_home_page_that_is_not_utf8_is_a_file_problem(course):
    kit = course({HOME: b"# PBC course\n\n\xff\xfe broken\n"})
    expect(kit.check(), "file.encoding", HOME, 3)


def test_plain_pages_pass(course):
    kit = course({"modules/about.md": "# About\n\nA <abbr title=\"primary biliary cholangitis\">PBC</abbr> course.\n"})
    problems = kit.check()
    refute(problems, "content.unsafe-html")
    assert_clean(problems)


def test_section_headings_and_block_headers_are_scanned_in_linear_time():
    start = time.process_time()
    sections = split_sections("## a" + " #" * 40000 + " b\n\n## C#\ntext\n## Sleep ##\nx\n", 1)
    HEADER_RE.match("/// story | a" + " " * 40000 + "b")
    assert time.process_time() - start < 0.5  # the old patterns took seconds at this size
    assert [s.title for s in sections.values()][-2:] == ["C", "Sleep"]
    assert HEADER_RE.match("/// story |  maria-itch#sleep  ").group("arg").strip() == "maria-itch#sleep"


def test_a_body_too_complex_to_render_is_not_parsed_for_blocks_either():
    # The block parser runs Python-Markdown on bodies with raw HTML; 20,000 nested <span> took it half a minute.
    body = "Intro\n\n" + "<span>" * 20000 + "x" + "</span>" * 20000 + "\n\n/// story | maria-itch\n///\n"
    start = time.process_time()
    blocks = scan_blocks(body, 1, Path("modules/m/index.md"), Problems(Path(".")))
    assert time.process_time() - start < 1.0
    assert [(b.name, b.arg) for b in blocks] == [("story", "maria-itch")]
