"""The example course's PDFs, built once and read back: content, order, fonts, tagging, paper and the cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from patientvoice.course.loader import load_course
from patientvoice.pdf import build_pdfs
from pdfread import flat, fonts, page_texts, text, word_boxes, words
from sitekit import copy_course

ITCH, PAIN = "hearing-the-itch", "believed-in-pain"
KINDS = ("{}.pdf", "{}-questionnaires.pdf", "{}-answer-key.pdf")
A4, LETTER = (595.28, 841.89), (612.0, 792.0)


def render(root: Path, paper: str = "A4", out: Path | None = None, modules=None) -> tuple[list, list[str]]:
    """build_pdfs on the course at ``root`` (into ``out``, cache beside it); returns (problems, progress lines)."""
    course, _ = load_course(root)
    lines: list[str] = []
    out = out or root / "build" / "pdf"
    problems = build_pdfs(course, out, cache_dir=out.parent / ".cache" / "pdf", paper=paper, progress=lines.append,
                          modules=modules)
    return problems, lines


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """A copy of the example course with its PDFs (and PDF cache) built once for the session."""
    root = copy_course(tmp_path_factory.mktemp("pdf") / "course")
    problems, lines = render(root)
    assert problems == [], problems
    assert len(lines) == 6 and all("pages" in line for line in lines), lines
    return root


@pytest.fixture(scope="session")
def course(built):
    return load_course(built)[0]


def pdf(root: Path, name: str) -> Path:
    return root / "build" / "pdf" / name


def test_every_module_gets_a_handout_a_questionnaire_pack_and_an_answer_key(built):
    names = sorted(p.name for p in (built / "build" / "pdf").iterdir())
    assert names == sorted(k.format(m) for m in (ITCH, PAIN) for k in KINDS)


@pytest.mark.parametrize("module", [ITCH, PAIN])
def test_handout_gives_activity_information_and_disclosures_before_the_first_story(built, course, module):
    pages = page_texts(pdf(built, f"{module}.pdf"))
    whole = " ".join(pages)
    first_story = min(whole.index(course.stories[b.target[0]].title) for b in course.modules[module].story_refs()
                      if "print" in course.stories[b.target[0]].channels)
    for heading in ("Activity information", "Accreditation and credit designation", "Learning objectives",
                    "Disclosure of financial relationships"):
        assert whole.index(heading) < first_story, heading
    assert whole.index("Disclosure of financial relationships") < whole.index("PATIENT STORY")
    # §1.3 of the requirements: the disclosure block on page 1 or 2 of the PDF.
    assert any("Disclosure of financial relationships" in p for p in pages[:2])
    a = course.modules[module].activity
    cover = pages[0]
    for fact in (course.modules[module].title, course.provider.name, a["id"], "AMA PRA Category 1 Credit™",
                 f"{a['release'].day} {a['release']:%B %Y}", f"{a['expires'].day} {a['expires']:%B %Y}"):
        assert fact in cover, fact
    for o in course.modules[module].objectives:
        assert flat(o.text) in whole


def test_handout_prints_the_generated_statements_and_support_acknowledgement(built, course):
    """Issue 13a: the handout carries the same generated statements as the site (joint providership, two credit
    types under Joint Accreditation) and the Standard 4 acknowledgement."""
    from patientvoice.compliance.statements import accreditation_statement, designation_statements

    whole = text(pdf(built, f"{PAIN}.pdf"))
    module = course.modules[PAIN]
    assert flat(accreditation_statement(course, module)) in whole
    assert "planned and implemented by Northbridge Medical Education and Sickle Cell Family Forum" in whole
    statements = dict(designation_statements(course, module))
    assert set(statements) == {"ama-pra-1", "ancc"}
    for statement in statements.values():
        assert flat(statement) in whole, statement
    assert "1 ANCC contact hour" in whole
    assert "This activity received no commercial support." in whole


def test_handout_has_story_text_print_only_blocks_and_charts_as_text(built, course):
    whole = text(pdf(built, f"{ITCH}.pdf"))
    assert words(course.stories["elaine-night-itch"].sections["nights"].markdown) in whole
    assert "This handout is the printed version of an online module" in whole  # print-only block
    assert "approved for the website only" not in whole  # web-only block
    q = course.datasets["pbc-itch-survey-2025"].questions["itch-sleep"]  # shown as a chart only
    for label, count in q.results.items():  # bar labels and values are text, not outlines
        assert label in whole and f"{round(count / q.answered * 100)}% ({count})" in whole, label
    assert "Methods." in whole and "Self-reported patient experience, not clinical evidence." in whole
    assert "References" in whole


def test_web_only_story_never_reaches_paper(built, course):
    hazel = course.stories["hazel-long-sleeves"]
    for name in (p.name for p in (built / "build" / "pdf").iterdir()):
        whole = text(pdf(built, name))
        assert hazel.title not in whole and words(hazel.body) not in whole, name


@pytest.mark.parametrize("module", [ITCH, PAIN])
def test_questionnaire_pack_has_forms_and_no_answers_and_the_key_has_them(built, course, module):
    q = course.modules[module].questionnaire
    pack = page_texts(pdf(built, f"{module}-questionnaires.pdf"))
    key = text(pdf(built, f"{module}-answer-key.pdf"))
    whole = " ".join(pack)
    for item in q.items:
        stem = words(item.stem)
        assert stem in whole and stem in key, item.id
        for option in item.options:
            assert flat(option) in whole
        if item.rationale:
            assert words(item.rationale) not in whole and words(item.rationale) in key, item.id
    assert "Rationale" not in whole and "Correct:" not in whole and "answer key" not in whole.lower()
    assert "Rationale." in key and "Correct:" in key
    # One form per phase, each with a box for the learner code; post and follow-up start a page of their own.
    assert "Pre-test" in pack[0] and whole.count("Learner code") == 3 + 1  # the three forms and the claim form
    title = course.modules[module].title
    for label in ("Post-test", "Follow-up"):
        assert any(p.startswith(f"{title} Questionnaires {label} ") for p in pack), label


def test_answer_key_marks_the_right_options(built, course):
    key = text(pdf(built, f"{ITCH}-answer-key.pdf"))
    item = next(i for i in course.modules[ITCH].questionnaire.items if isinstance(i.answer, int))
    assert f"Correct: {flat(item.options[item.answer])}" in key


def test_fonts_are_embedded_atkinson_only(built):
    for path in (built / "build" / "pdf").iterdir():
        found = fonts(path)
        assert found, path.name
        for f in found:
            assert f["emb"] == "yes", (path.name, f)
            assert "Atkinson-Hyperlegible" in f["name"], (path.name, f)


def test_pdfs_are_tagged_with_language_and_title(built, course):
    for module in (ITCH, PAIN):
        for kind, label in zip(KINDS, ("printed handout", "questionnaires", "answer key for facilitators")):
            reader = PdfReader(pdf(built, kind.format(module)))
            root = reader.trailer["/Root"]
            assert "/StructTreeRoot" in root
            assert root["/MarkInfo"]["/Marked"].value is True
            assert root["/Lang"] == "en"
            assert reader.metadata.title == f"{course.modules[module].title} ({label})"
            assert root["/ViewerPreferences"]["/DisplayDocTitle"]


def test_running_header_and_page_x_of_y(built, course):
    pages = page_texts(pdf(built, f"{PAIN}.pdf"))
    title = course.modules[PAIN].title
    boxes = word_boxes(pdf(built, f"{PAIN}.pdf"))
    for n, page in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in page
        if n > 1:  # the words in the top margin (22 mm, 62 pt): pdftotext may read a card's kicker in between
            header = " ".join(w for p, top, w in boxes if p == n and top < 62)
            assert header == f"{title} Printed handout", header


def test_a4_by_default_and_letter_when_configured(built, tmp_path):
    for name in (p.name for p in (built / "build" / "pdf").iterdir()):
        box = PdfReader(pdf(built, name)).pages[0].mediabox
        assert (round(float(box.width), 2), round(float(box.height), 2)) == A4
    problems, _ = render(built, "Letter", out=tmp_path / "pdf", modules=[ITCH])
    assert problems == []
    for kind in KINDS:
        for page in PdfReader(tmp_path / "pdf" / kind.format(ITCH)).pages:
            assert (float(page.mediabox.width), float(page.mediabox.height)) == LETTER


def test_unchanged_pdfs_come_from_the_cache_and_a_story_edit_rerenders_only_its_module(built, tmp_path):
    root = tmp_path / "course"
    shutil.copytree(built, root)  # the course with its cache, in another place: the cache still applies
    shutil.rmtree(root / "build" / "pdf")
    problems, lines = render(root)
    assert problems == [] and len(lines) == 6 and all(line.endswith("(cached)") for line in lines), lines
    assert pdf(root, f"{PAIN}.pdf").read_bytes() == pdf(built, f"{PAIN}.pdf").read_bytes()

    # Elaine's story is embedded only in the itch handout; a line with glyphs Atkinson lacks goes into it.
    story = root / "content" / "stories" / "elaine-night-itch.md"
    source = story.read_text(encoding="utf-8")
    line = next(ln for ln in source.splitlines() if ln.startswith("The itch starts around bedtime"))
    story.write_text(source.replace(line, f"{line} On bad nights it is ≥ 8 out of 10 → no sleep ✓", 1),
                     encoding="utf-8")
    problems, lines = render(root)
    assert problems == []
    rendered = sorted(line.split()[1] for line in lines if not line.endswith("(cached)"))
    assert rendered == [f"{ITCH}.pdf"], lines
    handout = root / "build" / "pdf" / f"{ITCH}.pdf"
    assert "it is ≥ 8 out of 10 → no sleep ✓" in text(handout)
    names = {f["name"].split("+")[-1] for f in fonts(handout)}
    assert all(f["emb"] == "yes" for f in fonts(handout))
    # The missing glyphs come from the DejaVu Sans in theme/fonts (embedded under its @font-face name,
    # PV-Symbols); a system font standing in would show under its own name (DejaVuSans, LiberationSans).
    assert "PV-Symbols" in names and all(n.startswith(("Atkinson-Hyperlegible", "PV-Symbols")) for n in names), names
