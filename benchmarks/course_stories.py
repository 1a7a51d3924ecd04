"""Composite patient and caregiver stories, and PAG member-survey data sets, for a synthetic course.

Part of the synthetic-course generator (benchmarks/generate_course.py).
"""

from __future__ import annotations

import datetime as dt

from markdown.extensions.toc import slugify

from course_draft import Deck, Draft, fill, make_slots, to_id, wrap, yaml_str
from course_vocabulary import (BAD, CAREGIVER_QUOTES, CAREGIVER_SENTENCES, CHILDREN, CLINICIANS, GOOD, PATIENT_QUOTES,
                               PATIENT_SENTENCES, PSEUDONYMS, RELATIVES, SEGMENTS, STORY_HEADINGS, SURVEY_QUESTIONS,
                               TIMES)


def write_story(draft: Draft, idx: int, c: dict) -> dict:
    """Queue one composite story; return what a module needs to embed it."""
    rng = draft.rng
    # Random mix, but even a tiny course has a caregiver story and a web-only and a print-only story.
    caregiver = rng.random() < 0.25 or idx == 1
    pseudonym = rng.choice(PSEUDONYMS)
    r = rng.random()
    channels = (["web"] if r < 0.15 or idx == 2 else ["print"] if r < 0.2 or idx == 3 else ["web", "print"])
    lay = rng.choice(c["lay"])
    slots = make_slots(sym=lay, rel=rng.choice(RELATIVES), clin="", place=c["place"], time=rng.choice(TIMES),
                       good="", bad="", child=rng.choice(CHILDREN))
    titles = ([f"Watching {slots['child']} wait", "Reading the plan out loud", f"Living around {lay}",
               "Learning when to make a fuss", "The folder by the door"] if caregiver else
              [f"Nights awake with {lay}", "Waiting to be believed", "Years before a name for it",
               f"Learning to talk about {lay}", "A plan of my own", "Long sleeves all year round",
               "The appointment after the results"])
    title = rng.choice(titles)
    sid = f"{to_id(pseudonym)}-{to_id(title)}-{idx + 1:04d}"
    kind = rng.choice(["interview", "interview", "written", "advisory-board", "pag-submission"])
    consent_date = draft.date_between(-700, -200)
    collected = consent_date - dt.timedelta(days=rng.randint(20, 90))
    band = rng.choice(["30-39", "40-49", "50-59", "60-69"] if caregiver else
                      ["20-29", "30-39", "40-49", "50-59", "60-69", "70-79", "80-89"])
    segs = sorted(set(rng.sample(SEGMENTS, 2) + (["caregiver"] if caregiver else [])))
    lines = ["---", f"title: {yaml_str(title)}", f"narrator: {'caregiver' if caregiver else 'patient'}",
             f"pseudonym: {pseudonym}", f"age_band: {band}", f"condition: {c['name']}",
             f"segments: [{', '.join(segs)}]", "source:", f"  kind: {kind}"]
    if kind != "advisory-board":
        lines.append(f"  pag: {c['pag_id']}")
    lines += [f"  collected: {collected.strftime('%Y-%m')}", "consent:", "  status: granted",
              f"  reference: {c['code'].upper()}-CF-{consent_date.year}-{idx + 1:04d}",
              f"  date: {consent_date.isoformat()}", f"  channels: [{', '.join(channels)}]",
              # Consent outlives every module: modules expire at most three years after a past release.
              f"  expires: {draft.date_between(4 * 365, 5 * 365).isoformat()}", "  final_text_approved: true"]
    if caregiver:  # a caregiver's story is about another person: their representative's consent (rule consent.representative)
        lines += ["  given_by: representative", "  representative:", "    relationship: parent",
                  f"    reference: {c['code'].upper()}-CF-{consent_date.year}-{idx + 1:04d}-R"]
    lines += ["composite: true", "---", ""]
    who = "parents and partners caring for someone" if caregiver else "people"
    via = f"the {c['pag']}" if kind != "advisory-board" else "a patient advisory panel"
    lines += wrap(f"*This is a fictional composite. It draws on the experiences of several {who} living with "
                   f"{c['lname']}, shared through {via}. It is not any one person's story, and identifying "
                   "details have been changed.*")
    sentences = Deck(rng, CAREGIVER_SENTENCES if caregiver else PATIENT_SENTENCES)
    quotes = Deck(rng, CAREGIVER_QUOTES if caregiver else PATIENT_QUOTES)
    headings = rng.sample(STORY_HEADINGS, rng.randint(3, 4))
    for h in headings:
        lines += ["", f"## {h}", ""]
        for p in range(1 if rng.random() < 0.7 else 2):
            if p:
                lines.append("")
            slots.update(make_slots(clin=rng.choice(CLINICIANS), good=rng.choice(GOOD), bad=rng.choice(BAD)))
            lines += wrap(" ".join(fill(t, slots) for t in sentences.draw(rng.randint(3, 4))))
        if rng.random() < 0.5:
            lines += [""] + wrap(quotes.draw()[0], "> ")
    draft.write(f"content/stories/{sid}.md", "\n".join(lines) + "\n")
    return {"id": sid, "channels": channels, "sections": [slugify(h, "-") for h in headings]}


def write_dataset(draft: Draft, idx: int, c: dict) -> tuple[str, list[str]]:
    """Queue one PAG survey data set; return its id and question ids."""
    rng = draft.rng
    start = draft.date_between(-800, -300)
    did = f"{c['code']}-member-survey-{idx + 1:03d}"
    end = start + dt.timedelta(days=rng.randint(30, 120))
    respondents = rng.randint(150, 2400)
    qs = rng.sample(SURVEY_QUESTIONS, rng.randint(3, 4))
    lines = [f"title: Living with {c['lname']} — member survey {start.year}", f"pag: {c['pag_id']}",
             f"conducted_by: {c['pag']}",
             f"funding: No industry funding; run by volunteers and staff of the {c['pag']}",
             f"fielded: {{from: {start.isoformat()}, to: {end.isoformat()}}}",
             "method: Online self-report questionnaire (open survey), piloted with members before launch",
             f"population: Adults living with {c['lname']}, and parents of children with it",
             "sampling: >-", "  Convenience sample; open invitation through the group's newsletter and forum.",
             "  No weighting; response rate not calculable for an open survey",
             f"respondents: {respondents}", "questions:"]
    for qid, text, kind, labels in qs:
        answered = rng.randint(respondents * 8 // 10, respondents)
        if kind == "single":  # counts add up to answered, none under 5 (small cells could identify people)
            spare = answered - 5 * len(labels)
            cuts = sorted(rng.randint(0, spare) for _ in range(len(labels) - 1))
            counts = [5 + b - a for a, b in zip([0] + cuts, cuts + [spare])]
        else:
            counts = [rng.randint(5, answered) for _ in labels]
        text = fill(text, make_slots(focus=c["focus"], lname=c["lname"]))
        lines += [f"  - id: {qid}", f"    text: {yaml_str(text)}", f"    kind: {kind}", f"    answered: {answered}",
                  "    results:"]
        lines += [f"      {yaml_str(label)}: {n}" for label, n in zip(labels, counts)]
    draft.write(f"content/data/{did}.yml", "\n".join(lines) + "\n")
    return did, [q[0] for q in qs]
