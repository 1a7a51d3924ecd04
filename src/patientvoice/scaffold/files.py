"""The text of each new author file: every required field present, each placeholder saying what to write.

A new file passes the schema checks as it is (tests/test_scaffold.py), so an author's first `patientvoice check`
lists only what truly needs their decision: who approves it, which stories it embeds, consent references.
"""

from __future__ import annotations

import datetime as dt


def _schema_line(schema_dir: str, name: str) -> str:
    # yaml-language-server reads this comment; the path is relative to the file it starts.
    return f"# yaml-language-server: $schema={schema_dir}/{name}.json\n" if schema_dir else ""


def years_later(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (28 February for a 29 February that year lacks)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def module_index(module_id: str, committee: str, today: dt.date, planners: list[str] | None = None) -> str:
    """A module's index.md: activity information, one objective, an empty approval list and a body outline."""
    release = today + dt.timedelta(days=30)
    expires = years_later(release, 3) - dt.timedelta(days=1)
    title = module_id.replace("-", " ").capitalize()
    return f"""---
title: {title}
activity:
  id: CHANGE-ME-{module_id.upper()[:20]}   # the provider's activity id (also used in PARS)
  format: enduring
  release: {release.isoformat()}
  expires: {expires.isoformat()}           # at most 3 years after release
  minutes: 30
  credits: 0.5                        # multiples of 0.25, no more than the estimated time
  audience: [Primary care physicians]
  pass_mark: 0.7
objectives:
  - id: first-objective
    text: Describe what learners will be able to do after this module
    level: competence                 # knowledge | competence | performance | patient-health
faculty: []                           # content/people ids
planners: [{", ".join(planners or [])}]
commercial_support: []               # Standard 4: supporters, amounts and signed agreements
off_label: []                        # off-label or investigational uses the module discusses; [] declares none
gap:
  statement: Write the professional practice gap this module addresses
  sources:
    - kind: literature                # patient-interviews | pag-data | literature | other
      ref: Cite the evidence for the gap
review:
  committee: {committee}
  approvals: []                       # `patientvoice review approve {module_id} --by …` records approvals
---

# {title}

Write the module here. Embed a patient story with a `/// story | story-id` block and PAG data with
`/// pag-data | dataset-id`, each closed by a line holding `///` (see the authoring guide).

## References

1. Cite the evidence behind every recommendation.
"""


def questionnaire(schema_dir: str = "") -> str:
    """A questionnaire with one scored item per phase, a confidence item and a commitment."""
    return _schema_line(schema_dir, "questionnaire") + """follow_up_after_days: 60
items:
  - id: first-question
    phases: [pre, post, follow-up]    # the same id in several phases is what lets answers be matched
    objective: first-objective
    kind: single
    stem: Write a case-based question that measures the objective
    options:
      - The best answer
      - A plausible distractor
      - Another plausible distractor
    answer: 0
    rationale: Say why the best answer is best; learners see this after the post-test.
  - id: confidence
    phases: [pre, post, follow-up]
    objective: first-objective
    kind: likert
    stem: How confident are you in doing what the objective describes?
    scale: [Not at all, Slightly, Moderately, Very, Extremely]
  - id: commitment
    phases: [post]
    kind: commitment
    stem: What will you change in your practice after this module?
"""


def story(story_id: str, today: dt.date) -> str:
    """A story with its consent record fields; the body is for the storyteller's approved words."""
    return f"""---
title: {story_id.replace("-", " ").capitalize()}
narrator: patient                     # patient | caregiver
pseudonym: Change-me                  # shown to learners; never a real name
condition: Write the condition
segments: []
source:
  kind: interview                     # interview | written | advisory-board | social-listening | pag-submission
  collected: {today.year}
consent:
  status: granted
  reference: CHANGE-ME                # the consent record's id, kept outside this repository
  date: {today.isoformat()}
  channels: [web, print]
  expires: {years_later(today, 5).isoformat()}
  final_text_approved: false          # true once the storyteller has approved this exact wording
composite: false
---

The story in the storyteller's approved words. Remove names, places, exact dates and numbers.
"""


def dataset(dataset_id: str, pag: str, today: dt.date, schema_dir: str = "") -> str:
    """A PAG data set with every methods field learners must see beside a chart."""
    return _schema_line(schema_dir, "dataset") + f"""title: {dataset_id.replace("-", " ").capitalize()}
pag: {pag}
conducted_by: Write who ran the survey
funding: Write who paid for it (or that no industry funding was received)
fielded: {{from: {today.isoformat()}, to: {today.isoformat()}}}
method: Online self-report questionnaire
population: Write who was eligible to answer
sampling: Convenience sample; say how people were invited and whether results are weighted
respondents: 10                       # placeholders: enter the counts exactly as the PAG reported them
questions:
  - id: first-question
    text: Write the question exactly as respondents saw it
    kind: single
    answered: 10
    results:
      Yes: 5
      No: 5
"""


def ci_workflow() -> str:
    """A GitHub Actions workflow for a course repository: check every push, publish the site from main."""
    return """# patientvoice: check every push and pull request; build and publish the site from main.
# Written by `patientvoice new ci`. Publishing uses GitHub Pages: enable it with source "GitHub Actions".
name: course
on:
  push:
  pull_request:
permissions:
  contents: read
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with: {python-version: "3.12"}
      - run: pip install patientvoice
      - run: patientvoice check --strict
  publish:
    needs: check
    if: github.ref == 'refs/heads/main' && github.event_name == 'push'
    runs-on: ubuntu-latest
    permissions: {pages: write, id-token: write}
    environment: {name: github-pages}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with: {python-version: "3.12"}
      - run: sudo apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0
      - run: pip install 'patientvoice[pdf]'
      - run: patientvoice build --strict
      - uses: actions/upload-pages-artifact@v3
        with: {path: build/site}
      - uses: actions/deploy-pages@v4
"""
