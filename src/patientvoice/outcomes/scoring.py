"""Score knowledge items against the questionnaire's key; a client's own scores are never used."""

from __future__ import annotations

from patientvoice.course.model import Item, Module

KNOWLEDGE_KINDS = ("single", "multiple")


def is_correct(item: Item, answer) -> bool | None:
    """True or False for a knowledge item's answer; None when the item is not scored or was not answered."""
    if not item.scored or answer is None:  # likert, text, and unscored survey items (no key)
        return None
    if item.kind == "multiple":
        key = item.answer if isinstance(item.answer, list) else [item.answer]
        return isinstance(answer, list) and sorted(set(answer)) == sorted(set(key))
    return answer == item.answer


def score(items: dict[str, Item], answers: dict, pass_mark: float | None = None) -> dict:
    """Score one response: per-item correctness, items correct out of knowledge items asked, and pass or fail.

    Unanswered knowledge items count as wrong, so skipping cannot raise a learner's share correct.
    """
    correct = {}
    for item_id, item in items.items():
        if item.scored:
            correct[item_id] = bool(is_correct(item, answers.get(item_id)))
    total = len(correct)
    right = sum(correct.values())
    out = {"items": correct, "correct": right, "total": total, "share": round(right / total, 4) if total else None}
    if pass_mark is not None and total:
        out["passed"] = right / total >= pass_mark
    return out


def pass_mark(module: Module) -> float | None:
    """The module's pass mark as a share, if it states one."""
    mark = module.activity.get("pass_mark")
    return float(mark) if isinstance(mark, (int, float)) and not isinstance(mark, bool) else None
