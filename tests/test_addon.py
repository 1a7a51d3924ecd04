"""Add-on mode: the example course under ``cme/`` of a real docs site not written for patientvoice.

The host is Uvicorn's documentation (tests/data/host-site, BSD-3-Clause). It is built once as it is and once
with the patientvoice plugin and the course, with real mkdocs: the host keeps its pages, nav, fonts and palette,
the course is published under cme/ with working links and a questionnaire that works in Chromium.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # helper modules beside this file

from browser import collector, page  # noqa: E402,F401  (fixtures)
from enginekit import site_articles  # noqa: E402
from sitekit import REPO, QuietFiles, serve  # noqa: E402

HOST = Path(__file__).parent / "data" / "host-site"
PREFIX = "cme"
PLUGIN = "  - search\n"
# The example course has no theme/ of its own: its assets come from the package's default theme.
COURSE_FOLDERS = [p for p in ("content", "modules", "theme") if (REPO / p).is_dir()]
APPROVALS = {"hearing-the-itch": (["miriam-achterberg", "ruth-calloway"], dt.date(2026, 9, 20)),
             "believed-in-pain": (["adaeze-whitfield", "yvonne-abara"], dt.date(2026, 9, 22))}


def mkdocs_build(site: Path) -> subprocess.CompletedProcess:
    """Run real `mkdocs build` in ``site`` (the host's mkdocs.yml, strict as the host set it)."""
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=site, capture_output=True, text=True,
                          env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"})


def host_copy(dest: Path, options: str | None = None, course: bool = True) -> Path:
    """A copy of the host site; with ``options`` the plugin is listed with them; ``course``: the example under cme/."""
    shutil.copytree(HOST, dest)
    if options is not None:
        config = dest / "mkdocs.yml"
        text = config.read_text()
        assert text.count(PLUGIN) == 1
        entry = "  - patientvoice:" + (f"\n{options}" if options else "") + "\n"
        config.write_text(text.replace(PLUGIN, PLUGIN + entry))
    if course:
        for part in COURSE_FOLDERS:
            shutil.copytree(REPO / part, dest / PREFIX / part)
        approve_in_place(dest / PREFIX)
    return dest


def approve_in_place(course_root: Path) -> None:
    """Record the committee's approvals again: in a host the fingerprint covers the host's Markdown extensions."""
    from patientvoice.course.loader import load_course
    from patientvoice.review.approve import approve

    for module, (by, date) in APPROVALS.items():
        approve(load_course(course_root)[0], module, by, date=date)


ADDON = f"      root: {PREFIX}\n      prefix: {PREFIX}\n      submit_url: SUBMIT"


@pytest.fixture(scope="module")
def sites(tmp_path_factory, collector):
    """(plain host site dir, host-with-course site dir, base URL serving the latter)."""
    plain = host_copy(tmp_path_factory.mktemp("plain") / "host", course=False)
    run = mkdocs_build(plain)
    assert run.returncode == 0, run.stderr
    addon = host_copy(tmp_path_factory.mktemp("addon") / "host", ADDON.replace("SUBMIT", f'"{collector.url}"'))
    run = mkdocs_build(addon)
    assert run.returncode == 0, run.stderr
    server, base = serve(lambda *a, **k: QuietFiles(*a, directory=str(addon / "site"), **k))
    yield plain / "site", addon / "site", base
    server.shutdown()


class _Links(HTMLParser):
    """href/src values of a page, and the primary nav's (href, label) pairs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.nav: list[tuple[str, str]] = []
        self._nav_href: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.urls += [a[k] for k in ("href", "src") if a.get(k)]
        if tag == "a" and "md-nav__link" in (a.get("class") or "") and not (a.get("href") or "#").startswith("#"):
            self._nav_href = a["href"]

    def handle_data(self, data):
        if self._nav_href is not None and data.strip():
            self.nav.append((self._nav_href, data.strip()))
            self._nav_href = None


def links(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def head(page: Path) -> str:
    """The page's <head>, less a <link rel=prev/next> to a course page (the host's last page is followed by it)."""
    text = page.read_text(encoding="utf-8").partition("</head>")[0]
    return re.sub(r"\s+", " ", re.sub(rf'<link rel="(prev|next)" href="[^"]*{PREFIX}/[^"]*">', "", text))


def test_host_pages_keep_their_text_head_fonts_and_palette(sites):
    plain, addon, _ = sites
    before, after = site_articles(plain), site_articles(addon)
    assert len(before) >= 12
    for rel, text in before.items():
        assert after.get(rel) == text, f"{rel}: the host page's article changed"
        # The whole <head>: title, Google Fonts link, Material's palette stylesheet, no course stylesheet.
        assert head(addon / rel) == head(plain / rel), f"{rel}: the host page's head changed"
        body = re.search(r"<body[^>]*>", (addon / rel).read_text()).group(0)
        assert body == re.search(r"<body[^>]*>", (plain / rel).read_text()).group(0)
    assert "fonts.googleapis.com/css?family=Roboto" in head(addon / "index.html")  # the host's fonts, not turned off
    assert f"{PREFIX}/assets/" not in (addon / "index.html").read_text()  # the course's scripts stay on its pages


def test_host_nav_unchanged_plus_one_course_section(sites):
    plain, addon, _ = sites
    before, after = links(plain / "settings" / "index.html").nav, links(addon / "settings" / "index.html").nav
    assert after[: len(before)] == before  # every host entry, in its order, with its label
    extra = after[len(before):]
    assert extra and all(href.startswith(f"../{PREFIX}/") for href, _ in extra), extra
    assert ("../cme/", "Home") in extra and ("../cme/hearing-the-itch/pre/", "Pre-test") in extra
    # The section is titled with the course home page's heading.
    assert re.search(r'md-nav__link[^>]*>\s*(<[^>]+>\s*)*Patient voices in practice',
                     (addon / "settings" / "index.html").read_text())


def test_course_pages_under_the_prefix_with_working_links(sites):
    _, addon, _ = sites
    course = addon / PREFIX
    for rel in ("index.html", "hearing-the-itch/index.html", "hearing-the-itch/pre/index.html",
                "hearing-the-itch/post/index.html", "hearing-the-itch/claim/index.html", "stories/index.html",
                "faculty/index.html", "believed-in-pain/index.html", "assets/questionnaire.js",
                "assets/patientvoice.css"):
        assert (course / rel).is_file(), rel
    assert not (addon / "hearing-the-itch").exists() and not (addon / "stories").exists()  # nothing at the root
    assert not (addon / "assets" / "patientvoice.css").exists() and not (addon / "fonts").exists()  # theme: cme/
    assert list((course / "stories").glob("*/index.html")), "no story page"
    # Every local link and script of every course page reaches a published file: cards, journey, scripts.
    broken = []
    for html in course.rglob("*.html"):
        url = "http://site/" + html.relative_to(addon).as_posix()
        for ref in links(html).urls:
            target = urlsplit(urljoin(url, ref))
            if target.netloc != "site" or not target.path.strip("/"):
                continue
            path = addon / unquote(target.path).lstrip("/")
            if not (path.is_file() or (path / "index.html").is_file()):
                broken.append(f"{html.relative_to(addon)}: {ref}")
    assert not broken, broken[:10]
    card = (course / "hearing-the-itch" / "index.html").read_text()
    assert re.search(rf'href="\.\./\.\./{PREFIX}/stories/[a-z0-9-]+/"', card), "a story card links its page under cme/"
    assert "Atkinson" in (course / "assets" / "patientvoice.css").read_text()
    # The host's fonts on course pages too, declared after the course stylesheet so they win.
    pre = (course / "hearing-the-itch" / "pre" / "index.html").read_text()
    assert pre.index("cme/assets/patientvoice.css") < pre.index("fonts.googleapis.com")


def test_no_answer_key_or_course_data_published(sites):
    _, addon, _ = sites
    assert not [p for p in addon.rglob("questionnaire.yml")]
    assert not list(addon.rglob("*.yml")) and not (addon / PREFIX / "content").exists()
    assert "pv-key" not in (addon / PREFIX / "hearing-the-itch" / "pre" / "index.html").read_text()


def test_questionnaire_works_under_the_prefix_in_chromium(sites, page, collector):
    _, _, base = sites
    page.goto(f"{base}/{PREFIX}/hearing-the-itch/pre/")
    page.wait_for_selector("[data-pv-learner]:not([hidden])")
    # The host's font on a course page too: its declaration follows the course stylesheet.
    assert page.evaluate("getComputedStyle(document.querySelector('.md-typeset')).fontFamily").startswith("Roboto")
    fields = page.eval_on_selector_all("[data-item]", "els => els.map(e => [e.dataset.item, e.dataset.kind])")
    for ident, kind in fields:
        if kind in ("text", "commitment"):
            page.fill(f"#q-{ident}", "Ask about sleep")
        else:
            page.check(f"#q-{ident}-0")
    page.click("[data-pv-submit]")
    page.wait_for_selector("[data-pv-status] >> text=You submitted this")
    for _ in range(100):
        if collector.received:
            break
        page.wait_for_timeout(50)
    assert collector.received and collector.received[0]["phase"] == "pre"
    # The journey's next step is the module page, under the prefix.
    page.goto(f"{base}/{PREFIX}/hearing-the-itch/")
    page.wait_for_selector(".pv-story")


def test_a_failing_course_stops_the_host_build(tmp_path):
    site = host_copy(tmp_path / "host", ADDON.replace("SUBMIT", '""'))
    module = site / PREFIX / "modules" / "hearing-the-itch" / "index.md"
    text = module.read_text()
    assert "/// story | elaine-night-itch" in text
    module.write_text(text.replace("/// story | elaine-night-itch", "/// story | no-such-story", 1))
    run = mkdocs_build(site)
    assert run.returncode != 0
    assert "stop the build" in run.stderr and not (site / "site" / PREFIX / "hearing-the-itch").exists()


@pytest.mark.parametrize("options, said", [
    ("", "no root option, so the folder of mkdocs.yml"),
    (f"      root: {PREFIX}-missing\n      prefix: {PREFIX}", f"root '{PREFIX}-missing'"),
    (f"      root: {PREFIX}", "set 'prefix'"),
])
def test_no_course_configured_says_what_to_set(tmp_path, options, said):
    site = host_copy(tmp_path / "host", options)
    (site / f"{PREFIX}-missing").mkdir()
    run = mkdocs_build(site)
    assert run.returncode != 0
    assert said in run.stderr, run.stderr
    assert "'root'" in run.stderr or "'prefix'" in run.stderr
    assert "Traceback" not in run.stderr


def test_check_finds_the_course_from_the_host_and_from_its_folder(tmp_path):
    from patientvoice.course.loader import load_course

    site = host_copy(tmp_path / "host", ADDON.replace("SUBMIT", '""'))
    for root in (site, site / PREFIX):
        run = subprocess.run([sys.executable, "-m", "patientvoice.cli", "check", "--root", str(root)],
                             capture_output=True, text=True)
        assert run.returncode == 0, run.stdout + run.stderr
        assert "2 modules" in run.stdout and "site.repo-url" in run.stdout  # the host's mkdocs.yml was read
    # Handouts print, and LMS packages link, the course's address: the host's site_url and the prefix.
    from patientvoice.pdf.html import site_settings
    from patientvoice.pdf.online import module_url

    course = load_course(site / PREFIX)[0]
    from patientvoice.outcomes.evaluation import plugin_options

    assert plugin_options(site / PREFIX)["prefix"] == PREFIX  # the collector and report read the host's options
    assert module_url(site_settings(site / PREFIX).site_url, course.modules["hearing-the-itch"]) == \
        "https://www.uvicorn.org/cme/hearing-the-itch/"



def course_inside_docs(tmp_path: Path, exclude: bool) -> Path:
    """The host with the course in docs/cme/ (root: docs/cme), its docs_dir; ``exclude`` adds it to exclude_docs."""
    site = host_copy(tmp_path / "host", f"      root: docs/{PREFIX}\n      prefix: {PREFIX}", course=False)
    for part in COURSE_FOLDERS:
        shutil.copytree(REPO / part, site / "docs" / PREFIX / part)
    approve_in_place(site / "docs" / PREFIX)
    if exclude:
        with (site / "mkdocs.yml").open("a") as f:
            f.write(f"exclude_docs: |\n  /{PREFIX}/\n")
    return site


def test_a_course_folder_inside_the_hosts_docs_must_be_excluded(tmp_path):
    from patientvoice.check import check_course
    from coursekit import TODAY, expect, refute

    site = course_inside_docs(tmp_path / "in", exclude=False)
    _, problems = check_course(site, TODAY)
    expect(problems, "site.addon-in-docs", (site / "mkdocs.yml").as_posix(), 1)
    run = mkdocs_build(site)
    assert run.returncode != 0 and "site.addon-in-docs" in run.stderr
    site = course_inside_docs(tmp_path / "out", exclude=True)
    _, problems = check_course(site / "docs" / PREFIX, TODAY)
    refute(problems, "site.addon-in-docs")
    # A pattern that drops the YAML files (provider, people, answer keys) still publishes the stories' .md files.
    config = site / "mkdocs.yml"
    config.write_text(config.read_text().replace(f"  /{PREFIX}/\n", "  *.yml\n"))
    _, problems = check_course(site, TODAY)
    expect(problems, "site.addon-in-docs", config.as_posix(), len(config.read_text().splitlines()) - 1)


def test_a_course_folder_inside_the_hosts_docs_is_published_only_through_the_plugin(tmp_path):
    site = course_inside_docs(tmp_path, exclude=True)
    run = mkdocs_build(site)
    assert run.returncode == 0, run.stderr
    out = site / "site"
    assert (out / PREFIX / "hearing-the-itch" / "post" / "index.html").is_file()
    # content/ (people, consent), modules/ as raw files and the answer keys: none of it rides along.
    assert not (out / PREFIX / "content").exists() and not (out / PREFIX / "modules").exists()
    assert not list(out.rglob("*.yml"))


def test_a_host_without_nav_keeps_mkdocs_own_navigation(tmp_path):
    site = host_copy(tmp_path / "host", ADDON.replace("SUBMIT", '""'))
    config = site / "mkdocs.yml"
    text = config.read_text()
    config.write_text(re.sub(r"(?ms)^nav:\n.*?\n\n", "", text))
    assert "nav:" not in config.read_text()
    run = mkdocs_build(site)
    assert run.returncode == 0, run.stderr
    nav = links(site / "site" / "settings" / "index.html").nav
    labels = [label for _, label in nav]
    # mkdocs' own navigation of the host's pages (not the course's nav put in its place), the course as a folder.
    assert {"Settings", "Installation", "Server Behavior"} <= set(labels), labels
    assert any(href.startswith(f"../{PREFIX}/") for href, _ in nav)


def test_a_prefix_that_leaves_the_site_is_refused(tmp_path):
    from patientvoice.check import check_course
    from patientvoice.site.addon import prefix_error
    from coursekit import TODAY, expect

    assert prefix_error("cme") is None and prefix_error("/learn/cme/") is None and prefix_error("") is None
    site = host_copy(tmp_path / "host", f"      root: {PREFIX}\n      prefix: ../up")
    line = site.joinpath("mkdocs.yml").read_text().splitlines().index("      prefix: ../up") + 1
    _, problems = check_course(site, TODAY)
    expect(problems, "site.plugin-option", (site / "mkdocs.yml").as_posix(), line)
    run = mkdocs_build(site)
    assert run.returncode != 0 and "prefix '../up'" in run.stderr


def test_approvals_cover_the_hosts_extensions_not_its_nav(tmp_path):
    from patientvoice.check import check_course
    from coursekit import TODAY, refute

    site = host_copy(tmp_path / "host", ADDON.replace("SUBMIT", '""'))  # approved in place (host_copy)
    config = site / "mkdocs.yml"
    text = config.read_text()
    refute(check_course(site, TODAY)[1], "review.stale")
    edited = text.replace("  - Sponsorship: sponsorship.md\n", "").replace("site_name: Uvicorn", "site_name: U.")
    config.write_text(edited)
    refute(check_course(site, TODAY)[1], "review.stale")  # the host's own nav and name are the host's business
    config.write_text(text.replace("  - pymdownx.details\n", ""))  # renders the course's pages differently
    stale = [p for p in check_course(site, TODAY)[1] if p.rule == "review.stale"]
    assert {p.path for p in stale} == {"modules/hearing-the-itch/index.md", "modules/believed-in-pain/index.md"}
    assert all("mkdocs.yml" in p.message for p in stale)


def test_a_prefix_with_the_site_itself_as_course_is_refused(tmp_path):
    site = host_copy(tmp_path / "host", f"      prefix: {PREFIX}", course=False)
    for part in COURSE_FOLDERS:  # a course spread over the host's own folder: its docs would count as the course's
        shutil.copytree(REPO / part, site / part)
    run = mkdocs_build(site)
    assert run.returncode != 0 and "set 'root' to the course's own folder" in run.stderr, run.stderr
    assert not (site / "site").exists()


def test_the_hosts_own_stylesheet_is_a_file_of_its_docs(tmp_path):
    from patientvoice.check import check_course
    from coursekit import TODAY, expect, refute

    site = host_copy(tmp_path / "host", ADDON.replace("SUBMIT", '""'))
    (site / "docs" / "css").mkdir()
    (site / "docs" / "css" / "extra.css").write_text(".md-typeset h1 { letter-spacing: .01em; }\n")
    config = site / "mkdocs.yml"
    config.write_text(config.read_text() + "extra_css:\n  - css/extra.css\n  - css/missing.css\n")
    problems = check_course(site, TODAY)[1]
    line = config.read_text().splitlines().index("  - css/missing.css") + 1
    found = expect(problems, "site.unsafe", config.as_posix(), line)
    assert "not a file in docs/ or docs/overrides/" in found.message
    assert len([p for p in problems if p.rule == "site.unsafe"]) == 1  # css/extra.css is the host's own file
    config.write_text(config.read_text().replace("  - css/missing.css\n", ""))
    refute(check_course(site, TODAY)[1], "site.unsafe")
