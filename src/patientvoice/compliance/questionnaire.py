"""Questionnaire rules: every objective is measured, and every knowledge item can be scored."""

from __future__ import annotations

from patientvoice.rules import E, W, Rule, register

KNOWLEDGE = ("single", "multiple")

register(
    Rule("questionnaire.unmeasured", E, "An objective is not measured in both pre and post",
         "AMA requires an assessment that measures achievement of the objectives; a matched item in pre and post "
         "is what shows change.",
         "Add an item with 'objective: <id>' and 'phases: [pre, post, follow-up]'."),
    Rule("questionnaire.no-follow-up", W, "An objective is not measured at follow-up",
         "Follow-up shows whether learning lasted and reached practice (Moore levels 5–6).",
         "Add 'follow-up' to the phases of an item measuring the objective."),
    Rule("questionnaire.answer-range", E, "An answer index is out of range",
         "Answers are option indexes counted from 0; an index past the last option cannot be scored.",
         "Use an index between 0 and the number of options minus one."),
    Rule("questionnaire.no-key", E, "A knowledge item has no answer or rationale",
         "Single and multiple choice items that measure an objective are scored against a key, and the post-test "
         "explains each answer. A choice item with no objective, answer or rationale is an unscored survey item "
         "(barriers to change, say), which is allowed; one with half a key is a mistake.",
         "Add 'answer' (an index, or a list for multiple) and a 'rationale'; or, for a survey question with no "
         "right answer, remove 'objective', 'answer' and 'rationale'."),
    Rule("questionnaire.likert-scale", E, "A likert scale has fewer than 3 points",
         "A scale of two points cannot show a change in confidence.", "Give 'scale' at least three labels (five is usual)."),
    Rule("questionnaire.options", E, "A choice item has fewer than two options",
         "A choice needs at least two options to choose between.", "Add options."),
)


def check(course, problems, today) -> None:
    """Record questionnaire problems for every module."""
    for m in course.modules.values():
        q = m.questionnaire
        if q is None:
            continue
        for idx, item in enumerate(q.items):
            line = lambda *k: q.line("items", idx, *k)  # noqa: E731
            if item.kind in KNOWLEDGE:
                if len(item.options) < 2:
                    problems.add(q.path, line("options"), "questionnaire.options",
                                 f"item '{item.id}' has {len(item.options)} option(s); a choice needs at least two")
                survey = item.answer is None and not item.rationale and not item.objective  # unscored (issue 13)
                if not survey and (item.answer is None or not item.rationale):
                    what = " and ".join(k for k, v in (("answer", item.answer is None), ("rationale", not item.rationale)) if v)
                    why = (f"; it measures objective '{item.objective}', so it is scored" if item.objective and
                           item.answer is None else "")
                    problems.add(q.path, line(), "questionnaire.no-key",
                                 f"{item.kind} item '{item.id}' has no {what}{why}; add them, or remove objective, "
                                 "answer and rationale to make it an unscored survey question")
                answers = item.answer if isinstance(item.answer, list) else [item.answer]
                for a in answers:
                    if isinstance(a, int) and not isinstance(a, bool) and not 0 <= a < len(item.options):
                        problems.add(q.path, line("answer"), "questionnaire.answer-range",
                                     f"item '{item.id}': answer {a} is out of range (options 0–{len(item.options) - 1})")
                if item.kind == "single" and isinstance(item.answer, list):
                    problems.add(q.path, line("answer"), "questionnaire.answer-range",
                                 f"single item '{item.id}' takes one answer index, not a list; use kind: multiple")
            elif item.kind == "likert" and len(item.scale) < 3:
                problems.add(q.path, line("scale"), "questionnaire.likert-scale",
                             f"likert item '{item.id}' has {len(item.scale)} scale point(s); use at least 3")
        for obj in m.objectives:
            phases = {p for i in q.items if i.objective == obj.id for p in i.phases}
            missing = [p for p in ("pre", "post") if p not in phases]
            if missing:
                problems.add(m.path, obj.line, "questionnaire.unmeasured",
                             f"objective '{obj.id}' is not measured in {' and '.join(missing)} ({problems.rel(q.path)})")
            elif "follow-up" not in phases:
                problems.add(m.path, obj.line, "questionnaire.no-follow-up",
                             f"objective '{obj.id}' is not measured at follow-up")
