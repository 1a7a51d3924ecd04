"""The report's later follow-up waves (``follow-up-2``, ...): who counted, and the knowledge score pre → wave.

The first wave stays the report's ``follow-up`` everywhere (tables, Moore levels, charts); each later wave is
summarised on its own, with the same rules: the latest response counts, and only when it was submitted at
least the wave's days after the learner's counted post-test.
"""

from __future__ import annotations

from patientvoice.course.model import Module
from patientvoice.course.waves import wave_number


def later_waves(module: Module, chosen: dict[str, dict[str, dict]]) -> list[dict]:
    """One summary per follow-up wave after the first: phase, days, learners counted and not, matched, score."""
    from patientvoice.outcomes.analysis import answers_only, due_follow_ups
    from patientvoice.outcomes.totals import knowledge_total

    out = []
    for phase, days in module.questionnaire.waves()[1:]:
        # due_follow_ups and knowledge_total know the phase 'follow-up': give them this wave under that name
        alias = {"pre": chosen.get("pre", {}), "post": chosen.get("post", {}), "follow-up": chosen.get(phase, {})}
        kept, dropped = due_follow_ups(alias, days)
        answers = answers_only(kept)
        counted = set(answers["follow-up"])
        out.append({"phase": phase, "wave": wave_number(phase), "after_days": days, "counted": len(counted),
                    "matched": len(set(answers["pre"]) & counted), "not_counted": dropped,
                    "knowledge_total": knowledge_total(module, answers).get("follow-up")})
    return out
