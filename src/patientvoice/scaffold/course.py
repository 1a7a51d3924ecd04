"""``patientvoice new course DIR``: a whole working course, from mkdocs.yml to one module with its questionnaire.

The course checks clean except for what only its people can supply: the committee's approval of the module
(and the placeholders each file asks them to replace before publication). The module, story, data set,
questionnaire and CI workflow are the texts ``new module|story|dataset|ci`` write (scaffold/files.py); this
module adds the files a course has once: the site configuration, the provider, its people, a committee, a PAG.
The theme is the package's default theme, so no theme/ folder is written.
"""

from __future__ import annotations

import datetime as dt
import json
import shlex

from patientvoice.scaffold import files

MODULE = "first-module"
STORY = "first-story"
DATASET = "first-survey"
PAG = "first-pag"
COMMITTEE = "steering-committee"
PLANNER = "course-planner"
PATIENT = "patient-partner"

MKDOCS_YML = """\
# A patientvoice course (written by `patientvoice new course`); docs/authoring.md explains every setting.
site_name: {name}
site_description: Accredited CME built on the experience of patients and caregivers.
# site_url: https://learn.example.org/   # where the site is published; printed, with a QR code, in every handout
copyright: © {year} Change me (the provider). Patient stories are shared with consent.
docs_dir: modules
site_dir: build/site
use_directory_urls: true
strict: true
exclude_docs: |          # answer keys: an engine run without the patientvoice plugin must not publish them
  questionnaire.yml

theme:
  name: material         # with patientvoice's default theme; see "The theme" in the authoring guide to override it
  language: en

markdown_extensions:
  - tables
  - attr_list
  - admonition
  - footnotes
  - toc:
      permalink: true

plugins:
  - search
  - patientvoice:
      submit_url: ""     # the response collector's address, once you run one (docs/questionnaires.md)
      paper: A4          # or Letter
"""

PROVIDER = """\
name: Change me (the accredited provider's name)
accreditation_body: ACCME
contact: cme@example.org
privacy_policy: https://example.org/privacy
address: |-
  Change me: the CME office's postal address
return_to: >-
  Post the completed forms to the address above, or scan them and e-mail them to cme@example.org with your
  learner code in the subject line.
"""

PERSON = """\
name: {name}
role: {role}
affiliation: {affiliation}
disclosure:
  signed: {signed}             # the date this person signed their disclosure (renew it every 12 months)
  relationships: []            # every financial relationship with an ineligible company in the past 24 months
"""

COMMITTEE_YML = f"""\
name: Change me (the steering committee's name)
members:                       # content/people ids; a patient partner or PAG representative must approve modules
  - person: {PLANNER}
    role: planner
  - person: {PATIENT}
    role: patient-partner
"""

PAG_YML = """\
name: Change me (the patient advocacy group)
url: https://pag.example.org
conditions: [Change me]
relationship: Co-planner; received no funding for this activity
"""

HOME = """\
# {name}

Welcome. Each module below is accredited continuing education built on the experience of patients and
caregivers. The list of modules is added below this text.
"""

GITIGNORE = """\
build/
.cache/
"""


def course_files(name: str, today: dt.date, schema_dir: str = ".patientvoice/schemas") -> dict[str, str]:
    """Every file of a new course, by course-relative path (``schema_dir``: where `patientvoice schemas` writes)."""

    def schema(rel: str) -> str:
        return "/".join([".."] * rel.count("/") + [schema_dir]) if schema_dir else ""

    module = files.module_index(MODULE, COMMITTEE, today, planners=[PLANNER])
    # Blocks as authors write them: the story (published once its teller approves the words) and the survey.
    embed = f"/// story | {STORY}\n///\n\n/// pag-data | {DATASET}#first-question\n///"
    module = module.replace("Write the module here.", f"Write the module here.\n\n{embed}\n\n"
                            "Replace this text, the story and the survey above with your own.", 1)
    people = {PLANNER: ("Change Me", "staff", "Change me (the planner's organisation)"),
              PATIENT: ("Change Me Too", "patient-partner", "Independent patient partner")}
    out = {
        # Quoted: a name with ': ', '#' or a quote (the default has ': ') would otherwise break mkdocs.yml.
        # A JSON string is a valid YAML double-quoted scalar.
        "mkdocs.yml": MKDOCS_YML.format(name=json.dumps(name, ensure_ascii=False), year=today.year),
        ".gitignore": GITIGNORE,
        "content/provider.yml": PROVIDER,
        f"content/committees/{COMMITTEE}.yml": COMMITTEE_YML,
        f"content/pags/{PAG}.yml": PAG_YML,
        f"content/stories/{STORY}.md": files.story(STORY, today),
        f"content/data/{DATASET}.yml": files.dataset(DATASET, PAG, today, schema(f"content/data/{DATASET}.yml")),
        "modules/index.md": HOME.format(name=name),
        f"modules/{MODULE}/index.md": module,
        f"modules/{MODULE}/questionnaire.yml": files.questionnaire(schema(f"modules/{MODULE}/questionnaire.yml")),
        ".github/workflows/patientvoice.yml": files.ci_workflow(),
    }
    for ident, (person, role, affiliation) in people.items():
        out[f"content/people/{ident}.yml"] = PERSON.format(name=person, role=role, affiliation=affiliation,
                                                           signed=today.isoformat())
    return out


def next_steps(folder: str) -> str:
    """What to do after `new course`: fill in, check, the three decisions only people make, preview, publish."""
    return f"""next steps:
  1. cd {shlex.quote(folder)}; replace every 'Change me' / CHANGE-ME (provider, people, committee, PAG, story, data set,
     module) with the real text; keep each person's disclosure current.
  2. patientvoice check      # a new course has these problems until people decide, in this order:
       consent.final-text    the storyteller has not approved the story's words: set
                             final_text_approved: true in content/stories/{STORY}.md once they have
       review.no-approval    the committee has not approved the module; once it has reviewed it (the approval
                             pins the exact text, story included), record it (a patient partner must sign):
                             patientvoice review approve {MODULE} --by {PLANNER},{PATIENT}
       pdf.no-site-url       (warning) set site_url in mkdocs.yml to where the site is published
  3. patientvoice serve      # preview at http://127.0.0.1:8000 (problems are printed, not blocking)
  4. patientvoice build      # check, then publish build/site and build/pdf
  5. git init and commit; .github/workflows/patientvoice.yml runs `check --strict` on every push and publishes
     main to GitHub Pages (enable Pages with source 'GitHub Actions')."""
