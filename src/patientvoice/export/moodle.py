"""The question bank as Moodle XML: a category pseudo-question per phase, multichoice and essay questions.

Text fields are HTML (``format="html"``) made from HTML-escaped plain text, and the XML writer escapes that
again, so an author's ``<`` stays a visible character. Scored items carry their fractions (single: 100 on the
key; multiple: the key shares 100, every wrong option -100, so a wrong tick costs the item, close to the site's
all-or-nothing scoring); survey items accept every answer, weigh 0 and are tagged ``survey``.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET

from patientvoice.export.gift import category_path, weight
from patientvoice.export.questions import Bank, BankItem


def _html(text: str) -> str:
    return f"<p>{html.escape(text, quote=False)}</p>" if text else ""


def _text(parent: ET.Element, tag: str, text: str, fmt: str | None = "html") -> ET.Element:
    el = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(el, "text").text = text
    return el


def _value(parent: ET.Element, tag: str, value) -> None:
    ET.SubElement(parent, tag).text = str(value)


def _category(quiz: ET.Element, path: str) -> None:
    q = ET.SubElement(quiz, "question", {"type": "category"})
    _text(q, "category", path, None)
    _text(q, "info", "")


def fractions(item: BankItem) -> list[float]:
    """Each option's share of the mark, as Moodle's multichoice question type checks it."""
    n = len(item.options)
    if item.kind == "single":
        return [1.0 if (i in item.key or not item.scored) else 0.0 for i in range(n)]
    if item.scored:
        return [1 / len(item.key) if i in item.key else -1.0 for i in range(n)]
    return [1 / n] * n


def _question(quiz: ET.Element, item: BankItem) -> None:
    q = ET.SubElement(quiz, "question", {"type": "essay" if item.kind == "essay" else "multichoice"})
    _text(q, "name", item.id, None)
    _text(q, "questiontext", _html(item.stem))
    _text(q, "generalfeedback", _html(item.general_feedback))
    _value(q, "defaultgrade", 1 if item.scored else 0)
    _value(q, "penalty", 0)
    _value(q, "hidden", 0)
    _value(q, "idnumber", item.id)
    if item.kind == "essay":
        _value(q, "responseformat", "editor")
        _value(q, "responserequired", 0)  # reflections are optional on the site too
        _value(q, "responsefieldlines", 5)
        _value(q, "attachments", 0)
        _text(q, "graderinfo", "")
        _text(q, "responsetemplate", "")
    else:
        _value(q, "single", "true" if item.kind == "single" else "false")
        _value(q, "shuffleanswers", "false")  # the site keeps the author's order; a likert scale must
        _value(q, "answernumbering", "none" if item.likert else "abc")
        for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
            _text(q, tag, "")
        for i, (option, share) in enumerate(zip(item.options, fractions(item))):
            answer = ET.SubElement(q, "answer", {"fraction": weight(share, item.id), "format": "html"})
            ET.SubElement(answer, "text").text = _html(option)
            _text(answer, "feedback", _html(item.option_feedback(i)))
    if item.survey:
        _value(ET.SubElement(ET.SubElement(q, "tags"), "tag"), "text", "survey")


def moodle_xml(bank: Bank) -> bytes:
    """The whole bank as a Moodle XML document (UTF-8 bytes)."""
    quiz = ET.Element("quiz")
    quiz.append(ET.Comment(f" {bank.title} ({bank.activity_id}): question bank exported by patientvoice "
                           .replace("--", "- -")))
    for cat in bank.categories:
        _category(quiz, category_path("$course$", "top", bank.title, cat.title))
        for item in cat.items:
            _question(quiz, item)
    ET.indent(quiz)
    return ET.tostring(quiz, encoding="utf-8", xml_declaration=True) + b"\n"
