"""A strict reader of the GIFT that ``export questions --format gift`` writes (pygiftparser is lenient).

It accepts only: blank-line-separated blocks, each a ``//`` comment, one ``$CATEGORY:`` line, or one question
``::title::[html]text{…}``; every text marked ``[html]`` (options and feedback too); every GIFT special character
in titles, texts, answers and feedback escaped; answer lines starting with ``=``, ``~`` or ``~%weight%`` where the
weight is one Moodle accepts; a single-answer question whose best answer is worth 100%, a multiple-answer question
whose positive weights add up to 100%. Anything else is an AssertionError naming the block.
"""

from __future__ import annotations

import html
import re

# Moodle's valid grades (question_bank::fraction_options_full), as percentages written with 5 decimals.
_SHARES = [1, 0.9, 5 / 6, 0.8, 0.75, 0.7, 2 / 3, 0.6, 0.5, 0.4, 1 / 3, 0.3, 0.25, 0.2, 1 / 6, 1 / 7, 0.125, 1 / 9,
           0.1, 0.05, 0]
VALID_WEIGHTS = {f"{s * 100:.5f}".rstrip("0").rstrip(".") for s in _SHARES}
VALID_WEIGHTS |= {"-" + w for w in VALID_WEIGHTS if w != "0"}

TOKEN = r"(?:[^\\~=#{}:\n]|\\[\\~=#{}:])+"  # escaped text: no bare special character, no other escape
QUESTION = re.compile(rf"::(?P<title>{TOKEN})::\[html\](?P<text>{TOKEN})\{{(?P<body>(?:[^{{}}\\]|\\.)*)\}}", re.S)
ANSWER = re.compile(rf"\t(?P<mark>=|~(?:%(?P<weight>-?[0-9.]+)%)?)\[html\](?P<answer>{TOKEN})"
                    rf"(?:#\[html\](?P<feedback>{TOKEN}))?")
GENERAL = re.compile(rf"\t####\[html\](?P<feedback>{TOKEN})")


def unescape(text: str) -> str:
    """GIFT escapes undone, then the HTML escapes of the [html] text format: the author's plain text."""
    return html.unescape(re.sub(r"\\(.)", r"\1", text))


def _answers(body: str, where: str) -> tuple[list[dict], str]:
    assert body.startswith("\n") and body.endswith("\n"), f"{where}: answers go on their own lines"
    answers, general = [], ""
    for line in body.strip("\n").split("\n"):
        m = ANSWER.fullmatch(line)
        if m:
            assert not general, f"{where}: general feedback must come last"
            weight = "100" if m["mark"] == "=" else (m["weight"] or "0")
            assert weight in VALID_WEIGHTS, f"{where}: weight {weight}% is not one Moodle accepts"
            answers.append({"correct": m["mark"] == "=", "weight": float(weight), "text": unescape(m["answer"]),
                            "feedback": unescape(m["feedback"] or "")})
            continue
        g = GENERAL.fullmatch(line)
        assert g, f"{where}: not an answer line: {line!r}"
        general = unescape(g["feedback"])
    assert answers, f"{where}: a choice question without answers"
    return answers, general


def parse(text: str) -> list[dict]:
    """Every question as {category, title, text, kind, answers, general}; asserts the strict rules above."""
    assert text.endswith("\n") and not text.endswith("\n\n"), "the file ends with exactly one newline"
    questions, category = [], None
    for n, block in enumerate(text[:-1].split("\n\n"), 1):
        where = f"block {n}"
        lines = block.split("\n")
        assert all(line.strip() for line in lines), f"{where}: a blank line inside a block splits the question"
        if all(line.startswith("//") for line in lines):
            continue
        if block.startswith("$CATEGORY: "):
            assert len(lines) == 1, f"{where}: a category is a block of its own"
            category = block.removeprefix("$CATEGORY: ")
            continue
        m = QUESTION.fullmatch(block)
        assert m, f"{where}: not a question ::title::[html]text{{…}}: {block[:120]!r}"
        assert category, f"{where}: a question before any $CATEGORY"
        q = {"category": category, "title": unescape(m["title"]), "text": unescape(m["text"]), "general": ""}
        if m["body"] == "":
            q.update(kind="essay", answers=[])
        else:
            q["answers"], q["general"] = _answers(m["body"], where)
            weights = [a["weight"] for a in q["answers"]]
            if any(a["correct"] for a in q["answers"]):
                q["kind"] = "single"
                assert max(weights) == 100, f"{where}: the best answer of a single-answer question is worth 100%"
            else:
                q["kind"] = "multiple"
                total = sum(w for w in weights if w > 0)
                assert abs(total - 100) < 0.01, f"{where}: positive weights add up to {total}%, not 100%"
        questions.append(q)
    return questions
