"""The question bank as GIFT, Moodle's plain-text question format.

Every text (stem, option, feedback) is marked ``[html]`` and HTML-escaped, then GIFT-escaped (``\\`` first,
then ``~ = # { } :``), so no stem or option can become markup or GIFT syntax. The marker goes on options and
feedback too, not only on the stem: Moodle reads a leading ``[…]`` on any of them as a format name, and a
leading ``%50%`` on an option as a weight, and GIFT has no escape for either. One question per blank-line block,
a ``$CATEGORY:`` line per phase. Weights are taken from Moodle's list of valid grades, which Moodle's importer
requires by default.
"""

from __future__ import annotations

import html

from patientvoice.export.questions import Bank, BankItem

SPECIAL = "~=#{}:"
# Moodle's grade list (question_bank::fraction_options_full): its importers refuse any other weight by default.
_SHARES = (1, 0.9, 5 / 6, 0.8, 0.75, 0.7, 2 / 3, 0.6, 0.5, 0.4, 1 / 3, 0.3, 0.25, 0.2, 1 / 6, 1 / 7, 0.125, 1 / 9, 0.1,
           0.05, 0)
MOODLE_WEIGHTS = {f"{sign * s * 100:.5f}".rstrip("0").rstrip(".") for s in _SHARES for sign in (1, -1)} - {"-0"}


class WeightError(ValueError):
    """An option weight that Moodle's importer would refuse; the message names the item and the fix."""


def escape(text: str) -> str:
    """Text as GIFT reads it back unchanged: HTML-escaped (for the [html] format), then GIFT special characters."""
    out = html.escape(text, quote=False).replace("\\", "\\\\")
    for ch in SPECIAL:
        out = out.replace(ch, "\\" + ch)
    return out.replace("\n", " ")


def weight(share: float, item_id: str = "") -> str:
    """A fraction of the mark as Moodle writes it (100, 50, 33.33333, -100); WeightError if Moodle would refuse it."""
    text = f"{share * 100:.5f}".rstrip("0").rstrip(".")
    if text not in MOODLE_WEIGHTS:
        raise WeightError(f"item '{item_id}': each option would weigh {text}%, which Moodle does not accept; "
                          "Moodle takes at most 10 weighted options (fewer options, or fewer correct ones)")
    return text


def category_path(*names: str) -> str:
    """A Moodle category path; a '/' inside a name is doubled, as Moodle reads it."""
    return "/".join(n.replace("/", "//") for n in names)


def _answers(item: BankItem) -> list[str]:
    lines = []
    n = len(item.options)
    for i, option in enumerate(item.options):
        fb = item.option_feedback(i)
        tail = f"#[html]{escape(fb)}" if fb else ""
        if item.kind == "single" and item.scored:
            mark = "=" if i in item.key else "~"
        elif item.kind == "single":
            # A survey item: every answer counts fully ("=" first keeps Moodle's single-answer type).
            mark = "=" if i == 0 else "~%100%"
        elif item.scored:
            mark = f"~%{weight(1 / len(item.key), item.id)}%" if i in item.key else "~%-100%"
        else:
            mark = f"~%{weight(1 / n, item.id)}%"
        lines.append(f"\t{mark}[html]{escape(option)}{tail}")
    if item.general_feedback:
        lines.append(f"\t####[html]{escape(item.general_feedback)}")
    return lines


def gift_question(item: BankItem) -> str:
    """One question block: ``::id::[html]stem{ answers }``; an essay has empty braces."""
    head = f"::{escape(item.id)}::[html]{escape(item.stem)}"
    if item.kind == "essay":
        return head + "{}"
    return "\n".join([head + "{", *_answers(item), "}"])


def gift_text(bank: Bank) -> str:
    """The whole bank as GIFT text, categories in phase order."""
    blocks = [f"// {bank.title} ({bank.activity_id}): question bank exported by patientvoice"]
    for cat in bank.categories:
        blocks.append(f"$CATEGORY: {category_path('$course$', 'top', bank.title, cat.title)}")
        blocks.extend(gift_question(item) for item in cat.items)
    return "\n\n".join(blocks) + "\n"
