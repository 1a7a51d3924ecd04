"""The printed pack, built once with `patientvoice build` and read back: published on the site, complete, unsplit.

One full build of the example course (site and PDFs) for the whole module; each test reads what it needs: the
site's handout files and links, the pack's evaluation, claim form, learner code help and return address, the
answer key's per-phase numbers, the handout's web address and QR code, and where page breaks fall.
"""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
import segno
from PIL import Image

from patientvoice.build import build
from patientvoice.course.loader import load_course
from patientvoice.pdf.html import documents, site_settings
from patientvoice.site.pages import PHASES
from patientvoice.site.questionnaire import DEFAULT_EVALUATION
from pdfread import flat, page_texts, pages_of, text, word_boxes
from sitekit import copy_course

ITCH, PAIN = "hearing-the-itch", "believed-in-pain"
SITE_URL = "https://learn.example.org/"  # the example's mkdocs.yml


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = copy_course(tmp_path_factory.mktemp("pack") / "course")
    build(root, progress=lambda m: None)
    return root


@pytest.fixture(scope="module")
def course(built):
    return load_course(built)[0]


def pdf(root: Path, name: str) -> Path:
    return root / "build" / "pdf" / name


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href = None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href = dict(attrs).get("href")
            self.links.append((self._href, ""))

    def handle_data(self, data):
        if self._href is not None:
            href, label = self.links[-1]
            self.links[-1] = (href, label + data)

    def handle_endtag(self, tag):
        if tag == "a":
            self._href = None


# --- published on the site ---------------------------------------------------------------------------------

@pytest.mark.parametrize("module", [ITCH, PAIN])
def test_the_site_publishes_each_modules_handout_and_pack_and_its_page_links_them(built, module):
    site = built / "build" / "site"
    page = (site / module / "index.html").read_text(encoding="utf-8")
    parser = _Links()
    parser.feed(page)
    wanted = {"Printable handout (PDF)": f"{module}.pdf",
              "Questionnaires and claim form to print (PDF)": f"{module}-questionnaires.pdf"}
    for label, name in wanted.items():
        hrefs = [href for href, text_ in parser.links if flat(text_) == label]
        assert hrefs, f"no '{label}' link on {module}/index.html"
        served = (site / module / "index.html").parent.joinpath(hrefs[0]).resolve()
        assert served == (site / "handouts" / name).resolve(), hrefs[0]
        assert served.read_bytes() == pdf(built, name).read_bytes()  # the same file build/pdf holds
    # The facilitators' key is never published: anyone could read the answers on the site.
    assert not (site / "handouts" / f"{module}-answer-key.pdf").exists()
    assert not any("answer-key" in (href or "") for href, _ in parser.links)
    # The module's own words point to the links rather than to a home page that has none.
    assert "linked at the top of this page" in flat(page) and "available from the course home page" not in page


def test_a_build_without_pdfs_links_none(tmp_path):
    root = copy_course(tmp_path / "course")
    build(root, pdf=False, progress=lambda m: None)
    page = (root / "build" / "site" / ITCH / "index.html").read_text(encoding="utf-8")
    assert "Printable handout (PDF)" not in page and not (root / "build" / "site" / "handouts").exists()


# --- a complete paper pack ---------------------------------------------------------------------------------

@pytest.mark.parametrize("module", [ITCH, PAIN])
def test_the_pack_has_the_evaluation_with_the_post_test_then_the_claim_form_and_return_address(built, course, module):
    pages = page_texts(pdf(built, f"{module}-questionnaires.pdf"))
    whole = " ".join(pages)
    post, follow_up = whole.index("Post-test Complete this after"), whole.index("Follow-up Complete this")
    for item in DEFAULT_EVALUATION:  # the example sets no `evaluation`, so the defaults, as online
        at = whole.index(flat(item["stem"]))
        assert post < at < follow_up, item["id"]
    # Numbered on from the post-test's own questions, as one form.
    n_post = len(course.modules[module].questionnaire.phase("post"))
    assert f"{n_post + 1}. {flat(DEFAULT_EVALUATION[0]['stem'])}" in whole
    claim = whole.index("Credit claim form Complete this")
    assert follow_up < claim
    for field in ("Full name, as it should appear on your certificate", "E-mail address", "Your profession",
                  "Physician (MD, DO)", "Credit you claim", "I claim only the credit commensurate",
                  "Signature", "Date signed", "State licence number", "Certifying board", "Board ID",
                  "National Provider Identifier (NPI)", "Date"):
        assert field in whole[claim:], field
    # Where it goes: provider.yml's address and return_to, at the end, after the claim form.
    ret = whole.rindex("Returning this pack")  # the last: the contents on page 1 names it too
    assert claim < ret
    for line in course.provider.address.splitlines():
        assert flat(line) in whole[ret:], line
    assert flat(course.provider.return_to) in whole[ret:]
    # A paper learner never got a code: the pack says how to make one, before the first form.
    assert whole.index("make up your own: any 8 capital letters or digits") < whole.index("Pre-test Complete this")
    # Each form starts on its own page, so the forms can be returned apart.
    for start in ("Pre-test Complete this", "Post-test Complete this", "Follow-up Complete this",
                  "Credit claim form Complete this"):
        assert sum(start in p for p in pages) == 1 and any(p.split("Questionnaires ", 1)[-1].startswith(start)
                                                            for p in pages), start


def test_the_answer_key_numbers_each_question_as_the_phase_forms_do(built, course):
    key = text(pdf(built, f"{ITCH}-answer-key.pdf"))
    pack = text(pdf(built, f"{ITCH}-questionnaires.pdf"))
    q = course.modules[ITCH].questionnaire
    for item in q.items:
        places = []
        for phase, label in PHASES.items():
            ids = [i.id for i in q.phase(phase)]
            if item.id in ids:
                places.append(f"{label} {ids.index(item.id) + 1}")
                # The pack prints the same number in front of the same question on that phase's form.
                if item.kind != "likert":
                    assert f"{ids.index(item.id) + 1}. {flat(item.stem)}" in pack
        assert f"{' · '.join(places)} {flat(item.stem)}" in key, item.id
    # The case the issue names: the follow-up's fifth question is "Follow-up 5", not the seventh in the file.
    assert "Follow-up 5 " in key and f"Post-test 7 · Follow-up 5 {flat(q.items[6].stem)}" in key


# --- the web in print: address and QR code ----------------------------------------------------------------

def _qr_modules(png: Path, top: float, bottom: float, right: float, dpi: int, n: int) -> list[list[bool]]:
    """Sample the n×n modules of the QR code drawn left of ``right`` between ``top`` and ``bottom`` (PDF points)."""
    im = Image.open(png).convert("L")
    scale = dpi / 72
    box = (0, int(top * scale), int(right * scale), int(bottom * scale))
    region = im.crop(box)
    dark = region.point(lambda v: 255 if v < 128 else 0)
    left, upper, r, lower = dark.getbbox()
    size = (r - left + lower - upper) / 2 / n
    return [[region.getpixel((int(left + (x + .5) * size), int(upper + (y + .5) * size))) < 128 for x in range(n)]
            for y in range(n)]


@pytest.mark.parametrize("name", ["{}.pdf", "{}-questionnaires.pdf"])
def test_the_handout_and_pack_print_the_module_address_and_a_qr_code_of_it(built, tmp_path, name):
    path = pdf(built, name.format(ITCH))
    url = urljoin(SITE_URL, f"{ITCH}/")
    first = text(path, 1)
    assert url in first and f"Course website: {SITE_URL}" in first
    # No QR decoder is installed, so the printed code is read back module by module and compared with the
    # code of the address: equal matrices encode the same text.
    boxes = [b for b in word_boxes(path) if b[0] == 1]
    lead = next(i for i, b in enumerate(boxes) if b[2] in ("Take", "Or") and boxes[i + 1][2] in ("this", "complete"))
    layout = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", str(path), "-"], capture_output=True,
                            text=True, check=True).stdout
    x_lead = float(re.findall(r'xMin="([\d.]+)"', layout)[lead])
    y = boxes[lead][1]
    subprocess.run(["pdftoppm", "-r", "300", "-f", "1", "-l", "1", "-png", "-singlefile", str(path),
                    str(tmp_path / "p1")], check=True)
    expected = segno.make(url, error="m").matrix
    got = _qr_modules(tmp_path / "p1.png", y - 10, y + 75, x_lead - 4, 300, len(expected))
    assert got == [[bool(v) for v in row] for row in expected]


def test_the_answer_key_has_no_address_or_qr_code(built):
    assert SITE_URL not in text(pdf(built, f"{ITCH}-answer-key.pdf"))


# --- keep-together rules -------------------------------------------------------------------------------------

def _same_page(boxes, first: str, last: str) -> list[tuple[int, int]]:
    """(page of each ``first``, page of the matching ``last``), paired in order."""
    starts, ends = pages_of(boxes, first), pages_of(boxes, last)
    assert len(starts) == len(ends) and starts, (first, starts, ends)
    return list(zip(starts, ends))


@pytest.mark.parametrize("module", [ITCH, PAIN])
def test_no_story_card_or_chart_is_split_and_a_lead_in_stays_with_its_chart(built, course, module):
    path = pdf(built, f"{module}.pdf")
    boxes = word_boxes(path)
    # A card: its kind label (header) to the last words of its source note (footer).
    heads = sorted(pages_of(boxes, "PATIENT STORY") + pages_of(boxes, "CAREGIVER STORY"))
    feet = pages_of(boxes, "Patient experience, not clinical evidence")
    assert len(heads) == len(feet) > 0
    assert heads == feet, f"a story card is split: headers on pages {heads}, source notes on {feet}"
    # A chart: its kicker to the end of its methods note ("Self-reported …"; one word, since the PDF's text order
    # may interleave the chart's rows with the note's last line).
    for start, end in _same_page(boxes, "PATIENT EXPERIENCE DATA", "Self-reported"):
        assert start == end, f"a chart is split across pages {start} and {end}"
    # Each sentence that leads into a chart is on the chart's page.
    html = documents(course, course.modules[module], site_settings(built))[f"{module}.pdf"]
    leads = re.findall(r"<p>((?:(?!<p>).)*?)</p>\s*<div class=\"pv-block pv-block--pag-data\">", html, re.S)
    assert leads
    charts = pages_of(boxes, "PATIENT EXPERIENCE DATA")
    for lead in leads:
        tail = " ".join(re.sub(r"<[^>]+>", "", lead).split()[-6:])
        lead_pages = pages_of(boxes, tail)
        assert lead_pages and any(p in charts for p in lead_pages), (tail, lead_pages, charts)


@pytest.mark.parametrize("module", [ITCH, PAIN])
def test_no_question_is_split_or_left_alone_on_a_page(built, course, module):
    path = pdf(built, f"{module}-questionnaires.pdf")
    boxes = word_boxes(path)
    q = course.modules[module].questionnaire
    for item in q.items:
        if item.kind not in ("single", "multiple"):
            continue
        for start, end in zip(pages_of(boxes, " ".join(item.stem.split()[:6])),
                              pages_of(boxes, item.options[-1])):
            assert start == end, f"{item.id}: stem on page {start}, last option on {end}"
    # Every page of a form holds more than one question, or the phase's heading with its first ones.
    for page_text in page_texts(path)[1:]:
        numbers = re.findall(r"(?:^| )(\d+)\. ", page_text)
        assert len(numbers) != 1 or any(h in page_text for h in ("Complete this", "Credit claim form")), page_text[:200]


# --- without the built example: what the print HTML holds for other settings --------------------------------

def _html(root: Path, name: str) -> str:
    course = load_course(root)[0]
    return documents(course, course.modules[ITCH], site_settings(root))[name.format(ITCH)]


def test_without_site_url_the_pdfs_have_no_address_or_code(tmp_path):
    root = copy_course(tmp_path / "course")
    (root / "mkdocs.yml").write_text(re.sub(r"(?m)^site_url:.*\n", "", (root / "mkdocs.yml").read_text()))
    for name in ("{}.pdf", "{}-questionnaires.pdf"):
        html = _html(root, name)
        assert "pv-online" not in html and "pv-qr" not in html and "learn.example.org" not in html


def test_the_pack_asks_the_evaluation_the_course_sets(tmp_path):
    root = copy_course(tmp_path / "course")
    config = (root / "mkdocs.yml").read_text().replace("      paper: A4\n", (
        "      paper: A4\n      evaluation:\n"
        "        - {id: pace, kind: single, stem: Was the pace of the module right?, options: [Yes, No]}\n"), 1)
    (root / "mkdocs.yml").write_text(config)
    html = _html(root, "{}-questionnaires.pdf")
    assert "Was the pace of the module right?" in html
    assert flat(DEFAULT_EVALUATION[0]["stem"]) not in html  # the course's own list replaces the defaults


ADMONITIONS = "".join(
    f"\n{'Filler sentence about itch and its treatment. ' * (4 + 3 * i)}\n\n"
    f"!!! {'warning' if i % 2 else 'note'} \"Box {i} opens\"\n"
    + "".join(f"    Line {j} of box {i}: a practical point about caring for a person with cholestatic itch.\n\n"
              for j in range(9))
    + f"    Box {i} closes here.\n"
    for i in range(8))


def test_admonitions_are_styled_boxes_never_split_across_pages(tmp_path):
    import datetime as dt

    from patientvoice.pdf import build_pdfs
    from patientvoice.review.approve import approve

    root = copy_course(tmp_path / "course")
    md = root / "modules" / ITCH / "index.md"
    md.write_text(md.read_text(encoding="utf-8").replace("## Why itch matters in PBC\n",
                                                         f"## Boxes\n{ADMONITIONS}\n## Why itch matters in PBC\n", 1),
                  encoding="utf-8")
    approve(load_course(root)[0], ITCH, ["miriam-achterberg", "ruth-calloway"], "approved", dt.date(2026, 9, 21))
    out = root / "build" / "pdf"
    assert build_pdfs(load_course(root)[0], out, cache_dir=root / "cache", progress=lambda m: None,
                      modules=[ITCH]) == []
    path = out / f"{ITCH}.pdf"
    boxes = word_boxes(path)
    for i in range(8):
        (opens,), (closes,) = pages_of(boxes, f"Box {i} opens"), pages_of(boxes, f"Box {i} closes here")
        assert opens == closes, f"box {i} runs from page {opens} to page {closes}"
    # Drawn as a box: the note's tinted background is on the page (the title alone would be plain text).
    page = pages_of(boxes, "Box 0 opens")[0]
    subprocess.run(["pdftoppm", "-r", "40", "-f", str(page), "-l", str(page), "-png", "-singlefile", str(path),
                    str(tmp_path / "box")], check=True)
    colours = {c for _, c in Image.open(tmp_path / "box.png").convert("RGB").getcolors(1 << 20)}
    assert (0xf2, 0xf6, 0xfa) in colours


def test_without_an_address_the_pack_says_whom_to_ask(tmp_path):
    root = copy_course(tmp_path / "course")
    provider = root / "content" / "provider.yml"
    provider.write_text(provider.read_text().split("address:")[0])
    html = flat(re.sub(r"<[^>]+>", " ", _html(root, "{}-questionnaires.pdf")))
    assert "Ask the person who gave you this pack where to return it, or contact the provider: cme@example.org" in html
    assert "14 Harbour Street" not in html
