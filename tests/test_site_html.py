"""Build the example course's site and read the HTML back."""

from __future__ import annotations

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import markdown
import pytest

from patientvoice.build import BuildError, build
from patientvoice.course.loader import load_course
from patientvoice.markdown_ext import PatientVoiceExtension
from sitekit import VNU, copy_course

OWN_HOST = "learn.example.org"  # the example's site_url


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = copy_course(tmp_path_factory.mktemp("course"))
    build(root, pdf=False, progress=lambda msg: None)
    return root / "build" / "site"


class Links(HTMLParser):
    """Collects ids and every URL a page refers to."""

    def __init__(self):
        super().__init__()
        self.ids, self.urls = set(), []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        for key in ("href", "src"):
            if a.get(key) is not None:
                self.urls.append((tag, key, a[key]))


def parse(path: Path) -> Links:
    p = Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_module_page_shows_story_chart_and_methods(site):
    html = text(site / "hearing-the-itch" / "index.html")
    assert "It isn't like a mosquito bite" in html  # Elaine's quote, from content/stories/elaine-night-itch.md
    assert 'class="pv-story pv-story--patient"' in html and "Fictional composite" in html
    assert '<ul class="pv-chart" id="data-pbc-itch-survey-2025-itch-sleep-chart"' in html
    assert '<span class="pv-chart__label">Most nights</span>' in html  # a chart label as real text
    assert "<strong>Methods.</strong> Living with PBC itch" in html
    assert "412 respondents; 398 answered this question." in html


def test_activity_information_and_disclosures_come_before_the_content(site):
    html = text(site / "believed-in-pain" / "index.html")
    article = html[html.index('<article class="md-content__inner'):]
    disclosures = article.index("Disclosure of financial relationships")
    assert article.index("Activity information") < disclosures < article.index('class="pv-story')
    assert disclosures < article.index('id="the-acute-pain-crisis"')
    # Dr Roarke's relevant relationship is named, with nature, company and its mitigation stated.
    assert "Advisory board: Verality Pharma (relevant; mitigated)" in article
    assert "No relevant financial relationships with ineligible companies." in article
    assert "<i>AMA PRA Category 1 Credit(s)™</i>" in article and "for a maximum of 1" in article
    assert "This activity received no commercial support." in article
    for label in ("Released", "Expires", "Estimated time", "Target audience", "Learning objectives",
                  "Method of participation"):
        assert article.index(label) < disclosures


def test_web_only_story_is_on_the_site_and_absent_from_print_output(site):
    course, _ = load_course(Path(site).parents[1])
    body = course.modules["hearing-the-itch"].body
    module = course.modules["hearing-the-itch"]
    web = markdown.markdown(body, extensions=[PatientVoiceExtension(course=course, module=module, output="web")])
    printed = markdown.markdown(body, extensions=[PatientVoiceExtension(course=course, module=module,
                                                                        output="print")])
    assert "Long sleeves all year round" in web
    assert "Long sleeves all year round" not in printed and "long sleeves all year round" not in printed.lower()
    assert "I wear long sleeves" not in printed
    assert "Long sleeves all year round" in text(site / "hearing-the-itch" / "index.html")


def test_story_library_lists_only_web_consented_stories_with_their_modules(site):
    library = text(site / "stories" / "index.html")
    assert library.count('class="pv-library__item"') == 6
    assert 'data-condition="Sickle cell disease"' in library
    story = text(site / "stories" / "jalen-waiting-room" / "index.html")
    assert 'href="../../believed-in-pain/"' in story


def test_pag_and_faculty_pages(site):
    pag = text(site / "pags" / "pbc-network" / "index.html")
    assert "Relationship to this education" in pag and "pv-chart" in pag
    faculty = text(site / "faculty" / "index.html")
    assert "Verality Pharma" in faculty and "patient partner" in faculty


def test_every_internal_link_and_anchor_resolves(site):
    pages = {p: parse(p) for p in site.rglob("*.html")}
    broken, checked = [], 0
    for page, links in pages.items():
        base = "http://site/" + page.relative_to(site).as_posix()
        for tag, attr, url in links.urls:
            target = urlparse(urljoin(base, url))
            if target.netloc != "site" or url.startswith(("mailto:", "javascript:")):
                continue
            checked += 1
            path = site / unquote(target.path).lstrip("/")
            if path.is_dir():
                path = path / "index.html"
            if not path.exists():
                broken.append(f"{page.relative_to(site)}: {url}")
            elif target.fragment and path.suffix == ".html":
                if target.fragment not in pages.get(path, parse(path)).ids:
                    broken.append(f"{page.relative_to(site)}: {url} (no such anchor)")
    assert broken == [] and checked > 200


def test_site_makes_no_third_party_requests(site):
    external = []
    for page in site.rglob("*.html"):
        for tag, attr, url in parse(page).urls:
            # Links (a href) are the learner's choice; anything the page loads by itself must be local.
            # The site's own address (site_url: canonical links) is no third party.
            if tag != "a" and urlparse(url).scheme in ("http", "https", "") and urlparse(url).netloc \
                    and urlparse(url).netloc != OWN_HOST:
                external.append(f"{page.relative_to(site)}: <{tag} {attr}={url}>")
    css = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.css"))
    assert external == [] and "fonts.googleapis" not in css and "fonts.gstatic" not in css


def test_every_page_passes_the_nu_html_checker(site):
    pages = [str(p) for p in site.rglob("*.html")]
    out = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
                         capture_output=True, text=True, timeout=300)
    messages = json.loads(out.stderr or out.stdout)["messages"]
    assert [f"{m['url'].split('/site/')[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages] == []


def test_library_leaves_out_stories_no_module_embeds(tmp_path):
    root = copy_course(tmp_path / "course")
    src = root / "content" / "stories" / "elaine-night-itch.md"
    (root / "content" / "stories" / "unreviewed-story.md").write_text(
        src.read_text().replace("title: ", "title: Not yet reviewed ", 1))
    build(root, pdf=False, progress=lambda msg: None)
    site = root / "build" / "site"
    assert "Not yet reviewed" not in text(site / "stories" / "index.html")
    assert not (site / "stories" / "unreviewed-story").exists()


def _reapprove(root: Path) -> None:
    from patientvoice.review.approve import approve

    for module, by in (("hearing-the-itch", ["miriam-achterberg", "ruth-calloway"]),
                       ("believed-in-pain", ["adaeze-whitfield", "yvonne-abara"])):
        course, _ = load_course(root)
        approve(course, module, by, "approved")


def test_titles_are_text_and_print_only_stories_stay_off_the_site(tmp_path):
    root = copy_course(tmp_path / "course")
    story = root / "content" / "stories" / "jalen-waiting-room.md"
    story.write_text(re.sub(r"(?m)^title: .*$", 'title: "Pain <10 minutes & more"', story.read_text(), count=1))
    elaine = root / "content" / "stories" / "elaine-night-itch.md"
    (root / "content" / "stories" / "zara-print.md").write_text(
        elaine.read_text().replace("title: ", "title: Print only ", 1))
    module = root / "modules" / "hearing-the-itch" / "index.md"
    text = module.read_text().replace("/// print-only\nThis handout",
                                      "//// print-only\n/// story | zara-print\n///\n\nThis handout", 1)
    module.write_text(text.replace("questions are not reproduced here.\n///", "questions are not reproduced here.\n////", 1))
    _reapprove(root)
    build(root, pdf=False, progress=lambda msg: None)
    site = root / "build" / "site"
    page = (site / "stories" / "jalen-waiting-room" / "index.html").read_text()
    assert "<h1>Pain &lt;10 minutes &amp; more</h1>" in page and "Pain <10 minutes" not in page
    assert not (site / "stories" / "zara-print").exists()
    assert "Print only" not in (site / "stories" / "index.html").read_text()
    assert "Print only" not in (site / "hearing-the-itch" / "index.html").read_text()


def test_directory_urls_off_is_refused_with_a_reason(tmp_path):
    root = copy_course(tmp_path / "course")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("use_directory_urls: true", "use_directory_urls: false"))
    with pytest.raises(BuildError) as failure:  # check reads mkdocs.yml, so the refusal is a problem at its line
        build(root, pdf=False, progress=lambda msg: None)
    # mkdocs.yml is in every approval's fingerprint, so the edit also makes the approvals stale.
    site = [p for p in failure.value.problems if p.rule != "review.stale"]
    assert [(p.path, p.rule) for p in site] == [("mkdocs.yml", "site.config")]
    assert "use_directory_urls: false is not supported" in site[0].message


def test_the_same_story_section_twice_on_a_page_gets_distinct_ids():
    course, _ = load_course(Path(__file__).resolve().parents[1])
    body = ("/// story | jalen-waiting-room#waiting\n///\n\n/// pag-data | scd-ed-experience-2025#care-plan\n///\n\n"
            "Recap.\n\n/// story | jalen-waiting-room#waiting\n///\n\n/// pag-data | scd-ed-experience-2025#care-plan\n///\n")
    md = markdown.Markdown(extensions=[PatientVoiceExtension(course=course, module="believed-in-pain")])
    for _ in range(2):  # the same parser for two documents: ids restart with each
        html = md.reset().convert(body)
        ids = re.findall(r' id="([^"]+)"', html)
        assert len(ids) == len(set(ids)) and "story-jalen-waiting-room-waiting-2" in ids
        assert "story-jalen-waiting-room-waiting" in ids and "data-scd-ed-experience-2025-care-plan-2" in ids
