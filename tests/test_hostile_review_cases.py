"""Cases a hostile review found after issue 11 landed: each now a problem at its line, never a traceback."""

from __future__ import annotations

import pytest

from coursekit import BASE, DATASET, MODULE_MD, STORY, assert_clean, expect, refute


def _module_line(text: str) -> dict:
    return {MODULE_MD: BASE[MODULE_MD].rstrip("\n") + f"\n\n{text}\n"}


@pytest.mark.parametrize("payload", [
    # A browser reads noscript's content as raw text, so the <img> after the first </noscript> is live.
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<a href="https://example.org/" ping="https://tracker.example/p">a link</a>',
    '<div style="background:\\75rl(https://tracker.example/x.png)">x</div>',
    '<div style="background:&#x75;rl(https://tracker.example/x.png)">x</div>',
    "<xmp><img src=x onerror=alert(1)></xmp>",
])
def test_markup_a_scanner_could_misread_is_unsafe_html(course, payload):
    kit = course(_module_line(payload))
    expect(kit.check(), "content.unsafe-html", MODULE_MD, kit.line(MODULE_MD, payload))


def test_a_plain_styled_div_and_link_pass(course):
    problems = course(_module_line('<div style="color: #333">A <a href="https://example.org/">link</a></div>')).check()
    refute(problems, "content.unsafe-html")
    assert_clean(problems)


@pytest.mark.parametrize("rel, old, new", [
    (DATASET, "answered: 1243", "answered: 1" + "0" * 5000),
    (MODULE_MD, "credits: 0.75", "credits: .nan"),
    (MODULE_MD, "credits: 0.75", "credits: -.inf"),
])
def test_numbers_no_course_can_use_are_yaml_problems_not_tracebacks(course, rel, old, new):
    kit = course({rel: BASE[rel].replace(old, new)}, approved=False)  # the module cannot load to be approved
    expect(kit.check(), "yaml.type", rel, kit.line(rel, new.split(":")[0] + ":"))


def test_a_long_run_of_underscores_is_too_complex(course):
    body = BASE[STORY].rstrip("\n") + "\n\n## Section zz\n\n" + "_" * 6000 + "a" + "_" * 6000 + "\n"
    kit = course({STORY: body})
    expect(kit.check(), "content.too-complex", STORY, kit.line(STORY, "_" * 100))


def test_a_thematic_break_of_underscores_passes(course):
    kit = course({STORY: BASE[STORY].rstrip("\n") + "\n\n" + "_" * 40 + "\n\nMore text.\n"})
    refute(kit.check(), "content.too-complex")
