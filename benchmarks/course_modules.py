"""Module pages of a synthetic course: front matter, body with story and data blocks, and questionnaire.

Part of the synthetic-course generator (benchmarks/generate_course.py).
"""

from __future__ import annotations

import datetime as dt
import json
import math

from course_draft import Deck, Draft, fill, make_slots, to_id, wrap, yaml_str, years_later
from course_vocabulary import COMPANIES, FALSE_STATEMENTS, MODULE_HEADINGS, MODULE_SENTENCES, MODULE_THEMES, OBJECTIVES


def write_module(draft: Draft, idx: int, c: dict, stories: list[dict],
                 data: list[tuple[str, str]]) -> tuple[str, str, list]:
    """Queue a module's index.md and questionnaire.yml; return (id, title, approver ids)."""
    rng = draft.rng
    slots = make_slots(focus=c["focus"], short=c["short"], lay=rng.choice(c["lay"]), lname=c["lname"],
                       treat=rng.choice(c["treats"]), place=c["place"], name=c["name"])
    theme = fill(rng.choice(MODULE_THEMES), slots)
    mid = f"{c['code']}-{to_id(theme)}-{idx + 1:03d}"
    title = f"{theme}: {c['focus']} in {c['lname']}"
    release = draft.date_between(-120, -14)
    expires = years_later(release, rng.choice([1, 2, 3])) - dt.timedelta(days=1)
    minutes = rng.choice([30, 45, 60, 75, 90])
    objectives = OBJECTIVES[:3] + ([OBJECTIVES[3]] if rng.random() < 0.3 else [])
    faculty = rng.sample(c["clinicians"], min(len(c["clinicians"]), rng.randint(1, 2)))
    lines = ["---", f"title: {yaml_str(title)}", "activity:",
             f"  id: PV-{release.year}-{c['code'].upper()}-{idx + 1:03d}",
             "  format: enduring", f"  release: {release.isoformat()}", f"  expires: {expires.isoformat()}",
             f"  minutes: {minutes}", f"  credits: {round(minutes / 15) / 4}",
             f"  audience: [{', '.join(c['audience'])}]", f"  pass_mark: {rng.choice([0.7, 0.75, 0.8])}",
             "objectives:"]
    for level, oid, text in objectives:
        lines += [f"  - id: {oid}", "    text: >-"] + wrap(fill(text, slots), "      ") + [f"    level: {level}"]
    lines += [f"faculty: [{', '.join(faculty)}]", f"planners: [{c['planner']}, {c['partner']}]"]
    if rng.random() < 0.1:
        # Standard 4 (issue 13): the amount and the agreement signed before release; no rng draw, so the
        # rest of the generated course is unchanged
        lines += ["commercial_support:", f"  - company: {rng.choice(COMPANIES[:-1])}",
                  "    kind: educational-grant", "    amount: 10000", "    currency: USD",
                  f"    agreement: {{reference: LOA-{mid}, signed: {(release - dt.timedelta(days=30)).isoformat()}}}"]
    else:
        lines.append("commercial_support: []")
    # Issue 13 extensions: no off-label use, and a gap drawn from the module's own stories and data (no rng
    # draws, so a seed still makes the same course as before apart from these lines).
    lines += ["off_label: []", "gap:", "  statement: >-"]
    lines += wrap(f"Clinicians under-recognise {c['focus']} in {c['lname']}, as patients and PAG surveys report.",
                  "    ")
    lines += ["  sources:"] + [ln for st in stories[:2] for ln in ("    - kind: patient-interviews", f"      ref: {st['id']}")]
    lines += [ln for did, _ in data[:1] for ln in ("    - kind: pag-data", f"      ref: {did}")]
    lines += ["    - kind: literature", "      ref: Example Guideline Group, synthetic reference"]
    lines += ["review:", f"  committee: {c['committee']}", "  approvals: []", "---", ""]
    lines += _body(draft, slots, c, stories, data)
    draft.write(f"modules/{mid}/index.md", "\n".join(lines) + "\n")
    draft.write(f"modules/{mid}/questionnaire.yml", _questionnaire(draft, title, objectives, slots))
    return mid, title, [c["clinicians"][0], c["partner"]]


def _body(draft: Draft, slots: dict, c: dict, stories: list[dict], data: list[tuple[str, str]]) -> list[str]:
    """The Markdown body: sections of prose with story, pag-data, web-only and print-only blocks."""
    rng = draft.rng
    deck = Deck(rng, MODULE_SENTENCES)

    def para(lo: int = 3, hi: int = 5) -> list[str]:
        return wrap(" ".join(fill(t, slots) for t in deck.draw(rng.randint(lo, hi))))

    def bullets(n: int) -> list[str]:
        return [ln for t in deck.draw(n) for ln in wrap(fill(t, slots), "- ", "  ")]

    embeds: list[list[str]] = []
    nested = False
    for k, s in enumerate(stories):
        one = len(s["channels"]) == 1
        if one or (not nested and k == len(stories) - 1):  # every module shows a nested block at least once
            only = f"{s['channels'][0]}-only" if one else "web-only"
            note = ({"web-only": "This story was approved for the website only, not the printed handout.",
                     "print-only": "This story was approved for the printed handout only."}[only] if one else
                    "The next story is shown on the website only, next to the links to the survey.")
            # An outer block needs a longer fence than the story block inside it.
            embeds.append([f"//// {only}"] + wrap(note) + ["", f"/// story | {s['id']}", "///", "////"])
            nested = True
        elif k % 2:
            embeds.append([f"/// story | {s['id']}", "///"])
        else:
            embeds.append([f"/// story | {s['id']}#{rng.choice(s['sections'])}", "///"])
    for did, qid in data:
        show = rng.choice([None, "chart", "table", "both"])
        embeds.append([f"/// pag-data | {did}#{qid}"] + ([f"    show: {show}"] if show else []) + ["///"])
    rng.shuffle(embeds)
    out = para(4, 5) + ["", "/// print-only"]
    out += wrap("This handout is the printed version of an online module. Complete the pre-test before reading "
                 "and the post-test afterwards on the course website; the questions are not reproduced here.")
    out += ["///", "", "## How to read the stories and data in this module", ""]
    out += wrap("The stories below are **fictional composites**: each combines the experiences of several people, "
                 "was shaped with patient partners and was approved in its final wording. The survey results come "
                 "from open, self-selected member surveys run by a patient advocacy group. Both describe "
                 "experience; "
                 "neither is clinical evidence, and the recommendations rest on the references listed below.")
    headings = rng.sample(MODULE_HEADINGS, rng.randint(4, 5))
    per = math.ceil(len(embeds) / len(headings))
    for h, heading in enumerate(headings):
        out += ["", f"## {fill(heading, slots)}", ""] + para() + [""] + bullets(rng.randint(3, 4))
        if h == 1:
            out += ["", "| Step | Option | Practical points |", "|---|---|---|"]
            out += [f"| {k + 1} | {t[:1].upper() + t[1:]} | {fill(deck.draw()[0], slots)} |"
                    for k, t in enumerate(c["treats"])]
        if h == 2:
            out += ["", "### Evolving evidence", ""] + para(2, 3)
        for e in embeds[h * per:(h + 1) * per]:
            out += [""] + e + [""] + para(1, 2)
    out += ["", "/// web-only", "A printable handout of this module is available from the course home page.",
            "///", "", "## Key points", ""] + bullets(4) + ["", "## References", ""]
    for k in range(rng.randint(3, 5)):
        year = draft.today.year - rng.randint(1, 8)
        out += wrap(f"{k + 1}. Example Guideline Group. {fill(rng.choice(MODULE_HEADINGS), slots)}: a synthetic "
                     f"reference. *Journal of Example Medicine*. "
                     f"{year};{rng.randint(10, 90)}({rng.randint(1, 12)}):"
                     f"{rng.randint(100, 400)}–{rng.randint(401, 900)}.", "", "   ")
    return out


def _questionnaire(draft: Draft, title: str, objectives: list, slots: dict) -> str:
    """Every objective measured in pre, post and follow-up; single, multiple, likert, commitment and text items."""
    rng = draft.rng
    true, false = Deck(rng, MODULE_SENTENCES), Deck(rng, FALSE_STATEMENTS)
    lines = [f"# Pre-, post- and follow-up questionnaire for {json.dumps(title, ensure_ascii=False)}.",
             f"follow_up_after_days: {rng.choice([30, 60, 90])}", "items:"]

    def choice_item(iid, oid, kind, phases, stem, n_true):
        right = [fill(t, slots).rstrip(".") for t in true.draw(n_true)]
        options = right + [fill(t, slots) for t in false.draw(4 - n_true)]
        rng.shuffle(options)
        answer = sorted(options.index(o) for o in right)
        out = [f"  - id: {iid}", f"    phases: [{', '.join(phases)}]", f"    objective: {oid}", f"    kind: {kind}",
               "    stem: >-"] + wrap(stem, "      ") + ["    options:"]
        out += [f"      - {yaml_str(o)}" for o in options]
        out += [f"    answer: {answer[0] if kind == 'single' else answer}", "    rationale: >-"]
        return out + wrap(" ".join(fill(t, slots) for t in true.draw(2)), "      ")

    for level, oid, _ in objectives:
        lines += choice_item(f"{oid}-case", oid, "single", ["pre", "post", "follow-up"],
                             f"A patient with {slots['lname']} mentions {slots['focus']} at the end of a routine "
                             "review. Which statement best reflects current guidance?", 1)
        if level == "knowledge":
            lines += choice_item(f"{oid}-facts", oid, "multiple", ["pre", "post"],
                                 f"Which of these statements about {slots['focus']} are true? "
                                 "Choose all that apply.", 2)
        else:
            lines += [f"  - id: {oid}-confidence", "    phases: [pre, post, follow-up]", f"    objective: {oid}",
                      "    kind: likert", f"    stem: How confident are you in managing {slots['focus']}?",
                      "    scale: [Not at all confident, Slightly confident, Moderately confident, Very confident, "
                      "Extremely confident]"]
    lines += ["  - id: commit", "    phases: [post]", "    kind: commitment",
              "    stem: What will you change in your practice after this module?", "  - id: implemented",
              "    phases: [follow-up]", "    kind: text",
              "    stem: What have you changed since completing the module, and what got in the way?"]
    return "\n".join(lines) + "\n"
