"""Hostile story, PAG and data-set content in a real site, opened in headless Chromium: nothing runs, nothing leaves.

The course carries the payloads that executed before issue 11 (event attributes, scripts, frames, javascript:
links inline and by reference, entity-encoded schemes, protocol-relative and external images, a '---' line in
a title). check reports them; the site is built the way `mkdocs serve` previews a course with errors (the
plugin lets a preview through), so what is tested is the sanitiser and the escaping, not the gate.
"""

from __future__ import annotations

import re

import pytest

from patientvoice.check import check_course
from patientvoice.pdf.html import module_body, site_settings
from sitekit import copy_course, serve_dir

pytest.importorskip("playwright.sync_api")

STORY = "content/stories/elaine-night-itch.md"
PAG = "content/pags/pbc-network.yml"
DATA = "content/data/pbc-itch-survey-2025.yml"
EVIL = "http://127.0.0.2:9"  # another origin; nothing may ever ask it for anything
PAYLOAD = f"""
<img src=x onerror="alert('img')">

<script>alert('script')</script>

<details open ontoggle="alert('details')"><summary>s</summary>x</details>

<iframe srcdoc="<script>parent.alert('iframe')</script>"></iframe>

<svg onload="alert('svg')"><circle r="1"></circle></svg>

[inline](javascript:alert('inline')) [reference][evil] [entity](&#106;avascript:alert('entity'))
<a href="JaVaScRiPt:alert('case')">case</a> <a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">data</a>
<a href="vbscript:msgbox('vb')">vb</a> <a href="java&#x09;script:alert('tab')">tab</a>

![relative](//127.0.0.2:9/pixel.png) ![absolute]({EVIL}/pixel.png) <img src="{EVIL}/raw.png">

<p style="background:url({EVIL}/style.png)">styled</p> <link rel="stylesheet" href="{EVIL}/x.css">

[evil]: javascript:alert('reference')
"""
HOSTILE_TITLE = "Nights\\n---\\n<script>alert('title')</script></title><script>alert('title2')</script>"


def _edit(root, rel, old, new):
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = copy_course(tmp_path_factory.mktemp("hostile"))
    _edit(root, STORY, "title: Nights awake with the itch", f'title: "{HOSTILE_TITLE}"')
    _edit(root, STORY, "## Nights\n", "## Nights\n" + PAYLOAD)
    _edit(root, STORY, "pseudonym: Elaine", "pseudonym: \"Elaine<img src=x onerror=alert('pseudonym')>\"")
    _edit(root, PAG, "name: PBC Patient Network", "name: \"PBC</title><script>alert('pag')</script>\"")
    _edit(root, PAG, "url: https://pbc-network.example.org", "url: \"javascript:alert('pagurl')\"")
    _edit(root, PAG, "relationship: Co-planner", "relationship: <img src=x onerror=alert('rel')> Co-planner")
    _edit(root, DATA, "      Never: 58", "      \"<img src=x onerror=alert('label')>\": 58")
    _edit(root, DATA, "text: In the past month", "text: <script>alert('question')</script>In the past month")
    _edit(root, DATA, "method: Online", "method: <svg onload=alert('method')></svg> Online")
    _edit(root, "content/provider.yml", "privacy_policy: ", "privacy_policy: javascript:alert('privacy')#")
    course, problems = check_course(root)
    config = load_config(config_file=str(root / "mkdocs.yml"))
    config.plugins.on_startup(command="serve", dirty=False)  # a preview: check's errors do not stop it
    build(config)
    site = root / "build" / "site"
    with serve_dir(site) as url:
        yield url, site, course, problems


def test_check_reports_the_payloads(hostile):
    rules = {p.rule for p in hostile[3].errors}
    assert {"content.raw-html", "url.scheme", "url.external-resource", "schema.one-line"} <= rules


PAGES = ["hearing-the-itch/", "stories/elaine-night-itch/", "stories/", "pags/pbc-network/"]


@pytest.mark.parametrize("path", PAGES)
def test_no_script_runs_and_nothing_leaves_the_site(browser, hostile, path):
    base = hostile[0]
    page = browser.new_page()
    dialogs, foreign, errors = [], [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(base) else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/{path}", wait_until="networkidle")
    # Open every <details> and hover and click nothing: toggling is what fired ontoggle before.
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    page.wait_for_timeout(300)
    bad_links = page.evaluate("""[...document.querySelectorAll('a[href]')]
        .filter(a => !['http:', 'https:', 'mailto:'].includes(a.protocol)).map(a => a.getAttribute('href'))""")
    frames = page.evaluate("document.querySelectorAll('iframe, object, embed, svg [onload], [onerror]').length")
    images = page.evaluate("[...document.images].map(i => i.src).filter(s => s && !s.startsWith(location.origin))")
    page.close()
    assert dialogs == [] and foreign == [] and errors == [], (dialogs, foreign, errors)
    assert bad_links == [] and frames == 0 and images == [], (bad_links, frames, images)


def test_a_title_with_a_front_matter_line_stays_a_title(hostile):
    html = (hostile[1] / "stories" / "elaine-night-itch" / "index.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "&lt;script&gt;" in title and "title2" in title  # the whole title, escaped, in <title>
    assert "<script>alert(" not in html
    assert "Nights awake" not in html  # the story page kept no trace of the old title either


def test_the_print_html_is_sanitised_too(hostile):
    _, _, course, _ = hostile
    html = module_body(course, course.modules["hearing-the-itch"], site_settings(course.root))
    assert "Nights" in html or "itch" in html
    tags = re.findall(r"<[a-zA-Z][^>]*>", html)  # escaped payload text (&lt;img ...) is text, not a tag
    assert not [t for t in tags if re.search(r"\son\w+\s*=|avascript|vbscript|data:|127\.0\.0\.2", t, re.I)]
    assert not [t for t in tags if re.match(r'<(script|iframe|object|embed|link|style|svg(?! class="pv-chart"))\b', t, re.I)]
