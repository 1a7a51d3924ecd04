"""Generate a synthetic, valid patientvoice course of any size, for benchmarks and tests.

Usage: python benchmarks/generate_course.py OUT --modules N --stories M [--seed S] [--today YYYY-MM-DD]

The course follows the content format (v1) and passes `patientvoice check` with no problems at all:
every date is relative to ``today``, story text is built from word lists that contain no digits, no
e-mail or web addresses and none of the people's names (so the de-identification rules stay quiet),
and every module is approved with the project's own approve code, so its fingerprint is the real one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import re
import shutil
import sys
import time
from pathlib import Path

from markdown.extensions.toc import slugify

from patientvoice.approve import approve
from patientvoice.loader import load_course

REPO_ROOT = Path(__file__).resolve().parents[1]

# name, short name, id prefix, clinical focus, lay words for it, setting, treatments, audience, PAG name
CONDITIONS = [
    ("Primary biliary cholangitis", "PBC", "pbc", "cholestatic itch", ["the itch", "the tiredness"],
     "liver clinic", ["bile acid sequestrants", "rifampicin", "fibrates"],
     ["Hepatologists", "Gastroenterologists", "Primary care physicians"], "PBC Patient Network"),
    ("Sickle cell disease", "SCD", "scd", "acute crisis pain", ["the pain", "a crisis"],
     "emergency department", ["opioid analgesia", "individualized pain plans", "hydroxyurea"],
     ["Emergency physicians", "Hematologists", "Pediatricians"], "Sickle Cell Family Forum"),
    ("Type 1 diabetes", "T1D", "t1d", "hypoglycemia", ["the lows", "the constant counting"],
     "diabetes clinic", ["insulin pumps", "continuous glucose monitoring", "structured education"],
     ["Endocrinologists", "Diabetes nurse specialists", "Primary care physicians"], "Type One Together"),
    ("Multiple sclerosis", "MS", "ms", "MS fatigue", ["the fatigue", "the numbness"],
     "neurology clinic", ["disease-modifying therapies", "fatigue management", "rehabilitation"],
     ["Neurologists", "Rehabilitation physicians", "Primary care physicians"], "MS Voices Alliance"),
    ("Rheumatoid arthritis", "RA", "ra", "morning stiffness", ["the stiffness", "the swelling"],
     "rheumatology clinic", ["conventional DMARDs", "biologic therapies", "treat-to-target plans"],
     ["Rheumatologists", "Primary care physicians", "Physical therapists"], "Arthritis Action Circle"),
    ("Chronic kidney disease", "CKD", "ckd", "uremic itch", ["the tiredness", "the itching"],
     "renal clinic", ["dialysis planning", "conservative kidney management", "anemia treatment"],
     ["Nephrologists", "Primary care physicians", "Renal nurses"], "Kidney Together Network"),
    ("Cystic fibrosis", "CF", "cf", "treatment burden", ["the cough", "the daily routine"],
     "cystic fibrosis center", ["CFTR modulators", "airway clearance", "nutritional support"],
     ["Pulmonologists", "Pediatricians", "Respiratory physiotherapists"], "CF Community Trust"),
    ("Heart failure", "HF", "hf", "breathlessness", ["the breathlessness", "the swollen ankles"],
     "heart failure clinic", ["guideline-directed medical therapy", "diuretics", "cardiac rehabilitation"],
     ["Cardiologists", "Primary care physicians", "Heart failure nurses"], "Heart Failure Voices"),
    ("Endometriosis", "Endometriosis", "endo", "chronic pelvic pain", ["the pain", "the exhaustion"],
     "gynecology clinic", ["hormonal treatment", "laparoscopic surgery", "pain management"],
     ["Gynecologists", "Primary care physicians", "Pain specialists"], "Endometriosis Support Collective"),
    ("Psoriasis", "psoriasis", "pso", "itch from psoriasis", ["the itching", "the flaking"],
     "dermatology clinic", ["topical therapy", "phototherapy", "biologic therapies"],
     ["Dermatologists", "Primary care physicians", "Rheumatologists"], "Psoriasis Peer Network"),
    ("Epilepsy", "epilepsy", "epi", "seizure burden", ["the seizures", "the fog afterwards"],
     "epilepsy clinic", ["antiseizure medicines", "seizure action plans", "epilepsy surgery assessment"],
     ["Neurologists", "Pediatric neurologists", "Primary care physicians"], "Epilepsy Family Alliance"),
    ("Chronic obstructive pulmonary disease", "COPD", "copd", "exertional breathlessness",
     ["the breathlessness", "the chest infections"], "respiratory clinic",
     ["inhaled therapy", "pulmonary rehabilitation", "self-management plans"],
     ["Pulmonologists", "Primary care physicians", "Respiratory therapists"], "Breathe Easy Circle"),
]

FIRST = ("Adaeze Alina Amir Anders Beatriz Bram Carmen Cormac Dalia Dmitri Elif Emeka Farah Florian Greta "
         "Hamid Ines Isak Jonas Juno Kaveh Keziah Leandro Lidia Malik Marisol Nadim Noor Oren Paloma Quinn "
         "Rania Rowan Saoirse Selim Talia Teodor Ulla Valentin Wanjiru Xavier Yara Zoltan Ayodele Berit").split()
LAST = ("Achterberg Abernathy Balewa Castellan Calloway Delane Drummond Eskola Farrow Galbraith Halvorsen "
        "Ilunga Jessop Kowalczyk Lindqvist Marchetti Nakashima Okonjo Pellegrini Quarshie Rasmussen Szabo "
        "Thorne Underhill Varga Whitlock Yamada Zeller Ashdown Brennock Corrigan Dunmore Ellery Fenwick "
        "Greaves Hollins Ingram Jarvie Kestrel Lowther Merriman Norcott Ormsby Pendry Rookwood Sallow").split()
PSEUDONYMS = ("Maria Elaine Gloria Hazel Jalen Nadia Priya Amara Bea Cal Dev Esme Femi Gus Hana Ivo Jess Kemi "
              "Lior Mina Nils Odile Pia Rafa Sami Tova Uma Vik Wren Yusuf Zara Ada Ben Cleo Dara Eli Faye Gil "
              "Hugo Iris Joss Kai Lena Milo Nell Otto Rosa Sol Tam Vera").split()
INSTITUTIONS = [f"{a} {b}" for a in ("Eastmoor", "Harwell", "Northbridge", "Westfield", "Ashcombe", "Larkspur",
                                     "Riverside", "Kingsford")
                for b in ("University Health", "General Hospital", "Medical Center", "Teaching Hospitals")]
COMPANIES = ["Verality Pharma", "Halcyon Therapeutics", "Brightwater Biologics", "Corvane Medical",
             "Mistral Diagnostics", "Pellucid Health", "Tarn Biosciences", "Orchard Dental Systems"]
NATURES = ["Advisory board", "Speakers bureau", "Consulting fee", "Research grant to institution",
           "Ownership interest (individual stock)"]
SEGMENTS = ["symptom-burden", "treatment-experienced", "newly-diagnosed", "emergency-care", "caregiver",
            "stigma", "work-and-study", "young-adult", "rural-access", "shared-decisions"]
STORY_HEADINGS = ["Before the diagnosis", "The first signs", "Nights", "At work", "At school", "In the clinic",
                  "In the emergency department", "Being heard", "What helped", "Living with treatment",
                  "Family life", "Looking ahead", "Waiting", "Telling people", "A plan of my own", "Bad days"]
RELATIVES = ["my husband", "my wife", "my partner", "my sister", "my brother", "my mother", "my best friend"]
CHILDREN = ["my son", "my daughter"]
CLINICIANS = ["a nurse", "my specialist", "a new doctor", "the registrar", "my family doctor", "the pharmacist"]
TIMES = ["in the evening", "most mornings", "for weeks at a time", "at the worst moments", "after a long day",
         "every winter", "without warning"]
GOOD = ["relieved", "hopeful", "listened to", "taken seriously", "less alone"]
BAD = ["invisible", "exhausted", "ashamed", "angry", "frightened", "dismissed", "like a nuisance"]

# Story sentences: {sym} lay symptom, {rel} relative, {clin} clinician, {place} setting, {time}, {good}/{bad}.
# No digits, addresses or titles ("Dr", "Nurse" before a name), so the de-identification rules stay quiet.
PATIENT_SENTENCES = [
    "{Sym} starts {time}, as if it has been waiting for the house to go quiet.",
    "I stopped mentioning {sym} because nobody seemed to know what to do with it.",
    "When {clin} finally asked how bad it was, I felt {good} for the first time in months.",
    "Some days I plan everything around {sym}, and some days it plans everything around me.",
    "I learned to say it plainly at the {place}, before the appointment moved on to the results.",
    "{Rel} noticed before I did that I had stopped going out in the evenings.",
    "I used to think it was just something I had to put up with.",
    "The hardest part was not {sym} itself but the feeling that it did not count.",
    "{Clin} wrote it down, and that small thing changed how the rest of the visit went.",
    "I keep a note on my phone of what helps and what makes it worse.",
    "On a bad day I read the same page several times and still cannot take it in.",
    "I was told my results looked good, and I did not know how to say that I was not.",
    "It took a long time before anyone put a name to what I was feeling.",
    "Now I bring {rel} with me, because two people remember more than one.",
    "I felt {good} when the plan was written down and I knew what the next step would be.",
    "Nobody had explained that treatment could take weeks before it made a difference.",
    "I felt {bad} when I was told to come back if things got worse, because they already had.",
    "At work I stopped volunteering for anything new, and my manager thought I had lost interest.",
    "{Rel} learned to read the signs before I said a word.",
    "I cancelled plans so often that some friends stopped asking.",
    "The leaflet I was given was for someone else's condition, and I read it anyway.",
    "I did not want to seem difficult, so I said everything was fine.",
    "It helped to hear that other people had the same experience and had found a way through.",
    "I wrote my questions on a card so I would not forget them once I was in the room.",
    "{Clin} asked me what mattered most to me, and nobody had asked that before.",
    "I felt {bad} in the waiting room, rehearsing how to explain it without sounding dramatic.",
    "Some treatments helped a little, and one helped a lot once we found the right timing.",
    "I want people to know that {sym} is real even on the days it does not show.",
]
CAREGIVER_SENTENCES = [
    "I can tell {sym} is coming before {child} says anything.",
    "{Child} has learned to hide how bad it is, because of what happened before.",
    "We follow the plan at home first, and we only go in when it keeps getting worse.",
    "At the {place}, I carry a folder with the letters and the plan from the specialist team.",
    "When {clin} read the plan and acted on it, {child} was calmer within the hour.",
    "I felt {good} when staff listened to both of us instead of only the notes.",
    "{Child} asks me not to make a fuss, and I have to decide when a fuss is needed.",
    "The waiting is the worst part, for {child} and for the rest of the family.",
    "I am not asking anyone to trust me over their training, only to read the plan.",
    "We have learned which questions to ask, but it should not be up to us to remember them.",
    "Some weeks our whole family life is arranged around {sym}.",
    "{Clin} took the time to explain what would happen next, and that made all the difference.",
    "I felt {bad} when I was treated as an anxious parent rather than as part of the team.",
    "The school now knows what to look for, and that took many meetings to arrange.",
    "{Child} is polite, does not complain and turns to face the wall.",
    "I sleep lightly now, listening for the sounds that mean a bad night is starting.",
    "Our other children have learned to pack the hospital bag without being asked.",
    "When the team asked {child} directly, and not only me, something changed.",
    "I keep a diary of what worked last time, because every visit starts from nothing.",
    "I want staff to know that {child} has been disbelieved before and remembers it.",
]
PATIENT_QUOTES = ["It is not something you can see, so people assume it is not there.",
                  "Once it was written down as a real symptom, we could actually try things.",
                  "I did not need a cure that day. I needed someone to ask.",
                  "Being believed is part of the treatment.",
                  "I wish someone had told me at the start that this was common.",
                  "It is not that I cannot cope. It is that I have been coping for too long."]
CAREGIVER_QUOTES = ["I know my child. Please let me help you help them.",
                    "The plan was written by the specialist team. I only ask that someone reads it.",
                    "When they listen to both of us, everything goes better.",
                    "We are not difficult. We have just waited too long before."]

# Module prose: {name} condition, {short}, {focus} clinical focus, {treat}, {place} setting.
MODULE_SENTENCES = [
    "In {short}, {focus} is often under-reported in routine reviews that concentrate on test results.",
    "Patients frequently assume that nothing can be done, or that {focus} is too minor to raise.",
    "A structured question at every visit makes it far more likely that {focus} is recorded and treated.",
    "Guidance recommends assessing symptoms and their impact on sleep, work and mood at each review.",
    "Treatment decisions about {treat} should be shared, with clear expectations about timing and benefit.",
    "The burden of {focus} does not always track markers of disease activity or severity.",
    "Teams at the {place} that use a simple severity score can follow change over time and across steps.",
    "Stories from patients and caregivers show what the guidance looks like from the other side of the desk.",
    "Safety monitoring should be agreed before starting {treat}, and written into the plan.",
    "Patient advocacy groups offer peer support and practical advice that complement clinical care.",
    "Where a written plan exists, it should be easy for every member of the team to find and follow.",
    "Consider other causes and contributors before attributing every change to {short} itself.",
    "Referral to a specialist service is appropriate when {focus} remains severe despite first steps.",
    "Experience data from surveys describe what people notice about care; they are not clinical evidence.",
    "A brief review of medicines can identify interactions and timing problems that limit benefit.",
    "Clinicians who name stigma openly and explain what will happen next are more often trusted.",
    "Reassess after an adequate trial, usually a few weeks, before moving to the next step.",
    "Ask about mood and sleep as well, because both make {focus} harder to live with.",
    "A short written summary of the plan helps patients explain it to family, employers and other teams.",
    "Caregivers often hold the plan and know the pattern of illness well; treat them as partners.",
    "People who have been disbelieved before may under-report symptoms to avoid being labelled.",
    "Record the severity score in the same place each time so that the whole team can see the trend.",
    "Explain what to expect from {treat}, including common side effects and when to call.",
    "Access to the {place} varies, and travel, cost and caring duties all shape attendance.",
    "Follow-up by telephone or message can catch problems between scheduled reviews.",
    "General measures help almost everyone and cost little, so offer them alongside specific treatment.",
    "When first steps fail, say so plainly and agree the next one rather than repeating the same advice.",
    "Evidence for some options is limited or evolving; check current guidance and local licensing.",
    "Interpreters and accessible materials are part of safe care, not an optional extra.",
    "Young people moving to adult services need a planned transition, not a single handover letter.",
]
FALSE_STATEMENTS = [
    "{Focus} reliably tracks blood test results, so a normal result rules it out",
    "Nothing can be offered for {focus} until the next annual review",
    "Patients' own reports of {focus} are less reliable than the clinician's impression",
    "{Treat} needs no monitoring once it has been started",
    "Severity scores are only useful in research settings",
    "If first-line treatment fails, the same treatment should simply be repeated at a higher dose",
    "Experience data from patient surveys can replace clinical trial evidence",
    "Caregivers' accounts should be set aside in favour of the written notes",
]
MODULE_HEADINGS = ["Why {focus} matters in {short}", "Asking about {focus} at every visit",
                   "Before treating: look for other causes", "A stepwise approach to {focus}",
                   "Shared decisions about {treat}", "Beyond the symptom: sleep, mood and work",
                   "Working with families and caregivers", "Stigma and being believed", "Written plans that travel",
                   "Safety monitoring in practice", "When to refer", "Access, waiting and follow-up"]
MODULE_THEMES = ["Hearing {lay}", "Asking about {focus}", "A plan of their own", "Believed in {short}",
                 "Beyond the results", "Shared decisions in {short}", "The first hour", "Living with {lay}"]
OBJECTIVES = [  # level, id, text
    ("knowledge", "describe-features",
     "Describe the clinical features of {focus} in {lname} and why it is often missed in routine review"),
    ("competence", "apply-stepwise-care",
     "Apply a stepwise, guideline-based approach to {focus}, including {treat} and its safety monitoring"),
    ("performance", "ask-at-every-review",
     "Ask about {focus} at every review, record a severity score and agree a written plan with the patient"),
    ("patient-health", "shorten-waits", "Reduce the time people with {lname} wait for effective help with {focus}"),
]
SURVEY_QUESTIONS = [  # id, text, kind, labels
    ("sleep-disturbed", "In the past month, how often has {focus} disturbed your sleep?", "single",
     ["Never", "Some nights", "Most nights", "Every night"]),
    ("asked-at-visit", "At your most recent appointment, did a clinician ask you about {focus}?", "single",
     ["Yes, and we discussed options", "Yes, but only briefly", "No", "I can't remember"]),
    ("life-areas", "Which parts of your life has {lname} affected in the past year? (Select all that apply.)",
     "multiple", ["Sleep", "Mood", "Work or study", "Social life", "Relationships", "None of these"]),
    ("felt-believed", "At your most recent urgent visit, did staff believe how you described your symptoms?",
     "single", ["Yes, completely", "Partly", "No"]),
    ("written-plan", "Do you have a written care plan that every member of your team can see?", "single",
     ["Yes, and it is used", "Yes, but it is rarely used", "No", "Not sure"]),
    ("what-helped", "What helped most at your last visit? (Select all that apply.)", "multiple",
     ["Being asked directly", "A written plan", "Enough time to talk", "A follow-up call", "Peer support"]),
    ("decisions", "How involved did you feel in decisions about your treatment?", "single",
     ["Fully involved", "Somewhat involved", "Not involved", "Prefer not to say"]),
]
_YAML_WORDS = {"yes", "no", "on", "off", "true", "false", "y", "n", "null", "~"}
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,'()/?.–—-]*")


def _q(s: str) -> str:
    """A YAML scalar for ``s``: plain when YAML reads it back as the same text, else double-quoted."""
    if _PLAIN.fullmatch(s) and s.lower() not in _YAML_WORDS and not s.endswith(" "):
        return s
    return json.dumps(s, ensure_ascii=False)


def _wrap(text: str, first: str = "", rest: str | None = None, width: int = 100) -> list[str]:
    # Greedy wrapping; textwrap is several times slower and this runs for every paragraph.
    rest = first if rest is None else rest
    lines, cur, empty = [], first, True
    for word in text.split():
        if not empty and len(cur) + 1 + len(word) > width:
            lines.append(cur)
            cur, empty = rest + word, False
        else:
            cur, empty = cur + ("" if empty else " ") + word, False
    lines.append(cur)
    return lines


def _years_later(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _id(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _slots(**values: str) -> dict:
    """Template slots: {x} is the value as written, {X} the same with a capital letter."""
    values.update({k.capitalize(): v[:1].upper() + v[1:] for k, v in list(values.items())})
    return values


def _fill(template: str, slots: dict) -> str:
    out = template.format_map(slots)
    return out[:1].upper() + out[1:]  # a sentence starts with a capital even when a slot opens it


class _Deck:
    """Draws from a list without repeats until every entry has been used, so a page rarely repeats itself."""

    def __init__(self, rng: random.Random, items: list):
        self.rng, self.items, self.left = rng, items, []

    def draw(self, n: int = 1) -> list:
        """The next ``n`` entries (reshuffling when the deck runs out)."""
        out = []
        while len(out) < n:
            if not self.left:
                self.left = self.items[:]
                self.rng.shuffle(self.left)
            out.append(self.left.pop())
        return out


class _Gen:
    """Holds the RNG, today's date and the files of the course being generated."""

    def __init__(self, out: Path, modules: int, stories: int, seed: int, today: dt.date):
        self.out, self.today, self.seed = out, today, seed
        self.rng = random.Random(seed)
        n_cond = max(1, min(len(CONDITIONS), modules, stories, max(2, math.ceil(modules / 25))))
        keys = ("name", "short", "code", "focus", "lay", "place", "treats", "audience", "pag")
        self.conds = [dict(zip(keys, c)) for c in CONDITIONS[:n_cond]]
        for c in self.conds:
            c["pag_id"] = _id(c["pag"])
            c["committee"] = f"{c['code']}-steering"
            c["lname"] = c["name"][:1].lower() + c["name"][1:]
        self.files: dict[Path, str] = {}
        self.used_names: set[str] = set()

    def write(self, rel: str, text: str) -> None:
        """Queue a file; everything is written in one pass at the end."""
        self.files[self.out / rel] = text

    def date_between(self, lo: int, hi: int) -> dt.date:
        """A date between ``lo`` and ``hi`` days from today (negative: in the past)."""
        return self.today + dt.timedelta(days=self.rng.randint(lo, hi))

    # -- people, committees, PAGs -------------------------------------------------------------------------
    def person(self, role: str, affiliation: str, credentials: str | None = None, title: bool = False,
               relationships: list | None = None) -> str:
        """Queue content/people/<id>.yml and return the id."""
        rng = self.rng
        while True:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            if f"{first} {last}" not in self.used_names:
                break
        self.used_names.add(f"{first} {last}")
        pid = _id(f"{first}-{last}")
        # Signed 150-300 days ago: within 12 months before every release (releases are 14-120 days ago).
        signed = self.date_between(-300, -150)
        lines = [f"name: {'Dr ' if title else ''}{first} {last}"]
        if credentials:
            lines.append(f"credentials: {credentials}")
        lines += [f"role: {role}", f"affiliation: {affiliation}", "disclosure:", f"  signed: {signed.isoformat()}"]
        if not relationships:
            lines.append("  relationships: []")
        else:
            lines.append("  relationships:")
            for company, nature, relevant in relationships:
                lines += [f"    - company: {company}", f"      nature: {nature}",
                          f"      relevant: {str(relevant).lower()}"]
                if relevant:  # mitigated soon after signing, so before any module's release
                    mit = signed + dt.timedelta(days=rng.randint(5, 25))
                    lines += ["      mitigation:", "        action: >-",
                              "          Recused from decisions on treatment content; sections peer reviewed by an",
                              "          independent clinician and a patient partner with no relevant relationships",
                              f"        date: {mit.isoformat()}"]
        self.write(f"content/people/{pid}.yml", "\n".join(lines) + "\n")
        return pid

    def people_and_committees(self, modules_per_cond: list[int]) -> None:
        """Everyone in control of content, and one steering committee and one PAG per condition."""
        rng = self.rng
        self.staff = [self.person("staff", "Synthetic Medical Education", "MEd, CHCP")
                      for _ in range(max(1, min(3, len(self.conds))))]
        for i, c in enumerate(self.conds):
            clinicians = []
            for k in range(min(8, 2 + math.ceil(modules_per_cond[i] / 6))):
                rels = []
                if k == 0 or rng.random() < 0.3:  # each committee chair has a relevant, mitigated relationship
                    rels.append((rng.choice(COMPANIES[:-1]), rng.choice(NATURES[:4]), True))
                if rng.random() < 0.3:
                    rels.append((COMPANIES[-1], NATURES[-1], False))
                aff = f"{c['place'].capitalize()}, {rng.choice(INSTITUTIONS)}"
                clinicians.append(self.person("clinician", aff, rng.choice(["MD", "MD, PhD", "MD, MSc", "MBBS, FRCP"]),
                                              True, rels))
            c["clinicians"] = clinicians
            c["partner"] = self.person("patient-partner", "Independent patient partner")
            c["carer"] = self.person("caregiver-partner", "Independent caregiver partner")
            c["pag_rep"] = self.person("pag-representative", c["pag"], rng.choice([None, "MPH", "BSc"]))
            c["planner"] = self.staff[i % len(self.staff)]
            members = [(clinicians[0], "chair")] + [(p, "clinician") for p in clinicians[1:3]] + [
                (c["planner"], "planner"), (c["partner"], "patient-partner"), (c["carer"], "caregiver-partner"),
                (c["pag_rep"], "pag-representative")]
            self.write(f"content/committees/{c['committee']}.yml",
                       f"name: {c['name']} education steering committee\nmembers:\n"
                       + "".join(f"  - person: {p}\n    role: {r}\n" for p, r in members))
            self.write(f"content/pags/{c['pag_id']}.yml",
                       f"name: {c['pag']}\nurl: https://{c['pag_id']}.example.org\nconditions: [{c['name']}]\n"
                       "relationship: Co-planner; received no funding for this activity\n")

    # -- stories and data -------------------------------------------------------------------------------
    def story(self, idx: int, c: dict) -> dict:
        """Queue one composite story; return what a module needs to embed it."""
        rng = self.rng
        # Random mix, but even a tiny course has a caregiver story and a web-only and a print-only story.
        caregiver = rng.random() < 0.25 or idx == 1
        pseudonym = rng.choice(PSEUDONYMS)
        r = rng.random()
        channels = (["web"] if r < 0.15 or idx == 2 else ["print"] if r < 0.2 or idx == 3 else ["web", "print"])
        lay = rng.choice(c["lay"])
        slots = _slots(sym=lay, rel=rng.choice(RELATIVES), clin="", place=c["place"], time=rng.choice(TIMES),
                       good="", bad="", child=rng.choice(CHILDREN))
        titles = ([f"Watching {slots['child']} wait", "Reading the plan out loud", f"Living around {lay}",
                   "Learning when to make a fuss", "The folder by the door"] if caregiver else
                  [f"Nights awake with {lay}", "Waiting to be believed", "Years before a name for it",
                   f"Learning to talk about {lay}", "A plan of my own", "Long sleeves all year round",
                   "The appointment after the results"])
        title = rng.choice(titles)
        sid = f"{_id(pseudonym)}-{_id(title)}-{idx + 1:04d}"
        kind = rng.choice(["interview", "interview", "written", "advisory-board", "pag-submission"])
        consent_date = self.date_between(-700, -200)
        collected = consent_date - dt.timedelta(days=rng.randint(20, 90))
        band = rng.choice(["30-39", "40-49", "50-59", "60-69"] if caregiver else
                          ["20-29", "30-39", "40-49", "50-59", "60-69", "70-79", "80-89"])
        segs = sorted(set(rng.sample(SEGMENTS, 2) + (["caregiver"] if caregiver else [])))
        lines = ["---", f"title: {_q(title)}", f"narrator: {'caregiver' if caregiver else 'patient'}",
                 f"pseudonym: {pseudonym}", f"age_band: {band}", f"condition: {c['name']}",
                 f"segments: [{', '.join(segs)}]", "source:", f"  kind: {kind}"]
        if kind != "advisory-board":
            lines.append(f"  pag: {c['pag_id']}")
        lines += [f"  collected: {collected.strftime('%Y-%m')}", "consent:", "  status: granted",
                  f"  reference: {c['code'].upper()}-CF-{consent_date.year}-{idx + 1:04d}",
                  f"  date: {consent_date.isoformat()}", f"  channels: [{', '.join(channels)}]",
                  # Consent outlives every module: modules expire at most three years after a past release.
                  f"  expires: {self.date_between(4 * 365, 5 * 365).isoformat()}", "  final_text_approved: true",
                  "composite: true", "---", ""]
        who = "parents and partners caring for someone" if caregiver else "people"
        via = f"the {c['pag']}" if kind != "advisory-board" else "a patient advisory panel"
        lines += _wrap(f"*This is a fictional composite. It draws on the experiences of several {who} living with "
                       f"{c['lname']}, shared through {via}. It is not any one person's story, and identifying "
                       "details have been changed.*")
        sentences = _Deck(rng, CAREGIVER_SENTENCES if caregiver else PATIENT_SENTENCES)
        quotes = _Deck(rng, CAREGIVER_QUOTES if caregiver else PATIENT_QUOTES)
        headings = rng.sample(STORY_HEADINGS, rng.randint(3, 4))
        for h in headings:
            lines += ["", f"## {h}", ""]
            for p in range(1 if rng.random() < 0.7 else 2):
                if p:
                    lines.append("")
                slots.update(_slots(clin=rng.choice(CLINICIANS), good=rng.choice(GOOD), bad=rng.choice(BAD)))
                lines += _wrap(" ".join(_fill(t, slots) for t in sentences.draw(rng.randint(3, 4))))
            if rng.random() < 0.5:
                lines += [""] + _wrap(quotes.draw()[0], "> ")
        self.write(f"content/stories/{sid}.md", "\n".join(lines) + "\n")
        return {"id": sid, "channels": channels, "sections": [slugify(h, "-") for h in headings]}

    def dataset(self, idx: int, c: dict) -> tuple[str, list[str]]:
        """Queue one PAG survey data set; return its id and question ids."""
        rng = self.rng
        start = self.date_between(-800, -300)
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
            text = _fill(text, _slots(focus=c["focus"], lname=c["lname"]))
            lines += [f"  - id: {qid}", f"    text: {_q(text)}", f"    kind: {kind}", f"    answered: {answered}",
                      "    results:"]
            lines += [f"      {_q(label)}: {n}" for label, n in zip(labels, counts)]
        self.write(f"content/data/{did}.yml", "\n".join(lines) + "\n")
        return did, [q[0] for q in qs]

    # -- modules ----------------------------------------------------------------------------------------
    def module(self, idx: int, c: dict, stories: list[dict], data: list[tuple[str, str]]) -> tuple[str, str, list]:
        """Queue a module's index.md and questionnaire.yml; return (id, title, approver ids)."""
        rng = self.rng
        slots = _slots(focus=c["focus"], short=c["short"], lay=rng.choice(c["lay"]), lname=c["lname"],
                       treat=rng.choice(c["treats"]), place=c["place"], name=c["name"])
        theme = _fill(rng.choice(MODULE_THEMES), slots)
        mid = f"{c['code']}-{_id(theme)}-{idx + 1:03d}"
        title = f"{theme}: {c['focus']} in {c['lname']}"
        release = self.date_between(-120, -14)
        expires = _years_later(release, rng.choice([1, 2, 3])) - dt.timedelta(days=1)
        minutes = rng.choice([30, 45, 60, 75, 90])
        objectives = OBJECTIVES[:3] + ([OBJECTIVES[3]] if rng.random() < 0.3 else [])
        faculty = rng.sample(c["clinicians"], min(len(c["clinicians"]), rng.randint(1, 2)))
        lines = ["---", f"title: {_q(title)}", "activity:",
                 f"  id: PV-{release.year}-{c['code'].upper()}-{idx + 1:03d}",
                 "  format: enduring", f"  release: {release.isoformat()}", f"  expires: {expires.isoformat()}",
                 f"  minutes: {minutes}", f"  credits: {round(minutes / 15) / 4}",
                 f"  audience: [{', '.join(c['audience'])}]", f"  pass_mark: {rng.choice([0.7, 0.75, 0.8])}",
                 "objectives:"]
        for level, oid, text in objectives:
            lines += [f"  - id: {oid}", "    text: >-"] + _wrap(_fill(text, slots), "      ") + [f"    level: {level}"]
        lines += [f"faculty: [{', '.join(faculty)}]", f"planners: [{c['planner']}, {c['partner']}]"]
        if rng.random() < 0.1:
            lines += ["commercial_support:", f"  - company: {rng.choice(COMPANIES[:-1])}",
                      "    kind: educational-grant"]
        else:
            lines.append("commercial_support: []")
        lines += ["review:", f"  committee: {c['committee']}", "  approvals: []", "---", ""]
        lines += self.body(slots, c, stories, data)
        self.write(f"modules/{mid}/index.md", "\n".join(lines) + "\n")
        self.write(f"modules/{mid}/questionnaire.yml", self.questionnaire(title, objectives, slots))
        return mid, title, [c["clinicians"][0], c["partner"]]

    def body(self, slots: dict, c: dict, stories: list[dict], data: list[tuple[str, str]]) -> list[str]:
        """The Markdown body: sections of prose with story, pag-data, web-only and print-only blocks."""
        rng = self.rng
        deck = _Deck(rng, MODULE_SENTENCES)

        def para(lo: int = 3, hi: int = 5) -> list[str]:
            return _wrap(" ".join(_fill(t, slots) for t in deck.draw(rng.randint(lo, hi))))

        def bullets(n: int) -> list[str]:
            return [ln for t in deck.draw(n) for ln in _wrap(_fill(t, slots), "- ", "  ")]

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
                embeds.append([f"//// {only}"] + _wrap(note) + ["", f"/// story | {s['id']}", "///", "////"])
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
        out += _wrap("This handout is the printed version of an online module. Complete the pre-test before reading "
                     "and the post-test afterwards on the course website; the questions are not reproduced here.")
        out += ["///", "", "## How to read the stories and data in this module", ""]
        out += _wrap("The stories below are **fictional composites**: each combines the experiences of several people, "
                     "was shaped with patient partners and was approved in its final wording. The survey results come "
                     "from open, self-selected member surveys run by a patient advocacy group. Both describe "
                     "experience; "
                     "neither is clinical evidence, and the recommendations rest on the references listed below.")
        headings = rng.sample(MODULE_HEADINGS, rng.randint(4, 5))
        per = math.ceil(len(embeds) / len(headings))
        for h, heading in enumerate(headings):
            out += ["", f"## {_fill(heading, slots)}", ""] + para() + [""] + bullets(rng.randint(3, 4))
            if h == 1:
                out += ["", "| Step | Option | Practical points |", "|---|---|---|"]
                out += [f"| {k + 1} | {t[:1].upper() + t[1:]} | {_fill(deck.draw()[0], slots)} |"
                        for k, t in enumerate(c["treats"])]
            if h == 2:
                out += ["", "### Evolving evidence", ""] + para(2, 3)
            for e in embeds[h * per:(h + 1) * per]:
                out += [""] + e + [""] + para(1, 2)
        out += ["", "/// web-only", "A printable handout of this module is available from the course home page.",
                "///", "", "## Key points", ""] + bullets(4) + ["", "## References", ""]
        for k in range(rng.randint(3, 5)):
            year = self.today.year - rng.randint(1, 8)
            out += _wrap(f"{k + 1}. Example Guideline Group. {_fill(rng.choice(MODULE_HEADINGS), slots)}: a synthetic "
                         f"reference. *Journal of Example Medicine*. "
                         f"{year};{rng.randint(10, 90)}({rng.randint(1, 12)}):"
                         f"{rng.randint(100, 400)}–{rng.randint(401, 900)}.", "", "   ")
        return out

    def questionnaire(self, title: str, objectives: list, slots: dict) -> str:
        """Every objective measured in pre, post and follow-up; single, multiple, likert, commitment and text items."""
        rng = self.rng
        true, false = _Deck(rng, MODULE_SENTENCES), _Deck(rng, FALSE_STATEMENTS)
        lines = [f"# Pre-, post- and follow-up questionnaire for {json.dumps(title, ensure_ascii=False)}.",
                 f"follow_up_after_days: {rng.choice([30, 60, 90])}", "items:"]

        def choice_item(iid, oid, kind, phases, stem, n_true):
            right = [_fill(t, slots).rstrip(".") for t in true.draw(n_true)]
            options = right + [_fill(t, slots) for t in false.draw(4 - n_true)]
            rng.shuffle(options)
            answer = sorted(options.index(o) for o in right)
            out = [f"  - id: {iid}", f"    phases: [{', '.join(phases)}]", f"    objective: {oid}", f"    kind: {kind}",
                   "    stem: >-"] + _wrap(stem, "      ") + ["    options:"] + [f"      - {_q(o)}" for o in options]
            out += [f"    answer: {answer[0] if kind == 'single' else answer}", "    rationale: >-"]
            return out + _wrap(" ".join(_fill(t, slots) for t in true.draw(2)), "      ")

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

    # -- course-level files -----------------------------------------------------------------------------
    def provider(self) -> None:
        """content/provider.yml."""
        self.write("content/provider.yml", """\
name: Synthetic Medical Education
accreditation_statement: >-
  Synthetic Medical Education is accredited by the Accreditation Council for Continuing Medical
  Education (ACCME) to provide continuing medical education for physicians.
credit_statement: >-
  Synthetic Medical Education designates this enduring material for a maximum of {credits}
  AMA PRA Category 1 Credit(s)™. Physicians should claim only the credit commensurate with the extent of
  their participation in the activity.
contact: cme@example.org
privacy_policy: https://example.org/privacy
""")

    def home(self, modules: list[tuple[str, str, list]]) -> None:
        """modules/index.md, the course home page listing every module."""
        lines = [f"# Synthetic patient-voice course (seed {self.seed})", ""]
        lines += _wrap("A generated course for benchmarks and tests. Every story is a fictional composite and "
                       "every survey is invented; nothing here describes a real person or a real result.")
        lines += ["", "## Modules", ""] + [f"- [{t}]({m}/index.md)" for m, t, _ in modules]
        self.write("modules/index.md", "\n".join(lines) + "\n")

    def mkdocs(self) -> None:
        """mkdocs.yml adapted from the repository's own, or a minimal one if the repository has none yet."""
        root_cfg, theme = REPO_ROOT / "mkdocs.yml", REPO_ROOT / "theme"
        name = f"Synthetic patient-voice course (seed {self.seed})"
        adapted = _adapt_mkdocs(root_cfg.read_text(encoding="utf-8"), name) if root_cfg.is_file() else None
        self.write("mkdocs.yml", adapted or (f"site_name: {name}\ndocs_dir: modules\nsite_dir: build/site\n"
                                             "theme:\n  name: material\n  custom_dir: theme\n"
                                             "plugins:\n  - search\n  - patientvoice\n"))
        if adapted and theme.is_dir():  # the adapted config points at the repository's theme overrides
            shutil.copytree(theme, self.out / "theme", dirs_exist_ok=True)
        else:
            (self.out / "theme").mkdir(parents=True, exist_ok=True)


def _adapt_mkdocs(text: str, site_name: str) -> str | None:
    """The repository's mkdocs.yml with this course's name and dirs; None unless it lists search and patientvoice."""
    blocks: list[tuple[str | None, list[str]]] = []
    for line in text.splitlines():
        m = re.match(r"^([A-Za-z_][\w-]*):", line)
        if m:
            blocks.append((m.group(1), [line]))
        elif blocks:
            blocks[-1][1].append(line)
        else:
            blocks.append((None, [line]))
    # These describe the example course (nav names its modules), not a generated one; mkdocs builds its own nav.
    drop = {"nav", "site_description", "site_author", "copyright"}
    keep = {"site_name": f"site_name: {site_name}", "docs_dir": "docs_dir: modules", "site_dir": "site_dir: build/site"}
    out: list[str] = []
    for key, lines in blocks:
        if key is None:  # the leading comment describes the example course
            continue
        if key in keep:
            out.append(keep.pop(key))
        elif key not in drop:
            out += lines
    out = ["# Generated by benchmarks/generate_course.py from the repository's mkdocs.yml."] + list(keep.values()) + out
    plugins = next((lines for key, lines in blocks if key == "plugins"), [""])
    names = {m.group(1) for ln in plugins[1:] if (m := re.match(r"^\s*-\s*([\w-]+)", ln))}
    names |= set(re.findall(r"[\w-]+", plugins[0].partition(":")[2]))  # flow style: plugins: [search, ...]
    return "\n".join(out) + "\n" if {"search", "patientvoice"} <= names else None


def generate_course(out: Path, modules: int, stories: int, seed: int = 0, *, today: dt.date | None = None) -> Path:
    """Write a valid, approved synthetic course of ``modules`` modules and ``stories`` stories to ``out``."""
    if modules < 1 or stories < 1:
        raise ValueError("a course needs at least one module and one story")
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty; generate into a new or empty directory")
    g = _Gen(out, modules, stories, seed, today or dt.date.today())
    conds = g.conds
    mod_cond = [conds[j % len(conds)] for j in range(modules)]
    per_cond = [sum(1 for m in mod_cond if m is c) for c in conds]
    g.provider()
    g.people_and_committees(per_cond)
    story_pool: dict[str, list[dict]] = {c["code"]: [] for c in conds}
    for i in range(stories):
        c = conds[i % len(conds)]
        story_pool[c["code"]].append(g.story(i, c))
    data_pool: dict[str, list[tuple[str, list[str]]]] = {c["code"]: [] for c in conds}
    for i in range(max(len(conds), math.ceil(modules / 3))):
        c = conds[i % len(conds)]
        data_pool[c["code"]].append(g.dataset(i, c))
    written, seen = [], {c["code"]: 0 for c in conds}
    for j, c in enumerate(mod_cond):
        k = seen[c["code"]]
        seen[c["code"]] += 1
        pool = story_pool[c["code"]]
        # Spread the condition's stories over its modules so each story is used, three to six per module.
        n = min(len(pool), max(3, min(6, math.ceil(len(pool) / per_cond[conds.index(c)]))))
        chosen = [pool[(k * n + t) % len(pool)] for t in range(n)]
        chosen = list({s["id"]: s for s in chosen}.values())
        dsets = data_pool[c["code"]]
        data = []
        for t in range(g.rng.randint(2, 3)):
            did, qids = dsets[(k + t) % len(dsets)]
            data.append((did, qids[(k + t) % len(qids)]))
        written.append(g.module(j, c, chosen, list(dict.fromkeys(data))))
    g.home(written)
    g.mkdocs()
    for path, text in g.files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    course, _ = load_course(out)
    today_ = g.today
    for mid, _title, by in written:
        release = course.modules[mid].activity["release"]
        approve(course, mid, by, "approved", min(release, today_) - dt.timedelta(days=3))
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="directory to create (must be new or empty)")
    ap.add_argument("--modules", type=int, required=True)
    ap.add_argument("--stories", type=int, required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--today", type=dt.date.fromisoformat, default=None, help="generate as if today were this date")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    try:
        generate_course(args.out, args.modules, args.stories, args.seed, today=args.today)
    except (ValueError, FileExistsError) as exc:
        ap.error(str(exc))
    print(f"wrote {args.modules} modules and {args.stories} stories to {args.out} in {time.perf_counter() - t0:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
