"""Linear time on hostile text: the de-identification scan and the caps on what Python-Markdown parses."""

from __future__ import annotations

import os
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coursekit import BASE, MODULE_MD, STORY, expect, refute
from sitekit import copy_course

from patientvoice.build import load_mkdocs_config
from patientvoice.security.complexity import MAX_BLOCK_DEPTH, findings, too_complex
from patientvoice.compliance.deid import scan
from patientvoice.site.pages import generated_pages

LAST_LINE = "After a bad night I read the same message four times and still cannot take it in.\n"
KB64 = 64 * 1024


def _story_with(text: str) -> dict:
    return {STORY: BASE[STORY].replace(LAST_LINE, LAST_LINE + "\n" + text + "\n")}


# 64 KB pastes that made the scan quadratic (41 s for the first one), and what it must still find in them.
ADVERSARIAL = [
    ("www", "www." * (KB64 // 4), {"deid.url"}),
    ("dotted-labels", "a-a." * (KB64 // 4), set()),
    ("email-local-part", "a." * (KB64 // 2) + " x@", set()),
    ("record-number", "MRN-" * (KB64 // 4) + " 1", set()),
    ("many-emails", "me@x.com " * (KB64 // 9), {"deid.email"}),
    # Standard 5's scans (compliance/marketing.py): image openers, long link destinations and titles, marks.
    ("image-destination-spaces", "![a](" + " " * KB64, set()),
    ("image-title", '![a](x "' + "a" * KB64, set()),
    ("trade-marks", "Itchaway® " * (KB64 // 10), set()),
    # issue 13's Safe Harbor rules: kinship words, capitalised runs, street numbers, labels, towns, ages
    ("kin-words", "my son " * (KB64 // 7), set()),
    ("kin-names", "my son Jo " * (KB64 // 10), {"deid.kin-name"}),
    ("capitalised-words", "Aaa Bbb " * (KB64 // 8), set()),
    ("street-numbers", "12 Elm " * (KB64 // 7), set()),
    ("account-labels", "account number " * (KB64 // 15) + "1", set()),
    ("month-names", "March " * (KB64 // 6), set()),
    ("many-towns", "in Leeds " * (KB64 // 9), {"deid.place"}),
    ("county-run", "Orange " * (KB64 // 7) + "County", {"deid.place"}),
    ("ages", "I was 92 " * (KB64 // 9), {"deid.age"}),
    # Standard 5's second look at disguised addresses (entities, %-escapes, user@, full-width dots)
    ("entities-and-escapes", "&#46;%2D@\uff0e" * (KB64 // 8), set()),
    ("userinfo-slashes", "//a@" * (KB64 // 4), set()),
]


@pytest.mark.parametrize("name, text, rules", ADVERSARIAL, ids=[a[0] for a in ADVERSARIAL])
def test_a_64_kb_adversarial_story_checks_in_seconds(course, name, text, rules):
    kit = course(_story_with(text))
    start = time.perf_counter()
    problems = kit.check()
    elapsed = time.perf_counter() - start
    assert elapsed < 5, f"{name}: check took {elapsed:.1f} s"
    assert {p.rule for p in problems if p.rule.startswith("deid.")} == rules
    refute(problems, "content.too-complex")


def test_the_scan_still_finds_what_it_found():
    # The linear patterns keep the longest match and the same spans as the quadratic ones did.
    text = "Mail maria.r@example.com, see www.itchforum.org or nhs.example.co.uk/help; MRN 12345-AB 77."
    assert [(rule, match) for rule, match, _ in scan(text, [])] == [
        ("deid.email", "maria.r@example.com"), ("deid.url", "www.itchforum.org"),
        ("deid.url", "nhs.example.co.uk/help"), ("deid.record-number", "MRN 12345-AB 77")]


def _nested_list(depth: int) -> str:
    return "".join("    " * i + "- level\n" for i in range(depth))


# (name, text that hangs or crashes Python-Markdown, the line (1-based, within the text) check must name)
TOO_COMPLEX = [
    ("open-brackets", "[" * 8000, 1),
    ("nested-spans", "Intro line\n" + "<span>" * 20000 + "x" + "</span>" * 20000, 2),
    ("deep-list", _nested_list(500), MAX_BLOCK_DEPTH + 1),
    ("deep-blockquote", "> " * 500 + "quoted", 1),
    ("many-links", "\n".join(f"[a](b{i})" for i in range(600)), 501),
]


@pytest.mark.parametrize("name, text, line", TOO_COMPLEX, ids=[t[0] for t in TOO_COMPLEX])
def test_too_complex_story_is_a_problem_at_its_line(course, name, text, line):
    kit = course(_story_with("Start of the paste.\n\n" + text))
    start = time.perf_counter()
    problems = kit.check()
    assert time.perf_counter() - start < 5
    expect(problems, "content.too-complex", STORY, kit.line(STORY, "Start of the paste.") + 1 + line)


def test_too_complex_module_body(course):
    kit = course()
    kit.write(MODULE_MD, kit.read(MODULE_MD) + "\n" + "<b>x</b> " * 600 + "\n")
    problems = kit.check()
    expect(problems, "content.too-complex", MODULE_MD, kit.line(MODULE_MD, "<b>x</b> <b>x</b>"))


def test_ordinary_markup_is_not_too_complex(course):
    text = ("See [the forum](https://example.org) (and [its rules](https://example.org/r)), *really* **now**.\n\n"
            + _nested_list(MAX_BLOCK_DEPTH) + "\n> > quoted twice\n")
    problems = course(_story_with(text)).check()
    refute(problems, "content.too-complex")
    assert findings(text) == []


def test_under_the_caps_python_markdown_is_fast():
    import markdown

    worst = ["[" * 32, "<span>" * 32 + "x", "<b>x</b> " * 250, "[a](b) " * 500, _nested_list(MAX_BLOCK_DEPTH),
             "> " * MAX_BLOCK_DEPTH + "x", "[a][" * 32]
    for text in worst:
        assert too_complex(text) is None
        start = time.perf_counter()
        markdown.Markdown(extensions=["sane_lists"]).convert(text)
        assert time.perf_counter() - start < 1, text[:40]


def test_serve_shows_a_placeholder_instead_of_rendering_a_too_complex_story(tmp_path):
    root = copy_course(tmp_path / "course")
    story = next((root / "content" / "stories").glob("*.md"))
    story.write_text(story.read_text() + "\n" + "[" * 8000 + "\n")
    config = load_mkdocs_config(root, tmp_path / "site")
    plugin = config.plugins["patientvoice"]
    plugin.on_startup(command="serve", dirty=False)
    plugin.on_config(config)  # a preview goes on despite the error
    start = time.perf_counter()
    pages = generated_pages(plugin.course)
    assert time.perf_counter() - start < 10
    page = pages[f"stories/{story.stem}.md"]
    assert "Not rendered:" in page and "content.too-complex" in page and "[[[[" not in page


def test_a_body_over_the_length_cap_is_a_problem_at_its_first_line(course):
    kit = course(_story_with("A sentence of an ordinary story.\n\n" * 7000))
    problems = kit.check()
    first_body_line = kit.read(STORY).split("\n").index("---", 1) + 2
    found = expect(problems, "content.too-complex", STORY, first_body_line)
    assert "the limit is 200,000" in found.message


_PIECES = ["[", "]", "](", ")", "<b>", "</b>", "<br>", "> ", "    ", "- ", "\n", "\n\n", "word ", "_", "*" * 70, "\t"]


@settings(max_examples=int(os.environ.get("PATIENTVOICE_FUZZ_EXAMPLES", 300)), deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(_PIECES), max_size=120))
def test_the_complexity_shortcut_agrees_with_walking_every_line(pieces):
    text = "".join(pieces)
    assert findings(text) == findings(text, fast=False)


def test_serve_shows_a_placeholder_instead_of_rendering_a_too_complex_page_of_the_authors_own(tmp_path):
    from mkdocs.structure.files import File
    from mkdocs.structure.pages import Page

    root = copy_course(tmp_path / "course")
    config = load_mkdocs_config(root, tmp_path / "site")
    plugin = config.plugins["patientvoice"]
    plugin.on_startup(command="serve", dirty=False)
    plugin.on_config(config)
    for uri in ("index.md", "about.md"):  # the home page, and any other page in modules/
        page = Page(None, File(uri, config.docs_dir, config.site_dir, True), config)
        out = plugin.on_page_markdown("# About\n\n" + "[" * 8000 + "\n", page=page, config=config, files=None)
        assert "Not rendered:" in out and "content.too-complex" in out and "[[[[" not in out, uri
