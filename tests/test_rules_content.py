"""Content rules: raw HTML in stories and PAG data, unsafe HTML in modules, URL fields and Markdown links."""

from __future__ import annotations

import pytest

from coursekit import BASE, DATASET, MODULE_MD, PAG, PROVIDER, STORY, assert_clean, expect, refute


def _edit(rel: str, old: str, new: str) -> dict:
    assert old in BASE[rel], old
    return {rel: BASE[rel].replace(old, new)}


def _story_line(text: str) -> dict:
    return _edit(STORY, "Most nights I end up", f"{text}\n\nMost nights I end up")


@pytest.mark.parametrize("payload", ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>",
                                     "<details ontoggle=alert(1) open>x</details>",
                                     '<iframe srcdoc="<script>alert(1)</script>"></iframe>', "<!-- hidden -->",
                                     "A <b>bold</b> claim"])
def test_raw_html_in_a_story(course, payload):
    kit = course(_story_line(payload))
    problem = expect(kit.check(), "content.raw-html", STORY, kit.line(STORY, payload))
    assert "Markdown only" in problem.message


def test_html_in_backticks_and_plain_less_than_pass(course):
    problems = course(_story_line("I typed `<b>` into the form; my ALP was < 200 and 3<4.")).check()
    refute(problems, "content.raw-html")
    assert_clean(problems)


@pytest.mark.parametrize("field, old, new", [
    (STORY, "title: Nights awake with the itch", "title: Nights <i>awake</i>"),
    (STORY, "pseudonym: Maria", "pseudonym: <b>Maria</b>"),
    (PAG, "relationship: Co-planner", "relationship: <a href=x>Co-planner</a>"),
    (DATASET, "method: Online self-report", "method: <img src=x onerror=alert(1)> Online self-report"),
    (DATASET, "Never: 62", "<svg onload=alert(1)>Never: 62"),
    (DATASET, "text: How often does fatigue", "text: <script>alert(1)</script>How often does fatigue"),
])
def test_raw_html_in_story_and_pag_text_fields(course, field, old, new):
    kit = course(_edit(field, old, new))
    expect(kit.check(), "content.raw-html", field, kit.line(field, new.split(":")[0] + ":"))


@pytest.mark.parametrize("payload, rule", [
    ("<script>alert(1)</script>", "content.unsafe-html"),
    ('<iframe src="https://ads.example"></iframe>', "content.unsafe-html"),
    ('<object data="x.swf"></object>', "content.unsafe-html"),
    ('<form action="/x"><input name="q"></form>', "content.unsafe-html"),
    ("<div onclick=alert(1)>Click</div>", "content.unsafe-html"),
    ('<p style="background: url(https://t.example/pixel.gif)">x</p>', "content.unsafe-html"),
    ('Read more {: onclick="alert(1)" }', "content.unsafe-html"),
    ('<a href="javascript:alert(1)">x</a>', "url.scheme"),
    ('<a href="&#106;avascript:alert(1)">x</a>', "url.scheme"),
    ('<img src="//evil.example/pixel.png" alt="">', "url.external-resource"),
    ('<img src="https://tracker.example/p.gif" alt="">', "url.external-resource"),
    ("[More](javascript:alert(1))", "url.scheme"),
    ("[More](data:text/html,hi)", "url.scheme"),
    ("![Chart](https://cdn.example/chart.png)", "url.external-resource"),
])
def test_unsafe_html_and_links_in_a_module(course, payload, rule):
    kit = course(_edit(MODULE_MD, "Cholestatic itch is often worst at night.\n",
                       f"Cholestatic itch is often worst at night.\n\n{payload}\n"), approved=False)
    expect(kit.check(), rule, MODULE_MD, kit.line(MODULE_MD, payload))


def test_plain_html_and_safe_links_in_a_module_pass(course):
    body = ('<details class="pv-note"><summary>Why itch matters</summary>\n\n<p>Itch <abbr title="x">PBC</abbr>'
            '</p></details>\n\n<img src="itch.png" alt="A chart">\n\n[BSG guideline](https://www.bsg.org.uk/) '
            "[mail](mailto:cme@example.org) [the stories](../stories/) ![chart](chart.png)\n\n"
            "```html\n<script>shown as code</script>\n```\n")
    problems = course(_edit(MODULE_MD, "Cholestatic itch is often worst at night.\n",
                            f"Cholestatic itch is often worst at night.\n\n{body}\n"), approved=False).check()
    refute(problems, "content.unsafe-html")
    refute(problems, "url.scheme")
    refute(problems, "url.external-resource")


@pytest.mark.parametrize("link, rule", [("[x](javascript:alert(1))", "url.scheme"),
                                        ("[x][r]\n\n[r]: JavaScript:alert(1)", "url.scheme"),
                                        ("![x](//evil.example/x.png)", "url.external-resource"),
                                        ("![x][pic]\n\n[pic]: https://evil.example/x.png", "url.external-resource"),
                                        ("![Pic]\n\n[pic]: //evil.example/x.png", "url.external-resource")])
def test_links_in_a_story(course, link, rule):
    kit = course(_story_line(link))
    expect(kit.check(), rule, STORY, kit.line(STORY, link.splitlines()[-1]))


def test_safe_links_and_local_images_in_a_story_pass(course):
    problems = course(_story_line("[PAG](https://pbc.example.org) [us](mailto:a@example.org) [x][r]\n\n"
                                  "![chart](chart.png) ![ref][pic]\n\n[r]: https://x.example.org\n"
                                  "[pic]: images/pic.png")).check()
    refute(problems, "url.scheme")
    refute(problems, "url.external-resource")


@pytest.mark.parametrize("field, old, new", [
    (PAG, "url: https://pbc.example.org", "url: javascript:alert(1)"),
    (PAG, "url: https://pbc.example.org", "url: 'data:text/html,<script>alert(1)</script>'"),
    (PAG, "url: https://pbc.example.org", "url: vbscript:msgbox(1)"),
    (PAG, "url: https://pbc.example.org", "url: //pbc.example.org"),
    (PAG, "url: https://pbc.example.org", "url: pbc.example.org"),
    (PROVIDER, "privacy_policy: https://example.org/privacy", "privacy_policy: javascript:alert(1)"),
])
def test_url_fields_refuse_other_schemes(course, field, old, new):
    kit = course(_edit(field, old, new))
    expect(kit.check(), "url.scheme", field, kit.line(field, new.split(":")[0] + ":"))


def test_url_fields_accept_https_http_mailto(course):
    problems = course({**_edit(PAG, "url: https://pbc.example.org", "url: http://pbc.example.org/about"),
                       **_edit(PROVIDER, "privacy_policy: https://example.org/privacy",
                               "privacy_policy: mailto:privacy@example.org")}).check()
    refute(problems, "url.scheme")
    assert_clean(problems)


@pytest.mark.parametrize("field, old, new", [
    (STORY, "title: Nights awake with the itch", 'title: "A\\n---\\n<b>x</b>"'),
    (STORY, "title: Nights awake with the itch", "title: |\n  Nights awake\n  ---"),
    (PAG, "name: Example PBC Patient Association", "name: |-\n  Example\n  Association"),
])
def test_titles_and_names_are_one_line(course, field, old, new):
    kit = course(_edit(field, old, new))
    expect(kit.check(), "schema.one-line", field, kit.line(field, new.split(":")[0] + ":"))


def test_a_folded_title_is_one_line(course):
    problems = course(_edit(STORY, "title: Nights awake with the itch",
                            "title: >-\n  Nights awake\n  with the itch")).check()
    refute(problems, "schema.one-line")
    assert_clean(problems)
