"""PAG data rules: survey results shown to learners must add up and carry their methods."""

from __future__ import annotations

import datetime as dt

from patientvoice.rules import E, W, Rule, register

register(
    Rule("data.count-exceeds", E, "An answer count is larger than 'answered'",
         "No answer can be chosen by more people than answered the question.", "Correct the count or 'answered'."),
    Rule("data.answered-exceeds", E, "'answered' is larger than 'respondents'",
         "A question cannot be answered by more people than took the survey.", "Correct 'answered' or 'respondents'."),
    Rule("data.sum", E, "Single-answer results do not add up to 'answered'",
         "Each respondent picks one answer, so the counts must add up; otherwise the percentages shown are wrong.",
         "Correct the counts, add the missing answer (e.g. 'Prefer not to say'), or use kind: multiple."),
    Rule("data.methods", E, "A methods field is missing",
         "Learners judge experience data by who ran the survey, who funded it, whom it asked, how and when "
         "(AAPOR disclosure standards); every chart and table carries this methods note.",
         "Add the missing field(s): conducted_by, funding, method, population, sampling, fielded {from, to}."),
    Rule("data.small-cell", W, "A count under 5 may identify respondents",
         "In small communities (rare diseases) a count of 1–4 can point at a person.",
         "Merge small answers into a broader category, or suppress the count."),
)

_METHODS = ("conducted_by", "funding", "method", "population", "sampling")


def check(course, problems, today) -> None:
    """Record data problems for every data set."""
    for d in course.datasets.values():
        missing = [k for k in _METHODS if not getattr(d, k)]
        if not (isinstance(d.fielded_from, dt.date) and isinstance(d.fielded_to, dt.date)):
            missing.append("fielded {from, to}")
        if missing:
            problems.add(d.path, 1, "data.methods", f"methods note incomplete: {', '.join(missing)} missing")
        for i, q in enumerate(d.questions.values()):
            if d.respondents and q.answered > d.respondents:
                problems.add(d.path, d.line("questions", i, "answered"), "data.answered-exceeds",
                             f"question '{q.id}': answered {q.answered} is more than respondents {d.respondents}")
            counts = {k: v for k, v in q.results.items() if isinstance(v, int) and not isinstance(v, bool)}
            for label, n in counts.items():
                line = d.line("questions", i, "results", label)
                if n > q.answered:
                    problems.add(d.path, line, "data.count-exceeds",
                                 f"question '{q.id}': '{label}' count {n} is more than answered {q.answered}")
                if 0 < n < 5:
                    problems.add(d.path, line, "data.small-cell",
                                 f"question '{q.id}': '{label}' count {n} is under 5 and may identify respondents")
            if q.kind == "single" and counts and sum(counts.values()) != q.answered:
                problems.add(d.path, d.line("questions", i, "results"), "data.sum",
                             f"question '{q.id}': single-answer counts add up to {sum(counts.values())}, "
                             f"not answered {q.answered}")
