"""Word lists and condition data for the synthetic-course generator (benchmarks/generate_course.py).

Story text is built only from these lists. They contain no digits, no e-mail or web addresses and none
of the people's names, so the de-identification rules stay quiet on every generated story.
"""

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
