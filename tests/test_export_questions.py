"""`export questions`: the questionnaire as QTI 2.1 / QTI 3.0 packages, GIFT and Moodle XML question banks.

QTI files are validated against the IMS XSDs in tests/data/xsd/ims (see its README for what they are); GIFT is
read back by pygiftparser and by the strict reader in giftcheck.py; Moodle XML is parsed and checked against
the rules Moodle's importer applies to multichoice and essay questions.
"""

from __future__ import annotations

import html
import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

import giftcheck
from coursekit import MODULE, QUESTIONNAIRE, make_course
from patientvoice.cli import main
from patientvoice.course.loader import load_course
from patientvoice.course.model import Item
from patientvoice.export.questions import Bank, Category, bank_item, build_bank, render

REPO = Path(__file__).resolve().parents[1]
XSD = Path(__file__).parent / "data" / "xsd" / "ims"
# Every GIFT special character, a backslash, HTML and an entity.
HOSTILE = r"Is {x} = ~y # z: a \ b <b>bold</b> &amp; more?"
QUESTIONS = """\
follow_up_after_days: 60
items:
  - id: itch-impact
    phases: [pre, post, follow-up]
    objective: recognise-burden
    kind: single
    stem: A woman with PBC says she has not slept a full night in months. What do you ask next?
    options:
      - Whether the itch is worse at night and how it affects her work and family
      - Whether she has tried antihistamines
      - When her next liver biopsy is due
    answer: 0
    rationale: Patients describe night-time itch as the most disabling symptom.
  - id: features
    phases: [pre, post]
    objective: recognise-burden
    kind: multiple
    stem: Which are typical of cholestatic itch?
    options: [Worse at night, Affects palms and soles, Urticarial rash]
    answer: [0, 1]
    rationale: Itch is worst at night and often affects the palms and soles; there is no primary rash.
  - id: confidence-itch
    phases: [pre, post, follow-up]
    objective: recognise-burden
    kind: likert
    stem: How confident are you in assessing the impact of itch on daily life?
    scale: [Not at all, Slightly, Moderately, Very, Extremely]
  - id: commit
    phases: [post]
    kind: commitment
    stem: What will you change in your practice after this module?
  - id: implemented
    phases: [follow-up]
    kind: text
    stem: What have you changed since completing the module?
"""
# Not check-clean (a keyless choice item and hostile text), so used through build_bank, not the command.
HOSTILE_QUESTIONS = QUESTIONS + f"""\
  - id: 2nd-hostile
    phases: [post]
    objective: recognise-burden
    kind: single
    stem: '{HOSTILE}'
    options: ['{HOSTILE}', 'Plain']
    answer: 1
    rationale: '{HOSTILE}'
  - id: survey-choice
    phases: [post]
    kind: single
    stem: Which setting do you work in?
    options: ['[plain] Hospital', '%50% primary care', Other]
  - id: survey-multiple
    phases: [post]
    kind: multiple
    stem: Which resources do you use?
    options: [Guidelines, Colleagues, Patient groups]
"""


def _banks(tmp_path) -> list:
    """Banks that between them hold every item kind: the hostile test course and the example course's modules."""
    kit = make_course(tmp_path, {QUESTIONNAIRE: HOSTILE_QUESTIONS}, approved=False)
    course, _ = load_course(kit.root)
    example, _ = load_course(REPO)
    return [build_bank(course.modules[MODULE])] + [build_bank(m) for m in example.modules.values()]


class _Stubs(etree.Resolver):
    """Stand-ins for the MathML 3 and SSML 1.1 schemas QTI 3.0 imports (see data/xsd/ims/README.md); no fetches."""

    @staticmethod
    def _schema(ns: str, names: list[str]) -> str:
        any_el = ('<xs:complexType mixed="true"><xs:sequence><xs:any processContents="skip" minOccurs="0" '
                  'maxOccurs="unbounded"/></xs:sequence><xs:anyAttribute processContents="skip"/></xs:complexType>')
        elements = "".join(f'<xs:element name="{n}">{any_el}</xs:element>' for n in names)
        return (f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="{ns}" '
                f'elementFormDefault="qualified">{elements}</xs:schema>')

    def resolve(self, url, pubid, context):
        if url.endswith("mathml3/mathml3.xsd"):
            return self.resolve_string(self._schema("http://www.w3.org/1998/Math/MathML", ["math"]), context)
        if url.endswith("ssml11/ssmlv1p1-core.xsd"):
            names = "audio break emphasis mark p phoneme prosody s say-as speak sub voice".split()
            return self.resolve_string(self._schema("http://www.w3.org/2001/10/synthesis", names), context)
        if "://" in url:
            return self.resolve_string(self._schema("http://www.w3.org/1999/xlink", []), context)
        return None


def _schema(rel: str) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_Stubs())
    return etree.XMLSchema(etree.parse(str(XSD / rel), parser))


@pytest.fixture(scope="module")
def schemas():
    return {"2.1": (_schema("qtiv2p1/imsqti_v2p1.xsd"), _schema("imscp_v1p1.xsd")),
            "3.0": (_schema("qtiv3p0/imsqti_asiv3p0_sbacv1p0_v1p0.xsd"),
                    _schema("qtiv3p0/imsqtiv3p0_imscpv1p2_v1p0.xsd"))}


def _validate(schema: etree.XMLSchema, data: bytes, name: str) -> etree._Element:
    doc = etree.parse(io.BytesIO(data))
    assert schema.validate(doc), f"{name}: " + "; ".join(str(e) for e in schema.error_log)
    return doc.getroot()


def _local(el) -> str:
    return etree.QName(el).localname


@pytest.mark.parametrize("version", ["2.1", "3.0"])
def test_qti_package_validates_and_lists_every_file(tmp_path, schemas, version):
    item_schema, cp_schema = schemas[version]
    for bank in _banks(tmp_path):
        zf = zipfile.ZipFile(io.BytesIO(render(bank, "qti21" if version == "2.1" else "qti30")))
        names = set(zf.namelist())
        manifest = _validate(cp_schema, zf.read("imsmanifest.xml"), "imsmanifest.xml")
        listed = {f.get("href") for f in manifest.iter() if _local(f) == "file"}
        assert listed == names - {"imsmanifest.xml"}, "the manifest lists exactly the files in the zip"
        docs = {name: _validate(item_schema, zf.read(name), name) for name in sorted(names - {"imsmanifest.xml"})}
        items = {n: d for n, d in docs.items() if n.startswith("items/")}
        assert len(items) == len(bank.items())
        test = docs[f"{bank.module}.xml"]
        sections = [s for s in test.iter() if _local(s) in ("assessmentSection", "qti-assessment-section")]
        assert [s.get("title") for s in sections] == [c.title for c in bank.categories]
        for section, cat in zip(sections, bank.categories):
            refs = [r for r in section if _local(r) in ("assessmentItemRef", "qti-assessment-item-ref")]
            assert [r.get("href") for r in refs] == [f"items/{i.id}.xml" for i in cat.items]
            assert {r.get("category") for r in refs} == {cat.phase}


def _text_of(el) -> str:
    return "".join(el.itertext()).strip()


def _html_text(fragment: str) -> str:
    """What a browser shows for an HTML text field of Moodle XML: markup parsed, entities decoded."""
    return lxml_html.fragment_fromstring(fragment or "", create_parent="div").text_content()


@pytest.mark.parametrize("fmt", ["qti21", "qti30"])
def test_qti_items_carry_key_feedback_and_survey_marks(tmp_path, fmt):
    bank = _banks(tmp_path)[0]
    zf = zipfile.ZipFile(io.BytesIO(render(bank, fmt)))
    for item in bank.items().values():
        root = etree.fromstring(zf.read(f"items/{item.id}.xml"))
        by = {}
        for el in root.iter():
            by.setdefault(_local(el).removeprefix("qti-").replace("-", "").lower(), []).append(el)
        choices = [_text_of(c) for c in by.get("simplechoice", [])]
        assert choices == item.options
        prompt = _text_of(by["prompt"][0])
        assert prompt == item.stem, "stem text survives exactly, markup characters included"
        values = [v.text for v in by["correctresponse"][0]] if "correctresponse" in by else []
        assert values == [f"choice-{i + 1}" for i in item.key]
        assert ("responseprocessing" in by) == item.scored
        assert (root.get("label") == "survey") == item.survey
        feedback = {f.get("identifier"): _text_of(f) for f in by.get("modalfeedback", [])}
        if item.scored and item.kind == "single":
            assert feedback[f"choice-{item.key[0] + 1}"] == item.rationale
            wrong = next(i for i in range(len(item.options)) if i not in item.key)
            assert feedback[f"choice-{wrong + 1}"] == f"Not the best answer. {item.rationale}"
        if item.scored and item.kind == "multiple":
            assert feedback["RATIONALE"] == item.rationale
        if item.kind == "essay":
            assert "extendedtextinteraction" in by and "choiceinteraction" not in by


def test_hostile_text_is_escaped_not_markup(tmp_path):
    bank = _banks(tmp_path)[0]
    item = bank.items()["2nd-hostile"]
    assert item.stem == HOSTILE
    zf = zipfile.ZipFile(io.BytesIO(render(bank, "qti21")))
    raw = zf.read("items/2nd-hostile.xml").decode()
    assert "<b>" not in raw and "&lt;b&gt;bold&lt;/b&gt; &amp;amp; more" in raw
    assert 'identifier="item-2nd-hostile"' in raw, "an id starting with a digit is made a valid QTI identifier"
    gift = render(bank, "gift").decode()
    assert r"Is \{x\} \= \~y \# z\: a \\ b &lt;b&gt;bold&lt;/b&gt; &amp;amp; more?" in gift


def test_gift_reads_back_strictly_and_through_pygiftparser(tmp_path):
    from pygiftparser import parser as gift_parser
    from pygiftparser.utils import transformSpecials

    for bank in _banks(tmp_path):
        text = render(bank, "gift").decode()
        strict = giftcheck.parse(text)
        expected = [(c, i) for c in bank.categories for i in c.items]
        assert len(strict) == len(expected)
        for q, (cat, item) in zip(strict, expected):
            assert q["category"] == f"$course$/top/{bank.title.replace('/', '//')}/{cat.title}"
            assert (q["title"], q["text"], q["kind"]) == (item.id, item.stem, item.kind)
            assert [a["text"] for a in q["answers"]] == item.options
            assert [a["feedback"] for a in q["answers"]] == [item.option_feedback(i) for i in range(len(item.options))]
            assert q["general"] == item.general_feedback
            if item.scored and item.kind == "single":
                assert [a["correct"] for a in q["answers"]] == [i in item.key for i in range(len(item.options))]
            if item.survey:
                assert all(a["weight"] > 0 for a in q["answers"]), "a survey item has no wrong answer"

        lenient = gift_parser.parseFile(io.StringIO(text))
        assert len(lenient) == len(expected)
        for q, (cat, item) in zip(lenient, expected):
            assert q.title == item.id
            if "}" in item.stem + "".join(item.options) + item.rationale + item.general_feedback:
                continue  # pygiftparser ends the answers at the first "}", escaped or not: giftcheck covers these
            assert q.valid, q.source
            kind = {"SelectSet": "single", "MultipleChoicesSet": "multiple", "Essay": "essay"}[type(q.answers).__name__]
            assert kind == item.kind
            answers = getattr(q.answers, "answers", [])
            # pygiftparser keeps escapes in texts and does not know "\\"; undo the ones it knows.
            assert [html.unescape(transformSpecials(a.answer.removeprefix("[html]"))) for a in answers] == \
                   [o.replace("\\", "\\\\") for o in item.options]
            if item.scored and item.kind == "single":
                assert [a.fraction for a in answers] == [100 if i in item.key else 0 for i in range(len(answers))]


def test_strict_gift_reader_rejects_what_pygiftparser_lets_through():
    with pytest.raises(AssertionError, match="not a question"):
        giftcheck.parse("$CATEGORY: a/b\n\n::q::[html]What is 1 = 1?{\n\t=[html]Yes\n\t~[html]No\n}\n")
    with pytest.raises(AssertionError, match="not a question"):
        giftcheck.parse("$CATEGORY: a/b\n\n::q::[html]Unclosed{\n\t=[html]Yes\n")
    with pytest.raises(AssertionError, match="Moodle accepts"):
        giftcheck.parse("$CATEGORY: a/b\n\n::q::[html]Pick{\n\t~%45%[html]A\n\t~%55%[html]B\n}\n")
    with pytest.raises(AssertionError, match="add up"):
        giftcheck.parse("$CATEGORY: a/b\n\n::q::[html]Pick{\n\t~%50%[html]A\n\t~%25%[html]B\n}\n")
    with pytest.raises(AssertionError, match="not an answer line"):  # Moodle would read "[plain]" as a format
        giftcheck.parse("$CATEGORY: a/b\n\n::q::[html]Pick{\n\t=[plain] A\n\t~[html]B\n}\n")


def _fraction_ok(value: str) -> bool:
    return value in giftcheck.VALID_WEIGHTS


def test_moodle_xml_uses_moodle_question_types(tmp_path):
    for bank in _banks(tmp_path):
        root = etree.fromstring(render(bank, "moodle-xml"))
        assert root.tag == "quiz"
        questions = root.findall("question")
        assert {q.get("type") for q in questions} <= {"category", "multichoice", "essay"}
        expected = iter([(c, i) for c in bank.categories for i in c.items])
        category = None
        for q in questions:
            if q.get("type") == "category":
                category = q.findtext("category/text")
                continue
            cat, item = next(expected)
            assert category == f"$course$/top/{bank.title.replace('/', '//')}/{cat.title}"
            assert q.findtext("name/text") == item.id and q.findtext("idnumber") == item.id
            assert q.find("questiontext").get("format") == "html"
            assert _html_text(q.findtext("questiontext/text")) == item.stem
            assert float(q.findtext("defaultgrade")) == (1 if item.scored else 0)
            assert (q.find("tags/tag/text") is not None) == item.survey
            if item.kind == "essay":
                assert q.get("type") == "essay" and q.findtext("responseformat") == "editor"
                continue
            answers = q.findall("answer")
            fractions = [a.get("fraction") for a in answers]
            assert all(_fraction_ok(f) for f in fractions), fractions
            values = [float(f) for f in fractions]
            if q.findtext("single") == "true":
                assert item.kind == "single" and max(values) == 100
            else:
                assert item.kind == "multiple" and abs(sum(v for v in values if v > 0) - 100) < 0.01
            texts = [_html_text(a.findtext("text")) for a in answers]
            assert texts == item.options
        assert next(expected, None) is None


def _run(kit, *args):
    return CliRunner().invoke(main, ["export", "questions", *args, "--root", str(kit.root)])


def test_command_writes_each_format(tmp_path):
    kit = make_course(tmp_path / "course", {QUESTIONNAIRE: QUESTIONS})
    for fmt in ("qti21", "qti30", "gift", "moodle-xml"):
        out = tmp_path / f"bank-{fmt}"
        result = _run(kit, MODULE, "--format", fmt, "--out", str(out))
        assert result.exit_code == 0, result.output
        assert "5 questions in 3 categories" in result.output
        assert out.stat().st_size > 0 and not out.with_name(out.name + ".part").exists()
    assert zipfile.is_zipfile(tmp_path / "bank-qti21")


def test_command_refuses_unapproved_module_and_unknown_module(tmp_path):
    kit = make_course(tmp_path / "course", {QUESTIONNAIRE: QUESTIONS}, approved=False)
    out = tmp_path / "bank.gift"
    result = _run(kit, MODULE, "--format", "gift", "--out", str(out))
    assert result.exit_code != 0 and "review.no-approval" in result.output and "stop the export" in result.output
    assert not out.exists()
    result = _run(kit, "no-such-module", "--format", "gift", "--out", str(out))
    assert result.exit_code != 0 and "no module 'no-such-module'" in result.output
    assert not out.exists()


# Any text an author could write in YAML (no control characters, no surrogates, nothing YAML refuses).
_AUTHOR_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
                       min_size=1, max_size=40).filter(lambda t: t.strip())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stem=_AUTHOR_TEXT, option=_AUTHOR_TEXT, rationale=_AUTHOR_TEXT)
@example(stem="<b>bold</b> &amp; {x} = ~y", option="[plain] %50% a\\nb", rationale="#c :d <script>")
def test_any_author_text_survives_every_format(schemas, stem, option, rationale):
    raw = Item(id="q", phases=["post"], objective="o", kind="single", stem=stem, options=[option, "Other"],
               answer=0, rationale=rationale, scale=[], line=1)
    item = bank_item(raw)
    bank = Bank("m", "Module", "A-1", [Category("post", "Post-test", [item])])
    (q,) = giftcheck.parse(render(bank, "gift").decode())
    assert (q["text"], q["answers"][0]["text"], q["answers"][0]["feedback"]) == (item.stem, item.options[0],
                                                                                  item.rationale)
    moodle = etree.fromstring(render(bank, "moodle-xml")).findall("question")[1]
    assert _html_text(moodle.findtext("questiontext/text")) == item.stem
    assert _html_text(moodle.find("answer").findtext("feedback/text")) == item.rationale
    for fmt, version in (("qti21", "2.1"), ("qti30", "3.0")):
        zf = zipfile.ZipFile(io.BytesIO(render(bank, fmt)))
        root = _validate(schemas[version][0], zf.read("items/q.xml"), f"{fmt} items/q.xml")
        prompt = next(e for e in root.iter() if _local(e) in ("prompt", "qti-prompt"))
        assert _text_of(prompt) == item.stem


def test_weights_moodle_would_refuse_stop_the_gift_and_moodle_exports(tmp_path):
    options = "".join(f"\n      - Option {n}" for n in range(12))
    many = QUESTIONS + f"""\
  - id: eleven-right
    phases: [post]
    objective: recognise-burden
    kind: multiple
    stem: Pick eleven.
    options:{options}
    answer: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    rationale: Eleven shares of 100% are not on Moodle's grade list.
"""
    kit = make_course(tmp_path / "course", {QUESTIONNAIRE: many})
    for fmt in ("gift", "moodle-xml"):
        out = tmp_path / f"bank-{fmt}"
        result = _run(kit, MODULE, "--format", fmt, "--out", str(out))
        assert result.exit_code != 0 and "item 'eleven-right'" in result.output and "9.09091%" in result.output
        assert not out.exists()
    assert _run(kit, MODULE, "--format", "qti21", "--out", str(tmp_path / "q.zip")).exit_code == 0
