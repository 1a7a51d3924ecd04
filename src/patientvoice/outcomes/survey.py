"""Unscored survey items (single/multiple choice without a key, e.g. barriers to change): how many learners
chose each option in each phase. Never a score: there is no right answer."""

from __future__ import annotations

from patientvoice.course.model import Module


def survey_results(module: Module, phases: dict[str, dict[str, dict]]) -> list[dict]:
    """Per survey item: its stem, options and, per phase asked, respondents and the count for each option.

    ``phases`` is ``{phase: {learner: answers}}`` (the responses that count); a multiple-choice answer counts
    once for each option chosen, so counts can add up to more than the respondents.
    """
    out = []
    for item in module.questionnaire.items:
        if item.kind not in ("single", "multiple") or item.scored:
            continue
        result = {"id": item.id, "kind": item.kind, "stem": item.stem, "options": item.options, "phases": {}}
        for phase in item.phases:
            counts, respondents = [0] * len(item.options), 0
            for answers in phases.get(phase, {}).values():
                value = answers.get(item.id)
                chosen = value if isinstance(value, list) else [value]
                valid = [c for c in chosen if isinstance(c, int) and not isinstance(c, bool) and 0 <= c < len(counts)]
                if valid:
                    respondents += 1
                    for c in set(valid):
                        counts[c] += 1
            result["phases"][phase] = {"respondents": respondents, "counts": counts}
        out.append(result)
    return out
